"""What a hostile or careless answer can do: nothing to the key, nothing to the lines shown.

Served by a real loopback server that answers what each test tells it to.
"""

from __future__ import annotations

import http.server
import json
from typing import ClassVar

import pytest
from send_support import SECRET_KEY, serve_on_loopback, small_order

from desktop_app.api.outcome import classify_answer, redact, safe_order_id
from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender, Outcome, SendResult


class _ScriptedServer(http.server.BaseHTTPRequestHandler):
    """Reads the order, then answers ``status`` with ``body``."""

    protocol_version = "HTTP/1.1"
    status: ClassVar[int] = 201
    body: ClassVar[bytes] = b""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(type(self).body)))
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *args: object) -> None:
        pass


def answered(status: int, envelope: object) -> SendResult:
    _ScriptedServer.status = status
    _ScriptedServer.body = json.dumps(envelope).encode()
    with serve_on_loopback(_ScriptedServer) as url:
        request = build_request(small_order(), url)
        with OrderSender(SECRET_KEY, limiter=RateLimiter(limit=1000)) as sender:
            return sender.send(request)


def every_text(result: SendResult) -> str:
    return " ".join([result.message, result.server_message, result.order_id, repr(result)])


def test_a_key_echoed_where_the_reason_is_cut_leaves_none_of_it():
    # Cut at MAX_REASON_CHARS (300), the key would lose its tail; its head must go too.
    result = answered(400, {"message": "x" * 290 + SECRET_KEY})
    assert result.outcome is Outcome.NOT_CREATED
    assert SECRET_KEY[:8] not in every_text(result)
    assert "<api-key>" in result.server_message


def test_part_of_the_key_eight_characters_or_longer_is_redacted():
    result = answered(422, {"message": f"key {SECRET_KEY[5:17]} is not valid here"})
    assert SECRET_KEY[5:17] not in every_text(result)
    assert "key <api-key> is not valid here" in result.server_message


def test_a_key_hidden_behind_json_escapes_is_redacted_after_parsing():
    escaped = "".join(f"\\u{ord(c):04x}" for c in SECRET_KEY)
    _ScriptedServer.status = 400
    _ScriptedServer.body = b'{"message": "echo ' + escaped.encode() + b'"}'
    with serve_on_loopback(_ScriptedServer) as url:
        request = build_request(small_order(), url)
        with OrderSender(SECRET_KEY, limiter=RateLimiter(limit=1000)) as sender:
            result = sender.send(request)
    assert SECRET_KEY[:8] not in every_text(result)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (SECRET_KEY, "<api-key>"),
        ("a" + SECRET_KEY[3:11] + "b", "a<api-key>b"),  # 8 characters of it
        ("a" + SECRET_KEY[3:10] + "b", "a" + SECRET_KEY[3:10] + "b"),  # 7: ordinary text
        (SECRET_KEY[:12] + " and " + SECRET_KEY[-9:], "<api-key> and <api-key>"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_redact(text, kept):
    assert redact(text, SECRET_KEY) == kept


def test_redact_with_a_short_key_still_removes_the_whole_key():
    assert redact("abc key=short1 def", "short1") == "abc key=<api-key> def"


@pytest.mark.parametrize(
    "raw",
    [
        "ABC123\r\norderId: FORGED",
        "ID\x1b[2J",
        "ID\u202eDIF",
        "X" * 65,
        "naïve-id",
    ],
)
def test_an_unusual_order_id_is_created_but_escaped(raw):
    result = answered(201, {"data": {"orderId": raw}})
    assert result.outcome is Outcome.CREATED
    assert "unusual order ID" in result.message
    assert result.order_id.isascii() and result.order_id.isprintable()
    assert "\r" not in result.message and "\n" not in result.message
    assert result.order_id in result.message


def test_a_forged_line_in_an_order_id_never_becomes_a_line():
    result = answered(201, {"data": {"orderId": "REAL\norderId: FAKE"}})
    assert result.order_id == "REAL\\norderId: FAKE"
    assert len(result.message.splitlines()) == 1


def test_a_usual_order_id_is_kept_as_it_is():
    result = answered(201, {"data": {"orderId": "3BFTT324G0MKSYPV3FR2JQ3NFCAP"}})
    assert result.order_id == "3BFTT324G0MKSYPV3FR2JQ3NFCAP"
    assert result.message == "Order created: 3BFTT324G0MKSYPV3FR2JQ3NFCAP."


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("ABC", ("ABC", True)),
        ("X" * 64, ("X" * 64, True)),
        ("X" * 65, ("X" * 65, False)),
        ("a\tb", ("a\\tb", False)),
        ("é", ("\\xe9", False)),
    ],
)
def test_safe_order_id(raw, safe):
    assert safe_order_id(raw) == safe


def test_an_unavailable_domain_with_a_line_break_is_escaped():
    answer = json.dumps(
        {"data": {"orderId": "OK1", "unavailableDomains": ["a.com\nOrder created: X"]}}
    )
    result, _ = classify_answer(201, None, answer.encode(), None, 1)
    assert result is not None and "\n" not in result.message
    assert result.unavailable_domains == ("a.com\\nOrder created: X",)
