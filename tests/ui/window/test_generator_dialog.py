"""The mailbox generator in the window: selected domains, no duplicates, one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop_app.ui.tables.columns import DomainColumn
from desktop_app.ui.window.generator_dialog import GeneratorDialog

pytestmark = pytest.mark.gui


def test_generates_for_the_given_domains_without_duplicates_in_one_step(qtbot, document):
    dialog = GeneratorDialog(document, ["alpha.com", "beta.org"])
    qtbot.addWidget(dialog)
    dialog.names.setPlainText("Ann Archer\nDan Dale\n")
    dialog.per_domain.setValue(3)
    for pattern, box in dialog.pattern_boxes.items():
        box.setChecked(pattern in ("first", "flast"))
    before = len(document.order.mailboxes)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    mailboxes = document.order.mailboxes
    assert len(mailboxes) == before + 6
    keys = [m.key for m in mailboxes]
    assert len(keys) == len(set(keys))  # "ann@alpha.com" existed: never made again
    new_on_alpha = [m.username for m in mailboxes[before:] if m.domain == "alpha.com"]
    assert new_on_alpha == ["ddale", "aarcher", "dan"]
    assert document.undo_stack.count() == 1
    assert "Added 6 mailboxes." in dialog.outcome
    document.undo_stack.undo()
    assert len(document.order.mailboxes) == before


def test_ok_waits_for_names_and_a_pattern(qtbot, document):
    dialog = GeneratorDialog(document, ["alpha.com"])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.names.setPlainText("Zoë Zed")
    assert ok.isEnabled()
    for box in dialog.pattern_boxes.values():
        box.setChecked(False)
    assert not ok.isEnabled()


def test_the_window_generates_for_the_selected_domains_when_chosen_so(qtbot, window):
    pane = window.domains_pane
    pane.view.setFocus()
    qtbot.waitUntil(pane.view.hasFocus)
    pane.view.selectionModel().select(
        pane.proxy.index(1, DomainColumn.DOMAIN), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    window.window_actions.generate.trigger()
    dialog = window.generator_dialog
    assert dialog.domains == ["alpha.com", "beta.org"] and dialog.for_all.isChecked()
    assert dialog.for_selected.text() == "Selected &domains (1)"
    dialog.for_selected.click()
    assert dialog.domains == ["beta.org"]
    assert dialog.target.text() == "Fills 1 domain: beta.org"
    dialog.names.setPlainText("Eve Early")
    dialog.per_domain.setValue(2)
    with qtbot.waitSignal(dialog.finished):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    added = window.document.order.mailboxes[3:]
    assert {m.domain for m in added} == {"beta.org"} and len(added) == 2


def test_a_domain_just_added_does_not_narrow_the_generator_to_itself(qtbot, window):
    window.domains_pane.add_row()  # the new row becomes the only selection
    window.domains_pane.view.commitData(QApplication.focusWidget())
    window.domains_pane.model.setData(
        window.domains_pane.model.index(2, DomainColumn.DOMAIN), "gamma.net"
    )
    window.window_actions.generate.trigger()
    dialog = window.generator_dialog
    assert dialog.domains == ["alpha.com", "beta.org", "gamma.net"]
    assert dialog.target.text() == "Fills 3 domains: alpha.com, beta.org, gamma.net"
    dialog.reject()


def test_the_choice_of_selected_domains_is_remembered_for_the_draft_only(qtbot, window):
    pane = window.domains_pane
    pane.view.selectionModel().select(
        pane.proxy.index(0, DomainColumn.DOMAIN), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    window.open_generator()
    window.generator_dialog.for_selected.click()
    window.generator_dialog.reject()
    window.open_generator()
    assert window.generator_dialog.for_selected.isChecked()
    assert window.generator_dialog.domains == ["alpha.com"]
    window.generator_dialog.reject()
    window.document.replace(window.document.order, None)  # another draft opened
    pane.view.selectAll()
    window.open_generator()
    assert window.generator_dialog.for_all.isChecked()
    window.generator_dialog.reject()


def test_selected_domains_cannot_be_chosen_without_a_selection(qtbot, window):
    window.domains_pane.view.setCurrentIndex(QModelIndex())
    window.domains_pane.view.clearSelection()
    window.open_generator()
    dialog = window.generator_dialog
    assert dialog.for_all.isChecked() and not dialog.for_selected.isEnabled()
    dialog.reject()


def test_the_dialog_previews_the_first_mailboxes_it_will_make(qtbot, document):
    dialog = GeneratorDialog(document, ["alpha.com", "beta.org"])
    qtbot.addWidget(dialog)
    dialog.per_domain.setValue(2)
    for pattern, box in dialog.pattern_boxes.items():
        box.setChecked(pattern in ("first.last", "flast"))
    dialog.names.setPlainText("Eve Early\nFay Fox\nGus Grey\n")
    assert dialog.preview.text() == (
        "Adds up to 4 mailboxes from 3 names. First: eve.early@alpha.com, ffox@alpha.com, "
        "gus.grey@beta.org, eearly@beta.org"
    )
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    made = [m.email for m in document.order.mailboxes[3:]]
    assert made == ["eve.early@alpha.com", "ffox@alpha.com", "gus.grey@beta.org", "eearly@beta.org"]


def test_typing_starts_in_names_not_on_the_fill_choice(qtbot, window):
    """A stray arrow key on All domains / Selected domains would change what is filled."""
    from PySide6.QtCore import Qt

    window.activateWindow()
    window.open_generator()
    dialog = window.generator_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # what a window manager does for a new dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is dialog.names
    qtbot.keyClicks(QApplication.focusWidget(), "Ann Archer")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.for_all.isChecked()
    assert "Ann Archer" in dialog.names.toPlainText()
    dialog.reject()
