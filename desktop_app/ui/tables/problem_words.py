"""Where a problem is, in the window's words: the Problems pane and the review say it alike."""

from __future__ import annotations

from desktop_app.order.model import Order
from desktop_app.order.order_fields import FIELDS
from desktop_app.order.problems import Problem, Table
from desktop_app.ui.tables.columns import DOMAIN_SPECS, MAILBOX_SPECS

_TABLE_WORDS = {Table.DOMAINS: "Domains", Table.MAILBOXES: "Mailboxes"}
_COLUMN_WORDS = {
    Table.DOMAINS: {spec.field: spec.title for spec in DOMAIN_SPECS.values()},
    Table.MAILBOXES: {spec.field: spec.title for spec in MAILBOX_SPECS.values() if spec.field},
}
# The order's fields by the column their problems name, in the window's words.
SETTING_WORDS = {field.column: field.name for field in FIELDS} | {"notes": "Notes"}


def mailbox_of(problem: Problem, order: Order | None) -> str:
    """The address of the problem's picture as typed (its key when no row is known)."""
    if order is not None and problem.row is not None and 0 <= problem.row < len(order.mailboxes):
        return order.mailboxes[problem.row].email
    return problem.key


def where_text(problem: Problem, order: Order | None = None) -> str:
    """Where a problem is, in the window's words: ``Mailboxes row 3, First name``."""
    if problem.table is Table.AVATARS:
        return f"Picture of {mailbox_of(problem, order)}"
    if problem.table is Table.SETTINGS:
        return f"Settings, {SETTING_WORDS.get(problem.column, problem.column)}"
    place = _TABLE_WORDS[problem.table]
    if problem.row is not None:
        place += f" row {problem.row + 1:,}"
    column = _COLUMN_WORDS[problem.table].get(problem.column, problem.column)
    return f"{place}, {column}" if column else place
