"""Review → send on a real worker thread → outcome → History, through the controller."""

from __future__ import annotations

import keyring.backends.SecretService
import pytest
from keyring_support import private_bus, silent_secret_service
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from send_support import SECRET_KEY, files_containing, small_order

from desktop_app.api.sender import Outcome
from desktop_app.cli.common import configured_base_url
from desktop_app.practice.server import Fault, PracticeServer
from desktop_app.services.history import History
from desktop_app.services.keystore import NO_ANSWER, KeyStore
from desktop_app.ui.history.history_pane import HistoryColumn
from desktop_app.ui.send.controller import KEYRING_WAIT, NO_KEY

pytestmark = pytest.mark.gui


def send_and_wait(qtbot, controller, orders):
    review = controller.send_orders(orders)
    if review is None and not controller.practice.on:  # the key is read off the GUI thread
        qtbot.waitUntil(lambda: controller.review_dialog is not None)
        review = controller.review_dialog
    assert review is not None and review.isVisible()
    with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
        qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
        assert controller.progress_dialog is not None  # shown while the worker runs
    return [outcome.result for outcome in sent.args[0]]


def test_practice_mode_draft_to_order_id_in_history(qtbot, controller):
    controller.set_practice(True)
    assert controller.settings_widget.practice.isChecked()
    [result] = send_and_wait(qtbot, controller, [("Spring", small_order(3), "/d/spring.cmrorder")])
    assert result.outcome is Outcome.CREATED
    assert controller.practice.server.created_order_ids == [result.order_id]
    dialog = controller.result_dialog
    assert dialog.isVisible() and dialog.findChild(QLineEdit, "orderId").text() == result.order_id
    assert controller.progress_dialog is None
    pane = controller.history_pane
    assert pane.model.index(0, HistoryColumn.ORDER_ID).data() == result.order_id
    assert pane.model.index(0, HistoryColumn.DRAFT).data() == "spring.cmrorder"


def test_sending_to_the_real_address_uses_the_stored_key_and_never_writes_it(
    qtbot, controller, key_store, app_home
):
    key_store.set(SECRET_KEY)
    with PracticeServer(key=SECRET_KEY) as server:
        controller.settings_widget.base_url.setText(server.base_url)
        controller.settings_widget.base_url.editingFinished.emit()
        assert configured_base_url() == server.base_url  # the command line reads it too
        [result] = send_and_wait(qtbot, controller, [("Spring", small_order(1), "")])
        assert result.outcome is Outcome.CREATED and server.created_count == 1
        assert server.last_request.key_accepted
    assert (app_home / "settings.ini").exists() and (app_home / "history.sqlite3").exists()
    assert files_containing(app_home, SECRET_KEY) == []


def test_no_key_says_how_to_get_one_and_sends_nothing(qtbot, controller):
    assert controller.send_orders([("Spring", small_order(1), "")]) is None
    qtbot.waitUntil(lambda: controller.warning_box is not None)
    assert controller.warning_box.text() == NO_KEY
    assert controller.review_dialog is None


def test_a_plain_http_address_is_refused(qtbot, controller, key_store):
    key_store.set("some-key")
    field = controller.settings_widget.base_url
    field.clear()
    qtbot.keyClicks(field, "http://orders.example.com")  # typed, as an operator does
    field.editingFinished.emit()
    assert not controller.settings_widget.url_problem.isHidden()
    assert controller.send_orders([("Spring", small_order(1), "")]) is None
    # Orders go to the saved address only: the refused one typed over it is said, not used.
    assert "only over https" in controller.warning_box.text()
    assert "is not saved" in controller.warning_box.text()
    assert controller.review_dialog is None and not controller.key_calls.busy


