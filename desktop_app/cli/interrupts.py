"""Ctrl+C while an order is out: noted, never raised.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread
happens to be, even inside a lock's release or a print, and a second Ctrl+C
landing in the handling of the first left a lock half-released, a send
reported as nothing or a process killed by the signal.  While an order is
out, SIGINT only sets a flag (no lock, no print, nothing that can be
interrupted itself); the command reads the flag, cancels and reports.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Interrupts:
    """How many times Ctrl+C (SIGINT) came while :func:`noted` was in force."""

    def __init__(self) -> None:
        self._seen: list[int] = []

    def __bool__(self) -> bool:
        return bool(self._seen)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self._seen.append(signum)  # atomic: safe however often and whenever it comes


@contextmanager
def noted(keep: bool = False) -> Iterator[Interrupts]:
    """SIGINT only noted while inside; with ``keep``, ignored afterwards until the process ends.

    A command that owns its process keeps it so: its outcome is reported by
    then, and a Ctrl+C between restoring Python's handler and the exit would
    turn it into a ``KeyboardInterrupt`` (exit 130), or, once Python has put
    back the default handler while it shuts down, death by the signal.
    """
    interrupts = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield interrupts  # only the main thread may set handlers (a command run in a test)
        return
    previous = signal.signal(signal.SIGINT, interrupts._note)
    try:
        yield interrupts
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN if keep else previous)


def interrupt_once() -> None:
    """For a command that owns its process: the first Ctrl+C interrupts (KeyboardInterrupt,
    exit 130); more of them while it ends are ignored, not raised inside its handling."""
    if threading.current_thread() is not threading.main_thread():
        return
    seen: list[int] = []

    def first_only(signum: int, frame: FrameType | None) -> None:
        if seen:
            return
        seen.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, first_only)


def ignore_from_now() -> None:
    """Ctrl+C ignored until the process ends: its outcome is decided and said.

    Python puts back the default handler as it shuts down, and a Ctrl+C then
    would kill a process whose exit code was already chosen.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
