"""The draft open in the window: the order, its file, its undo history and its problems."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop_app.order.model import Order
from desktop_app.order.order_fields import BY_ATTRIBUTE, get_value, put_value
from desktop_app.ui.tables.commands import SetFieldCommand
from desktop_app.ui.tables.problem_index import Dirty, ProblemIndex
from desktop_app.ui.tables.table_models import DomainTableModel, MailboxTableModel
from desktop_app.ui.tables.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from desktop_app.order.avatars import Avatar
    from desktop_app.ui.common.tasks import Task

PROBLEMS_DELAY_MS = 120  # the Problems list follows edits closely, without rebuilding per keystroke


def field_value(order: Order, name: str) -> Any:
    """The order field at dotted attribute path ``name`` (see ``order.order_fields``)."""
    return get_value(order, BY_ATTRIBUTE[name])


class OrderDocument(QObject):
    """The open draft and everything that follows its edits.

    Every change goes through :attr:`undo_stack`; the table models write the
    core lists, and :attr:`problems` is kept current row by row.

    Signals:
        replaced(): another order was loaded (New, Open, restore); views reset.
        edited(): the order changed (an edit, undo or redo).
        fields_changed(): a provider or order option changed; panes refresh their fields.
        problems_changed(): the full problem list may differ (debounced after edits).
        path_changed(): the file the draft is saved to changed.
    """

    replaced = Signal()
    edited = Signal()
    fields_changed = Signal()
    problems_changed = Signal()
    path_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Generate Mailboxes fills the selected domains, not all: the operator chose it
        # for this draft (forgotten when another draft opens).
        self.generate_for_selected = False
        self.order = Order()
        self.path: Path | None = None
        self.problems = ProblemIndex(self.order)
        self.undo_stack = QUndoStack(self)
        self.thumbnails = ThumbnailCache(parent=self)
        self.domains = DomainTableModel(self)
        self.mailboxes = MailboxTableModel(self)
        self._problems_timer = QTimer(self, singleShot=True, interval=PROBLEMS_DELAY_MS)
        self._problems_timer.timeout.connect(self.problems_changed)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.thumbnails.ready.connect(self.mailboxes.refresh_thumbnails)
        self._picture_task: Task[None, None] | None = None

    # --- the whole draft ------------------------------------------------------------------

    def replace(self, order: Order, path: Path | None, modified: bool = False) -> None:
        """Show ``order`` (loaded from ``path``) instead of the current one; history is cleared."""
        self.undo_stack.clear()
        self.order = order
        self.generate_for_selected = False
        self.problems.reset(order)
        self.thumbnails.clear()
        self.domains.reset()
        self.mailboxes.reset()
        self.set_path(path)
        if modified:
            self.undo_stack.resetClean()
        self.replaced.emit()
        self.fields_changed.emit()
        self.problems_changed.emit()
        self._check_pictures()

    # --- pictures opened with their image data still to check -----------------------------

    def _check_pictures(self) -> None:
        """Check, off the GUI thread, the pictures the draft opened without checking.

        A picture that fails becomes a problem of its row; sending checks
        whatever is still unchecked first (:meth:`finish_picture_checks`).
        """
        from desktop_app.ui.common.tasks import TaskContext, run_task

        if self._picture_task is not None:
            self._picture_task.cancel()
            self._picture_task = None
        order = self.order
        pending = [a for a in _avatars(order) if a is not None and not a.checked]
        if not pending:
            return

        def check(task: TaskContext[None]) -> None:
            for avatar in pending:
                if task.cancelled:
                    return
                if avatar.pixels is not None:
                    avatar.pixels.run()

        self._picture_task = run_task(
            self,
            check,
            on_result=lambda _none: self._pictures_checked(order),
            on_error=lambda _error: None,  # in the crash log; sending checks them again
            name="picture-checks",
        )

    def checking_pictures(self) -> bool:
        """Whether pictures of the draft are being checked in the background now."""
        return self._picture_task is not None

    def finish_picture_checks(self) -> int:
        """Check now every picture still unchecked (before a send); returns how many fail."""
        from desktop_app.order.avatars import finish_checks

        failing = finish_checks(_avatars(self.order))
        self._pictures_checked(self.order)
        return failing

    def _pictures_checked(self, order: Order) -> None:
        self._picture_task = None
        if order is not self.order:
            return  # another draft was opened meanwhile
        failing = [
            m for m in order.mailboxes if m.avatar is not None and m.avatar.problem is not None
        ]
        if failing:
            self.refresh_marks(self.problems.mailboxes_changed(failing), ())
        self.problems_changed.emit()

    def set_path(self, path: Path | None) -> None:
        if path != self.path:
            self.path = path
            self.path_changed.emit()

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    def display_name(self) -> str:
        """The file's name; before the first save, the order's own name (the sample's is
        "Sample order"), else "Untitled"."""
        if self.path is not None:
            return self.path.name
        return " ".join(self.order.name.split()) or "Untitled"

    # --- changes -----------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def set_field(self, name: str, value: Any) -> None:
        """Change an order field as an undo step (typing in one field merges)."""
        old = field_value(self.order, name)
        if old == value:
            return
        self.push(
            SetFieldCommand(self.apply_field, name, old, value, f"Change {BY_ATTRIBUTE[name].undo}")
        )

    def apply_field(self, name: str, value: Any) -> None:
        put_value(self.order, name, value)
        self.problems.fields_changed()
        self.fields_changed.emit()
        self._problems_timer.start()

    def refresh_marks(self, dirty: Dirty, skip: Iterable[int]) -> None:
        """Repaint rows whose problems changed because of an edit elsewhere."""
        skipped = set(skip)
        self.domains.refresh_marks(o for i, o in dirty.domains.items() if i not in skipped)
        self.mailboxes.refresh_marks(o for i, o in dirty.mailboxes.items() if i not in skipped)
        self._problems_timer.start()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        self.edited.emit()


def _avatars(order: Order) -> Iterator[Avatar | None]:
    yield from (m.avatar for m in order.mailboxes)
    yield from order.unassigned_avatars.values()
