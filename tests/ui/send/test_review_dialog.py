"""The review says what is bought: warnings, domains with years and mailboxes, one address."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QTableWidget
from send_support import small_order

from desktop_app.order.model import DomainEntry, Mailbox
from desktop_app.services.environments import Environment
from desktop_app.services.history import History
from desktop_app.services.send_flow import Destination, plan
from desktop_app.ui.send.review_dialog import SendReviewDialog
from desktop_app.ui.tables.problem_words import where_text

pytestmark = pytest.mark.gui

BASE = "https://api.example.com"


def review(qtbot, order, environment=Environment.PRODUCTION, max_mailboxes=992):
    plans = [plan("Spring", order, "", Destination(BASE), History(), max_mailboxes)]
    dialog = SendReviewDialog(plans, BASE, False, environment=environment)
    qtbot.addWidget(dialog)
    return dialog


def table_rows(dialog):
    table = dialog.findChild(QTableWidget, "reviewDomains")
    titles = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    return titles, rows


def test_the_warnings_themselves_are_listed(qtbot):
    order = small_order(2)
    order.mailboxes[0].avatar = None  # a warning: no picture
    order.domains.append(DomainEntry("p\u0430ypal.com", 1))  # a Cyrillic а: a warning too
    dialog = review(qtbot, order)
    warnings = [p for p in dialog.plans[0].problems if p.severity.value == "warning"]
    assert len(warnings) >= 2
    shown = dialog.findChild(QLabel, "warnings").text().splitlines()
    listed = [p for p in warnings if p.table.value != "avatars"]  # pictures have their own row
    assert len(listed) < len(warnings)
    assert shown == [f"{where_text(p, order)}: {p.message}" for p in listed]
    assert any("xn--pypal-4ve.com" in line for line in shown)


def test_each_domain_is_listed_with_its_years_and_mailboxes(qtbot):
    order = small_order(3)
    order.mailboxes.append(Mailbox("already-mine.org", "ann", "Ann", "Archer"))
    dialog = review(qtbot, order)
    titles, rows = table_rows(dialog)
    assert titles == ["Domain", "Years", "Mailboxes"]
    assert rows == [
        ["example.com", "1", "3"],
        ["second-example.net", "2", "0"],
        ["already-mine.org", "in your account", "1"],
    ]


def test_a_split_order_says_which_order_each_domain_goes_in(qtbot):
    order = small_order(0)
    order.domains = [DomainEntry(f"brand-{d}.com", 1) for d in range(3)]
    order.mailboxes = [
        Mailbox(f"brand-{d}.com", f"box{m}", "First", "Last") for d in range(3) for m in range(4)
    ]
    dialog = review(qtbot, order, max_mailboxes=5)
    titles, rows = table_rows(dialog)
    assert titles == ["Domain", "Years", "Mailboxes", "Order"]
    assert [row[3] for row in rows] == ["1", "2", "3"]
    assert dialog.send_button.text() == "&Send 3 orders"


def test_one_destination_line(qtbot):
    dialog = review(qtbot, small_order(1), Environment.SANDBOX)
    naming = [label.text() for label in dialog.findChildren(QLabel) if BASE in label.text()]
    assert naming == [f"{Environment.SANDBOX.describe()} Orders go to {BASE}"]


def test_the_first_focus_is_cancel_and_a_stray_space_cancels(qtbot):
    dialog = review(qtbot, small_order(1))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is dialog.cancel_button
    assert dialog.cancel_button.text() == "&Cancel"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Space)
    assert dialog.result() == dialog.DialogCode.Rejected


def test_send_is_reachable_with_tab_and_named_in_full(qtbot):
    dialog = review(qtbot, small_order(1))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cancel_button)
    reached = []
    for _ in range(10):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is dialog.send_button:
            break
    assert dialog.send_button in reached
    assert dialog.send_button.accessibleName() == "Send 1 order to Production"
    scroll = dialog.findChild(QScrollArea)
    assert scroll.accessibleName() == "What will be sent"


def test_on_a_short_screen_the_review_fits_and_its_buttons_show(qtbot, monkeypatch):
    """1366 × 768 at 150 % leaves about 910 × 470 for a dialog: Send and Cancel stay in view."""
    from PySide6.QtCore import QPoint, QRect

    from desktop_app.ui.common import window_fit

    monkeypatch.setattr(window_fit, "available_area", lambda _widget: QRect(0, 0, 910, 470))
    order = small_order(2)
    for index in range(30):  # a long review: many domains, each with a mailbox
        domain = f"domain-{index}.example.com"
        order.domains.append(DomainEntry(domain, 1))
        order.mailboxes.append(Mailbox(domain, "ann", "Ann", "Archer"))
    dialog = review(qtbot, order)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 470
    for button in (dialog.send_button, dialog.cancel_button):
        bottom = button.mapTo(dialog, QPoint(0, button.height())).y()
        assert button.isVisible() and 0 < bottom <= dialog.height()


def test_the_arrow_keys_bring_the_current_domain_into_the_reviews_view(qtbot, monkeypatch):
    from PySide6.QtCore import QPoint, QRect

    from desktop_app.ui.common import window_fit

    monkeypatch.setattr(window_fit, "available_area", lambda _widget: QRect(0, 0, 910, 470))
    order = small_order(2)
    order.user_id = ""  # a warning or two above the table, as drafts often have
    for index in range(30):
        domain = f"d{index}.example.com"
        order.domains.append(DomainEntry(domain, 1))
        order.mailboxes.append(Mailbox(domain, "ann", "Ann", "Archer"))
    dialog = review(qtbot, order)
    dialog.show()
    qtbot.waitExposed(dialog)
    scroll = dialog.findChild(QScrollArea, "reviewScroll")
    table = dialog.findChild(QTableWidget, "reviewDomains")
    table.setFocus()
    for _ in range(6):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    row = table.currentRow()
    assert row >= 5
    cell = table.visualRect(table.model().index(row, 0))
    bottom = table.viewport().mapTo(scroll.viewport(), QPoint(0, cell.bottom())).y()
    top = table.viewport().mapTo(scroll.viewport(), QPoint(0, cell.top())).y()
    assert top >= 0 and bottom <= scroll.viewport().height()
