"""The wait for the answer is one deadline, and a timeout is a sane number of seconds.

The servers here dribble their answer a byte at a time over real loopback
sockets: each byte comes well inside a read timeout, so only a deadline on
the whole answer can end the wait.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from typing import ClassVar

import keyring
import pytest
from send_support import (
    SECRET_KEY,
    MemoryKeyring,
    big_order,
    largest_send_buffer,
    serve_on_loopback,
    small_order,
)

from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import (
    UNKNOWN_ADVICE,
    OrderSender,
    Outcome,
    Timeouts,
    parse_timeout_seconds,
)
from desktop_app.cli.main import main
from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services.keystore import ENV_VAR

ANSWER = json.dumps({"status": 201, "data": {"orderId": "DRIBBLED0000000000000000001"}}).encode()
STEP = 0.25  # seconds between bytes: far inside any read timeout


class _DribblingServer(http.server.BaseHTTPRequestHandler):
    """Creates the order, then sends its answer one byte every STEP seconds."""

    protocol_version = "HTTP/1.1"
    dribble_headers: ClassVar[bool] = False
    step: ClassVar[float] = STEP
    status_line: ClassVar[str] = "201 Created"
    stop: ClassVar[threading.Event] = threading.Event()
    finished: ClassVar[list[bool]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        head = (
            f"HTTP/1.1 {type(self).status_line}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(ANSWER)}\r\n\r\n"
        ).encode()
        if not type(self).dribble_headers:
            self.wfile.write(head)
            self.wfile.flush()
            head = b""
        try:
            for byte in head + ANSWER:
                if type(self).stop.wait(type(self).step):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:  # the client cut the connection: what the deadline does
            return
        type(self).finished.append(True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dribbling_server():
    _DribblingServer.stop = threading.Event()
    _DribblingServer.step = STEP
    _DribblingServer.status_line = "201 Created"
    _DribblingServer.finished = []
    with serve_on_loopback(_DribblingServer) as url:
        try:
            yield url
        finally:
            _DribblingServer.stop.set()  # never keep the test waiting on the dribble


@pytest.mark.parametrize("dribble_headers", [False, True], ids=["body", "headers-and-body"])
def test_a_dribbling_answer_cannot_extend_the_deadline(dribbling_server, dribble_headers):
    _DribblingServer.dribble_headers = dribble_headers
    # The whole answer would take about len(ANSWER) * STEP = 20 s.
    assert len(ANSWER) * STEP > 10
    request = build_request(small_order(), dribbling_server)
    sender = OrderSender(SECRET_KEY, limiter=RateLimiter(limit=1000), timeouts=Timeouts(answer=1.0))
    with sender:
        result = sender.send(request)
    assert result.outcome is Outcome.UNKNOWN
    assert "No answer came within 1 s" in result.message and UNKNOWN_ADVICE in result.message
    assert result.attempts == 1 and _DribblingServer.finished == []


def test_a_refusal_cut_by_the_deadline_is_still_a_refusal(dribbling_server):
    # The status line says the order was refused: the slow reason does not make it unknown.
    _DribblingServer.dribble_headers = False
    _DribblingServer.status_line = "422 Unprocessable Entity"
    request = build_request(small_order(), dribbling_server)
    with OrderSender(
        SECRET_KEY, limiter=RateLimiter(limit=1000), timeouts=Timeouts(answer=1.0)
    ) as sender:
        result = sender.send(request)
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 422


def test_a_slow_answer_inside_the_deadline_is_read_in_full(dribbling_server):
    # An answer well inside the deadline is read in full, however slowly it comes.
    _DribblingServer.dribble_headers = False
    _DribblingServer.step = 0.01
    request = build_request(small_order(), dribbling_server)
    deadline = 30.0
    with OrderSender(
        SECRET_KEY, limiter=RateLimiter(limit=1000), timeouts=Timeouts(answer=deadline)
    ) as sender:
        result = sender.send(request)
    assert result.outcome is Outcome.CREATED
    assert result.order_id == "DRIBBLED0000000000000000001"


class _SlowReader(http.server.BaseHTTPRequestHandler):
    """Reads the order slowly (a thin uplink), then answers at once that it was created."""

    protocol_version = "HTTP/1.1"
    read_seconds: ClassVar[list[float]] = []

    def do_POST(self) -> None:
        started = time.monotonic()
        left = int(self.headers["Content-Length"])
        while left:
            left -= len(self.rfile.read(min(left, 64 * 1024)))
            time.sleep(0.01)
        type(self).read_seconds.append(time.monotonic() - started)
        body = json.dumps({"data": {"orderId": "SLOWUPLOAD00000000000000001"}}).encode()
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def setup(self) -> None:
        # A small receive buffer: the upload is paced by the reads, not by the kernel.
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        super().setup()

    def log_message(self, *args: object) -> None:
        pass


def test_the_deadline_starts_when_the_last_byte_of_the_order_is_out():
    # The upload takes several times the answer's deadline; the answer itself
    # comes at once, so only a deadline counted from the start would fail it.
    _SlowReader.read_seconds = []
    order = big_order(largest_send_buffer() + 24 * 1024 * 1024)
    deadline = 3.0
    with serve_on_loopback(_SlowReader) as url:
        request = build_request(order, url)
        with OrderSender(
            SECRET_KEY, limiter=RateLimiter(limit=1000), timeouts=Timeouts(answer=deadline)
        ) as sender:
            result = sender.send(request)
    assert result.outcome is Outcome.CREATED, result.message
    assert _SlowReader.read_seconds and _SlowReader.read_seconds[0] > deadline


@pytest.mark.parametrize(
    ("text", "seconds"), [("1", 1.0), ("30", 30.0), (" 2.5 ", 2.5), ("3600", 3600.0)]
)
def test_a_timeout_is_a_number_of_seconds_from_1_to_3600(text, seconds):
    assert parse_timeout_seconds(text) == seconds


@pytest.mark.parametrize(
    "text", ["inf", "-inf", "nan", "1e309", "0", "-1", "0.5", "3601", "abc", "", "1e400"]
)
def test_anything_else_is_one_sentence(text):
    with pytest.raises(ValueError) as caught:
        parse_timeout_seconds(text)
    message = str(caught.value)
    assert message.endswith(".") and message.count(". ") == 0
    assert "seconds" in message


@pytest.mark.parametrize("text", ["inf", "nan", "1e309", "0", "-1", "abc"])
def test_a_bad_timeout_on_the_command_line_exits_2_before_anything_is_sent(
    text, tmp_path, monkeypatch, capsys
):
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)
    path = tmp_path / "order.cmrorder"
    draft_file.save(small_order(), path)
    try:
        with PracticeServer(key=SECRET_KEY) as server:
            with pytest.raises(SystemExit) as exited:
                main(["send", str(path), "--base-url", server.base_url, "--yes", "--timeout", text])
            assert exited.value.code == 2
            assert server.requests == [] and server.created_count == 0
    finally:
        keyring.set_keyring(previous)
    _, err = capsys.readouterr()
    assert "--timeout" in err and "Traceback" not in err
