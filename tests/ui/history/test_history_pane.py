"""The History pane: a real table over the history database, search, copy, CSV."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication
from send_support import small_order

from desktop_app.api.payload import build_request
from desktop_app.api.sender import Outcome, SendResult
from desktop_app.services.history import History, SendPart
from desktop_app.ui.history.history_pane import HistoryColumn, HistoryPane, HistoryTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def history():
    history = History()
    for user, result in (
        ("1001", SendResult(Outcome.CREATED, "Order created.", order_id="A" * 28, http_status=201)),
        ("2002", SendResult(Outcome.NOT_CREATED, "The API refused the order.", http_status=400)),
        ("3003", SendResult(Outcome.CREATED, "Order created.", order_id="C" * 28, http_status=201)),
    ):
        request = build_request(small_order(2, user_id=user), "https://api.example.com")
        history.record(request, result, SendPart(draft_path=f"/drafts/{user}.cmrorder"))
    return history


@pytest.fixture
def pane(qtbot, history):
    widget = HistoryPane(history)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cell(pane, row, column):
    return pane.model.index(row, column).data()


def test_the_model_passes_qt_checks(qtmodeltester, history):
    model = HistoryTableModel()
    model.set_attempts(history.attempts())
    qtmodeltester.check(model)


def test_lists_attempts_newest_first_when_shown(pane):
    assert pane.model.rowCount() == 3
    assert [cell(pane, r, HistoryColumn.USER_ID) for r in range(3)] == ["3003", "2002", "1001"]
    assert cell(pane, 1, HistoryColumn.OUTCOME) == "not created"
    assert cell(pane, 0, HistoryColumn.ORDER_ID) == "C" * 28
    assert cell(pane, 0, HistoryColumn.DRAFT) == "3003.cmrorder"
    assert not pane.empty.isVisible()


def test_search_filters_rows(pane, qtbot):
    qtbot.keyClicks(pane.search, "2002")
    assert [cell(pane, r, HistoryColumn.USER_ID) for r in range(pane.model.rowCount())] == ["2002"]
    pane.search.clear()
    assert pane.model.rowCount() == 3


def test_copy_order_ids_and_rows(pane, qtbot):
    pane.view.selectRow(0)
    with qtbot.waitSignal(pane.copied):
        pane.copy_button.click()
    assert QGuiApplication.clipboard().text() == "C" * 28
    pane.copy_rows()
    row = QGuiApplication.clipboard().text().split("\t")
    assert row[HistoryColumn.USER_ID] == "3003" and row[HistoryColumn.OUTCOME] == "created"


def test_export_csv_writes_what_matches_the_search(pane, qtbot, tmp_path):
    target = tmp_path / "history.csv"
    pane.search.setText("AAAA")
    with qtbot.waitSignal(pane.exported) as exported:
        assert pane.export_csv(target) == 1
    assert exported.args == [str(target), 1]
    with open(target, newline="", encoding="utf-8") as stream:
        [row] = list(csv.DictReader(stream))
    assert row["orderId"] == "A" * 28 and row["userId"] == "1001"


def test_empty_history_says_so(qtbot):
    pane = HistoryPane(History())
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()


def test_only_sends_made_in_practice_mode_are_marked_practice(qtbot, history):
    created = SendResult(Outcome.CREATED, "Order created.", order_id="P" * 28)
    local = "http://127.0.0.1:8799"
    practice = build_request(small_order(1, user_id="4004"), local)
    history.record(practice, created, SendPart(environment="practice"))
    # A real API on this computer (a gateway, a colleague's backend) is not practice.
    real_local = build_request(small_order(1, user_id="5005"), local)
    history.record(real_local, created, SendPart(environment="production"))
    pane = HistoryPane(history)
    qtbot.addWidget(pane)
    pane.show()
    assert cell(pane, 0, HistoryColumn.OUTCOME) == "created"
    assert cell(pane, 1, HistoryColumn.OUTCOME) == "created (practice)"
    assert cell(pane, 2, HistoryColumn.OUTCOME) == "created"  # https://api.example.com


def test_parts_of_a_split_send_say_which_part_they_are(qtbot, history):
    request = build_request(small_order(1, user_id="6006"), "https://api.example.com")
    created = SendResult(Outcome.CREATED, "Order created.", order_id="S" * 28)
    history.record(request, created, SendPart(batch="b1", part=2, parts=3))
    pane = HistoryPane(history)
    qtbot.addWidget(pane)
    pane.show()
    assert cell(pane, 0, HistoryColumn.OUTCOME) == "created, part 2 of 3"


@pytest.mark.qt_log_ignore("This plugin does not support")  # a popup, offscreen
@pytest.mark.parametrize("keys", ["Menu", "Shift+F10"])
def test_the_keyboard_menu_acts_on_the_current_row_with_its_first_item_active(qtbot, pane, keys):
    pane.view.setFocus()
    pane.view.selectRow(0)
    assert pane.view.currentIndex().row() == 0
    pane.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pane.view)
    if keys == "Menu":
        # What Qt sends for the Menu key (the platform reports the key; Qt picks the point
        # from the focus widget's cursor rectangle), as the offscreen platform has no such key.
        point = pane.view.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).center()
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, point, pane.view.mapToGlobal(point)
        )
        QApplication.sendEvent(pane.view, event)
    else:
        qtbot.keyClick(pane.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = pane.context_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    check, copy = menu.actions()
    assert menu.activeAction() is check
    copy.trigger()
    assert QGuiApplication.clipboard().text() == "C" * 28  # row 0's order, not row 1's


def test_reaching_the_list_from_the_keyboard_chooses_a_row_so_check_status_works(qtbot, pane):
    pane.show()
    pane.activateWindow()
    pane.refresh_button.setFocus()  # the focus somewhere else first, as before Alt+6
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pane.refresh_button)
    pane.view.clearSelection()
    assert not pane.check_button.isEnabled()
    pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason)  # as Alt+6 or Tab gives it
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pane.view)
    qtbot.waitUntil(lambda: len(pane.selected_attempts()) == 1)
    assert pane.check_button.isEnabled()
