"""Spreadsheet-style editing: paste, copy, clear, remove, all undoable in one step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSpinBox

from desktop_app.ui.tables.columns import DomainColumn, MailboxColumn
from desktop_app.ui.tables.domains_pane import KEEP_MAILBOXES, DomainsPane
from desktop_app.ui.tables.mailboxes_pane import MailboxesPane

pytestmark = pytest.mark.gui


@pytest.fixture
def domains_pane(qtbot, document):
    pane = DomainsPane(document.domains)
    qtbot.addWidget(pane)
    return pane


@pytest.fixture
def mailboxes_pane(qtbot, document):
    pane = MailboxesPane(document.mailboxes)
    qtbot.addWidget(pane)
    return pane


def current(pane, row, column):
    index = pane.proxy.index(row, column)
    pane.view.setCurrentIndex(index)
    return index


def rows_of(order):
    return [(m.username, m.domain, m.first_name, m.last_name) for m in order.mailboxes]


def test_paste_rows_and_columns_from_the_current_cell_adds_rows_past_the_end(
    domains_pane, document
):
    current(domains_pane, 1, DomainColumn.DOMAIN)
    domains_pane.paste("one.com\t3\nTwo.com\t2\nthree.com\tten\n")
    assert [(e.domain, e.years) for e in document.order.domains] == [
        ("alpha.com", 1), ("one.com", 3), ("Two.com", 2), ("three.com", "ten"),
    ]  # fmt: skip
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert [(e.domain, e.years) for e in document.order.domains] == [
        ("alpha.com", 1),
        ("beta.org", 2),
    ]


def test_pasting_an_email_column_splits_it(mailboxes_pane, document):
    document.order.mailboxes.clear()
    document.replace(document.order, None)
    mailboxes_pane.paste("john@alpha.com\tJohn\tSmith\r\nJANE@beta.org\tJane\tDoe\r\n")
    assert rows_of(document.order) == [
        ("john", "alpha.com", "John", "Smith"),
        ("JANE", "beta.org", "Jane", "Doe"),
    ]


def test_a_paste_reads_each_repeated_text_once_and_every_row_gets_it(
    mailboxes_pane, document, monkeypatch
):
    model = document.mailboxes
    read = []
    parse_field = model.parse_field
    monkeypatch.setattr(model, "parse_field", lambda f, t: read.append((f, t)) or parse_field(f, t))
    current(mailboxes_pane, 3, MailboxColumn.USERNAME)
    mailboxes_pane.paste("ann@xn--bcher-kva.de\tAnn\tLee\nbob@xn--bcher-kva.de\tBob\tLee\n" * 2)
    assert (
        rows_of(document.order)[3:]
        == [
            ("ann", "bücher.de", "Ann", "Lee"),
            ("bob", "bücher.de", "Bob", "Lee"),
        ]
        * 2
    )
    assert sorted(read) == sorted(set(read))  # "Lee" and the addresses read once each
    assert document.order.mailboxes[3] is not document.order.mailboxes[5]
    document.order.mailboxes[3].last_name = "Changed"
    assert document.order.mailboxes[4].last_name == "Lee"


def test_a_paste_with_a_header_maps_columns_by_name_and_appends(mailboxes_pane, document):
    current(mailboxes_pane, 0, MailboxColumn.FIRST_NAME)
    mailboxes_pane.paste("Last name,First name,Email\nDoe,Jane,jane@alpha.com\n")
    assert rows_of(document.order)[-1] == ("jane", "alpha.com", "Jane", "Doe")
    assert rows_of(document.order)[0] == ("ann", "alpha.com", "Ann", "Archer")


def test_one_value_pasted_over_a_selection_fills_it(domains_pane, document):
    view = domains_pane.view
    view.selectionModel().select(
        domains_pane.proxy.index(0, DomainColumn.YEARS), QItemSelectionModel.SelectionFlag.Select
    )
    view.selectionModel().select(
        domains_pane.proxy.index(1, DomainColumn.YEARS), QItemSelectionModel.SelectionFlag.Select
    )
    domains_pane.paste("5")
    assert [e.years for e in document.order.domains] == [5, 5]
    assert document.undo_stack.count() == 1


def test_paste_follows_the_sorted_view(mailboxes_pane, document):
    view = mailboxes_pane.view
    view.sortByColumn(MailboxColumn.USERNAME, Qt.SortOrder.DescendingOrder)  # cat, bob, ann
    current(mailboxes_pane, 0, MailboxColumn.FIRST_NAME)
    mailboxes_pane.paste("Cathy\nBobby\n")
    names = {m.username: m.first_name for m in document.order.mailboxes}
    assert names == {"cat": "Cathy", "bob": "Bobby", "ann": "Ann"}


def test_copy_gives_tab_separated_cells_that_paste_back(qtbot, domains_pane, document):
    view = domains_pane.view
    selection = view.selectionModel()
    for row in (0, 1):
        for column in (DomainColumn.DOMAIN, DomainColumn.YEARS, DomainColumn.MASK_FORWARDING):
            selection.select(
                domains_pane.proxy.index(row, column), QItemSelectionModel.SelectionFlag.Select
            )
    domains_pane.copy()
    text = QGuiApplication.clipboard().text()
    assert text == "alpha.com\t1\tFALSE\nbeta.org\t2\tFALSE\n"
    selection.clear()
    current(domains_pane, 1, DomainColumn.DOMAIN)
    domains_pane.paste(text.replace("alpha.com", "gamma.com"))
    assert [e.domain for e in document.order.domains] == ["alpha.com", "gamma.com", "beta.org"]


def test_delete_empties_cells_but_removes_whole_selected_rows(domains_pane, document):
    current(domains_pane, 0, DomainColumn.DOMAIN)
    domains_pane.view.selectionModel().select(
        domains_pane.proxy.index(0, DomainColumn.DOMAIN),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    domains_pane.delete()
    assert document.order.domains[0].domain == ""
    domains_pane.ask_about_mailboxes = lambda _domains, _mailboxes: KEEP_MAILBOXES
    domains_pane.view.selectRow(1)
    domains_pane.delete()
    assert len(document.order.domains) == 1
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert [e.domain for e in document.order.domains] == ["alpha.com", "beta.org"]


def test_remove_rows_of_selected_cells_in_a_filtered_view(mailboxes_pane, document):
    mailboxes_pane.filter_edit.setText("alpha")
    assert mailboxes_pane.count_text() == "2 of 3 mailboxes shown"
    mailboxes_pane.view.selectAll()
    mailboxes_pane.remove_rows()
    assert [m.username for m in document.order.mailboxes] == ["cat"]
    assert mailboxes_pane.count_text() == "0 of 1 mailbox shown"


def test_add_row_starts_on_the_current_rows_domain(mailboxes_pane, document):
    current(mailboxes_pane, 2, MailboxColumn.USERNAME)
    mailboxes_pane.add_row()
    assert document.order.mailboxes[-1].domain == "beta.org"
    assert mailboxes_pane.view.state() == mailboxes_pane.view.State.EditingState


def test_years_editor_is_a_spin_box_from_1_to_10(qtbot, domains_pane, document):
    index = current(domains_pane, 0, DomainColumn.YEARS)
    domains_pane.view.edit(index)
    spin = domains_pane.view.findChild(QSpinBox)
    assert spin is not None
    assert (spin.minimum(), spin.maximum(), spin.value()) == (1, 10, 1)
    spin.setValue(7)
    domains_pane.view.commitData(spin)
    assert document.order.domains[0].years == 7


def test_empty_table_says_what_to_do(qtbot, domains_pane, document):
    document.order.domains.clear()
    document.replace(document.order, None)
    domains_pane.show()
    qtbot.waitExposed(domains_pane)
    image = domains_pane.view.viewport().grab().toImage()
    # The placeholder is drawn: the empty viewport is not one flat colour.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert len(colours) > 2
