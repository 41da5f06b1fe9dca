"""The Problems list: the window's words, errors first, and back to the first error."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.tables.columns import MailboxColumn
from desktop_app.ui.window.problems_pane import ProblemColumn, ProblemsPane

pytestmark = pytest.mark.gui
API_NAMES = ("clientId", "firstName", "lastName", "forwardTo", "google.", "userId")


@pytest.fixture
def pane(qtbot):
    document = OrderDocument()
    order = Order(domains=[DomainEntry("bücher.de"), DomainEntry("alpha.com")])
    order.mailboxes = [Mailbox("bücher.de", "ann", "", "Archer")]
    order.mailboxes += [Mailbox("alpha.com", f"u{i}", "U", "V") for i in range(120)]
    order.google.client_id = "12ab"
    order.google.oauth_route = "https://o.example.com"
    order.google.app_name = "App"
    document.replace(order, None)
    widget = ProblemsPane(document)
    widget.resize(700, 200)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cells(pane, column, role=Qt.ItemDataRole.DisplayRole):
    model = pane.model
    return [model.data(model.index(row, column), role) for row in range(model.rowCount())]


def test_places_are_in_the_windows_words_and_domains_as_typed(pane):
    where = cells(pane, ProblemColumn.WHERE)
    assert "Mailboxes row 1, First name" in where
    assert "Settings, Client ID" in where
    assert "Picture of ann@bücher.de" in where
    assert not [w for w in where if any(name in w for name in API_NAMES)]
    tips = cells(pane, ProblemColumn.WHERE, Qt.ItemDataRole.ToolTipRole)
    ann = tips[where.index("Picture of ann@bücher.de")]
    assert ann == "ann@bücher.de\nSent as xn--bcher-kva.de"


def test_errors_come_first(pane):
    severities = cells(pane, ProblemColumn.SEVERITY)
    errors = severities.count("Error")
    assert errors == 2 and severities[:errors] == ["Error", "Error"]
    assert set(severities[errors:]) == {"Warning"}


def test_a_new_error_scrolls_back_to_the_first_error(qtbot, pane):
    bar = pane.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    mailboxes = pane.document.mailboxes
    # A warning-only change keeps the operator's place in the list.
    pane.document.order.mailboxes[5].avatar = None
    pane.refresh()
    assert bar.value() == bar.maximum()
    mailboxes.setData(mailboxes.index(60, int(MailboxColumn.LAST_NAME)), "")
    qtbot.waitUntil(lambda: pane.counts()[0] == 3)
    assert bar.value() == 0
    assert cells(pane, ProblemColumn.WHERE)[0:3].count("Mailboxes row 61, Last name") == 1
