"""A window opening in practice mode starts its practice server after the first frame.

Practice mode is on at once (banner, title, switch); the server starts on the
next turn of the event loop, or at once when something needs its address, so a
send asked for straight away goes to the server, never to an empty address.
"""

from __future__ import annotations

import errno

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel
from send_support import memory_key_store

from desktop_app.api.sender import Outcome
from desktop_app.services import practice_env
from desktop_app.services.environments import Environment
from desktop_app.services.paths import sample_draft
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.send import integration
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def starts(monkeypatch) -> list[str]:
    """Each practice server started, by address, as it is started."""
    started: list[str] = []
    start_server = practice_env.start_server

    def counted():
        server = start_server()
        started.append(server.base_url)
        return server

    monkeypatch.setattr(practice_env, "start_server", counted)
    return started


def practice_window(qtbot, messages: list[str]) -> MainWindow:
    """The sample opened in practice mode, as the Quick start does, before any event is handled."""
    window = MainWindow(practice=True, remember=False)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    assert window.files.open_path(sample_draft(), confirmed=True, quiet=True) is None
    window.statusBar().messageChanged.connect(messages.append)
    window.sending = integration.install_sending(window, memory_key_store(), memory_key_store())
    return window


class PaintsOf(QObject):
    """Notes in ``log`` each time ``window`` itself is painted."""

    def __init__(self, window: MainWindow, log: list[str]) -> None:
        super().__init__(window)
        self.log = log
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.parent():
            self.log.append("paint")
        return False


def test_practice_is_on_at_once_and_its_server_starts_after_the_first_frame(
    qtbot, starts, monkeypatch
):
    messages: list[str] = []
    window = practice_window(qtbot, messages)
    controller = window.sending
    log: list[str] = []
    PaintsOf(window, log)
    start_server = practice_env.start_server  # counted by ``starts``
    monkeypatch.setattr(practice_env, "start_server", lambda: log.append("start") or start_server())
    try:
        assert starts == []  # nothing started while the window was built
        assert controller.practice.on and controller.environment is Environment.PRACTICE
        assert window.practice_banner.isVisibleTo(window) and "Practice" in window.windowTitle()
        assert not any("orders go to" in text for text in messages)  # no address yet
        window.show()
        qtbot.waitUntil(lambda: len(starts) == 1)
        assert log[:2] == ["paint", "start"]  # the window was drawn first
        [address] = starts
        assert address.startswith("http://127.0.0.1:")
        assert controller.practice.base_url == address
        said = [text for text in messages if "orders go to" in text]
        assert said == [f"Practice mode: orders go to {address}; nothing is bought."]
    finally:
        controller.shutdown()
    assert controller.practice.server is None


def test_a_send_asked_for_at_once_goes_to_the_practice_server(qtbot, starts):
    window = practice_window(qtbot, [])
    controller = window.sending
    try:
        window.show()
        window.window_actions.send.trigger()  # before the event loop has turned once
        review = controller.review_dialog
        assert review is not None and review.isVisible() and review.send_button.isEnabled()
        [address] = starts  # started there and then, for this send
        assert address in review.findChild(QLabel, "destination").text()
        with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
            qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
        [outcome] = sent.args[0]
        assert outcome.result.outcome is Outcome.CREATED
        server = controller.practice.server
        assert server is not None and server.base_url == address
        received = server.last_request
        assert received is not None and received.user_id == window.document.order.user_id
        assert received.order_id == outcome.result.order_id
        qtbot.wait(20)  # the timer that would have started it finds it started
        assert starts == [address]
    finally:
        controller.shutdown()


def test_leaving_practice_before_the_server_starts_starts_none(qtbot, starts):
    window = practice_window(qtbot, [])
    controller = window.sending
    try:
        controller.set_environment(Environment.SANDBOX)
        window.show()
        qtbot.wait(50)
        assert starts == [] and controller.practice.server is None
        assert controller.environment is Environment.SANDBOX and not controller.practice.on
    finally:
        controller.shutdown()


def test_a_server_that_cannot_start_sends_nothing(qtbot, monkeypatch):
    def refused():
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(practice_env, "start_server", refused)
    window = practice_window(qtbot, [])
    controller = window.sending
    try:
        window.show()
        window.window_actions.send.trigger()
        assert controller.review_dialog is None and not controller.runner.busy
        box = controller.warning_box
        assert box is not None and box.windowTitle() == "Cannot Send"
        assert box.text() == "The practice server is not running. Nothing was sent."
        assert controller.environment is Environment.PRODUCTION  # as a failed switch leaves it
        assert not controller.practice.on
    finally:
        controller.shutdown()


def test_what_practice_bought_before_is_warned_about_once_the_server_is_up(qtbot, starts):
    first = practice_window(qtbot, [])
    try:
        first.window_actions.send.trigger()
        with qtbot.waitSignal(first.sending.sent, timeout=15_000):
            qtbot.mouseClick(first.sending.review_dialog.send_button, Qt.MouseButton.LeftButton)
    finally:
        first.sending.shutdown()
    window = practice_window(qtbot, [])  # the same order again, in a new window
    pane = window.problems_pane
    try:
        pane.refresh()
        assert window.sending.practice.starting  # asking what was bought did not start it
        assert not any("already ordered" in p.message for p in pane.all_problems)
        window.show()
        qtbot.waitUntil(lambda: any("already ordered" in p.message for p in pane.all_problems))
        assert len(starts) == 2
    finally:
        window.sending.shutdown()


def test_the_drafting_warnings_are_asked_again_once_the_server_is_up(qtbot, starts):
    from PySide6.QtWidgets import QWidget

    from desktop_app.services.history import History
    from desktop_app.services.settings import Settings
    from desktop_app.ui.send.controller import SendController

    parent = QWidget()
    qtbot.addWidget(parent)
    controller = SendController(parent, Settings(), memory_key_store(), History())
    try:
        controller.set_environment(Environment.PRACTICE, start_later=True)
        assert controller.bought_for("42") == {} and starts == []  # nowhere to look yet
        with qtbot.waitSignal(controller.bought_changed, timeout=5_000):
            controller.practice.start_pending()  # as after the window's first frame
        assert len(starts) == 1 and not controller.practice.starting
    finally:
        controller.shutdown()
