"""The client's address: from the proxy's X-Forwarded-For only when the proxy is trusted."""

import pytest
from django.test import RequestFactory

from thrive_edi.addresses import client_ip

PROXY = "10.0.0.2"
CLIENT = "198.51.100.7"


def request_from(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from(PROXY, CLIENT)) == PROXY


def test_a_trusted_proxy_passes_on_the_clients_address(behind_proxy):
    assert client_ip(request_from(PROXY, CLIENT)) == CLIENT


def test_an_untrusted_peer_cannot_choose_its_address(behind_proxy):
    assert client_ip(request_from("203.0.113.9", CLIENT)) == "203.0.113.9"


def test_the_right_most_untrusted_address_wins_over_what_the_client_wrote(behind_proxy):
    spoofed = f"1.2.3.4, {CLIENT}"
    assert client_ip(request_from(PROXY, spoofed)) == CLIENT


def test_chained_trusted_proxies_are_skipped(behind_proxy):
    assert client_ip(request_from(PROXY, f"{CLIENT}, 192.0.2.1, 10.1.1.1")) == CLIENT


def test_when_every_hop_is_trusted_the_left_most_is_the_client(behind_proxy):
    assert client_ip(request_from(PROXY, "10.9.9.9, 10.1.1.1")) == "10.9.9.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", f"{CLIENT}, garbage", " , "])
def test_a_malformed_forwarded_header_falls_back_to_the_nearest_valid_hop(behind_proxy, forwarded):
    assert client_ip(request_from(PROXY, forwarded)) == PROXY


def test_ipv6_clients_are_read(behind_proxy):
    assert client_ip(request_from(PROXY, "2001:db8::1")) == "2001:db8::1"


@pytest.mark.parametrize("remote_addr", ["", "unix:", "999.1.1.1", "  "])
def test_an_empty_or_malformed_peer_gives_no_address(settings, remote_addr):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(remote_addr, CLIENT)) is None


def test_no_request_gives_no_address():
    assert client_ip(None) is None
