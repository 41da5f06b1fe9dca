"""Any screen: at 1366×768 and 150 % the tables show five rows each, whatever layout was saved.

1366×768 at 150 % gives the window about 910×448 points: stacked, Domains and
Mailboxes would show one or two rows; there they are tabs of one page.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop_app.order.problems import Problem, Severity, Table
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui
# 1366×768 at 150 %: 910×512 points, less a top panel (~27) and a title bar (~37).
SMALL_SCREEN = QSize(910, 448)


def opened(qtbot, size=None, remember=True):
    window = MainWindow(remember=remember)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    if size is not None:
        window.resize(size)
    window.show()
    qtbot.waitExposed(window)
    return window


def rows_visible(view):
    """Whole and part rows the view shows on the screen, from its geometry."""
    if not view.isVisible():
        return 0.0
    return view.viewport().height() / view.verticalHeader().defaultSectionSize()


def go_to(qtbot, window, label):
    """View ▸ Domains / Mailboxes, as the operator chooses it (Alt+1, Alt+2)."""
    [action] = [a for a in window.window_actions.pane_actions if a.text().replace("&", "") == label]
    action.trigger()
    pane = window.domains_pane if label == "Domains" else window.mailboxes_pane
    qtbot.waitUntil(lambda: pane.view.isVisible() and pane.view.hasFocus())
    return pane.view


def save_a_big_layout(qtbot, tables):
    """A layout saved in a big window at 100 %: Problems tall, the tables split ``tables``."""
    first = opened(qtbot)
    first.resize(QGuiApplication.primaryScreen().availableGeometry().size() - QSize(20, 60))
    first.reset_layout()
    main = first.splitters["main"]
    main.setSizes([sum(main.sizes()) - 260, 260])
    split = first.splitters["tables"]
    split.setSizes([round(sum(split.sizes()) * share) for share in tables])
    first.close()


@pytest.mark.parametrize("tables", [(0.5, 0.5), (0.15, 0.85), (0.85, 0.15)])
def test_each_table_shows_five_rows_at_150_percent_whatever_layout_was_saved(qtbot, tables):
    save_a_big_layout(qtbot, tables)
    window = opened(qtbot, SMALL_SCREEN)
    assert window.size() == SMALL_SCREEN
    for label in ("Domains", "Mailboxes", "Domains"):
        view = go_to(qtbot, window, label)
        qtbot.waitUntil(lambda view=view: rows_visible(view) >= 5, timeout=2_000)


def test_each_table_shows_five_rows_at_150_percent_with_no_layout_saved(qtbot):
    window = opened(qtbot, SMALL_SCREEN, remember=False)
    for label in ("Mailboxes", "Domains"):
        view = go_to(qtbot, window, label)
        qtbot.waitUntil(lambda view=view: rows_visible(view) >= 5, timeout=2_000)


def test_a_taller_window_shows_both_tables_at_once_and_five_rows_each(qtbot):
    window = opened(qtbot, remember=False)
    assert window.height() >= 700  # the offscreen screen's height, less a frame
    for pane in (window.domains_pane, window.mailboxes_pane):
        assert pane.isVisible()
        assert rows_visible(pane.view) >= 5, pane.objectName()
    assert window.table_area.tabbed is False


def test_the_tables_stand_one_above_the_other_again_when_the_window_grows(qtbot):
    window = opened(qtbot, SMALL_SCREEN)
    assert window.table_area.tabbed is True
    window.resize(QSize(SMALL_SCREEN.width(), 700))
    qtbot.waitUntil(lambda: window.domains_pane.isVisible() and window.mailboxes_pane.isVisible())
    for pane in (window.domains_pane, window.mailboxes_pane):
        assert rows_visible(pane.view) >= 5, pane.objectName()
    window.resize(SMALL_SCREEN)
    qtbot.waitUntil(lambda: window.table_area.tabbed)
    # Whichever had the focus stays shown.
    assert window.domains_pane.isVisible() != window.mailboxes_pane.isVisible()


def test_the_hidden_table_is_shown_for_its_problem_and_its_menu_actions(qtbot):
    window = opened(qtbot, SMALL_SCREEN, remember=False)
    window.mailboxes_pane.add_row()
    go_to(qtbot, window, "Domains")
    assert not window.mailboxes_pane.isVisible()
    problem = Problem(Severity.ERROR, Table.MAILBOXES, "Username is empty.", 0, "username")
    window.problems_pane.problem_activated.emit(problem)
    qtbot.waitUntil(lambda: window.mailboxes_pane.view.isVisible())
    assert QApplication.focusWidget() is window.mailboxes_pane.view
    assert window.mailboxes_pane.view.currentIndex().row() == 0

    window.window_actions.add_domain.trigger()
    qtbot.waitUntil(lambda: window.domains_pane.view.isVisible())
    assert window.document.order.domains  # the row was added where it shows


def test_history_shows_four_rows_at_150_percent_whatever_layout_was_saved(qtbot):
    from send_support import memory_key_store

    from desktop_app.ui.send import integration

    save_a_big_layout(qtbot, (0.5, 0.5))
    window = opened(qtbot, SMALL_SCREEN)
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    try:
        history = controller.history_pane
        history.empty.hide()  # as when History holds attempts
        history.view.show()
        [go_to_history] = [a for a in window.window_actions.pane_actions if "istory" in a.text()]
        go_to_history.trigger()
        qtbot.waitUntil(lambda: rows_visible(history.view) >= 4, timeout=2_000)
        assert window.size() == SMALL_SCREEN
        # Back to a table: its rows come back from History's room.
        view = go_to(qtbot, window, "Mailboxes")
        qtbot.waitUntil(lambda: rows_visible(view) >= 5, timeout=2_000)
    finally:
        controller.shutdown()


def test_the_keyboard_reaches_the_tabs_and_leaves_the_table(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTabBar

    window = opened(qtbot, SMALL_SCREEN, remember=False)
    view = go_to(qtbot, window, "Domains")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.domains_pane.add_button  # Tab leaves the table
    filter_edit = window.domains_pane.filter_edit
    filter_edit.setFocus()
    qtbot.keyClick(filter_edit, Qt.Key.Key_Backtab)
    bar = QApplication.focusWidget()
    assert isinstance(bar, QTabBar) and bar is window.table_area.tabs.tabBar()
    qtbot.keyClick(bar, Qt.Key.Key_Right)  # the arrow keys choose a tab
    qtbot.waitUntil(lambda: window.mailboxes_pane.view.isVisible())
    assert not window.domains_pane.isVisible()
