"""A picture slot's caption keeps the part of the domain that tells it apart; hover and a
screen reader get the whole address."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.ui.pictures.captions import domain_caption, shared_ends
from desktop_app.ui.tables.columns import MailboxColumn

pytestmark = pytest.mark.gui

ALIKE = ["acmeleads-mail.com", "acmeleads-beach.com", "northwindmail.com"]


def by_length(room):
    return lambda text: len(text) <= room


def test_the_shared_start_and_end_are_measured_against_the_most_alike_domain():
    assert shared_ends("acmeleads-mail.com", ALIKE) == (10, 4)  # "acmeleads-", ".com"
    assert shared_ends("northwindmail.com", ALIKE) == (0, 8)  # "mail.com" with the first
    assert shared_ends("acmeleads-beach.com", ALIKE) == (10, 4)
    assert shared_ends("only.com", ["only.com"]) == (0, 0)  # itself does not count


def test_the_shared_start_gives_way_first_then_the_end_of_what_differs():
    mail = shared_ends("acmeleads-mail.com", ALIKE)
    beach = shared_ends("acmeleads-beach.com", ALIKE)
    assert domain_caption("acmeleads-mail.com", mail, by_length(30)) == "@acmeleads-mail.com"
    assert domain_caption("acmeleads-mail.com", mail, by_length(14)) == "@acme…mail.com"
    assert domain_caption("acmeleads-beach.com", beach, by_length(14)) == "@acm…beach.com"
    assert domain_caption("acmeleads-beach.com", beach, by_length(9)) == "@…beach…"
    assert domain_caption("acmeleads-beach.com", beach, by_length(6)) == "@…bea…"
    # What differs comes first: no "…" before it, where nothing was cut there.
    north = shared_ends("northwindmail.com", ALIKE)
    assert domain_caption("northwindmail.com", north, by_length(12)) == "@northwind…"
    assert domain_caption("northwindmail.com", north, by_length(8)) == "@northw…"
    # A domain alone in the draft: its start.
    assert domain_caption("only-domain.com", (0, 0), by_length(8)) == "@only-d…"


def alike_order() -> Order:
    return Order(
        domains=[DomainEntry(domain, 1) for domain in ALIKE],
        mailboxes=[Mailbox(domain, "ann", "Ann", "Archer") for domain in ALIKE],
    )


def test_each_slot_shows_what_tells_its_domain_apart_in_the_room_it_has(window):
    window.document.replace(alike_order(), None)
    view = window.avatar_pane.view
    delegate = view.itemDelegate()
    small = QFont(view.font())
    small.setPointSizeF(max(6.0, view.font().pointSizeF() * 0.85))
    metrics = QFontMetrics(small)
    width = 102  # a slot's caption: its 112 points less its margins
    captions = {}
    for row, domain in enumerate(ALIKE[:2]):
        index = view.model().index(row, int(MailboxColumn.AVATAR))
        assert metrics.horizontalAdvance(f"@{domain}") > width  # it must be cut
        captions[domain] = delegate.domain_line(index, domain, metrics, width)
        assert metrics.horizontalAdvance(captions[domain]) <= width
    # Shortened in the middle, both would hide what differs ("mail", "beach").
    middle = [metrics.elidedText(f"@{d}", Qt.TextElideMode.ElideMiddle, width) for d in ALIKE[:2]]
    assert "beach" not in middle[1]
    assert "mail" in captions["acmeleads-mail.com"]
    assert "beach" in captions["acmeleads-beach.com"]


def test_hover_and_a_screen_reader_get_the_whole_address(window):
    window.document.replace(alike_order(), None)
    model = window.avatar_pane.view.model()
    index = model.index(1, int(MailboxColumn.AVATAR))
    assert "ann@acmeleads-beach.com" in index.data(Qt.ItemDataRole.ToolTipRole)
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("ann@acmeleads-beach.com")
