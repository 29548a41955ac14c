"""The documented nginx configuration, run for real in front of a live server.

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3), so nginx forwards
each one's own address; the app, trusting only nginx (127.0.0.1), must count failures and log
events against those addresses, and never against nginx's or one a client wrote itself.
"""

import http.client
import logging
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from thrive_edi.roles import Role
from thrive_edi.tests.factories import TEST_PASSWORD, UserFactory

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf.example"
HOST = "edi.example.org"
CLIENT_1, CLIENT_2 = "127.0.0.2", "127.0.0.3"
UPLOAD_LIMIT = 21 * 1024 * 1024


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def substitute(text: str, pattern: str, replacement: str) -> str:
    """Replace what the test must change in the example; fail loudly if the example moved on."""
    changed, count = re.subn(pattern, replacement, text)
    assert count, f"deploy/nginx.conf.example no longer has {pattern!r}"
    return changed


def site_for_test(directory: Path, *, app_port: int, http_port: int, https_port: int) -> str:
    site = EXAMPLE.read_text()
    site = substitute(site, r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{app_port};")
    site = substitute(site, r"listen \[::\]:80;\n", "")
    site = substitute(site, r"listen \[::\]:443 ssl;\n", "")
    site = substitute(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = substitute(site, r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    site = substitute(
        site, r"/etc/letsencrypt/live/edi\.example\.org/fullchain\.pem", str(directory / "cert.pem")
    )
    return substitute(
        site, r"/etc/letsencrypt/live/edi\.example\.org/privkey\.pem", str(directory / "key.pem")
    )


@pytest.fixture(scope="module")
def nginx_binary_or_skip():
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is missing: `make system-packages` installs it, and in CI this test must run")
        pytest.skip("nginx is not installed (make system-packages installs it)")
    return binary


@pytest.fixture
def nginx(nginx_binary_or_skip, live_server, tmp_path, settings):
    """nginx with the example's server blocks, in front of the live server; its HTTPS port."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = free_port(), free_port()
    site = site_for_test(
        tmp_path, app_port=urlsplit(live_server.url).port, http_port=http_port, https_port=https_port
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log warn;\n"
        + "events { worker_connections 64; }\n"
        + f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n"
        + f"  proxy_temp_path {tmp_path}/proxy;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    command = [nginx_binary_or_skip, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield Ports(https=https_port, http=http_port)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Ports:
    https: int
    http: int


class Browser:
    """A client at one loopback address, keeping its cookies, speaking HTTPS to nginx."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, SimpleCookie()
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, source_address=(self.address, 0), timeout=30
        )
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        all_headers = {"Host": HOST, **({"Cookie": cookie} if cookie else {}), **(headers or {})}
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        connection.close()
        return response.status, response.headers, content.decode(errors="replace")

    def sign_in(self, username: str, password: str, forwarded_for: str | None = None) -> int:
        status, _, page = self.request("GET", "/sign-in/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/sign-in/",
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        status, _, _ = self.request("POST", "/sign-in/", body, headers)
        return status


@pytest.fixture
def people(transactional_db):
    return (
        UserFactory(username="alice", role=Role.STAFF),
        UserFactory(username="erin", role=Role.STAFF),
    )


def test_through_nginx_failures_lock_one_username_from_one_client_and_log_its_address(nginx, people, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    client_1 = Browser(nginx.https, CLIENT_1)
    # A client writing its own X-Forwarded-For gains nothing: nginx appends the real address.
    statuses = [
        client_1.sign_in("alice", "wrong-password-123", forwarded_for="203.0.113.66") for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert Browser(nginx.https, CLIENT_1).sign_in("erin", TEST_PASSWORD) == 302  # another user, same client
    assert Browser(nginx.https, CLIENT_2).sign_in("alice", TEST_PASSWORD) == 302  # same user, another client
    lines = [(r.event, r.username, r.ip) for r in caplog.records if r.name == "thrive_edi.security"]
    assert lines.count(("login_failed", "alice", CLIENT_1)) == 5
    assert ("locked_out", "alice", CLIENT_1) in lines
    assert ("login", "erin", CLIENT_1) in lines
    assert ("login", "alice", CLIENT_2) in lines
    assert {ip for _, _, ip in lines} == {CLIENT_1, CLIENT_2}


def test_nginx_refuses_a_body_over_the_apps_upload_limit_before_reading_it(nginx, transactional_db):
    connection = http.client.HTTPSConnection(
        "127.0.0.1", nginx.https, context=Browser(nginx.https, CLIENT_1).context, timeout=30
    )
    connection.putrequest("POST", "/verify/", skip_host=True)
    connection.putheader("Host", HOST)
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(UPLOAD_LIMIT + 1))
    connection.endheaders()  # no body is sent: nginx answers from the length alone
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_nginx_passes_a_form_through_to_the_app_as_https(nginx, transactional_db):
    client = Browser(nginx.https, CLIENT_1)
    status, _, page = client.request("GET", "/verify/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "fingerprint": "0" * 64}).encode()
    # Django's CSRF check of an HTTPS request compares the Origin with the forwarded host and scheme.
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"}
    status, _, page = client.request("POST", "/verify/", body, headers)
    assert status == 200
    assert "It does not match any signed-off assessment." in page


def test_plain_http_is_redirected_to_https(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx.http, timeout=30)
    connection.request("GET", "/sign-in/", headers={"Host": HOST})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/sign-in/"
    connection.close()


def test_the_proxys_body_cap_is_the_apps_upload_limit():
    from reporting.forms import VERIFY_MAX_BYTES

    megabytes = int(re.search(r"client_max_body_size (\d+)m;", EXAMPLE.read_text()).group(1))
    assert megabytes * 1024 * 1024 == UPLOAD_LIMIT
    # Room for the largest PDF the app takes and the form around it, and no more than a megabyte.
    assert VERIFY_MAX_BYTES + 64 * 1024 <= UPLOAD_LIMIT <= VERIFY_MAX_BYTES + 1024 * 1024
