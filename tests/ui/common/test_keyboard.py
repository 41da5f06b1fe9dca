"""The keyboard convention: Tab leaves every table and box, Enter moves down, Alt opens menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QPushButton
from send_support import memory_key_store, small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import build_request
from desktop_app.services.history import History, SendPart
from desktop_app.ui.common.keyboard import MENU_LETTERS, give_mnemonics, mnemonic
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.send import integration
from desktop_app.ui.tables.columns import DomainColumn

pytestmark = pytest.mark.gui


@pytest.fixture
def installed(window):
    window.sending = integration.install_sending(window, memory_key_store(), memory_key_store())
    yield window
    window.sending.shutdown()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Press ``key`` where the keyboard focus is; return where the focus went."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def inside(widget, outer):
    return widget is outer or outer.isAncestorOf(widget)


def test_tab_and_shift_tab_leave_every_table_at_once(qtbot, installed):
    window = installed
    history = window.sending.history_pane
    request = build_request(small_order(1), "http://127.0.0.1:9")
    History().record(request, SendResult(Outcome.CREATED, "Created.", order_id="A1"), SendPart())
    history.refresh()
    assert history.model.rowCount() == 1
    views = {
        "Domains": window.domains_pane.view,
        "Mailboxes": window.mailboxes_pane.view,
        "Pictures": window.avatar_pane.view,
        "Problems": window.problems_pane.view,
        "History": history.view,
    }
    for name, view in views.items():
        window.bottom_tabs.setCurrentWidget(history if name == "History" else window.problems_pane)
        for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            view.setFocus()
            if view.model().rowCount():
                view.setCurrentIndex(view.model().index(0, 0))
            assert QApplication.focusWidget() is view, name
            assert not inside(press(qtbot, key), view), f"{key.name} stayed in {name}"


def test_tab_from_the_domains_table_reaches_its_buttons_then_the_mailboxes(qtbot, installed):
    window = installed
    pane = window.domains_pane
    pane.select_cell(0, int(DomainColumn.DOMAIN))  # Remove is usable with a row selected
    reached = [press(qtbot, Qt.Key.Key_Tab) for _ in range(3)]
    assert reached == [pane.add_button, pane.remove_button, window.mailboxes_pane.filter_edit]
    assert press(qtbot, Qt.Key.Key_Tab) is window.mailboxes_pane.view
    assert press(qtbot, Qt.Key.Key_Backtab) is window.mailboxes_pane.filter_edit


def test_tab_goes_round_every_control_of_the_window_and_back(qtbot, installed):
    window = installed
    window.domains_pane.view.setFocus()
    start = QApplication.focusWidget()
    seen = [start]
    for _ in range(80):
        focus = press(qtbot, Qt.Key.Key_Tab)
        if focus is start:
            break
        seen.append(focus)
    assert focus is start, "Tab never came back to the Domains table"
    must_reach = [
        window.domains_pane.filter_edit,
        window.domains_pane.add_button,
        window.mailboxes_pane.filter_edit,
        window.mailboxes_pane.view,
        window.mailboxes_pane.add_button,
        window.mailboxes_pane.generate_button,
        window.avatar_pane.view,
        window.problems_pane.view,
        window.settings_pane.provider.google,
    ]
    for widget in must_reach:
        assert widget in seen, widget.accessibleName() or widget.text()


def test_an_edit_ends_with_tab_kept_and_the_focus_on_the_next_control(qtbot, installed):
    window = installed
    pane = window.domains_pane
    pane.select_cell(0, int(DomainColumn.DOMAIN))
    qtbot.keyClicks(pane.view, "g")  # typing on a cell opens its editor
    editor = QApplication.focusWidget()
    assert editor is not pane.view and pane.view.isAncestorOf(editor)
    qtbot.keyClicks(editor, "amma.com")
    assert press(qtbot, Qt.Key.Key_Tab) is pane.add_button
    assert window.document.order.domains[0].domain == "gamma.com"


def test_enter_moves_down_as_in_a_spreadsheet_and_ends_an_edit_the_same_way(qtbot, installed):
    window = installed
    pane = window.mailboxes_pane
    view = pane.view
    pane.select_cell(0, 2)
    press(qtbot, Qt.Key.Key_Return)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 2)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.currentIndex().row() == 0
    qtbot.keyClicks(view, "Z")
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.currentIndex().row() == 1)
    assert view.currentIndex().column() == 2 and QApplication.focusWidget() is view
    assert window.document.order.mailboxes[0].first_name == "Z"


def test_tab_leaves_the_generators_names_box(qtbot, installed):
    window = installed
    window.open_generator()
    dialog = window.generator_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        dialog.names.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.names)
        qtbot.keyClicks(dialog.names, "Ann Archer")
        qtbot.keyClick(dialog.names, key)
        assert QApplication.focusWidget() is not dialog.names, key.name
        assert "\t" not in dialog.names.toPlainText()
    dialog.reject()


def test_alt_letter_belongs_to_the_menus(installed):
    window = installed
    bar_letters = {mnemonic(a.text()) for a in window.menuBar().actions()}
    assert bar_letters == MENU_LETTERS
    shadowing = []
    for widget in window.findChildren(QAbstractButton):
        if mnemonic(widget.text()) in MENU_LETTERS:
            shadowing.append(widget.text())
    for label in window.findChildren(QLabel):
        if label.buddy() is not None and mnemonic(label.text()) in MENU_LETTERS:
            shadowing.append(label.text())
    assert not shadowing


def test_give_mnemonics_picks_free_letters():
    app = QApplication.instance()
    assert app is not None
    buttons = [QPushButton(t) for t in ("Save", "Send", "&Cancel", "S")]
    give_mnemonics(buttons)
    assert [b.text() for b in buttons] == ["&Save", "S&end", "&Cancel", "S"]


def test_the_unsaved_changes_buttons_have_mnemonics(qtbot, window):
    window.files.ask_unsaved = window.files._ask_unsaved
    window.domains_pane.add_row()
    texts = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        texts.extend(button.text() for button in box.buttons())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    try:
        assert not window.files.confirm_discard()
    finally:
        window.files.ask_unsaved = lambda: DISCARD  # closing the window asks nothing
    assert sorted(texts) == sorted(["&Save", "&Don't Save", "&Cancel"])


def test_every_button_of_the_generator_has_a_mnemonic(installed):
    window = installed
    window.open_generator()
    dialog = window.generator_dialog
    assert all(mnemonic(b.text()) for b in dialog.buttons.buttons())
    dialog.reject()
