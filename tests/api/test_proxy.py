"""Sending through the proxy the operator's environment or system sets."""

from __future__ import annotations

import http.client
import http.server
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from send_support import free_port, serve_on_loopback, small_order

from desktop_app.api.network import proxy_for
from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender, Outcome
from desktop_app.practice.server import PRACTICE_KEY, PracticeServer

API = "https://customers.coldmailreseller.com/api/v1/integration/orders?userId=42"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def clean_proxy_environment(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_the_environments_https_proxy_is_used(clean_proxy_environment):
    clean_proxy_environment.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    assert proxy_for(API) == "http://proxy.example.com:3128"


def test_a_proxy_without_a_scheme_is_an_http_proxy(clean_proxy_environment):
    clean_proxy_environment.setenv("https_proxy", "proxy.example.com:3128")
    assert proxy_for(API) == "http://proxy.example.com:3128"


def test_no_proxy_no_setting_loopback_and_socks_go_direct(clean_proxy_environment):
    assert proxy_for(API) is None
    clean_proxy_environment.setenv("HTTP_PROXY", "http://proxy.example.com:3128")
    clean_proxy_environment.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    assert proxy_for("http://127.0.0.1:8765/api") is None  # the practice server
    assert proxy_for("http://localhost:8765/api") is None
    clean_proxy_environment.setenv("NO_PROXY", "coldmailreseller.com")
    assert proxy_for(API) is None
    clean_proxy_environment.delenv("NO_PROXY")
    clean_proxy_environment.setenv("HTTPS_PROXY", "socks5://proxy.example.com:1080")
    assert proxy_for(API) is None


class _ForwardingProxy(http.server.BaseHTTPRequestHandler):
    """A plain HTTP forward proxy: takes absolute-URL requests, relays them."""

    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        type(self).seen.append(self.path)
        target = urlsplit(self.path)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            upstream.request("POST", f"{target.path}?{target.query}", body, headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.getheader("Content-Type", ""))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def forwarding_proxy():
    _ForwardingProxy.seen.clear()
    with serve_on_loopback(_ForwardingProxy) as url:
        yield url


def test_an_order_sent_through_a_proxy_is_created_once(forwarding_proxy):
    with PracticeServer() as server:
        request = build_request(small_order(), server.base_url)
        sender = OrderSender(
            PRACTICE_KEY, limiter=RateLimiter(limit=1000), proxy_for=lambda url: forwarding_proxy
        )
        with sender:
            result = sender.send(request)
        assert result.outcome is Outcome.CREATED
        assert result.order_id == server.created_order_ids[0]
        assert server.created_count == 1
    assert _ForwardingProxy.seen == [request.url]


class _RefusingProxy(http.server.BaseHTTPRequestHandler):
    """A proxy that answers every request (CONNECT or a forwarded POST) with one status."""

    protocol_version = "HTTP/1.1"
    status: ClassVar[int] = 407
    seen: ClassVar[list[str]] = []

    def _refuse(self) -> None:
        type(self).seen.append(f"{self.command} {self.path}")
        if self.command == "POST":
            self.rfile.read(int(self.headers["Content-Length"]))
        body = b"proxy says no"
        self.send_response(type(self).status)
        if type(self).status == 407:
            self.send_header("Proxy-Authenticate", 'Basic realm="office"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_CONNECT = _refuse
    do_POST = _refuse

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_proxy():
    _RefusingProxy.seen.clear()
    with serve_on_loopback(_RefusingProxy) as url:
        yield url


def send_through(proxy: str, url: str = API) -> object:
    request = build_request(small_order(), url.split("/api/")[0])
    sender = OrderSender(
        PRACTICE_KEY,
        limiter=RateLimiter(limit=1000),
        connect_retry_delays=(0.0, 0.0, 0.0),
        proxy_for=lambda url: proxy,
    )
    with sender:
        return sender.send(request)


def test_a_proxy_asking_for_a_password_says_how_to_give_it_and_is_not_retried(refusing_proxy):
    _RefusingProxy.status = 407
    result = send_through(refusing_proxy)
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "user name and password" in result.message
    assert "HTTPS_PROXY=http://user:pass@host:port" in result.message
    assert "proxy 127.0.0.1:" in result.message
    # One CONNECT: a password retried four times can lock a directory account.
    assert _RefusingProxy.seen == ["CONNECT customers.coldmailreseller.com:443"]


def test_a_proxy_refusing_the_connection_is_not_retried(refusing_proxy):
    _RefusingProxy.status = 403
    result = send_through(refusing_proxy)
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "refused the connection to customers.coldmailreseller.com" in result.message
    assert "HTTP 403" in result.message and "nothing was created" in result.message
    assert len(_RefusingProxy.seen) == 1


def test_a_forwarding_proxy_asking_for_a_password_over_http_says_so(refusing_proxy):
    # A plain-http address (the practice server) goes through the proxy as a
    # forwarded request: the proxy's 407 is the answer, and it kept the order.
    _RefusingProxy.status = 407
    with PracticeServer() as server:
        result = send_through(refusing_proxy, server.base_url + "/api/")
        assert server.created_count == 0 and server.requests == []
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 407
    assert "HTTPS_PROXY=http://user:pass@host:port" in result.message
    assert len(_RefusingProxy.seen) == 1


def test_a_proxy_that_cannot_be_reached_is_named_and_not_retried():
    port = free_port()
    result = send_through(f"http://user:secret@127.0.0.1:{port}")
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert f"Could not connect to the proxy 127.0.0.1:{port} (not the API)" in result.message
    assert "secret" not in result.message  # the proxy's password is never shown
