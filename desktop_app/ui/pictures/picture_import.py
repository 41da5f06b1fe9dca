"""Loading a folder of pictures off the GUI thread, with a progress dialog and Cancel.

The work itself is the core's :func:`~desktop_app.draft.picture_folder.read_named_pictures`
(the app's one picture-folder rule: listing, matching, and normalising in
worker processes, one per core); here it runs on a background task that only
waits for the workers and passes their progress on, so the window keeps
painting.  Cancel changes nothing: the pictures loaded so far are let go, so
there is no half-done step to undo.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop_app.draft.picture_folder import NamedPictures, read_named_pictures
from desktop_app.ui.common.tasks import Task, TaskContext, run_task

SHOW_AFTER_MS = 400  # a quick load never flashes a dialog
CANCEL_NOTE = "Cancel changes nothing: pictures loaded so far are let go."


class PictureLoader(QObject):
    """Lists dropped paths and normalises the pictures named ``username@domain``, in the background.

    One load at a time, run as a :func:`~desktop_app.ui.common.tasks.run_task` task.

    Signals:
        progress(int, int): named files done, in all, in the GUI thread.
        finished(object): the :class:`NamedPictures`, in the GUI thread, once per load.
    """

    progress = Signal(int, int)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: Task[tuple[int, int], NamedPictures] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, paths: Sequence[Path], keys: Collection[str]) -> None:
        """Load the pictures in ``paths`` named for one of ``keys`` (canonical mailbox keys)."""
        if self._task is not None:
            raise RuntimeError("pictures are already loading")
        wanted, named = list(paths), frozenset(keys)

        def load(task: TaskContext[tuple[int, int]]) -> NamedPictures:
            return read_named_pictures(
                wanted,
                named,
                on_progress=lambda done, total: task.report((done, total)),
                cancelled=lambda: task.cancelled,
                background=True,
            )

        self._task = run_task(
            self,
            load,
            on_progress=self._on_task_progress,
            on_result=self._on_task_result,
            on_error=self._on_task_error,
            name="picture-load",
        )

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def wait(self) -> None:
        """Cancel, and wait for the workers to stop, reporting nothing (closing the window)."""
        task, self._task = self._task, None
        if task is not None:
            task.stop()

    def _on_task_progress(self, counts: tuple[int, int]) -> None:
        self.progress.emit(*counts)

    def _on_task_result(self, loaded: NamedPictures) -> None:
        self._task = None
        self.finished.emit(loaded)

    def _on_task_error(self, _error: BaseException) -> None:
        # The workers could not start (no processes left, no memory); the crash log has why.
        note = "The pictures could not be loaded: no worker started."
        self._on_task_result(NamedPictures(warnings=[note], found=1))  # found: not "no picture"


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
