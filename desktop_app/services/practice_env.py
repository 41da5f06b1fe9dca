"""The practice environment: the practice server, over the orders kept in the app's home.

Both faces start practice servers only through here, so every one of them
answers for every practice order ever made on this computer: the window's,
the one a command runs while it sends or asks, and ``order-desk practice``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop_app.services.destinations import PRACTICE, Destination

if TYPE_CHECKING:
    import threading

    from desktop_app.practice.server import PracticeServer

ORDERS_FILE = "practice-orders.sqlite3"


class RunningPractice(Protocol):
    """A practice server as its users hold it: where it listens, and how to stop it."""

    @property
    def base_url(self) -> str: ...

    def stop(self) -> None: ...


def orders_path() -> Path:
    """Where practice orders are kept: in the app's home, beside History."""
    from desktop_app.services.paths import app_home

    return app_home() / ORDERS_FILE


def start_server() -> PracticeServer:
    """A practice server on a free loopback port, already serving (daemon threads).

    Raises OSError when it cannot listen.
    """
    # Imported here: the HTTP server (http.server, email, ssl) would slow every start-up.
    from desktop_app.practice.server import PRACTICE_KEY, PracticeServer

    return PracticeServer(key=PRACTICE_KEY, daemon=True, orders_path=orders_path()).start()


@contextmanager
def running() -> Iterator[Destination]:
    """A practice server for the length of a command: where its orders (and questions) go."""
    server = start_server()
    try:
        yield Destination(server.base_url, PRACTICE)
    finally:
        server.stop()


def serve_in_foreground(
    port: int, announce: Callable[[str], None], stop: threading.Event | None = None
) -> None:
    """``order-desk practice``: serve until Ctrl+C; OSError when the port cannot be had."""
    from desktop_app.practice.server import run_foreground

    run_foreground(port, announce=announce, stop=stop, orders_path=orders_path())
