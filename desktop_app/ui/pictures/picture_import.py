"""Loading a folder of pictures off the GUI thread, with a progress dialog and Cancel.

The work itself is the core's :func:`~desktop_app.draft.picture_folder.read_named_pictures`
(the app's one picture-folder rule: listing, matching, and normalising in
worker processes, one per core); here
it runs on a ``QThread`` that only waits for the workers and passes their
progress on, so the window keeps painting.  Cancel changes nothing: the
pictures loaded so far are let go, so there is no half-done step to undo.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop_app.draft.picture_folder import NamedPictures, read_named_pictures

SHOW_AFTER_MS = 400  # a quick load never flashes a dialog
CANCEL_NOTE = "Cancel changes nothing: pictures loaded so far are let go."


class PictureLoadWorker(QObject):
    """Lists dropped paths and normalises the pictures named ``username@domain``, on its own thread.

    Signals:
        progress(int, int): named files done, named files in all.
        finished(object): the :class:`NamedPictures`, always emitted once.
    """

    progress = Signal(int, int)
    finished = Signal(object)

    def __init__(self, paths: Sequence[Path], keys: Collection[str]) -> None:
        super().__init__()
        self._paths = list(paths)
        self._keys = frozenset(keys)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            loaded = read_named_pictures(
                self._paths,
                self._keys,
                on_progress=self.progress.emit,
                cancelled=self._cancel.is_set,
                background=True,
            )
        except Exception:  # the workers could not start (no processes left, no memory)
            note = "The pictures could not be loaded: no worker started."
            loaded = NamedPictures(warnings=[note], found=1)  # found: not "no picture"
        self.finished.emit(loaded)


class PictureLoader(QObject):
    """Owns the thread a :class:`PictureLoadWorker` runs on; one load at a time.

    Signals:
        progress(int, int): named files done, in all, in the GUI thread.
        finished(object): the :class:`NamedPictures`, in the GUI thread.
    """

    progress = Signal(int, int)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: PictureLoadWorker | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, paths: Sequence[Path], keys: Collection[str]) -> None:
        """Load the pictures in ``paths`` named for one of ``keys`` (canonical mailbox keys)."""
        if self._thread is not None:
            raise RuntimeError("pictures are already loading")
        thread = QThread(self)
        thread.setObjectName("picture-load")
        worker = PictureLoadWorker(paths, keys)
        worker.moveToThread(thread)
        worker.progress.connect(self.progress)
        worker.finished.connect(self._on_worker_finished)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def wait(self) -> None:
        """Cancel, and wait for the workers to stop (closing the window does this)."""
        thread = self._thread
        if thread is None:
            return
        self.cancel()
        thread.quit()
        thread.wait()
        self._release()

    @Slot(object)
    def _on_worker_finished(self, loaded: NamedPictures) -> None:
        thread = self._thread
        if thread is None:
            return  # wait() already ended this load (the window is closing)
        thread.quit()
        thread.wait()
        self._release()
        self.finished.emit(loaded)

    def _release(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = None


class PictureProgressDialog(QDialog):
    """A count ("Loading 120 of 5,000 pictures…"), a bar and Cancel, shown only after a moment.

    Signals: ``rejected`` (QDialog's) when the operator cancels.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Loading Pictures")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.count_label = QLabel("Looking for pictures…")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the folder is listed and the count known
        self.bar.setTextVisible(False)
        note = QLabel(CANCEL_NOTE)
        note.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.bar)
        layout.addWidget(note)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self.show)
        self._show_timer.start(SHOW_AFTER_MS)

    def set_done(self, done: int, total: int) -> None:
        self.count_label.setText(f"Loading {done:,} of {total:,} pictures…")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def end(self) -> None:
        """The load finished: never show, or close."""
        self._show_timer.stop()
        self.hide()
        self.deleteLater()
