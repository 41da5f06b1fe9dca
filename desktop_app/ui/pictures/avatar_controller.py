"""Turns dropped or chosen pictures into avatar changes, one undo step each.

The slots only say *what* was dropped *where*; this controller loads each
picture through the core (which checks and normalises it), matches files
named ``username@domain.<ext>`` to their mailboxes by the core's one
picture-folder rule (``draft/picture_folder.py``, the command line's too),
and reports in a sentence what it did and what it could not use.  A picture
that cannot be used changes nothing.  Several files (a folder) load in
worker processes while the window stays live (``ui/picture_import.py``);
their results become one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.draft.picture_folder import NamedPictures
from desktop_app.order.avatars import (
    Avatar,
    AvatarError,
    avatar_from_bytes,
    avatar_from_file,
)
from desktop_app.order.model import Mailbox, canonical_key_of
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.pictures.named_pictures_step import NamedPicturesCommand, report, step_text
from desktop_app.ui.pictures.picture_import import PictureLoader, PictureProgressDialog
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.commands import EditCellsCommand

PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff);;All files (*)"


class AvatarController(QObject):
    """Loads pictures into mailboxes' avatar slots.

    Signals:
        message(str, bool): what happened, in a sentence or two, and whether it is a warning
            (something could not be used, or nothing was done).
        folder_chosen(str): a folder the user picked pictures from (remembered as the last folder).
        loaded(): a background load of several pictures ended (applied, or cancelled).
    """

    message = Signal(str, bool)
    folder_chosen = Signal(str)
    loaded = Signal()

    def __init__(self, document: OrderDocument, window: QWidget) -> None:
        super().__init__(window)
        self.document = document
        self._window = window
        self.last_folder = ""
        self.loader = PictureLoader(self)
        self.loader.progress.connect(self._on_loader_progress)
        self.loader.finished.connect(self._on_loader_finished)
        self._progress: PictureProgressDialog | None = None
        self._loading = False  # a load whose results are still wanted

    # --- what the slots and buttons ask for ----------------------------------------------

    def set_from_paths(self, keys: Sequence[str], paths: Sequence[str]) -> None:
        """Pictures dropped or chosen: one file onto slots, or several matched by name."""
        given = [Path(p) for p in paths]
        if keys and len(given) == 1 and not given[0].is_dir():
            try:
                avatar = avatar_from_file(given[0])  # checks what the file is, without blocking
            except AvatarError as exc:
                self.message.emit(f"{exc}; nothing was changed.", True)
                return
            self._give(self._mailboxes(keys), avatar)
            return
        self._match_by_name(given)

    def set_from_bytes(self, keys: Sequence[str], data: bytes, name: str) -> None:
        """A picture dropped as data (from a browser or an image editor)."""
        if not keys:
            self.message.emit(
                "Drop the picture on a mailbox's slot (or on a selection of slots).", True
            )
            return
        try:
            avatar = avatar_from_bytes(data, name)
        except AvatarError as exc:
            self.message.emit(f"{exc}; nothing was changed.", True)
            return
        self._give(self._mailboxes(keys), avatar)

    def clear(self, keys: Sequence[str]) -> None:
        mailboxes = [m for m in self._mailboxes(keys) if m.avatar is not None]
        if not mailboxes:
            self.message.emit("Select the slots whose pictures should be removed.", True)
            return
        changes = [(m, "avatar", m.avatar, None) for m in mailboxes]
        count = len(mailboxes)
        self._push(changes, f"Remove {marks.count(count, 'picture')}")
        self.message.emit(f"Removed {marks.count(count, 'picture')}.", False)

    def choose_file(self, keys: Sequence[str]) -> None:
        if not keys:
            self.message.emit("Select the slots to give a picture first.", True)
            return
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self._window, "Choose a Picture", self.last_folder, PICTURE_FILTER
        )
        if path:
            self.folder_chosen.emit(str(Path(path).parent))
            self.set_from_paths(keys, [path])

    def choose_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self._window, "Pictures Named username@domain", self.last_folder
        )
        if folder:
            self.folder_chosen.emit(folder)
            self.set_from_paths([], [folder])

    # --- doing it -------------------------------------------------------------------------

    def _mailboxes(self, keys: Sequence[str]) -> list[Mailbox]:
        wanted = {canonical_key_of(k) for k in keys}
        return [m for m in self.document.order.mailboxes if m.key in wanted]

    def _give(self, mailboxes: list[Mailbox], avatar: Avatar) -> None:
        if not mailboxes:
            self.message.emit("That slot's mailbox no longer exists; nothing was changed.", True)
            return
        changes = [(m, "avatar", m.avatar, avatar) for m in mailboxes]
        if len(mailboxes) == 1:
            self._push(changes, "Set picture")
            self.message.emit(f"Set the picture of {mailboxes[0].email}.", False)
        else:
            self._push(changes, f"Set picture of {len(mailboxes):,} mailboxes")
            self.message.emit(f"Gave {len(mailboxes):,} mailboxes the same picture.", False)

    def _match_by_name(self, paths: list[Path]) -> None:
        """List and load the files named for a mailbox off the GUI thread; apply as one step."""
        if self.loader.busy:
            self.message.emit("Pictures are still loading; wait for them or cancel.", True)
            return
        self._loading = True
        # A dialog only if the load takes a while (the dialog waits a moment to show).
        self._progress = PictureProgressDialog(self._window)
        self._progress.rejected.connect(self.loader.cancel)
        self.loader.start(paths, {m.key for m in self.document.order.mailboxes})

    @property
    def busy(self) -> bool:
        """Whether pictures are loading in the background."""
        return self.loader.busy

    def shutdown(self) -> None:
        """Stop a load in progress, applying nothing (the window is closing)."""
        self._loading = False
        self.loader.wait()
        self._end_progress()

    def _on_loader_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.set_done(done, total)

    def _on_loader_finished(self, loaded: NamedPictures) -> None:
        self._end_progress()
        if not self._loading:
            return
        self._loading = False
        if not loaded.found:
            first = loaded.warnings[:1]
            text = "There is no picture in what was dropped; nothing was changed."
            skipped = loaded.skipped_line()
            self.message.emit(" ".join([text, *first, *([skipped] if skipped else [])]), True)
            self.loaded.emit()
            return
        if loaded.cancelled:
            self.message.emit("Cancelled; nothing was changed.", True)
            self.loaded.emit()
            return
        # Placed by the table as it is now: it may have changed while the pictures loaded.
        placed = loaded.placements(self.document.order)
        if placed.avatars or placed.kept:
            self.document.push(NamedPicturesCommand(self.document, placed, step_text(placed)))
        warn = bool(placed.kept or loaded.warnings or not placed.avatars)
        self.message.emit(report(loaded, placed), warn)
        self.loaded.emit()

    def _end_progress(self) -> None:
        if self._progress is not None:
            self._progress.end()
            self._progress = None

    def _push(
        self, changes: Sequence[tuple[Mailbox, str, Avatar | None, Avatar | None]], text: str
    ) -> None:
        self.document.push(EditCellsCommand(self.document.mailboxes, changes, text))
