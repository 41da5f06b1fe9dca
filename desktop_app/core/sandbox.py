"""The practice server: a local stand-in for CMR's create-order endpoint.

A real HTTP server (stdlib, in a thread) that checks each request against the
documented contract and answers in the API's own envelope: 201 with an order
ID, 400 naming what is wrong, 401 "Invalid API Key".  It keeps what it
received, so a new user can go draft → send → order ID without an account,
and tests have a real peer on loopback.  Fault modes make it misbehave the
way a real server can (500, 429, a dropped connection, a slow or non-JSON
answer), one request at a time.
"""

from __future__ import annotations

import contextlib
import enum
import http.server
import json
import secrets
import socket
import string
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop_app.core.multipart import MultipartError, ReceivedFile, parse
from desktop_app.core.payload import API_KEY_HEADER, ORDERS_PATH
from desktop_app.core.practice_status import STATUS_PATH, PracticeOrders
from desktop_app.core.sandbox_contract import contract_problems

PRACTICE_KEY = "practice-key"
ORDER_ID_ALPHABET = string.ascii_uppercase + string.digits
ORDER_ID_LENGTH = 28
MAX_BODY_BYTES = 512 * 1024 * 1024


class Fault(str, enum.Enum):
    """How the next request goes wrong.

    The stalls and drops happen while the request arrives; the others once
    its key and contract checks have passed.
    """

    SERVER_ERROR = "500"  # nothing created
    RATE_LIMIT = "429"  # nothing created; Retry-After sent
    DROP_BEFORE_BODY = "drop-before-body"  # connection reset before reading the body
    STALL_UPLOAD = "stall-upload"  # stops reading the body for ``slow_seconds``
    DROP_AFTER_BODY = "drop-after-body"  # order created, then the connection is reset
    SLOW = "slow"  # order created, the answer waits ``slow_seconds``
    NOT_JSON = "not-json"  # order created, a 2xx HTML page answers


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server saw it (the key itself is not kept)."""

    user_id: str | None
    key_accepted: bool
    fields: dict[str, str]
    files: dict[str, ReceivedFile]
    status: int  # 0: no answer was sent (dropped, or the upload never finished)
    order_id: str = ""
    fault: Fault | None = None
    key_headers: tuple[str, ...] = ()  # which of the key headers the request carried


@dataclass
class _State:
    key: str
    faults: list[Fault | None] = field(default_factory=list)
    requests: list[ReceivedRequest] = field(default_factory=list)
    unavailable_domains: set[str] = field(default_factory=set)
    slow_seconds: float = 30.0
    retry_after: str = "1"
    lock: threading.Condition = field(default_factory=threading.Condition)
    release: threading.Event = field(default_factory=threading.Event)
    idle_connections: set[socket.socket] = field(default_factory=set)
    stopping: bool = False
    log: Callable[[str], None] | None = None
    orders: PracticeOrders = field(default_factory=PracticeOrders)


# Production's key header, and the CMR sandbox's (environments.Environment.key_header).
_KEY_HEADERS = (API_KEY_HEADER, "cmr-x-sandbox-api-key")

# The limits a typical Node backend (NestJS over multer and busboy) applies by
# default; the practice server refuses the same, so practice shows the split.
SERVER_MAX_PARTS = 1000
SERVER_MAX_FIELD_BYTES = 1024 * 1024


def _over_server_limits(fields: dict[str, str], files: dict[str, ReceivedFile]) -> str | None:
    if len(fields) + len(files) > SERVER_MAX_PARTS:
        return "Too many parts"
    if any(len(value.encode("utf-8")) > SERVER_MAX_FIELD_BYTES for value in fields.values()):
        return "Field value too long"
    return None


class PracticeServer:
    """The practice create-order endpoint, served from a background thread.

    Use as a context manager (or :meth:`start` / :meth:`stop`).  ``port=0``
    picks a free port; :attr:`base_url` is what the sender points at.
    ``receive_buffer`` (bytes) shrinks the sockets' receive buffers, so an
    upload the server stops reading blocks instead of being buffered whole.
    ``daemon`` makes its threads daemons: an app that forgets to stop it can
    still exit.
    """

    def __init__(
        self,
        key: str = PRACTICE_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        log: Callable[[str], None] | None = None,
        receive_buffer: int | None = None,
        daemon: bool = False,
    ) -> None:
        self._state = _State(key=key, log=log)
        self._server = _Server((host, port), _Handler, self._state, receive_buffer)
        # Daemon threads never keep a closing app alive; stop() still ends them.
        self._server.daemon_threads = daemon
        self._daemon = daemon
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------

    def start(self) -> PracticeServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            name="practice-server",
            kwargs={"poll_interval": 0.1},
            daemon=self._daemon,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, answer slow requests now, close idle connections, join every thread."""
        state = self._state
        state.release.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        with state.lock:
            state.stopping = True
            idle = list(state.idle_connections)
        # A keep-alive connection waiting for its next request would hold its
        # thread (and server_close) until the client hangs up: cut it.  Busy
        # ones finish their answer and then close, seeing ``stopping``.
        for connection in idle:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()  # joins the handler threads

    def __enter__(self) -> PracticeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def key(self) -> str:
        return self._state.key

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    # --- faults and settings ----------------------------------------------------------

    def fail_next(self, fault: Fault, times: int = 1, after: int = 0) -> None:
        """Make ``times`` requests go wrong as ``fault`` says, after ``after`` that go right."""
        with self._state.lock:
            self._state.faults.extend([None] * after + [fault] * times)

    def advance(self, seconds: float) -> None:
        """Move the server's clock on, so an order's status progresses at once."""
        with self._state.lock:
            self._state.orders.offset += seconds

    def set_slow_seconds(self, seconds: float) -> None:
        self._state.slow_seconds = seconds

    def set_retry_after(self, value: str) -> None:
        self._state.retry_after = value

    def mark_unavailable(self, *domains: str) -> None:
        """Domains the server reports in ``unavailableDomains`` (as the API may)."""
        self._state.unavailable_domains.update(d.lower() for d in domains)

    # --- what it received ----------------------------------------------------------------

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def last_request(self) -> ReceivedRequest | None:
        received = self.requests
        return received[-1] if received else None

    @property
    def created_order_ids(self) -> list[str]:
        return [r.order_id for r in self.requests if r.order_id]

    @property
    def created_count(self) -> int:
        return len(self.created_order_ids)

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until ``count`` requests have been handled.  False on timeout."""
        with self._state.lock:
            return self._state.lock.wait_for(lambda: len(self._state.requests) >= count, timeout)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins them: stopping leaves no thread behind
    block_on_close = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type,
        state: _State,
        receive_buffer: int | None,
    ) -> None:
        self.state = state
        self.receive_buffer = receive_buffer
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # Set before listen() so accepted sockets inherit it.  A small buffer
        # makes an upload the server does not read block, as a stalled or
        # overloaded server would.
        if self.receive_buffer:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        super().server_bind()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OrderDeskPractice/1"
    timeout = 30  # a client that stalls mid-request does not hold a thread for ever
    server: _Server

    def handle_one_request(self) -> None:
        state = self.server.state
        with state.lock:
            if state.stopping:
                self.close_connection = True
                return
            state.idle_connections.add(self.connection)
        try:
            super().handle_one_request()
        finally:
            with state.lock:
                state.idle_connections.discard(self.connection)
                if state.stopping:
                    self.close_connection = True

    def parse_request(self) -> bool:
        with self.server.state.lock:  # a request line arrived: no longer idle
            self.server.state.idle_connections.discard(self.connection)
        return super().parse_request()

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the connection was reset on purpose
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        log = self.server.state.log
        if log is not None:
            log(format % args)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path.rstrip("/") != STATUS_PATH:
            self._answer(404, "Not found", None)
            return
        if not self._key_accepted():
            self._answer(401, "Invalid API Key", None)
            return
        query = parse_qs(url.query, keep_blank_values=True)
        order_id = query.get("orderId", [""])[0]
        user_id = query.get("userId", [""])[0]
        with self.server.state.lock:
            status, message, data = self.server.state.orders.answer(order_id, user_id)
        self._answer(status, message, data)

    def _key_accepted(self) -> bool:
        """The key in either header: practice rehearses production and the CMR sandbox."""
        expected = self.server.state.key.encode()
        return any(
            secrets.compare_digest(self.headers.get(header, "").encode(), expected)
            for header in _KEY_HEADERS
        )

    def do_POST(self) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        if url.path.rstrip("/") != ORDERS_PATH:
            self._discard_body()
            self._answer(404, f"No endpoint at {url.path}", None)
            return
        fault = self._take_fault()
        if fault is Fault.DROP_BEFORE_BODY:
            self._record(ReceivedRequest(None, False, {}, {}, 0, fault=fault))
            self._reset()
            return
        if fault is Fault.STALL_UPLOAD:
            state.release.wait(state.slow_seconds)
        body = self._read_body()
        if body is None:
            return
        query = parse_qs(url.query, keep_blank_values=True)
        user_id = query["userId"][0] if "userId" in query else None
        key_ok = self._key_accepted()
        try:
            fields, files = parse(body, self.headers.get("Content-Type", ""))
        except MultipartError as exc:
            fields, files, problems = {}, {}, [f"The body is not valid form data: {exc}."]
        else:
            problems = contract_problems(fields, files)
        too_big = _over_server_limits(fields, files)
        if too_big:
            # As NestJS and busboy answer: the request is refused whole.
            self._record(ReceivedRequest(user_id, key_ok, fields, files, 413))
            self._answer(413, too_big, None)
            return
        if user_id is None:
            problems.insert(0, "Please provide a userId.")

        headers = tuple(name for name in _KEY_HEADERS if self.headers.get(name))

        def record(status: int, order_id: str = "", fault: Fault | None = None) -> None:
            self._record(
                ReceivedRequest(user_id, key_ok, fields, files, status, order_id, fault, headers)
            )

        if not key_ok:
            record(401)
            self._answer(401, "Invalid API Key", None)
        elif problems:
            record(400)
            self._answer(400, " ".join(problems[:5]), None)
        elif fault is Fault.SERVER_ERROR:
            record(500, fault=fault)
            self._answer(500, "Internal server error", None)
        elif fault is Fault.RATE_LIMIT:
            record(429, fault=fault)
            self._answer(429, "Too many requests", None, {"Retry-After": state.retry_after})
        else:
            self._create(fields, record, fault)

    def _create(
        self, fields: dict[str, str], record: Callable[..., None], fault: Fault | None
    ) -> None:
        state = self.server.state
        order_id = "".join(secrets.choice(ORDER_ID_ALPHABET) for _ in range(ORDER_ID_LENGTH))
        domains = [str(d.get("domain", "")) for d in json.loads(fields["domains"])]
        unavailable = [d for d in domains if d.lower() in state.unavailable_domains]
        record(201, order_id, fault)
        with state.lock:
            state.orders.add(order_id, self._user_id(), fields)
        if fault is Fault.DROP_AFTER_BODY:
            self._reset()
        elif fault is Fault.NOT_JSON:
            self._send(201, b"<html><body>Order received</body></html>", "text/html")
        else:
            if fault is Fault.SLOW:
                state.release.wait(state.slow_seconds)
            data = {"orderId": order_id, "unavailableDomains": unavailable}
            self._answer(201, "Order created successfully", data)

    # --- plumbing ----------------------------------------------------------------------------

    def _user_id(self) -> str:
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        return query.get("userId", [""])[0]

    def _take_fault(self) -> Fault | None:
        with self.server.state.lock:
            return self.server.state.faults.pop(0) if self.server.state.faults else None

    def _record(self, received: ReceivedRequest) -> None:
        with self.server.state.lock:
            self.server.state.requests.append(received)
            self.server.state.lock.notify_all()

    def _read_body(self) -> bytes | None:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            self._answer(411, "A Content-Length is required", None)
            return None
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self._answer(413, "The request is too large", None)
            return None
        try:
            body = self.rfile.read(length)
        except OSError:
            body = b""
        if len(body) != length:
            self.close_connection = True  # the client went away mid-upload: nothing to act on
            self._record(ReceivedRequest(None, False, {}, {}, 0))
            return None
        return body

    def _discard_body(self) -> None:
        length_text = self.headers.get("Content-Length", "0")
        if length_text.isdigit() and int(length_text) <= MAX_BODY_BYTES:
            self.rfile.read(int(length_text))
        else:
            self.close_connection = True

    def _reset(self) -> None:
        """Drop the connection with a TCP reset, as a crashing server or proxy would."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _answer(
        self,
        status: int,
        message: str,
        data: dict[str, Any] | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        envelope = {"status": status, "message": message, "data": data}
        self._send(status, json.dumps(envelope).encode(), "application/json", headers)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client stopped listening (cancelled)


def run_foreground(
    port: int = 0,
    key: str = PRACTICE_KEY,
    announce: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve until ``stop`` is set or Ctrl+C, announcing the URL and the key first."""
    stop = stop or threading.Event()
    with PracticeServer(key=key, port=port, log=announce) as server:
        announce(f"Practice server listening on {server.base_url}")
        announce(f"Practice API key: {server.key}")
        announce(
            f"Send to it with: CMR_API_KEY={server.key} order-desk send FILE "
            f"--base-url {server.base_url}"
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
