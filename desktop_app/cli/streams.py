"""The command line's standard streams, made so that output never silently stops.

Three things used to end what a command printed half-way: a character the
terminal's encoding has no byte for (an em dash in an ISO-8859-1 locale), a
stream closed before the command started (``2>&-``: Python then has ``None``
for it), and a write that fails (``>/dev/full``, a reader gone).  After
:func:`prepare` each standard stream writes what it cannot encode as an
escape (``\\u2014``), a missing one is the null device, and a failed write is
remembered, never raised: what is sent and recorded never depends on whether
it could be printed.
"""

from __future__ import annotations

import io
import os
import sys
from typing import IO, Any, TextIO, cast


class TolerantStream(io.TextIOBase):
    """A text stream over another that escapes what it cannot encode and never raises.

    ``failed`` says whether a write or flush was lost (the null device, a full
    disk, a closed pipe).
    """

    def __init__(self, inner: IO[str] | None) -> None:
        super().__init__()
        self.failed = inner is None
        self._inner: IO[str] = inner if inner is not None else _null()
        reconfigure = getattr(self._inner, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (OSError, ValueError):  # already closed: every write fails, as it should
                self.failed = True

    @property
    def inner(self) -> IO[str]:
        return self._inner

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "backslashreplace"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        try:
            self._inner.write(_encodable(text, self.encoding))
        except (OSError, ValueError):
            self.failed = True
        return len(text)

    def flush(self) -> None:
        try:
            self._inner.flush()
        except (OSError, ValueError):
            self.failed = True

    def isatty(self) -> bool:
        try:
            return bool(self._inner.isatty())
        except (OSError, ValueError, AttributeError):
            return False

    def fileno(self) -> int:
        return self._inner.fileno()

    def close(self) -> None:
        # Python closes the standard streams at exit: a failure then is not a failure of ours.
        self.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _encodable(text: str, encoding: str) -> str:
    """``text`` with what ``encoding`` cannot write as an escape; a wrapped stream may be one
    (pytest's capture, a stream set by a caller) that was not told to escape."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    return text


def _null() -> IO[str]:
    return open(os.devnull, "w", encoding="utf-8")  # lives until exit


def prepare() -> None:
    """Make stdout and stderr tolerant, and give a missing stdin the null device."""
    if not isinstance(sys.stdout, TolerantStream):
        sys.stdout = cast(TextIO, TolerantStream(sys.stdout))
    if not isinstance(sys.stderr, TolerantStream):
        sys.stderr = cast(TextIO, TolerantStream(sys.stderr))
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives until exit


def stdout_failed() -> bool:
    """Whether something meant for stdout was lost (closed, full, missing)."""
    stream = sys.stdout
    return isinstance(stream, TolerantStream) and stream.failed
