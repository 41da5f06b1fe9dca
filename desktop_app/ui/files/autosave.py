"""Autosave: a copy of the open draft under the app's home while it has unsaved changes.

A few seconds after a change, a snapshot of the order is written on a
background thread (a big draft's pictures take a while to write, and typing
must not wait).  Each window's autosave is ``autosave/<session>.cmrorder``
with a ``.json`` note beside it, and the window holds a lock file
``<session>.lock`` for as long as it runs.  A clean exit, or saving the draft,
removes the copy.  After a crash or a kill the lock's process is gone, so the
next start finds the copy and offers to restore it; a copy whose window is
still running is left alone.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from desktop_app.order.avatars import ArchiveSource, DraftArchive
from desktop_app.order.model import GoogleSettings, Order
from desktop_app.services.paths import app_home
from desktop_app.ui.common.tasks import Task, TaskContext, run_task
from desktop_app.ui.document import OrderDocument

AUTOSAVE_DELAY_MS = 3000


def autosave_folder() -> Path:
    folder = app_home() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def snapshot_order(order: Order) -> Order:
    """A copy of ``order`` whose rows can be written on another thread while editing goes on.

    Avatars are immutable and shared; everything the window edits is copied.
    """
    return dataclasses.replace(
        order,
        domains=[copy.copy(entry) for entry in order.domains],
        mailboxes=[copy.copy(mailbox) for mailbox in order.mailboxes],
        google=GoogleSettings(**dataclasses.asdict(order.google)),
        unassigned_avatars=dict(order.unassigned_avatars),
    )


@dataclass
class Orphan:
    """An autosave left behind by a window that did not close cleanly; its lock is now ours."""

    session: str
    draft: Path
    original: Path | None
    saved_at: str
    name: str
    lock: QLockFile

    def describe(self) -> str:
        from datetime import datetime

        try:
            when = datetime.fromisoformat(self.saved_at).astimezone().strftime("%H:%M on %d %B %Y")
        except ValueError:
            when = "an earlier session"
        return f"{self.name} (autosaved at {when})"

    def release(self) -> None:
        self.lock.unlock()

    def discard(self) -> None:
        _remove_files(self.draft.parent, self.session)
        self.lock.unlock()


def find_orphans(folder: Path | None = None, problems: list[str] | None = None) -> list[Orphan]:
    """Autosaves whose window is gone, newest first (each one's lock is taken).

    A note that cannot be read is left as it is, hides no other autosave, and
    is told in ``problems`` (one sentence each) when a list is given.
    """
    folder = folder or autosave_folder()
    orphans = []
    for note in sorted(folder.glob("*.json")):
        session = note.stem
        draft = folder / f"{session}.cmrorder"
        lock = QLockFile(str(folder / f"{session}.lock"))
        lock.setStaleLockTime(0)  # only a dead process makes a lock stale, never its age
        if not lock.tryLock(0):
            continue  # its window is still running
        fields = _read_note(note)
        if isinstance(fields, str):
            lock.unlock()
            if problems is not None:
                problems.append(fields)
            continue
        original, saved_at, name = fields
        orphan = Orphan(session, draft, original, saved_at, name, lock)
        if not draft.exists():
            orphan.discard()
            continue
        orphans.append(orphan)
    orphans.sort(key=lambda o: o.saved_at, reverse=True)
    return orphans


def _read_note(note: Path) -> tuple[Path | None, str, str] | str:
    """``(original, saved_at, name)`` from an autosave's note, or a sentence saying why not."""
    import json

    try:
        info = json.loads(note.read_text(encoding="utf-8"))
    except OSError as exc:
        reason = exc.strerror or exc
        return f"The autosave note {note.name} cannot be read ({reason}); it is left as it is."
    except (ValueError, RecursionError):  # not UTF-8, not JSON
        info = None
    fields = info if isinstance(info, dict) else {}
    original, saved_at, name = (fields.get(key, "") for key in ("original", "saved_at", "name"))
    if not isinstance(info, dict) or not all(
        isinstance(value, str) for value in (original, saved_at, name)
    ):
        return f"The autosave note {note.name} is damaged; it and its draft are left as they are."
    return (Path(original) if original else None), saved_at, name


def _remove_files(folder: Path, session: str) -> None:
    for suffix in (".cmrorder", ".json"):
        with contextlib.suppress(OSError):
            (folder / f"{session}{suffix}").unlink()


def _write_snapshot(order: Order, folder: Path, session: str, note: dict[str, str]) -> str:
    """Write one snapshot and its note (off the GUI thread); a sentence when it failed."""
    import json

    from desktop_app.draft import draft_file

    target = folder / f"{session}.cmrorder"
    try:
        # After a restore the window's own pictures read from this very
        # file: only archives the save itself opened may be closed.
        shared = _archives_of(order)
        draft_file.save(order, target)
        _close_archives_of(order, target, shared)
        with draft_file.atomic_file(folder / f"{session}.json") as stream:
            stream.write(json.dumps(note).encode("utf-8"))
    except draft_file.DraftError as exc:
        return str(exc)
    except OSError as exc:
        return f"The autosave could not be written ({exc.strerror or exc})."
    return ""


def _archives_of(order: Order) -> set[DraftArchive]:
    """The draft archives the order's pictures read from."""
    avatars = [m.avatar for m in order.mailboxes if m.avatar is not None]
    avatars += order.unassigned_avatars.values()
    return {a.source.archive for a in avatars if isinstance(a.source, ArchiveSource)}


def _close_archives_of(order: Order, target: Path, keep: set[DraftArchive]) -> None:
    """Let go of the autosave file the snapshot's pictures were re-bound to by saving.

    ``keep`` are archives the window's draft still reads from (a picture that
    was not re-bound, such as a duplicate address's): they stay open.
    """
    for archive in _archives_of(order) - keep:
        if archive.path == target:
            archive.close()


class AutosaveController(QObject):
    """Keeps the open draft's autosave current, and removes it when it is not needed.

    Signals:
        saved(): an autosave was written.
        failed(str): an autosave could not be written (one sentence).
    """

    saved = Signal()
    failed = Signal(str)

    def __init__(
        self, document: OrderDocument, folder: Path | None = None, delay_ms: int = AUTOSAVE_DELAY_MS
    ) -> None:
        super().__init__(document)
        self.document = document
        self.folder = folder or autosave_folder()
        self.session = os.urandom(16).hex()  # random, like uuid4 (whose import costs start-up)
        self._lock = self._take_lock(self.session)
        self._writer: Task[None, str] | None = None
        self._again = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        document.edited.connect(self._on_document_edited)
        document.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        document.replaced.connect(self._on_document_edited)

    @property
    def draft_path(self) -> Path:
        return self.folder / f"{self.session}.cmrorder"

    def set_delay(self, milliseconds: int) -> None:
        self._timer.setInterval(milliseconds)

    def adopt(self, orphan: Orphan) -> None:
        """Carry on with a restored orphan's autosave (and its lock) as this window's own."""
        self._wait()
        _remove_files(self.folder, self.session)
        self._lock.unlock()
        self.session, self._lock = orphan.session, orphan.lock

    def shutdown(self, keep: bool = False) -> None:
        """Stop, wait for a write in progress, and (unless ``keep``) remove the autosave."""
        self._timer.stop()
        self._wait()
        if not keep:
            _remove_files(self.folder, self.session)
        self._lock.unlock()

    def _take_lock(self, session: str) -> QLockFile:
        lock = QLockFile(str(self.folder / f"{session}.lock"))
        lock.setStaleLockTime(0)
        lock.tryLock(0)
        return lock

    def _wait(self) -> None:
        if self._writer is not None:
            self._writer.wait()  # and its outcome is handled now

    def _on_document_edited(self) -> None:
        if not self.document.is_modified():
            return
        if not self._timer.isActive():
            self._timer.start()

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if clean:
            self._timer.stop()
            self._wait()
            _remove_files(self.folder, self.session)

    def _on_timer_timeout(self) -> None:
        if not self.document.is_modified():
            return
        if self._writer is not None:
            self._again = True
            return
        from datetime import datetime

        document = self.document
        note = {
            "original": str(document.path) if document.path else "",
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "name": document.order.name or document.display_name(),
        }
        order, folder, session = snapshot_order(document.order), self.folder, self.session

        def write(_task: TaskContext[None]) -> str:
            return _write_snapshot(order, folder, session, note)

        self._writer = run_task(
            self,
            write,
            on_result=self._on_writer_result,
            on_error=self._on_writer_error,
            name="autosave",
        )

    def _on_writer_error(self, error: BaseException) -> None:
        # A fault of ours (the crash log has it): said like any other failed write.
        self._on_writer_result(f"The autosave could not be written ({type(error).__name__}).")

    def _on_writer_result(self, error: str) -> None:
        self._writer = None
        if error:
            self.failed.emit(error)
        elif self.document.is_modified():
            self.saved.emit()
        else:
            _remove_files(self.folder, self.session)  # saved for real while this was being written
        if self._again:
            self._again = False
            self._timer.start()
