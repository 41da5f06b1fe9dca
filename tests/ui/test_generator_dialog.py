"""The mailbox generator in the window: selected domains, no duplicates, one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.ui.columns import DomainColumn
from desktop_app.ui.generator_dialog import GeneratorDialog

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
    assert new_on_alpha == ["dan", "aarcher", "ddale"]
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


def test_the_window_generates_for_the_selected_domains(qtbot, window):
    pane = window.domains_pane
    pane.view.selectionModel().select(
        pane.proxy.index(1, DomainColumn.DOMAIN), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    window.actions.generate.trigger()
    dialog = window.generator_dialog
    assert dialog.domains == ["beta.org"]
    dialog.names.setPlainText("Eve Early")
    dialog.per_domain.setValue(2)
    with qtbot.waitSignal(dialog.finished):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    added = window.document.order.mailboxes[3:]
    assert {m.domain for m in added} == {"beta.org"} and len(added) == 2
