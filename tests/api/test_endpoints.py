"""API addresses: which may have the key, and which spellings are the same endpoint.

The plain-http cases run against real loopback servers with a resolver the
test controls: one listener is the server the checked address points at, the
other is where a changed DNS answer would lead, and it must receive nothing.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from send_support import SECRET_KEY, small_order

from desktop_app.api.endpoints import checked_loopback_addresses, endpoint_identity
from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender, Outcome, Timeouts, url_problem
from desktop_app.practice.server import PracticeServer

NAME = "localhost.localdomain"


@pytest.mark.parametrize(
    "spelling",
    [
        "http://localhost:8765",
        "http://127.0.0.1:8765",
        "http://LOCALHOST:8765/",
        "HTTP://localhost:8765",
        "http://localhost.:8765",
        "http://[::1]:8765",
        "http://127.4.5.6:8765",
        "http://localhost:8765///",
    ],
)
def test_every_loopback_spelling_is_one_endpoint(spelling):
    assert endpoint_identity(spelling) == "http://loopback:8765"


@pytest.mark.parametrize(
    ("spelling", "identity"),
    [
        ("https://customers.coldmailreseller.com", "https://customers.coldmailreseller.com"),
        ("HTTPS://Customers.ColdMailReseller.COM/", "https://customers.coldmailreseller.com"),
        ("https://customers.coldmailreseller.com:443", "https://customers.coldmailreseller.com"),
        ("https://customers.coldmailreseller.com.", "https://customers.coldmailreseller.com"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
        ("http://localhost:80", "http://loopback"),
        ("https://localhost:443/gw/api/", "https://loopback/gw/api"),
        ("https://gateway.example/cmr/v1/", "https://gateway.example/cmr/v1"),
    ],
)
def test_endpoint_identity(spelling, identity):
    assert endpoint_identity(spelling) == identity


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://api.example.com:8443", "https://api.example.com"),
        ("http://localhost:8765", "https://localhost:8765"),
        ("https://api.example.com/a", "https://api.example.com/b"),
        ("http://localhost:8765", "http://localhost:8766"),
    ],
)
def test_different_endpoints_stay_different(first, second):
    assert endpoint_identity(first) != endpoint_identity(second)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://customers.coldmailreseller.com/#x", "query or a fragment"),
        ("https://customers.coldmailreseller.com#", "query or a fragment"),
        ("https://customers.coldmailreseller.com?a=1", "query or a fragment"),
        ("https://customers.coldmailreseller.com/api/?a=1", "query or a fragment"),
        ("https://u:p@customers.coldmailreseller.com", "user name or password"),
        ("https://u@customers.coldmailreseller.com", "user name or password"),
        ("https://customers.coldmailreseller.com:port", "not a valid address"),
    ],
)
def test_a_base_url_with_a_query_fragment_or_credentials_is_one_sentence(url, words):
    problem = url_problem(url)
    assert problem is not None and words in problem
    assert problem.endswith(".") and "\n" not in problem


def test_a_base_url_with_a_query_sends_nothing():
    with PracticeServer(key=SECRET_KEY) as server:
        request = build_request(small_order(), server.base_url + "/#x")
        with OrderSender(SECRET_KEY, limiter=RateLimiter(limit=1000)) as sender:
            result = sender.send(request)
        assert result.outcome is Outcome.NOT_CREATED and "fragment" in result.message
        assert server.requests == []


def test_a_path_is_kept_without_its_trailing_slash():
    assert url_problem("https://gateway.example/cmr/") is None
    request = build_request(small_order(), "https://gateway.example/cmr/")
    assert request.url.startswith("https://gateway.example/cmr/api/v1/integration/orders?")


# --- plain http only to this computer, for sure ------------------------------------


class _Listener:
    """A real loopback port that counts the connections made to it (and accepts none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = int(self.sock.getsockname()[1])

    def connections(self) -> int:
        self.sock.setblocking(False)
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture
def elsewhere() -> Iterator[_Listener]:
    listener = _Listener()
    yield listener
    listener.sock.close()


@pytest.fixture
def dns_sends_the_name_to(monkeypatch):
    """After the sender's check, the system resolver answers NAME with another port.

    Anything that asks DNS again at connection time (instead of connecting to
    the checked address) ends up at that port.
    """
    real = socket.getaddrinfo

    def point(listener: _Listener) -> None:
        def fake(host, port, *args, **kwargs):
            if isinstance(host, str) and host.lower() == NAME:
                return real("127.0.0.1", listener.port, *args, **kwargs)
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", fake)

    return point


def make_sender(resolve) -> OrderSender:
    return OrderSender(
        SECRET_KEY,
        limiter=RateLimiter(limit=1000),
        connect_retry_delays=(0.0, 0.0, 0.0),
        timeouts=Timeouts(connect=2.0, upload=2.0, answer=2.0),  # a failure fails fast
        resolve=resolve,
    )


def test_a_name_resolving_off_loopback_never_receives_the_key(elsewhere, dns_sends_the_name_to):
    dns_sends_the_name_to(elsewhere)
    with PracticeServer(key=SECRET_KEY) as server:
        port = server.base_url.rsplit(":", 1)[1]
        request = build_request(small_order(), f"http://{NAME}:{port}")
        with make_sender(lambda host, port: ["203.0.113.7"]) as sender:
            result = sender.send(request)
        assert server.requests == []
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "203.0.113.7" in result.message and "not this computer" in result.message
    assert elsewhere.connections() == 0


def test_one_address_off_loopback_among_several_is_refused(elsewhere, dns_sends_the_name_to):
    dns_sends_the_name_to(elsewhere)
    request = build_request(small_order(), f"http://{NAME}:9")
    with make_sender(lambda host, port: ["127.0.0.1", "::1", "10.1.2.3"]) as sender:
        result = sender.send(request)
    assert result.outcome is Outcome.NOT_CREATED and "10.1.2.3" in result.message
    assert elsewhere.connections() == 0


def test_the_sender_connects_to_the_address_it_checked(elsewhere, dns_sends_the_name_to):
    dns_sends_the_name_to(elsewhere)
    with PracticeServer(key=SECRET_KEY) as server:
        port = server.base_url.rsplit(":", 1)[1]
        request = build_request(small_order(), f"http://{NAME}:{port}")
        with make_sender(lambda host, port: ["127.0.0.1"]) as sender:
            result = sender.send(request)
        assert result.outcome is Outcome.CREATED and server.created_count == 1
    assert elsewhere.connections() == 0


def test_a_numeric_loopback_address_needs_no_lookup():
    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError("a numeric address was looked up")

    assert checked_loopback_addresses("127.0.0.1", 80, no_dns) == (["127.0.0.1"], None)
    assert checked_loopback_addresses("[::1]", 80, no_dns) == (["::1"], None)


def test_a_name_that_cannot_be_found_is_one_sentence():
    def not_found(host: str, port: int) -> list[str]:
        raise socket.gaierror("Name or service not known")

    addresses, problem = checked_loopback_addresses("localhost", 80, not_found)
    assert addresses == [] and problem == "localhost could not be found; nothing was sent."
