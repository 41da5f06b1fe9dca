"""One upload and its answer, as the sender watches them.

The body goes out as a stream that reports progress, honours Cancel and
knows whether any byte (and then every byte) was handed to the network:
that decides whether a failure may be retried, is "not created", or is
"unknown".  The answer then has one deadline, however slowly it arrives.
"""

from __future__ import annotations

import enum
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.api.cancel import CancelToken

if TYPE_CHECKING:
    import httpx

MAX_ANSWER_BYTES = 1_000_000  # an answer is a small JSON envelope; never hold more
MIN_TIMEOUT, MAX_TIMEOUT = 1.0, 3600.0


@dataclass(frozen=True)
class Timeouts:
    """Seconds the sender waits at each step; ``answer`` is the wait once the order is sent."""

    connect: float = 10.0
    upload: float = 60.0  # one write stalling this long means the server stopped reading
    # One deadline for the whole answer (headers and body), from the moment the
    # last byte of the order was handed over: creating many mailboxes takes a while.
    answer: float = 120.0


def parse_timeout_seconds(text: str) -> float:
    """A timeout typed by the operator: a finite number of seconds from 1 to 3600."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a number of seconds.") from None
    if not math.isfinite(value) or not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
        raise ValueError(
            f"The timeout must be a number of seconds from {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g}, "
            f"not {text}."
        )
    return value


class Stage(str, enum.Enum):
    CONNECTING = "connecting"
    UPLOADING = "uploading"
    WAITING = "waiting for the answer"
    RETRYING = "retrying"


@dataclass(frozen=True)
class Progress:
    """Where a send is: bytes of the body handed to the network, out of ``total``."""

    stage: Stage
    sent: int
    total: int
    detail: str = ""


class Cancelled(Exception):
    """Raised from inside the body stream to stop an upload the operator cancelled."""


class Unreadable(Exception):
    """A file part (an avatar in the draft) could not be read while uploading."""


@dataclass
class Upload:
    """The request body as a stream that reports progress and honours Cancel."""

    chunks: Iterator[bytes]
    total: int
    cancel: CancelToken
    report: Callable[[Progress], None]
    on_complete: Callable[[], None] = lambda: None
    sent: int = 0
    started: bool = field(default=False)  # a chunk was handed over: bytes may be out
    complete: bool = field(default=False)

    def __iter__(self) -> Iterator[bytes]:
        self.report(Progress(Stage.UPLOADING, 0, self.total))
        while True:
            try:
                chunk = next(self.chunks)
            except StopIteration:
                break
            except Exception as exc:  # the draft file vanished, an avatar went bad ...
                raise Unreadable(str(exc) or type(exc).__name__) from exc
            # Cancel stops only a chunk not yet handed over: once the last one
            # is out, the server may act on the order, so it is not "nothing created".
            if self.cancel.cancelled:
                raise Cancelled
            self.started = True
            yield chunk
            # Resumed: httpcore has handed the chunk to the socket.
            self.sent += len(chunk)
            self.report(Progress(Stage.UPLOADING, self.sent, self.total))
        # Every byte is out: from here on the server may act on the order.
        self.complete = True
        self.on_complete()
        self.report(Progress(Stage.WAITING, self.sent, self.total))


class AnswerDeadline:
    """One deadline for the whole answer: reads get only the time left, and at it
    the connection is cut.

    httpx's read timeout bounds each read, so a server dribbling a byte a
    second could hold a send for ever; the time left shrinks with every read,
    and a timer aborting the socket cannot be extended at all.
    """

    def __init__(
        self,
        seconds: float,
        abort: Callable[[], None],
        limit_reads: Callable[[float | None], None] = lambda at: None,
    ) -> None:
        self.seconds = seconds
        self._abort = abort
        self._limit_reads = limit_reads  # told the monotonic deadline, or None after
        self._timer: threading.Timer | None = None
        self._at: float | None = None

    @property
    def passed(self) -> bool:
        return self._at is not None and time.monotonic() >= self._at

    def start(self) -> None:
        self._at = time.monotonic() + self.seconds
        self._limit_reads(self._at)
        self._timer = threading.Timer(self.seconds, self._abort)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._limit_reads(None)


def read_answer(response: httpx.Response) -> tuple[bytes, str | None]:
    """The answer's body (at most :data:`MAX_ANSWER_BYTES`) and why it is incomplete."""
    import httpx

    data = bytearray()
    try:
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_ANSWER_BYTES:
                return bytes(data[:MAX_ANSWER_BYTES]), "the answer was too large"
    except httpx.HTTPError:
        return bytes(data), "the connection dropped while the answer was read"
    return bytes(data), None
