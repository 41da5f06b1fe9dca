"""The mailbox generator in the window: selected domains, no duplicates, one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialogButtonBox

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


def test_the_window_generates_for_the_selected_domains(qtbot, window):
    pane = window.domains_pane
    pane.view.setFocus()
    qtbot.waitUntil(pane.view.hasFocus)
    pane.view.selectionModel().select(
        pane.proxy.index(1, DomainColumn.DOMAIN), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    window.window_actions.generate.trigger()
    dialog = window.generator_dialog
    assert dialog.domains == ["beta.org"]
    dialog.names.setPlainText("Eve Early")
    dialog.per_domain.setValue(2)
    with qtbot.waitSignal(dialog.finished):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    added = window.document.order.mailboxes[3:]
    assert {m.domain for m in added} == {"beta.org"} and len(added) == 2


def test_a_selection_left_behind_in_domains_is_not_followed(qtbot, window):
    pane = window.domains_pane
    pane.view.setFocus()
    pane.view.selectionModel().select(
        pane.proxy.index(1, DomainColumn.DOMAIN), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    window.mailboxes_pane.view.setFocus()  # the operator moved on to the mailboxes
    qtbot.waitUntil(window.mailboxes_pane.view.hasFocus)
    window.window_actions.generate.trigger()
    dialog = window.generator_dialog
    assert dialog.domains == ["alpha.com", "beta.org"]
    assert dialog.target.text() == "Fills 2 domains: alpha.com, beta.org"


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
