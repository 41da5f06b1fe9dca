"""Sending plugged into the real order window through its hooks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from send_support import memory_key_store as memory_store
from send_support import small_order

from desktop_app.api.sender import Outcome
from desktop_app.practice.server import Fault
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.history.history_pane import HistoryColumn
from desktop_app.ui.send import integration
from desktop_app.ui.send.controller import KEYRING_WAIT
from desktop_app.ui.send.sending_settings import SendingSettingsWidget
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui


def memory_key_store():
    """The window's own key store would be the machine's keyring: use one in this process."""
    return memory_store()


@pytest.fixture
def installed(window):
    controller = integration.install_sending(window, memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    yield window, controller
    controller.shutdown()


def test_the_window_gets_the_key_group_history_and_send(installed):
    window, controller = installed
    group = window.settings_pane.api_key_group
    assert group.findChild(SendingSettingsWidget) is controller.settings_widget
    tabs = window.bottom_tabs
    assert tabs.tabText(tabs.indexOf(controller.history_pane)) == "History"
    assert window.window_actions.send.isEnabled()
    assert not controller.practice.on


def test_send_from_the_window_in_practice_mode(qtbot, installed):
    window, controller = installed
    window.practice_action.setChecked(True)
    assert controller.practice.on and controller.settings_widget.practice.isChecked()
    window.request_send()
    review = controller.review_dialog
    assert review.isVisible() and review.plans[0].order is window.document.order
    with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
        qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
        assert not window.window_actions.send.isEnabled()  # one send at a time
    [outcome] = sent.args[0]
    result = outcome.result
    assert result.outcome is Outcome.CREATED
    where = controller.result_dialog.findChild(QLabel, "where").text()
    assert "practice server: nothing was bought" in where
    assert window.window_actions.send.isEnabled()
    model = controller.history_pane.model
    assert model.index(0, HistoryColumn.ORDER_ID).data() == result.order_id
    window.practice_action.setChecked(False)
    assert controller.practice.server is None


def test_closing_the_window_waits_for_the_send(qtbot, installed):
    window, controller = installed
    controller.set_practice(True)
    controller.practice.server.fail_next(Fault.SLOW)
    controller.practice.server.set_slow_seconds(120)
    window.request_send()
    with qtbot.waitSignal(
        controller.runner.progress,
        timeout=10_000,
        check_params_cb=lambda s, t, label: label.startswith("Waiting"),
    ):
        qtbot.mouseClick(controller.review_dialog.send_button, Qt.MouseButton.LeftButton)
    window.close()
    assert not controller.runner.busy
    assert controller.history_pane.history.attempts()[0].outcome == "unknown"


def test_a_window_opened_in_practice_mode_starts_the_practice_server(qtbot):
    window = MainWindow(practice=True)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = integration.install_sending(window, memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    try:
        assert controller.practice.on and window.practice_action.isChecked()
        assert controller.destination().base_url == controller.practice.base_url
        assert controller.destination().practice and controller.practice.key == "practice-key"
    finally:
        controller.shutdown()


def test_the_sample_draft_in_practice_mode_ends_with_its_order_id_in_history(qtbot):
    from desktop_app.services.paths import sample_draft
    from desktop_app.ui.window.app import build_window

    window, problem = build_window(sample_draft(), practice=True, remember=False)
    assert problem is None
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    controller = window.sending
    try:
        window.show()
        window.window_actions.send.trigger()
        review = controller.review_dialog
        assert review.plans[0].errors == 0 and review.send_button.isEnabled()
        with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
            qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
        [outcome] = sent.args[0]
        result = outcome.result
        assert result.outcome is Outcome.CREATED
        received = controller.practice.server.last_request
        assert len(received.files) == len(window.document.order.mailboxes)
        window.bottom_tabs.setCurrentWidget(controller.history_pane)
        model = controller.history_pane.model
        assert model.index(0, HistoryColumn.ORDER_ID).data() == result.order_id
    finally:
        controller.shutdown()


def test_a_narrow_settings_column_never_cuts_its_fields_off(qtbot, installed):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

    window, _controller = installed
    window.resize(1280, 800)
    pane = window.settings_pane
    window.splitters["columns"].setSizes([120, 900, 360])  # dragged as far left as it goes
    qtbot.waitUntil(lambda: pane.widget().width() <= pane.viewport().width())
    content = pane.widget()
    checked = []
    for child in content.findChildren(QWidget):
        if isinstance(child, (QLabel, QLineEdit, QPushButton)) and child.isVisibleTo(content):
            right = child.mapTo(content, QPoint(child.width(), 0)).x()
            assert right <= pane.viewport().width(), child.objectName() or child.text()
            checked.append(child.objectName())
    # It looked at the fields that matter, not at an empty column.
    assert {"baseUrl", "keyEntry", "saveKey"} <= set(checked), checked
    assert len(checked) >= 10


def test_the_problems_pane_warns_about_what_was_already_ordered(qtbot, installed):
    window, controller = installed
    window.document.replace(small_order(2), None)
    window.practice_action.setChecked(True)
    pane = window.problems_pane
    assert not any("already ordered" in p.message for p in pane.all_problems)
    window.request_send()
    with qtbot.waitSignal(controller.sent, timeout=15_000):
        qtbot.mouseClick(controller.review_dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("already ordered" in p.message for p in pane.all_problems))
    [domain] = [p for p in pane.all_problems if p.table.value == "domains" and p.row == 0]
    assert domain.message.startswith("example.com was already ordered: order ")
    # Read once and kept: typing does not query History again.
    calls = []
    original = controller.history.bought
    controller.history.bought = lambda *a: calls.append(a) or original(*a)
    for _ in range(3):
        pane.refresh()
    assert calls == []


def test_a_damaged_history_opens_the_window_with_a_banner_and_sends_nothing(
    qtbot, window, app_home
):
    (app_home / "history.sqlite3").write_bytes(b"not a database " * 100)
    controller = integration.install_sending(window, memory_key_store())
    window.environment_switch.confirm_production = lambda _leaving: True
    try:
        window.show()
        qtbot.waitUntil(lambda: window.history_banner.isVisible())
        text = window.history_banner.text.text()
        assert "cannot be used" in text and "Sending is off" in text
        pane = controller.history_pane
        assert "cannot be used" in pane.empty.text()
        controller.set_practice(True)
        assert controller.send_orders([("Spring", small_order(1), "")]) is None
        assert "sent twice" in controller.warning_box.text()
        assert controller.practice.server.requests == []
    finally:
        controller.shutdown()


def test_sending_a_draft_just_opened_checks_every_picture_first_and_sends_nothing_bad(
    qtbot, installed, tmp_path
):
    from factories import save_draft_with_damaged_pixels

    window, controller = installed
    window.practice_action.setChecked(True)
    window.files.open_path(save_draft_with_damaged_pixels(tmp_path / "d.cmrorder"), True)
    window.request_send()  # at once, whether or not the background check has answered
    avatar = window.document.order.mailboxes[1].avatar
    assert avatar.checked and "damaged or truncated" in avatar.problem
    review = controller.review_dialog
    assert "error" in review.plans[0].blocked and not review.send_button.isEnabled()
    assert controller.practice.server.requests == []


def test_the_keyring_message_goes_when_the_key_has_been_read(qtbot, installed):
    window, controller = installed
    controller.key_store.set("production-key-123456")
    window.request_send()
    assert window.statusBar().currentMessage() == KEYRING_WAIT
    qtbot.waitUntil(lambda: controller.review_dialog is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not controller.key_calls.busy)
    assert window.statusBar().currentMessage() == ""
    controller.review_dialog.reject()
