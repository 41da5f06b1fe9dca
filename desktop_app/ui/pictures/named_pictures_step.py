"""Pictures read by the picture-folder rule, applied to the open draft as one undo step.

The rule itself (which file wins, what is kept unassigned, what is a
warning) is the core's :mod:`desktop_app.draft.picture_folder`; the command
line applies the same result directly.  Here its placements become one undo
step, and the result becomes the sentence the avatar pane's banner shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from desktop_app.draft.picture_folder import NamedPictures, Placements
from desktop_app.order.avatars import Avatar
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.commands import EditStep
from desktop_app.ui.tables.problem_index import Dirty

WARNINGS_SHOWN = 5  # the banner quotes this many warnings in full, then counts the rest
UNASSIGNED_SHOWN = 3


class NamedPicturesCommand(QUndoCommand):
    """Pictures given to mailboxes and pictures kept unassigned, as one undo step."""

    def __init__(self, document: OrderDocument, placed: Placements, text: str) -> None:
        super().__init__(text)
        self._document = document
        self._edit = EditStep(
            document.mailboxes, [(m, "avatar", m.avatar, a) for m, a in placed.avatars]
        )
        # The order's own dict is changed in place: whoever holds it sees the change.
        self._unassigned = document.order.unassigned_avatars
        self._before = dict(self._unassigned)
        self._after = dict(placed.unassigned)

    def redo(self) -> None:
        self._edit.redo()
        self._set_unassigned(self._after)

    def undo(self) -> None:
        self._set_unassigned(self._before)
        self._edit.undo()

    def _set_unassigned(self, pictures: dict[str, Avatar]) -> None:
        if self._unassigned == pictures:
            return
        self._unassigned.clear()
        self._unassigned.update(pictures)
        self._document.refresh_marks(Dirty(), ())  # the Problems list names unassigned pictures


def step_text(placed: Placements) -> str:
    """The undo step's words: ``Set 3 pictures``, or ``Keep 1 unassigned picture``."""
    if placed.avatars:
        return f"Set {marks.count(len(placed.avatars), 'picture')}"
    return f"Keep {marks.count(len(placed.kept), 'unassigned picture')}"


def report(loaded: NamedPictures, placed: Placements) -> str:
    """What the banner says after the pictures are applied: one paragraph, no line breaks."""
    count = len(placed.avatars)
    parts = [f"Set {marks.count(count, 'picture')}." if count else "No picture was set."]
    if placed.kept:
        names = [p.file for p in placed.kept]
        more = " …" if len(names) > UNASSIGNED_SHOWN else ""
        shown = ", ".join(names[:UNASSIGNED_SHOWN]) + more
        kept = len(names)
        parts.append(
            f"{marks.count(kept, 'picture')} matched no mailbox and "
            f"{'is' if kept == 1 else 'are'} kept as unassigned (see Problems): {shown}."
        )
    parts += _warnings(loaded.warnings)
    skipped = loaded.skipped_line()
    if skipped:
        parts.append(skipped)
    return " ".join(parts)


def _warnings(warnings: Sequence[str]) -> list[str]:
    shown = list(warnings[:WARNINGS_SHOWN])
    more = len(warnings) - len(shown)
    if more:
        shown.append(f"(And {marks.count(more, 'more file')} like these.)")
    return shown
