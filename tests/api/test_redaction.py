"""The API key never shows in any escaping of what a server says: status answers and sends."""

from __future__ import annotations

import contextlib
import html
import http.server
import json
from urllib.parse import quote, unquote_plus

import pytest
from send_support import serve_on_loopback, small_order

from desktop_app.api.order_status import fetch_status, tree_lines
from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.redaction import redact_answer
from desktop_app.api.sender import OrderSender
from desktop_app.services.send_flow import Destination

# A key with slashes, as PHP's json_encode writes them "\/".
KEY = "sk-li/ve7Qw/9Zp2L/x5Vb8/Nc3Mk/6Jh1F/d4Gs0/Ty"


def every_char_escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


def percent_every_char(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode())


def php_json(value: object) -> str:
    return json.dumps(value).replace("/", "\\/")


HOSTILE_ANSWERS = {
    "unicode escapes": '{"message": "key ' + every_char_escaped(KEY) + '", "data": {}}',
    "php slashes": php_json({"message": "ok", "data": {"echo": KEY[3:33]}}),
    "deep key name": json.dumps({"message": "ok", "data": {"a": [{"b": {"x" + KEY: 1}}]}}).replace(
        KEY[:12], every_char_escaped(KEY[:12])
    ),
    "percent in a value": json.dumps(
        {"message": "ok", "data": {"url": "https://x.test/?k=" + percent_every_char(KEY)}}
    ),
    "json in a string": json.dumps(
        {"message": "ok", "data": {"inner": '{"k": "' + every_char_escaped(KEY) + '"}'}}
    ),
    "html entities": "<html><title>" + "".join(f"&#{ord(c)};" for c in KEY) + "</title></html>",
    "percent, then escapes": '{"message": "' + quote(every_char_escaped(KEY)) + '"}',
    "nested 300 deep": '{"message": "ok", "data": '
    + '{"a": ' * 300
    + '"'
    + every_char_escaped(KEY)
    + '"'
    + "}" * 301,
}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k), *_strings(v)]]
    return []


def readings(text: str, depth: int = 3) -> set[str]:
    """Every way a reader could decode ``text`` (written independently of the app)."""
    found = {text}
    if depth == 0:
        return found
    with contextlib.suppress(ValueError):
        found |= {r for s in _strings(json.loads(text)) for r in readings(s, depth - 1)}
    with contextlib.suppress(ValueError):
        found |= readings(json.loads(f'"{text}"'), depth - 1)
    for decoded in (unquote_plus(text), html.unescape(text), text.replace("\\/", "/")):
        if decoded != text:
            found |= readings(decoded, depth - 1)
    return found


def shows_key(text: str) -> bool:
    runs = {KEY[i : i + 8] for i in range(len(KEY) - 7)}
    return any(run in reading for reading in readings(text) for run in runs)


def answering(status: int, body: str) -> type[http.server.BaseHTTPRequestHandler]:
    data = body.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self._answer()

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self._answer()

        def _answer(self):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@pytest.mark.parametrize("body", HOSTILE_ANSWERS.values(), ids=HOSTILE_ANSWERS.keys())
def test_the_test_answers_do_show_the_key(body):
    assert shows_key(body)


@pytest.mark.parametrize("status", [200, 400])
@pytest.mark.parametrize("body", HOSTILE_ANSWERS.values(), ids=HOSTILE_ANSWERS.keys())
def test_a_status_answer_never_shows_the_key_in_any_escaping(status, body):
    with serve_on_loopback(answering(status, body)) as url:
        answer = fetch_status(Destination(url), KEY, "ORDER1", "42")
    shown = [answer.raw, answer.message, answer.headline, *tree_lines(answer.data)]
    assert answer.http_status == status
    assert not [text for text in shown if shows_key(text)]


@pytest.mark.parametrize("status", [201, 422])
@pytest.mark.parametrize("body", HOSTILE_ANSWERS.values(), ids=HOSTILE_ANSWERS.keys())
def test_a_send_answer_never_shows_the_key_in_any_escaping(status, body):
    with serve_on_loopback(answering(status, body)) as url:
        request = build_request(small_order(), url)
        with OrderSender(KEY, limiter=RateLimiter(limit=1000)) as sender:
            result = sender.send(request)
    assert result.http_status == status
    assert not shows_key(result.message) and not shows_key(result.server_message)
    assert not shows_key(repr(result))


def test_an_answer_without_the_key_is_kept_as_it_came():
    body = php_json({"message": "ok", "data": {"url": "https://x.test/a%20b", "n": "\u00e9"}})
    assert redact_answer(body, KEY) == body
