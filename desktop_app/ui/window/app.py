"""Starting the window: ``order-desk open [FILE] [--screenshot PNG] [--practice]``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from desktop_app import APP_ID, APP_NAME
from desktop_app.services.paths import resource
from desktop_app.ui.common.window_fit import DEFAULT_SIZE
from desktop_app.ui.window.main_window import MainWindow

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNREADABLE = 2
_SETTLE_ROUNDS = 200  # enough event-loop rounds for every visible thumbnail to load
_MIN_ROUNDS = 3
# Set to 1, the window prints "shown" once it is on screen and the event loop
# is idle, then quits: how the start-up benchmark knows the window is ready.
QUIT_WHEN_IDLE_ENV = "ORDER_DESK_QUIT_WHEN_IDLE"


def application() -> QApplication:
    """The running QApplication, made (with the app's name and icon) when there is none."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_ID])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    icon = resource("icon.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def build_window(
    draft: Path | None, practice: bool = False, remember: bool = True
) -> tuple[MainWindow, str | None]:
    """The window with ``draft`` opened; the second value says why the draft could not be."""
    window = MainWindow(practice=practice, remember=remember)
    problem = None
    if draft is not None:
        problem = window.files.open_path(Path(draft), confirmed=True, quiet=True)
    from desktop_app.ui.send.integration import install_sending

    window.sending = install_sending(window)
    return window, problem


def run_window(draft: Path | None, screenshot: Path | None = None, practice: bool = False) -> int:
    """Open the window (with ``draft``) and run until it closes, or render it to ``screenshot``.

    A draft that cannot be read still opens the window, with one sentence in
    a message box; with ``screenshot`` the sentence goes to stderr and the
    exit code is 2.
    """
    app = application()
    window, problem = build_window(draft, practice=practice, remember=screenshot is None)
    if screenshot is not None:
        try:
            if problem is not None:
                print(problem, file=sys.stderr)
                return EXIT_UNREADABLE
            # A picture should show the key's state, not "Checking…": the keyring is asked
            # now, in the background, while the window shows and paints.
            key_answer = _KeyAnswer(window)
            return render_screenshot(window, Path(screenshot), key_answer.wait)
        finally:
            window.autosave.shutdown()
            window.deleteLater()
    window.show()
    if problem is not None:
        window.files.fail("Cannot Open Draft", problem)
    else:
        QTimer.singleShot(0, window.offer_restore)
    if os.environ.get(QUIT_WHEN_IDLE_ENV) == "1":
        QTimer.singleShot(0, lambda: _report_idle(app))
    return app.exec()


def _report_idle(app: QApplication) -> None:
    # A zero-delay timer fires once every pending event (the first paint included) is handled.
    print("shown", flush=True)
    app.quit()


class _KeyAnswer(QObject):
    """The key indicator's first answer from the keyring, asked for at once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._loop: QEventLoop | None = None
        self.answered = window.sending is None
        if window.sending is not None:
            key_widget = window.sending.settings_widget.key_widget
            self._deadline_ms = int((key_widget.store.deadline + 1) * 1000)
            key_widget.checked.connect(self._on_key_widget_checked)
            key_widget.refresh()

    def _on_key_widget_checked(self) -> None:
        self.answered = True
        if self._loop is not None:
            self._loop.quit()

    def wait(self) -> None:
        """Run the event loop until the answer is shown (or the key store's deadline passed)."""
        if self.answered:
            return
        self._loop = QEventLoop()
        QTimer.singleShot(self._deadline_ms, self._loop.quit)
        self._loop.exec()
        self._loop = None


def render_screenshot(
    window: MainWindow, path: Path, wait: Callable[[], None] = lambda: None
) -> int:
    """Show ``window`` offscreen, let visible thumbnails load, and save it as a PNG.

    ``wait`` runs once the window has settled, for what must be shown before
    the picture is taken.  Offscreen, always at the default size (the README's
    picture), whatever screen the offscreen platform pretends to have; on a
    real (or virtual X) screen, at the size the window opens at there.
    """
    if QGuiApplication.platformName() == "offscreen":
        window.resize(DEFAULT_SIZE)
    window.show()
    _settle(window)  # showing paints the window, and painting asks for the visible thumbnails
    wait()
    _settle(window)
    image = window.grab()  # once: every grab paints the whole window again
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"{path} cannot be written ({exc.strerror or exc}).", file=sys.stderr)
        return EXIT_FAILED
    if not image.save(str(path), "PNG"):
        print(f"{path} cannot be written.", file=sys.stderr)
        return EXIT_FAILED
    window.hide()
    return EXIT_OK


def _settle(window: MainWindow) -> None:
    """Handle events until layouts have settled and no visible thumbnail is still being made."""
    for round_ in range(_SETTLE_ROUNDS):
        QCoreApplication.processEvents()  # layouts settle (some over a few rounds)
        if round_ >= _MIN_ROUNDS and not window.document.thumbnails.pending():
            break
