"""The practice server's HTTP side: each request read, checked and answered as the API would."""

from __future__ import annotations

import contextlib
import http.server
import json
import secrets
import socket
import struct
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop_app.api.multipart import MultipartError, parse
from desktop_app.api.payload import ORDERS_PATH, STATUS_PATH
from desktop_app.practice.contract import contract_problems
from desktop_app.practice.state import (
    KEY_HEADERS,
    MAX_BODY_BYTES,
    ORDER_ID_ALPHABET,
    ORDER_ID_LENGTH,
    Fault,
    PracticeState,
    ReceivedRequest,
    ReceivedStatusRequest,
    over_server_limits,
)


class PracticeHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins them: stopping leaves no thread behind
    block_on_close = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type,
        state: PracticeState,
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


class PracticeHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OrderDeskPractice/1"
    timeout = 30  # a client that stalls mid-request does not hold a thread for ever
    server: PracticeHTTPServer

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
        query = parse_qs(url.query, keep_blank_values=True)
        order_id = query.get("orderId", [""])[0]
        user_id = query.get("userId", [""])[0]
        state = self.server.state
        accepted = self._key_accepted()
        headers = tuple(h for h in KEY_HEADERS if h in self.headers)
        if not accepted:
            status, message, data = 401, "Invalid API Key", None
        else:
            with state.lock:
                status, message, data = state.orders.answer(order_id, user_id)
        with state.lock:
            state.status_requests.append(
                ReceivedStatusRequest(order_id, user_id, accepted, status, headers)
            )
            state.lock.notify_all()
        self._answer(status, message, data)

    def _key_accepted(self) -> bool:
        """The key in either header: practice rehearses production and the CMR sandbox."""
        expected = self.server.state.key.encode()
        return any(
            secrets.compare_digest(self.headers.get(header, "").encode(), expected)
            for header in KEY_HEADERS
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
        too_big = over_server_limits(fields, files)
        if too_big:
            # As NestJS and busboy answer: the request is refused whole.
            self._record(ReceivedRequest(user_id, key_ok, fields, files, 413))
            self._answer(413, too_big, None)
            return
        if user_id is None:
            problems.insert(0, "Please provide a userId.")

        headers = tuple(name for name in KEY_HEADERS if self.headers.get(name))

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
