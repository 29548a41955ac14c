"""The address of the person making a request, as the sign-in limits and the security log see it.

Behind a reverse proxy every request comes from the proxy. The proxy's ``X-Forwarded-For`` is
believed only when the request comes from an address in ``TRUSTED_PROXIES``, and then only up
to the first hop that is not a trusted proxy: whatever a client writes to the left of that is
ignored, so nobody can pick the address their failures are counted against.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(specs: tuple[str, ...]) -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` entries as networks; a single address is a network of one."""
    return tuple(ipaddress.ip_network(spec.strip(), strict=False) for spec in specs)


def parse_address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the right-most untrusted ``X-Forwarded-For`` hop
    when ``REMOTE_ADDR`` is a trusted proxy. None when the peer's address is missing or garbled."""
    if request is None:
        return None
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    nearest = peer
    if _is_trusted(peer, networks):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = parse_address(hop)
            if address is None:
                break  # a garbled hop: nothing to its left can be believed
            nearest = address
            if not _is_trusted(address, networks):
                break
    return str(nearest)
