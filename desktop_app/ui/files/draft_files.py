"""Drafts as documents: New, Open, Save, Save As, recent files, CSV import and export.

Every failure is one sentence in a message box and the status bar; nothing
the user typed is lost (a failed open leaves the current draft as it was).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktop_app.order.model import Order
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.files.window_settings import WindowSettings
from desktop_app.ui.tables.commands import InsertRowsCommand

DRAFT_FILTER = "Order Desk drafts (*.cmrorder);;All files (*)"
CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class DraftFiles(QObject):
    """File operations for the window's document.

    ``ask_unsaved`` decides what to do with unsaved changes (``"save"``,
    ``"discard"`` or ``"cancel"``); by default it asks with a message box.

    Signals:
        message(str): what happened, for the status bar.
        recent_changed(): the recent-files list changed.
    """

    message = Signal(str)
    recent_changed = Signal()

    def __init__(self, document: OrderDocument, settings: WindowSettings, window: QWidget) -> None:
        super().__init__(window)
        self.document = document
        self.settings = settings
        self._window = window
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved
        self.last_error = ""

    # --- drafts ---------------------------------------------------------------------------

    def new(self) -> None:
        if self.confirm_discard():
            self.document.replace(Order(), None)
            self.message.emit("New draft.")

    def open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open Draft", self.settings.last_folder(), DRAFT_FILTER
        )
        if path:
            self.open_path(Path(path), confirmed=True)

    def open_path(self, path: Path, confirmed: bool = False, quiet: bool = False) -> str | None:
        """Open the draft at ``path``; returns the sentence saying why not, or None."""
        from desktop_app.draft import draft_file

        if not confirmed and not self.confirm_discard():
            return "Cancelled."
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            # PNG image data is checked in the background: the draft shows at once.
            order = draft_file.load(path, pixels_later=True)
        except draft_file.DraftError as exc:
            if path.resolve() in self.settings.recent_files():
                self.settings.remove_recent(path)  # it is gone or broken: stop offering it
                self.recent_changed.emit()
            return self.fail("Cannot Open Draft", str(exc), quiet)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if _is_bundled(path):
            # The sample that ships with the app is a template: saving must never
            # write over it (nor, frozen, into the app's own folder).
            self.document.replace(order, None)
            self.message.emit(f"Opened {path.name} as a new draft; Save asks where to keep it.")
            return None
        self.document.replace(order, path)
        self._remember(path)
        self.message.emit(f"Opened {path.name}.")
        return None

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = (
            self.document.path
            or Path(self.settings.last_folder()) / f"{self.document.order.name or 'order'}.cmrorder"
        )
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Save Draft As", str(start), DRAFT_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".cmrorder":
            target = target.with_name(target.name + ".cmrorder")
        return self.save_to(target)

    def save_to(self, path: Path) -> bool:
        from desktop_app.draft import draft_file

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            draft_file.save(self.document.order, path)
        except draft_file.DraftError as exc:
            self.fail("Cannot Save Draft", str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.document.set_path(path)
        self.document.mark_saved()
        self.document.mailboxes.refresh_thumbnails()  # saving moved the pictures into the file
        self._remember(path)
        self.message.emit(f"Saved {path.name}.")
        return True

    def confirm_discard(self) -> bool:
        """True when the current draft may be replaced (saved, or the user said so)."""
        if not self.document.is_modified():
            return True
        choice = self.ask_unsaved()
        if choice == SAVE:
            return self.save()
        return choice == DISCARD

    # --- CSV ---------------------------------------------------------------------------------

    def import_domains(self, path: Path | None = None) -> None:
        self._import(path, "Import Domains CSV", "domain", "domains")

    def import_mailboxes(self, path: Path | None = None) -> None:
        self._import(path, "Import Mailboxes CSV", "mailbox", "mailboxes")

    def _import(self, path: Path | None, title: str, noun: str, plural: str) -> None:
        from PySide6.QtWidgets import QFileDialog

        from desktop_app.draft import csv_io

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self._window, title, self.settings.last_folder(), CSV_FILTER
            )
            if not chosen:
                return
            path = Path(chosen)
        self.settings.set_last_folder(path.parent)
        try:
            rows = csv_io.read_domains(path) if noun == "domain" else csv_io.read_mailboxes(path)
        except csv_io.CsvError as exc:
            self.fail("Cannot Import", str(exc))
            return
        model = self.document.domains if noun == "domain" else self.document.mailboxes
        count = len(rows)
        words = f"{count:,} {noun if count == 1 else plural}"
        if rows:
            self.document.push(InsertRowsCommand(model, rows, f"Import {words}"))
        self.message.emit(f"Imported {words} from {path.name}.")

    def export(self, which: str, path: Path | None = None) -> bool:
        """Write the ``"domains"`` or ``"mailboxes"`` CSV."""
        from PySide6.QtWidgets import QFileDialog

        from desktop_app.draft import csv_io

        if path is None:
            start = Path(self.settings.last_folder()) / f"{which}.csv"
            chosen, _ = QFileDialog.getSaveFileName(
                self._window, f"Export {which.capitalize()} CSV", str(start), CSV_FILTER
            )
            if not chosen:
                return False
            path = Path(chosen)
        self.settings.set_last_folder(path.parent)
        try:
            writer = csv_io.write_domains if which == "domains" else csv_io.write_mailboxes
            writer(self.document.order, path)
        except csv_io.CsvError as exc:
            self.fail("Cannot Export", str(exc))
            return False
        self.message.emit(f"Exported the {which} to {path.name}.")
        return True

    # --- helpers ----------------------------------------------------------------------------

    def fail(self, title: str, sentence: str, quiet: bool = False) -> str:
        """Report a failure: a message box (unless ``quiet``) and the status bar."""
        self.last_error = sentence
        self.message.emit(sentence)
        if not quiet:
            from PySide6.QtWidgets import QMessageBox

            from desktop_app.ui.common.plain_text import message_box

            box = message_box(  # the sentence quotes file names and what is wrong inside
                QMessageBox.Icon.Warning,
                title,
                sentence,
                QMessageBox.StandardButton.Ok,
                self._window,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        return sentence

    def _remember(self, path: Path) -> None:
        self.settings.add_recent(path)
        self.settings.set_last_folder(path.parent)
        self.recent_changed.emit()

    def _ask_unsaved(self) -> str:
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.ui.common.plain_text import message_box

        box = message_box(  # the draft's name is a file name: plain text
            QMessageBox.Icon.Warning,
            "Unsaved Changes",
            f"Save the changes to {self.document.display_name()}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self._window,
            informative="Your changes are lost if you don't save them.",
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        for button, text in (
            (QMessageBox.StandardButton.Save, "&Save"),
            (QMessageBox.StandardButton.Discard, "&Don't Save"),
            (QMessageBox.StandardButton.Cancel, "&Cancel"),
        ):
            box.button(button).setText(text)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return DISCARD
        return CANCEL


def _is_bundled(path: Path) -> bool:
    """True for files shipped in the app's ``resources/`` (the sample draft)."""
    from desktop_app.services.paths import resources_dir

    try:
        return path.resolve().is_relative_to(resources_dir().resolve())
    except OSError:
        return False
