"""What the review lists for one draft: its warnings, and each domain with what is bought.

Qt-free helpers for :mod:`review_dialog`, and the small read-only table it shows.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.order.names import comparable_domain
from desktop_app.order.problems import Severity, Table
from desktop_app.ui.tables.problem_words import where_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget

    from desktop_app.api.payload import OrderRequest
    from desktop_app.services.send_flow import Plan

WARNINGS_SHOWN = 12  # the rest are counted; Problems lists them all
TABLE_ROWS_SHOWN = 8  # rows the domains table shows before it scrolls
IN_ACCOUNT = "in your account"  # a mailbox's domain the order does not register


@dataclass(frozen=True)
class DomainLine:
    """One domain of a draft as the review lists it."""

    domain: str  # as typed
    years: str  # "2", or IN_ACCOUNT when the order buys no domain, only mailboxes on it
    mailboxes: int
    part: int  # which of the orders it goes out in (1-based); 0 when it is one order


def warning_lines(plan: Plan) -> list[str]:
    """The draft's warnings, ``where: message``, at most :data:`WARNINGS_SHOWN` and a count."""
    # Missing pictures have a row of their own in the review: not listed twice.
    warnings = [
        p for p in plan.problems if p.severity is Severity.WARNING and p.table is not Table.AVATARS
    ]
    lines = [f"{where_text(p, plan.order)}: {p.message}" for p in warnings[:WARNINGS_SHOWN]]
    if len(warnings) > WARNINGS_SHOWN:
        lines.append(f"…and {len(warnings) - WARNINGS_SHOWN:,} more (see Problems)")
    return lines


def _parts_of(requests: list[OrderRequest]) -> dict[str, int]:
    """Each domain's order number, read from what each request carries."""
    part_of: dict[str, int] = {}
    for number, request in enumerate(requests, start=1):
        fields = dict(request.fields)
        for item in json.loads(fields.get("domains", "[]")):
            part_of.setdefault(comparable_domain(str(item.get("domain", ""))), number)
        for domain in json.loads(fields.get("mailboxes", "{}")):
            part_of.setdefault(comparable_domain(str(domain)), number)
    return part_of


def domain_lines(plan: Plan) -> list[DomainLine]:
    """Every domain the draft registers or puts mailboxes on, in the draft's order."""
    order = plan.order
    mailboxes = Counter(comparable_domain(m.domain) for m in order.mailboxes if m.domain.strip())
    split = len(plan.parts) > 1
    part_of = _parts_of(plan.parts) if split else {}
    lines: list[DomainLine] = []
    seen: set[str] = set()
    # The domains the order registers, then those only its mailboxes name (in the account).
    places = [(e.domain, str(e.years)) for e in order.domains]
    places += [(m.domain, IN_ACCOUNT) for m in order.mailboxes]
    for domain, years in places:
        key = comparable_domain(domain)
        if not domain.strip() or key in seen:
            continue
        seen.add(key)
        lines.append(DomainLine(domain.strip(), years, mailboxes[key], part_of.get(key, 0)))
    return lines


def domains_table(lines: list[DomainLine], split: bool) -> QTableWidget:
    """A read-only table of ``lines``: domain, years, mailboxes (and order, when split)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

    from desktop_app.ui.common.keyboard import tab_leaves

    titles = ["Domain", "Years", "Mailboxes"] + (["Order"] if split else [])
    table = QTableWidget(len(lines), len(titles))
    table.setObjectName("reviewDomains")
    table.setAccessibleName("Domains, years and mailboxes")
    table.setHorizontalHeaderLabels(titles)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    tab_leaves(table)
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for row, line in enumerate(lines):
        cells = [line.domain, line.years, f"{line.mailboxes:,}"]
        if split:
            cells.append(str(line.part) if line.part else "")
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)  # a table item shows its text as plain text
            if column:
                item.setTextAlignment(right)
            table.setItem(row, column, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(titles)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    rows = min(len(lines), TABLE_ROWS_SHOWN)
    height = header.sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)
    return table
