"""What an operator does: build whole orders in the window without touching a file by hand."""

from __future__ import annotations

import pytest
from factories import make_jpeg
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.draft import draft_file
from desktop_app.order.model import Order
from desktop_app.order.validation import Severity, validate
from desktop_app.ui.tables.columns import DomainColumn, MailboxColumn

pytestmark = pytest.mark.gui


def test_three_domains_nine_mailboxes_with_pictures_from_scratch(
    qtbot, window, tmp_path, wait_for_pictures
):
    window.files.new()
    domains = window.domains_pane
    domains.view.setCurrentIndex(domains.proxy.index(0, 0))
    domains.paste("northwind.com\t1\nbrightpath.io\t2\ncobalt.net\t1\n")
    domains.view.selectAll()
    window.open_generator()
    dialog = window.generator_dialog
    dialog.names.setPlainText("Ava Stone\nLiam Carter\nMaya Patel\n")
    dialog.per_domain.setValue(3)
    with qtbot.waitSignal(dialog.finished):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    order = window.document.order
    assert len(order.mailboxes) == 9
    folder = tmp_path / "faces"
    folder.mkdir()
    for number, mailbox in enumerate(order.mailboxes):
        (folder / f"{mailbox.email}.jpg").write_bytes(make_jpeg((number * 25, 80, 120), 300))
    window.avatars.set_from_paths([], [str(folder)])
    wait_for_pictures(window)
    assert order.avatar_count() == 9
    path = tmp_path / "built.cmrorder"
    assert window.files.save_to(path)
    saved = draft_file.load(path)
    assert [p for p in validate(saved) if p.severity is Severity.ERROR] == []
    assert len(saved.mailboxes) == 9 and saved.avatar_count() == 9


def test_five_thousand_mailboxes_from_a_pasted_spreadsheet(qtbot, window):
    window.document.replace(Order(user_id="42"), None)
    lines = ["Email\tFirst name\tLast name"]
    lines += [f"user{n}@domain{n % 1000}.com\tFirst{n}\tLast{n}" for n in range(5000)]
    window.mailboxes_pane.paste("\n".join(lines) + "\n")
    order = window.document.order
    assert len(order.mailboxes) == 5000
    assert order.mailboxes[4999].email == "user4999@domain999.com"
    assert window.document.undo_stack.count() == 1
    with qtbot.waitSignal(window.document.problems_changed):
        pass
    # Every mailbox lacks a picture and a listed domain: warnings, not errors.
    assert window.problems_pane.counts() == (0, 10000)
    window.mailboxes_pane.filter_edit.setText("user4999@")
    assert window.mailboxes_pane.proxy.rowCount() == 1


def test_undo_and_redo_from_the_menu_and_delete_from_the_keyboard(qtbot, window):
    view = window.domains_pane.view
    view.setFocus()
    index = window.domains_pane.proxy.index(0, DomainColumn.DOMAIN)
    view.setCurrentIndex(index)
    view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.document.order.domains[0].domain == ""
    window.window_actions.undo.trigger()
    assert window.document.order.domains[0].domain == "alpha.com"
    window.window_actions.redo.trigger()
    assert window.document.order.domains[0].domain == ""


def test_typing_in_a_cell_edits_it(qtbot, window):
    view = window.mailboxes_pane.view
    view.setFocus()
    view.setCurrentIndex(window.mailboxes_pane.proxy.index(1, MailboxColumn.FIRST_NAME))
    qtbot.keyClicks(view, "R")  # a key on a cell opens its editor, as in a spreadsheet
    editor = view.focusWidget()
    assert editor is not view
    qtbot.keyClicks(editor, "obert")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next event-loop turn
    qtbot.waitUntil(lambda: window.document.order.mailboxes[1].first_name == "Robert")
    assert window.document.undo_stack.count() == 1
