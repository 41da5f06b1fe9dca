"""The rules only the whole order shows: domains too big for one request, what was bought.

Kept apart from the per-row rules of :mod:`desktop_app.order.validation`,
which :func:`validate` composes with these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from desktop_app.order.model import Order
from desktop_app.order.names import comparable_domain
from desktop_app.order.problems import Problem, Table, error, warning
from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST, MAX_PARTS

if TYPE_CHECKING:
    from desktop_app.order.purchases import Repeat


def order_wide_problems(order: Order, bought: Mapping[str, Repeat] | None = None) -> list[Problem]:
    """Problems only the whole order shows: domains too big for one request, what was bought."""
    problems = oversized_domains(order)
    if bought:
        problems.extend(already_bought(order, bought))
    return problems


def oversized_domains(order: Order) -> list[Problem]:
    """An error for each domain with more mailboxes than one request can carry.

    A larger order is split into several requests, but a domain's mailboxes
    always go together (:mod:`desktop_app.api.order_parts`).
    """
    return [
        error(
            Table.MAILBOXES,
            f"{order.mailboxes[row].domain.strip()} has {count:,} mailboxes: one "
            f"request carries at most {MAX_MAILBOXES_PER_REQUEST:,} (servers refuse more than "
            f"{MAX_PARTS:,} parts), and a domain's mailboxes always go together.",
            row,
            "domain",
        )
        for row, count in mailboxes_per_domain(order).values()
        if count > MAX_MAILBOXES_PER_REQUEST
    ]


def mailboxes_per_domain(
    order: Order, skip: Callable[[str], bool] | None = None
) -> dict[str, tuple[int, int]]:
    """Each domain of the mailboxes (its comparable form): its first row and how many it has.

    In the order of their first rows.  Domains typed as ``skip`` says are left
    out.  Asked after every edit: rows are counted by their text first (in C),
    and each distinct text is compared once.
    """
    domains = [mailbox.domain for mailbox in order.mailboxes]
    counts = Counter(domains)
    # Assigned from the last row to the first, so each text keeps its first row.
    rows_backwards = range(len(domains) - 1, -1, -1)
    first_row = {text: row for row, text in zip(rows_backwards, reversed(domains), strict=True)}
    found: dict[str, tuple[int, int]] = {}
    for text in dict.fromkeys(domains):  # in order of first rows
        if skip is not None and skip(text):
            continue
        key = comparable_domain(text)
        if key in found:
            row, count = found[key]
            found[key] = (row, count + counts[text])
        else:
            found[key] = (first_row[text], counts[text])
    return found


def already_bought(order: Order, bought: Mapping[str, Repeat]) -> list[Problem]:
    """A warning for each row that History shows as bought (or maybe bought) already."""
    from desktop_app.order.purchases import domain_key, mailbox_key

    problems = []
    for row, entry in enumerate(order.domains):
        repeat = bought.get(domain_key(entry.domain))
        if repeat is not None:
            problems.append(
                warning(Table.DOMAINS, _bought_text(entry.domain.strip(), repeat), row, "domain")
            )
    for row, mailbox in enumerate(order.mailboxes):
        repeat = bought.get(mailbox_key(mailbox.username, mailbox.domain))
        if repeat is not None:
            problems.append(
                warning(
                    Table.MAILBOXES, _bought_text(mailbox.email.strip(), repeat), row, "username"
                )
            )
    return problems


def _bought_text(what: str, repeat: Repeat) -> str:
    from desktop_app.order.purchases import short_time

    when = short_time(repeat.started)
    if repeat.outcome == "created":
        return f"{what} was already ordered: order {repeat.order_id}, created {when}."
    of_send = f"the send of {when}" if when else "an earlier send"
    return (
        f"{what} may already be ordered: the outcome of {of_send} is unknown; "
        "check the dashboard first."
    )
