"""The History tab is there from the start; its pane is built when first needed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from send_support import memory_key_store

from desktop_app.api.sender import Outcome
from desktop_app.ui.history.history_pane import EMPTY_TEXT, HistoryColumn, HistoryPane
from desktop_app.ui.history.status_check import REFRESH_HOURS
from desktop_app.ui.send import integration

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(qtbot, window):
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    qtbot.wait(50)  # the first frames: nothing here needs History
    assert window.findChild(HistoryPane) is None  # each test starts before it is built
    yield window, controller
    controller.shutdown()


def history_index(window) -> int:
    tabs = window.bottom_tabs
    [index] = [i for i in range(tabs.count()) if tabs.tabText(i) == "History"]
    return index


def test_the_tab_is_there_before_the_pane_is_built(installed):
    window, _controller = installed
    tabs = window.bottom_tabs
    assert tabs.tabText(history_index(window)) == "History"
    assert tabs.currentWidget() is window.problems_pane
    assert [a.text() for a in window.window_actions.pane_actions][-1] == "&History"


def test_choosing_the_tab_builds_the_pane_in_its_place(qtbot, installed):
    window, controller = installed
    tabs = window.bottom_tabs
    index = history_index(window)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: isinstance(tabs.currentWidget(), HistoryPane))
    pane = tabs.currentWidget()
    assert pane is controller.history_pane and pane.isVisible()
    assert tabs.indexOf(pane) == index and tabs.tabText(index) == "History"
    assert tabs.count() == index + 1  # the placeholder is gone, not left beside it
    assert pane.empty.isVisible() and pane.empty.text() == EMPTY_TEXT
    assert window.findChild(HistoryPane) is pane


def test_alt_6_builds_chooses_and_focuses_the_pane(installed):
    window, controller = installed
    [action] = [a for a in window.window_actions.pane_actions if "History" in a.text()]
    assert action.shortcut().toString() == "Alt+6"
    action.trigger()
    pane = window.bottom_tabs.currentWidget()
    assert isinstance(pane, HistoryPane) and pane is controller.history_pane
    assert pane.view.hasFocus()


def test_a_send_ending_before_the_tab_is_seen_is_in_the_pane(qtbot, installed):
    window, controller = installed
    window.practice_action.setChecked(True)
    window.request_send()
    with qtbot.waitSignal(controller.sent, timeout=15_000) as sent:
        qtbot.mouseClick(controller.review_dialog.send_button, Qt.MouseButton.LeftButton)
    [outcome] = sent.args[0]
    assert outcome.result.outcome is Outcome.CREATED
    tabs = window.bottom_tabs
    assert tabs.currentWidget() is window.problems_pane  # the operator's tab stays chosen
    pane = tabs.widget(history_index(window))
    assert isinstance(pane, HistoryPane)
    assert pane.model.index(0, HistoryColumn.ORDER_ID).data() == outcome.result.order_id


def test_history_failing_before_the_tab_is_seen_says_so_in_the_pane(installed):
    window, controller = installed
    controller.history_failed.emit(
        "The send history is locked. Sending is off until it can be used."
    )
    pane = window.bottom_tabs.widget(history_index(window))
    assert isinstance(pane, HistoryPane)
    assert "locked" in pane.empty.text()
    assert window.history_banner.isVisible()


def test_check_status_and_refresh_all_reach_a_pane_built_later(installed):
    _window, controller = installed
    pane = controller.history_pane
    assert pane.refresh_button.isEnabled()
    controller.status_checks.busy_changed.emit(True)
    assert not pane.refresh_button.isEnabled()  # the checks follow the pane built late
    controller.status_checks.busy_changed.emit(False)
    messages: list[str] = []
    controller.message.connect(messages.append)
    pane.refresh_button.click()  # nothing created in the last 24 hours: it says so
    assert messages == [f"No orders were created in the last {REFRESH_HOURS} hours."]