def test_cancel_from_the_progress_dialog_after_the_order_went_out(qtbot, controller):
    controller.set_practice(True)
    server = controller.practice.server
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(120)
    review = controller.send_orders([("Spring", small_order(2), "")])
    with qtbot.waitSignal(
        controller.runner.progress,
        timeout=10_000,
        check_params_cb=lambda s, t, label: label.startswith("Waiting"),
    ):
        qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
    progress = controller.progress_dialog
    # While it waits for the answer, the dialog says how much longer it will wait.
    qtbot.waitUntil(lambda: "waiting up to" in progress.time.text())
    with qtbot.waitSignal(controller.sent, timeout=10_000) as sent:
        qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
        assert "outcome unknown" in progress.note.text()
    [outcome] = sent.args[0]
    result = outcome.result
    assert result.outcome is Outcome.UNKNOWN and result.cancelled
    advice = controller.result_dialog.findChild(QLabel, "unknownAdvice")
    assert "Check the CMR dashboard before sending again" in advice.text()
    outcome = controller.history_pane.model.index(0, HistoryColumn.OUTCOME).data()
    assert outcome == "unknown (practice)"  # sent in practice mode


def test_the_same_order_again_is_held_back_until_ticked(qtbot, controller):
    controller.set_practice(True)
    order = small_order(2)
    send_and_wait(qtbot, controller, [("Spring", order, "")])
    review = controller.send_orders([("Spring", order, "")])
    assert review.findChild(QLabel, "alreadySent") is not None
    assert not review.send_button.isEnabled()
    assert controller.practice.server.created_count == 1


def test_shutdown_waits_for_a_send_in_flight(qtbot, controller):
    controller.set_practice(True)
    controller.practice.server.fail_next(Fault.SLOW)
    controller.practice.server.set_slow_seconds(120)
    review = controller.send_orders([("Spring", small_order(1), "")])
    with qtbot.waitSignal(
        controller.runner.progress,
        timeout=10_000,
        check_params_cb=lambda s, t, label: label.startswith("Waiting"),
    ):
        qtbot.mouseClick(review.send_button, Qt.MouseButton.LeftButton)
    controller.shutdown()
    assert not controller.runner.busy and controller.practice.server is None
    assert controller.history_pane.history.attempts()[0].outcome == "unknown"


def test_a_keyring_that_never_answers_is_a_sentence_and_no_frozen_window(
    qtbot, controller, monkeypatch
):
    with private_bus(monkeypatch) as address, silent_secret_service(address):
        controller.key_store = KeyStore(
            keyring.backends.SecretService.Keyring(), environ={}, deadline=1.0
        )
        messages = []
        controller.message.connect(messages.append)
        assert controller.send_orders([("Spring", small_order(1), "")]) is None
        assert messages == [KEYRING_WAIT] and controller.key_calls.busy  # not answered yet
        qtbot.waitUntil(lambda: controller.warning_box is not None, timeout=10_000)
        assert controller.warning_box.text() == f"{NO_ANSWER} Nothing was sent."
        assert controller.warning_box.textFormat() == Qt.TextFormat.PlainText
        assert controller.review_dialog is None


class _HistoryWithABug(History):
    """A history whose check fails in a way nobody planned for: a fault of ours."""

    def check(self):
        raise AttributeError("'NoneType' object has no attribute 'execute'")


def test_a_history_check_that_breaks_turns_sending_off_and_goes_to_the_crash_log(
    qtbot, controller, app_home
):
    controller.history = _HistoryWithABug()
    with qtbot.waitSignal(controller.history_failed, timeout=10_000) as failed:
        controller.check_history()
    assert failed.args == [
        "The send history could not be checked (AttributeError). "
        "Sending is off until it can be used."
    ]
    log = (app_home / "crash.log").read_text(encoding="utf-8")
    assert "'history-check'" in log and "has no attribute 'execute'" in log


def test_a_history_that_cannot_be_used_is_said_without_a_crash_log_entry(
    qtbot, controller, app_home
):
    (app_home / "history.sqlite3").write_bytes(b"not a database " * 100)
    with qtbot.waitSignal(controller.history_failed, timeout=10_000) as failed:
        controller.check_history()
    [text] = failed.args
    assert "cannot be used" in text and text.endswith("Sending is off until it can be used.")
    assert not (app_home / "crash.log").exists()
