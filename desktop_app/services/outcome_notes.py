"""Outcomes History could not take (a full disk), kept in small notes until it can.

When an attempt is claimed, a note of a fixed size is written beside History,
while there is surely room.  If History then cannot record the outcome, the
note is written over in place (no new disk space needed) with what the
operator was shown; once History is written again, the next start records it
and removes the note.  A note nobody filled is removed once its attempt is
over.  The API key is never in a note: only what History itself keeps.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from desktop_app.api.outcome import SendResult


class Recorder(Protocol):
    """What :func:`record_pending` needs of History (which calls it: no import back up)."""

    @property
    def path(self) -> Path: ...

    def finish(self, attempt_id: int, result: SendResult, only_if_sending: bool = ...) -> None: ...

    def still_sending(self, attempt_id: int) -> bool: ...


FOLDER = "unrecorded-outcomes"
NOTE_BYTES = 4096  # an order ID and a few sentences; reserved before the send
_MESSAGE_CHARS = 1500
KEPT = (
    "The outcome is kept in a note in the app's home and goes into History the next time "
    "Order Desk can write it."
)
LATE = " (Recorded late: History could not be written when this outcome came.)"


def _note(history_path: Path, attempt_id: int) -> Path:
    return history_path.parent / FOLDER / f"attempt-{attempt_id}.json"


def reserve(history_path: Path, attempt_id: int) -> None:
    """Write the empty note of ``attempt_id``; quietly nothing where it cannot be written."""
    note = _note(history_path, attempt_id)
    if note.parent.is_symlink():
        return
    try:
        note.parent.mkdir(exist_ok=True)
        # Written, not synced: the file system sets the blocks aside now, and a send
        # is not slowed by a disk flush for a note that is nearly always removed.
        with open(note, "wb") as stream:
            stream.write(b" " * NOTE_BYTES)
    except OSError:
        return


def keep(history_path: Path, attempt_id: int, result: SendResult) -> bool:
    """Write ``result`` into the reserved note, in place; True when it is kept."""
    record: dict[str, Any] = {
        "attempt": attempt_id,
        "outcome": result.outcome.value,
        "orderId": result.order_id,
        "message": result.message[:_MESSAGE_CHARS],
        "serverMessage": result.server_message[:_MESSAGE_CHARS],
        "httpStatus": result.http_status,
    }
    data = json.dumps(record).encode("ascii")
    if len(data) > NOTE_BYTES:
        return False
    try:
        with open(_note(history_path, attempt_id), "r+b") as stream:
            stream.write(data.ljust(NOTE_BYTES))
            stream.flush()
            os.fsync(stream.fileno())
    except OSError:
        return False
    return True


def drop(history_path: Path, attempt_id: int) -> None:
    try:
        _note(history_path, attempt_id).unlink()
    except OSError:
        return


def _status(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def pending(history_path: Path) -> list[tuple[int, SendResult | None]]:
    """Each note beside ``history_path``: its attempt, and the outcome kept (None: empty)."""
    from desktop_app.api.outcome import Outcome, SendResult

    folder = history_path.parent / FOLDER
    if folder.is_symlink():  # notes are the home's own, never read from elsewhere
        return []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found: list[tuple[int, SendResult | None]] = []
    for name in names:
        stem = name.removeprefix("attempt-").removesuffix(".json")
        if not stem.isdigit() or not name.startswith("attempt-"):
            continue
        try:
            text = (folder / name).read_text("ascii").strip()
            record = json.loads(text) if text else None
            result = (
                SendResult(
                    Outcome(record["outcome"]),
                    str(record["message"]) + LATE,
                    order_id=str(record["orderId"]),
                    server_message=str(record["serverMessage"]),
                    http_status=_status(record["httpStatus"]),
                )
                if record is not None
                else None
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # damaged or being written: left for the next start
        found.append((int(stem), result))
    return found


def record_pending(history: Recorder) -> None:
    """Put the outcomes kept in notes into ``history``; drop the notes of attempts that are over.

    An attempt still "sending" with an empty note may be another Order Desk's
    send in flight: its note is left alone.
    """
    for attempt_id, result in pending(history.path):
        try:
            if result is not None:
                history.finish(attempt_id, result, only_if_sending=True)
            elif history.still_sending(attempt_id):
                continue
        except OSError:  # HistoryError is one: still cannot write, the notes wait
            return
        drop(history.path, attempt_id)
