"""Check status and Refresh all from History, in the background, over loopback."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget
from send_support import memory_key_store, serve_on_loopback, small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import build_request
from desktop_app.services.history import History, SendPart
from desktop_app.services.settings import BASE_URL, SANDBOX_BASE_URL, Settings
from desktop_app.ui.history.history_pane import HistoryColumn
from desktop_app.ui.send import integration

pytestmark = pytest.mark.gui

SANDBOX_KEY = "sandbox-key-123456"


@pytest.fixture
def installed(window):
    sandbox_keys = memory_key_store()
    sandbox_keys.set(SANDBOX_KEY)
    controller = integration.install_sending(window, memory_key_store(), sandbox_keys)
    yield window, controller
    controller.shutdown()


def record(base_url, order_id, environment="sandbox", user_id="42", outcome=Outcome.CREATED):
    """An attempt in History, its environment configured with the address it went to."""
    if environment in ("sandbox", "production"):
        option = SANDBOX_BASE_URL if environment == "sandbox" else BASE_URL
        Settings().set(option, base_url)
    request = build_request(small_order(1, user_id=user_id), base_url)
    result = SendResult(outcome, "Order created.", order_id=order_id)
    return History().record(request, result, SendPart(environment=environment))


def send_in_practice(qtbot, window, controller):
    window.practice_action.setChecked(True)
    window.request_send()
    with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
        qtbot.mouseClick(controller.review_dialog.send_button, Qt.MouseButton.LeftButton)
    controller.result_dialog.reject()
    return sent.args[0][0].result.order_id


def select_row(pane, row):
    pane.view.selectRow(row)
    return pane.model.attempts[row]


def check_selected(qtbot, controller):
    pane = controller.history_pane
    with qtbot.waitSignal(controller.status_checks.answered, timeout=15_000) as answered:
        qtbot.mouseClick(pane.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not controller.status_checks.busy)
    return answered.args[1]


def test_check_status_shows_the_answer_and_history_keeps_it(qtbot, installed):
    window, controller = installed
    order_id = send_in_practice(qtbot, window, controller)
    pane = controller.history_pane
    assert not pane.check_button.isEnabled()  # nothing selected
    select_row(pane, 0)
    assert pane.check_button.isEnabled()
    answer = check_selected(qtbot, controller)
    assert answer.ok
    dialog = controller.status_checks.dialog
    assert dialog.isVisible()
    message = dialog.findChild(QLabel, "statusMessage")
    assert message.text() == answer.message and message.textFormat() == Qt.TextFormat.PlainText
    fields = {
        dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i).text(1)
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert fields["orderId"] == order_id and fields["status"] == "pending"
    tables = dialog.findChildren(QTableWidget)
    assert len(tables) == 2  # the domains and the mailboxes, a row each
    headers = [tables[0].horizontalHeaderItem(c).text() for c in range(tables[0].columnCount())]
    assert headers == ["domain", "status"]
    domains = [d.domain for d in window.document.order.domains]
    assert [tables[0].item(r, 0).text() for r in range(tables[0].rowCount())] == domains
    assert json.loads(dialog.raw.toPlainText())["data"]["orderId"] == order_id
    assert dialog.tabs.tabText(1) == "Raw JSON"
    assert pane.model.index(0, HistoryColumn.STATUS).data() == "pending"
    assert pane.model.index(0, HistoryColumn.CHECKED).data()
    [attempt] = History().attempts()
    assert attempt.status_text == "pending" and attempt.status_raw == answer.raw
    controller.practice.server.advance(120)
    select_row(pane, 0)
    assert check_selected(qtbot, controller).headline == "completed"
    assert pane.model.index(0, HistoryColumn.STATUS).data() == "completed"


@pytest.mark.qt_log_ignore("This plugin does not support")  # a popup, offscreen
def test_the_context_menu_offers_check_status_for_a_created_order(qtbot, installed):
    window, controller = installed
    record("http://127.0.0.1:9", "", outcome=Outcome.NOT_CREATED)  # created nothing
    order_id = send_in_practice(qtbot, window, controller)
    pane = controller.history_pane
    # A right click on the second row opens that row's menu: it created nothing to copy.
    point = pane.view.visualRect(pane.model.index(1, 0)).center()
    right_click = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, pane.view.viewport().mapToGlobal(point)
    )
    QApplication.sendEvent(pane.view.viewport(), right_click)
    assert pane.context_menu is not None and pane.context_menu.isVisible()
    assert not pane.context_menu.actions()[1].isEnabled()
    pane.context_menu.close()
    [check, copy] = pane.menu_for(pane.model.attempts[0]).actions()
    assert check.text() == "Check status" and check.isEnabled() and copy.isEnabled()
    with qtbot.waitSignal(controller.status_checks.answered, timeout=15_000) as answered:
        check.trigger()
    assert answered.args[0].order_id == order_id
    qtbot.waitUntil(lambda: not controller.status_checks.busy)
    nothing_created = pane.model.attempts[1]
    assert not pane.menu_for(nothing_created).actions()[0].isEnabled()
    select_row(pane, 1)
    assert not pane.check_button.isEnabled()


def test_an_order_the_api_does_not_know_is_one_sentence(qtbot, installed):
    window, controller = installed
    window.practice_action.setChecked(True)
    record(controller.practice.base_url, "U" * 28, environment="practice", user_id="77")
    controller.history_pane.refresh()
    select_row(controller.history_pane, 0)
    answer = check_selected(qtbot, controller)
    assert answer.message == f"The API does not know order {'U' * 28} (for user 77)."
    assert controller.status_checks.dialog.findChild(QLabel, "statusMessage").text() == (
        answer.message
    )


def test_a_practice_order_is_asked_of_practice_even_when_practice_mode_is_off(qtbot, installed):
    _window, controller = installed
    record("http://127.0.0.1:9", "G" * 28, environment="practice")
    controller.history_pane.refresh()
    select_row(controller.history_pane, 0)
    answer = check_selected(qtbot, controller)
    assert not controller.practice.on
    # The practice orders kept in the app's home do not hold this made-up order.
    assert answer.message == f"The API does not know order {'G' * 28} (for user 42)."
    assert History().attempts()[0].status_text == answer.headline


class _Counting(http.server.BaseHTTPRequestHandler):
    """A status endpoint that answers with ``status`` and counts what it was asked."""

    status = 200
    asked: list[str] = []  # noqa: RUF012 (set per test)
    release: threading.Event | None = None

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        type(self).keys.append({k: v for k, v in self.headers.items() if k.startswith("cmr-")})
        if self.release is not None:
            self.release.wait(10)
        body = json.dumps(
            {"message": "<b>Not</b> rich", "data": {"status": "processing", "key": "x"}}
            if self.status == 200
            else {
                "message": {
                    401: "Invalid API Key",
                    404: "Order not found",
                    429: "Too many requests",
                }[self.status]
            }
        ).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def counting(status, release=None):
    fields = {"status": status, "asked": [], "keys": [], "release": release}
    return type("Handler", (_Counting,), fields)


def test_asking_never_blocks_the_window(qtbot, installed):
    _window, controller = installed
    release = threading.Event()
    handler = counting(200, release)
    with serve_on_loopback(handler) as base_url:
        record(base_url, "W" * 28)
        controller.history_pane.refresh()
        select_row(controller.history_pane, 0)
        ticks = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(10)
        qtbot.mouseClick(controller.history_pane.check_button, Qt.MouseButton.LeftButton)
        assert controller.status_checks.busy
        assert not controller.history_pane.refresh_button.isEnabled()
        qtbot.waitUntil(lambda: len(handler.asked) == 1 and len(ticks) >= 5, timeout=5_000)
        assert controller.status_checks.busy  # the server has not answered: the loop ran on
        with qtbot.waitSignal(controller.status_checks.answered, timeout=10_000):
            release.set()
        timer.stop()
        qtbot.waitUntil(lambda: not controller.status_checks.busy)
    message = controller.status_checks.dialog.findChild(QLabel, "statusMessage")
    assert message.text() == "<b>Not</b> rich" and message.textFormat() == Qt.TextFormat.PlainText
    assert controller.history_pane.refresh_button.isEnabled()


def test_a_refused_key_is_the_key_message(qtbot, installed):
    _window, controller = installed
    with serve_on_loopback(counting(401)) as base_url:
        record(base_url, "K" * 28)
        controller.history_pane.refresh()
        select_row(controller.history_pane, 0)
        answer = check_selected(qtbot, controller)
    assert answer.key_problem and "check the API key" in answer.message
    assert History().attempts()[0].status_text == ""  # a refused key says nothing of the order


@pytest.mark.parametrize("status", [401, 429])
def test_refresh_all_stops_at_the_first_refusal(qtbot, installed, status):
    _window, controller = installed
    handler = counting(status)
    with serve_on_loopback(handler) as base_url:
        for letter in "ABC":
            record(base_url, letter * 28)
        messages = []
        controller.message.connect(messages.append)
        with qtbot.waitSignal(controller.status_checks.refreshed, timeout=15_000) as done:
            qtbot.mouseClick(controller.history_pane.refresh_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not controller.status_checks.busy)
    assert len(handler.asked) == 1
    assert done.args[0].startswith("Refresh all stopped: ")
    assert messages[-1] == done.args[0]
    assert controller.status_checks.dialog is None  # Refresh all opens no dialog


def test_refresh_all_asks_each_recent_order_once_per_ten_seconds(qtbot, installed):
    _window, controller = installed
    handler = counting(200)
    with serve_on_loopback(handler) as base_url:
        for letter in "ABC":
            record(base_url, letter * 28)
        with qtbot.waitSignal(controller.status_checks.refreshed, timeout=15_000) as done:
            controller.history_pane.refresh_button.click()
        qtbot.waitUntil(lambda: not controller.status_checks.busy)
        assert sorted(p.split("orderId=")[1] for p in handler.asked) == [c * 28 for c in "ABC"]
        assert done.args[0] == "Refreshed the status of 3 order(s)."
        model = controller.history_pane.model
        assert [model.index(r, HistoryColumn.STATUS).data() for r in range(3)] == ["processing"] * 3
        messages = []
        controller.message.connect(messages.append)
        controller.history_pane.refresh_button.click()  # at once again: nothing is asked
        assert not controller.status_checks.busy and len(handler.asked) == 3
        assert messages[-1].startswith("Nothing to refresh: 3 order(s)")
        for order_id in list(controller.history_pane.last_asked):
            controller.history_pane.last_asked[order_id] -= 10  # ten seconds later
        with qtbot.waitSignal(controller.status_checks.refreshed, timeout=15_000):
            controller.history_pane.refresh_button.click()
        qtbot.waitUntil(lambda: not controller.status_checks.busy)
    assert len(handler.asked) == 6


def test_refresh_all_says_how_many_answered_and_why_one_did_not(qtbot, installed):
    _window, controller = installed
    controller.key_store.set("production-key-123456")
    with serve_on_loopback(counting(200)) as known, serve_on_loopback(counting(404)) as unknown:
        record(known, "A" * 28)
        record(unknown, "B" * 28, environment="production", user_id="77")
        with qtbot.waitSignal(controller.status_checks.refreshed, timeout=15_000) as done:
            controller.history_pane.refresh_button.click()
        qtbot.waitUntil(lambda: not controller.status_checks.busy)
    assert done.args[0] == (
        f"Refreshed the status of 1 of 2 order(s). The API does not know order {'B' * 28} "
        "(for user 77)."
    )


def test_each_order_is_asked_with_the_key_of_its_environment(qtbot, installed):
    _window, controller = installed
    controller.key_store.set("production-key-123456")
    sandbox, production = counting(200), counting(200)
    with serve_on_loopback(sandbox) as sandbox_url, serve_on_loopback(production) as api_url:
        record(sandbox_url, "S" * 28, environment="sandbox")
        record(api_url, "P" * 28, environment="production")
        # Older than the label, over plain http to this computer: practice's, never a real key.
        record(api_url, "O" * 28, environment="")
        with qtbot.waitSignal(controller.status_checks.refreshed, timeout=15_000):
            controller.history_pane.refresh_button.click()
        qtbot.waitUntil(lambda: not controller.status_checks.busy)
    assert [p.split("orderId=")[1] for p in sandbox.asked] == ["S" * 28]
    assert sandbox.keys == [{"cmr-x-sandbox-api-key": SANDBOX_KEY}]
    assert [p.split("orderId=")[1] for p in production.asked] == ["P" * 28]
    assert production.keys == [{"cmr-x-api-key": "production-key-123456"}]
    model = controller.history_pane.model
    shown = {
        model.attempts[r].order_id: model.index(r, HistoryColumn.ENVIRONMENT).data()
        for r in range(3)
    }
    assert shown == {"S" * 28: "CMR sandbox", "P" * 28: "Production", "O" * 28: ""}


def test_an_answer_nested_deeper_than_any_real_one_is_cut_in_the_tree(qtbot):
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItemIterator

    from desktop_app.api.order_status import StatusAnswer
    from desktop_app.ui.history.status_dialog import StatusDialog

    History().record(
        build_request(small_order(1), "https://api.example.com"),
        SendResult(Outcome.CREATED, "created", order_id="DEEP1"),
    )
    [attempt] = History().attempts()
    nested: object = "bottom"
    for _ in range(600):  # past Python's recursion limit if drawn level by level
        nested = {"level": nested}
    answer = StatusAnswer(True, "Order status fetched successfully", 200, nested, "{}")
    dialog = StatusDialog(attempt, answer)
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget)
    texts = []
    found = QTreeWidgetItemIterator(tree)
    while found.value():
        texts.append(found.value().text(1))
        found += 1
    assert "nested too deep to show here" in texts


class _HistoryWithABug(History):
    """A history that fails to keep a status in a way nobody planned for: a fault of ours."""

    def record_status(self, attempt_id, headline, raw):
        raise TypeError("record_status() got a list")


def test_a_fault_while_asking_is_one_sentence_and_goes_to_the_crash_log(qtbot, installed, app_home):
    _window, controller = installed
    with serve_on_loopback(counting(200)) as api:
        record(api, "C" * 28)
        controller.history = _HistoryWithABug()
        controller.history_pane.refresh()
        select_row(controller.history_pane, 0)
        answer = check_selected(qtbot, controller)
    assert answer.message == "The status was not fetched (TypeError)."
    log = (app_home / "crash.log").read_text(encoding="utf-8")
    assert f"asking the status of order {'C' * 28}" in log
    assert "TypeError: record_status() got a list" in log
