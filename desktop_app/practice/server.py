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
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from desktop_app.practice.handler import PracticeHandler, PracticeHTTPServer
from desktop_app.practice.state import (
    MAX_BODY_BYTES,
    ORDER_ID_ALPHABET,
    ORDER_ID_LENGTH,
    PRACTICE_KEY,
    SERVER_MAX_FIELD_BYTES,
    SERVER_MAX_PARTS,
    Fault,
    PracticeState,
    ReceivedRequest,
    ReceivedStatusRequest,
)
from desktop_app.practice.status import PracticeOrders

__all__ = [
    "MAX_BODY_BYTES",
    "ORDER_ID_ALPHABET",
    "ORDER_ID_LENGTH",
    "PRACTICE_KEY",
    "SERVER_MAX_FIELD_BYTES",
    "SERVER_MAX_PARTS",
    "Fault",
    "PracticeServer",
    "ReceivedRequest",
    "ReceivedStatusRequest",
    "run_foreground",
]


class PracticeServer:
    """The practice create-order endpoint, served from a background thread.

    Use as a context manager (or :meth:`start` / :meth:`stop`).  ``port=0``
    picks a free port; :attr:`base_url` is what the sender points at.
    ``receive_buffer`` (bytes) shrinks the sockets' receive buffers, so an
    upload the server stops reading blocks instead of being buffered whole.
    ``daemon`` makes its threads daemons: an app that forgets to stop it can
    still exit.  ``orders_path`` is where the orders it creates are kept, so
    that another server (another process, a later start) can answer for them;
    without it they live as long as the server.
    """

    def __init__(
        self,
        key: str = PRACTICE_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        log: Callable[[str], None] | None = None,
        receive_buffer: int | None = None,
        daemon: bool = False,
        orders_path: Path | None = None,
    ) -> None:
        self._state = PracticeState(key=key, log=log, orders=PracticeOrders(orders_path))
        self._server = PracticeHTTPServer(
            (host, port), PracticeHandler, self._state, receive_buffer
        )
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
    def status_requests(self) -> list[ReceivedStatusRequest]:
        """Every status question asked, oldest first."""
        with self._state.lock:
            return list(self._state.status_requests)

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


def run_foreground(
    port: int = 0,
    key: str = PRACTICE_KEY,
    announce: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    orders_path: Path | None = None,
) -> None:
    """Serve until ``stop`` is set or Ctrl+C, announcing the URL and the key first."""
    stop = stop or threading.Event()
    with PracticeServer(key=key, port=port, log=announce, orders_path=orders_path) as server:
        announce(f"Practice server listening on {server.base_url}")
        announce(f"Practice API key: {server.key}")
        announce(
            f"Send to it with: order-desk send FILE --env practice --base-url {server.base_url}"
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
