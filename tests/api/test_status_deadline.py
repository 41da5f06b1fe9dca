"""``order-desk status`` has one deadline for the whole answer, however slowly it comes."""

from __future__ import annotations

import http.server
import json
import os
import threading
from typing import ClassVar

import pytest
from cli_support import order_desk
from send_support import SECRET_KEY, serve_on_loopback

from desktop_app.api.order_status import fetch_status
from desktop_app.services.keystore import ENV_VAR
from desktop_app.services.send_flow import Destination

ANSWER = json.dumps({"message": "ok", "data": {"status": "DONE" * 20}}).encode()
STEP = 0.25  # seconds between bytes: far inside any read timeout


class _Dribbler(http.server.BaseHTTPRequestHandler):
    """Answers a status question one byte every STEP seconds (headers, then the body)."""

    protocol_version = "HTTP/1.1"
    stop: ClassVar[threading.Event] = threading.Event()
    finished: ClassVar[list[bool]] = []

    def do_GET(self) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(ANSWER)}\r\n\r\n"
        ).encode()
        try:
            for byte in head + ANSWER:
                if type(self).stop.wait(STEP):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:  # the client cut the connection: what the deadline does
            return
        type(self).finished.append(True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dribbler(fails_after):
    assert len(ANSWER) * STEP > 20  # the whole answer would take far longer than the deadline
    _Dribbler.stop = threading.Event()
    _Dribbler.finished = []
    fails_after(15, "the status question outlived its deadline")
    with serve_on_loopback(_Dribbler) as url:
        try:
            yield url
        finally:
            _Dribbler.stop.set()


def test_a_dribbling_status_answer_ends_at_the_deadline(dribbler):
    answer = fetch_status(Destination(dribbler), SECRET_KEY, "ORDER1", "42", timeout=1.0)
    assert not answer.ok and answer.http_status is None
    assert answer.message == "The status was not fetched: 127.0.0.1 did not answer within 1 s."
    assert _Dribbler.finished == []


def test_status_takes_timeout_as_send_does(dribbler, app_home):
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    result = order_desk("status", "ORDER1", "--base-url", dribbler, "--timeout", "1", env=env)
    assert result.returncode == 1
    assert "did not answer within 1 s" in result.stderr and "Traceback" not in result.stderr
    refused = order_desk("status", "ORDER1", "--base-url", dribbler, "--timeout", "0", env=env)
    assert refused.returncode == 2 and "from 1 to 3600" in refused.stderr
