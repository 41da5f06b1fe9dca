"""Splitting an order too big for one request into several, on domain boundaries.

A domain and all of its mailboxes always travel in the same request (and
mailboxes on a domain that is not in the order are grouped by domain too), so
each part is an order that makes sense on its own.  Parts are as even as the
domains allow: 5,000 mailboxes at up to 992 a request go out as 6 orders of
about 834, not 5 full ones and a small one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.names import comparable_domain
from desktop_app.order.request_limits import (
    MAX_FIELD_BYTES,
    MAX_FILES,
    MAX_MAILBOXES_PER_REQUEST,
    MAX_PARTS,
)


@dataclass
class _Unit:
    """One domain with its mailboxes: the smallest piece an order is split into."""

    domains: list[DomainEntry] = field(default_factory=list)
    mailboxes: list[Mailbox] = field(default_factory=list)
    domain_bytes: int = 0
    mailbox_bytes: int = 0

    @property
    def files(self) -> int:
        return sum(1 for m in self.mailboxes if m.avatar is not None)


def _units(order: Order) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    for entry in order.domains:
        unit = units.setdefault(comparable_domain(entry.domain), _Unit())
        unit.domains.append(entry)
        shape = {"domain": entry.domain, "years": 10}
        if entry.forward_to.strip():
            shape |= {"forwardTo": entry.forward_to, "maskForwarding": False}
        unit.domain_bytes += _size(shape) + 1
    for mailbox in order.mailboxes:
        key = comparable_domain(mailbox.domain)
        unit = units.setdefault(key, _Unit())
        if not unit.mailboxes:
            unit.mailbox_bytes += _size(key) + 3  # "key":[ ... ],
        unit.mailboxes.append(mailbox)
        unit.mailbox_bytes += (
            _size(
                {
                    "username": mailbox.username,
                    "firstName": mailbox.first_name,
                    "lastName": mailbox.last_name,
                }
            )
            + 1
        )
    return list(units.values())


def _size(value: object) -> int:
    # An upper bound of what payload.build_request writes for the same value
    # (it trims and lowercases, and writes punycode, which is never longer
    # than this escaped form).
    return len(json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii"))


@dataclass
class _Load:
    """What the units in one request add up to."""

    mailboxes: int = 0
    files: int = 0
    domain_bytes: int = 2  # the list's brackets
    mailbox_bytes: int = 2

    def plus(self, unit: _Unit) -> _Load:
        return _Load(
            self.mailboxes + len(unit.mailboxes),
            self.files + unit.files,
            self.domain_bytes + unit.domain_bytes,
            self.mailbox_bytes + unit.mailbox_bytes,
        )

    def fits(self, max_mailboxes: int) -> bool:
        return (
            self.mailboxes <= max_mailboxes
            and self.files <= MAX_FILES
            and self.domain_bytes <= MAX_FIELD_BYTES
            and self.mailbox_bytes <= MAX_FIELD_BYTES
        )


def _pack(units: list[_Unit], max_mailboxes: int) -> list[list[_Unit]] | None:
    """Consecutive units into as few parts as fit ``max_mailboxes``; None when one never fits."""
    parts: list[list[_Unit]] = []
    current: list[_Unit] = []
    load = _Load()
    for unit in units:
        grown = load.plus(unit)
        if current and grown.fits(max_mailboxes):
            current.append(unit)
            load = grown
            continue
        if not _Load().plus(unit).fits(MAX_MAILBOXES_PER_REQUEST):
            return None
        if current:
            parts.append(current)
        current, load = [unit], _Load().plus(unit)
    if current:
        parts.append(current)
    return parts


class OrderTooLarge(ValueError):
    """A single domain carries more than one request can; the message names it."""


def split_order(order: Order, max_mailboxes: int = MAX_MAILBOXES_PER_REQUEST) -> list[Order]:
    """``order`` as the orders it goes out as: itself when it fits one request.

    ``max_mailboxes`` is the operator's "mailboxes per request" (at most
    :data:`MAX_MAILBOXES_PER_REQUEST`); a domain with more mailboxes than
    that still goes whole, in a request of its own, as long as it fits the
    servers' limits.  Raises :class:`OrderTooLarge` when one domain does not.
    """
    max_mailboxes = max(1, min(max_mailboxes, MAX_MAILBOXES_PER_REQUEST))
    units = _units(order)
    greedy = _pack(units, max_mailboxes)
    if greedy is None:
        problem = oversized_domain(order)
        raise OrderTooLarge(problem or "One domain carries more than one request can hold.")
    if len(greedy) <= 1:
        return [order]
    # The fewest parts are known; now the smallest cap that still needs no more
    # parts, so the parts come out even.
    low, high = 1, max_mailboxes
    while low < high:
        middle = (low + high) // 2
        packed = _pack(units, middle)
        if packed is not None and len(packed) <= len(greedy):
            high = middle
        else:
            low = middle + 1
    parts = _pack(units, low) or greedy
    return [_order_of(order, part) for part in parts]


def _order_of(order: Order, units: list[_Unit]) -> Order:
    return replace(
        order,
        domains=[entry for unit in units for entry in unit.domains],
        mailboxes=[mailbox for unit in units for mailbox in unit.mailboxes],
        unassigned_avatars={},
    )


def oversized_domain(order: Order) -> str | None:
    """The sentence naming the first domain whose mailboxes cannot fit one request, or None."""
    for unit in _units(order):
        if _Load().plus(unit).fits(MAX_MAILBOXES_PER_REQUEST):
            continue
        name = (unit.domains[0].domain if unit.domains else unit.mailboxes[0].domain).strip()
        return (
            f"{name} has {len(unit.mailboxes):,} mailboxes: one request carries at most "
            f"{MAX_MAILBOXES_PER_REQUEST:,} (the servers' limit of {MAX_PARTS:,} parts), and a "
            "domain's mailboxes always go together. Move some to a later order."
        )
    return None
