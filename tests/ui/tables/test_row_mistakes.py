"""Adding and removing rows never touches rows the operator did not mean."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.ui.tables.domains_pane import CANCEL, KEEP_MAILBOXES, REMOVE_MAILBOXES

pytestmark = pytest.mark.gui


def select_rows(pane, *rows):
    selection = pane.view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            pane.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def selected_rows(pane):
    return sorted({i.row() for i in pane.view.selectionModel().selectedIndexes()})


@pytest.mark.parametrize(
    ("pane_name", "keys", "action"),
    [
        ("domains_pane", "Ctrl+Shift+D", "add_domain"),
        ("mailboxes_pane", "Ctrl+Shift+M", "add_mailbox"),
    ],
)
def test_add_by_shortcut_selects_only_the_new_row_and_edits_its_first_cell(
    qtbot, window, pane_name, keys, action
):
    pane = getattr(window, pane_name)
    select_rows(pane, 0)
    pane.view.setFocus()
    assert getattr(window.window_actions, action).shortcut().toString() == keys
    qtbot.keyClick(
        pane.view,
        Qt.Key.Key_D if keys.endswith("D") else Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    # Qt takes the held modifiers from the last key event: let go of them.
    qtbot.keyRelease(pane.view, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    new_row = pane.model.rowCount() - 1
    assert selected_rows(pane) == [new_row]
    assert pane.view.currentIndex().row() == new_row
    assert pane.view.currentIndex().column() == 0
    assert pane.view.state() == pane.view.State.EditingState
    QApplication.focusWidget().clearFocus()  # leave the editor without committing
    pane.remove_rows()
    assert pane.model.rowCount() == new_row  # the old first row is still there


def test_remove_says_what_it_removed_and_how_to_undo(window):
    pane = window.mailboxes_pane
    select_rows(pane, 0, 2)
    pane.remove_rows()
    assert window.statusBar().currentMessage() == "Removed 2 mailboxes; Undo with Ctrl+Z."
    assert [m.username for m in window.document.order.mailboxes] == ["bob"]
    window.document.undo_stack.undo()
    assert [m.username for m in window.document.order.mailboxes] == ["ann", "bob", "cat"]


def test_removing_a_domain_with_mailboxes_can_take_them_along_in_one_step(window):
    pane = window.domains_pane
    asked = []
    pane.ask_about_mailboxes = lambda domains, mailboxes: (
        asked.append((domains, mailboxes)) or REMOVE_MAILBOXES
    )
    select_rows(pane, 0)
    pane.remove_rows()
    order = window.document.order
    assert asked == [(1, 2)]
    assert [d.domain for d in order.domains] == ["beta.org"]
    assert [m.username for m in order.mailboxes] == ["cat"]
    assert window.statusBar().currentMessage() == (
        "Removed 1 domain and their 2 mailboxes; Undo with Ctrl+Z."
    )
    window.document.undo_stack.undo()
    assert [d.domain for d in order.domains] == ["alpha.com", "beta.org"]
    assert [m.username for m in order.mailboxes] == ["ann", "bob", "cat"]


def test_removing_a_domain_can_keep_its_mailboxes_or_be_cancelled(window):
    pane = window.domains_pane
    order = window.document.order
    pane.ask_about_mailboxes = lambda _d, _m: CANCEL
    select_rows(pane, 1)
    pane.remove_rows()
    assert len(order.domains) == 2 and window.document.undo_stack.count() == 0
    pane.ask_about_mailboxes = lambda _d, _m: KEEP_MAILBOXES
    pane.remove_rows()
    assert [d.domain for d in order.domains] == ["alpha.com"]
    assert [m.username for m in order.mailboxes] == ["ann", "bob", "cat"]
    assert window.statusBar().currentMessage() == "Removed 1 domain; Undo with Ctrl+Z."


def test_a_domain_without_mailboxes_is_removed_without_a_question(window):
    pane = window.domains_pane
    pane.add_row()
    window.document.order.domains[-1].domain = "Alpha.COM"  # the same domain twice
    pane.ask_about_mailboxes = lambda _d, _m: pytest.fail("asked for nothing")
    select_rows(pane, 2)
    pane.remove_rows()
    assert [d.domain for d in window.document.order.domains] == ["alpha.com", "beta.org"]


def test_the_question_is_a_real_message_box_with_three_answers(qtbot, window):
    pane = window.domains_pane
    select_rows(pane, 0)
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == "&Keep Mailboxes").click()

    QTimer.singleShot(0, answer)
    pane.remove_rows()
    assert seen and seen[0][0] == "This domain has 2 mailboxes."
    assert "Remove &Mailboxes Too" in seen[0][1]
    assert [d.domain for d in window.document.order.domains] == ["beta.org"]
    assert len(window.document.order.mailboxes) == 3
