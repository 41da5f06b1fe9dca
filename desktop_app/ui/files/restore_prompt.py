"""After a crash: offer the autosave a window left behind, and restore it into a window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from desktop_app import APP_NAME
from desktop_app.ui.files.autosave import AutosaveController, Orphan, find_orphans

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.document import OrderDocument
    from desktop_app.ui.files.draft_files import DraftFiles


class RestoringWindow(Protocol):
    """What restoring an autosave needs of a window (``MainWindow`` is one)."""

    @property
    def autosave(self) -> AutosaveController: ...

    @property
    def document(self) -> OrderDocument: ...

    @property
    def files(self) -> DraftFiles: ...

    def show_status(self, text: str) -> None: ...

    def restore(self, orphan: Orphan) -> bool: ...


def offer_restore(window: RestoringWindow) -> QMessageBox | None:
    """Ask (without blocking) whether to restore the newest autosave; None when there is none."""
    damaged: list[str] = []
    orphans = find_orphans(window.autosave.folder, damaged)
    if damaged:
        window.show_status(damaged[0])
    if not orphans:
        return None
    orphan, others = orphans[0], orphans[1:]
    for other in others:
        other.release()  # offered at the next start
    from PySide6.QtWidgets import QMessageBox, QWidget

    from desktop_app.ui.common.plain_text import message_box

    box = message_box(  # the autosave is described by its draft's name: plain text
        QMessageBox.Icon.Question,
        "Restore Unsaved Changes?",
        f"{APP_NAME} closed without saving {orphan.describe()}.",
        QMessageBox.StandardButton.NoButton,
        window if isinstance(window, QWidget) else None,
        informative="Restore it now? If you discard it, those changes are gone.",
    )
    restore_button = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button)

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is restore_button:
            window.restore(orphan)
        elif clicked is discard:
            orphan.discard()
        else:
            orphan.release()

    box.finished.connect(answered)
    box.open()
    return box


def restore(window: RestoringWindow, orphan: Orphan) -> bool:
    """Open an autosave in ``window`` as unsaved changes to its original file."""
    from desktop_app.draft import draft_file

    try:
        order = draft_file.load(orphan.draft)
    except draft_file.DraftError as exc:
        orphan.release()
        window.files.fail("Cannot Restore", str(exc))
        return False
    window.document.replace(order, orphan.original, modified=True)
    window.autosave.adopt(orphan)  # from now on this window's autosave is that file
    window.show_status("Restored the unsaved changes. Save to keep them.")
    return True
