"""The order's problems, kept up to date row by row while it is edited.

Re-validating a 5,000-mailbox order on every keystroke would make typing
stutter, so this index re-checks only the rows that changed (with the core's
own per-row checks) and keeps counts of domain and mailbox keys, so duplicates
and "not among this order's domains" stay right without a full pass.
:meth:`ProblemIndex.all_problems` gives the same problems as
``validation.validate`` would, with current row numbers.

Rows are tracked by object identity: the index is told which objects changed,
were added or were removed, and answers which other objects' marks may have
changed as a result (duplicate partners, mailboxes on a domain that came or
went).  No Qt here.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.names import comparable_domain
from desktop_app.order.operator_warnings import crowded_domains
from desktop_app.order.validation import (
    Problem,
    Severity,
    Table,
    check_domain,
    check_mailbox,
    check_settings,
    duplicate_domains,
    duplicate_mailboxes,
    order_wide_problems,
    validate,
)

if TYPE_CHECKING:
    from desktop_app.order.operator_warnings import MailboxesPerDomain
    from desktop_app.order.purchases import Repeat

_NO_ROW = 0  # row numbers are filled in when problems are listed


@dataclass
class Dirty:
    """Rows whose problem marks may have changed, by object identity."""

    domains: dict[int, DomainEntry] = field(default_factory=dict)
    mailboxes: dict[int, Mailbox] = field(default_factory=dict)

    def update(self, other: Dirty) -> None:
        self.domains.update(other.domains)
        self.mailboxes.update(other.mailboxes)


class ProblemIndex:
    """Problems of one order, per row and for the whole order."""

    def __init__(self, order: Order) -> None:
        # What History shows as bought at the endpoint in use, for a userId (see
        # validate's ``bought``); set by the window's sending half.
        self.bought_for: Callable[[str], Mapping[str, Repeat]] | None = None
        # The mailboxes per domain the settings allow (validate's ``limits``); set by the window.
        self.limits: Callable[[], MailboxesPerDomain] | None = None
        self.reset(order)

    def reset(self, order: Order) -> None:
        """Forget everything and index ``order`` from scratch."""
        self.order = order
        self._domain_own: dict[int, list[Problem]] = {}
        self._domain_key: dict[int, str] = {}
        self._domains_by_key: defaultdict[str, dict[int, DomainEntry]] = defaultdict(dict)
        self._order_domains: set[str] = set()
        self._mailbox_own: dict[int, list[Problem]] = {}
        self._mailbox_key: dict[int, str] = {}
        self._mailbox_domain: dict[int, str] = {}
        self._mailboxes_by_key: defaultdict[str, dict[int, Mailbox]] = defaultdict(dict)
        self._mailboxes_by_domain: defaultdict[str, dict[int, Mailbox]] = defaultdict(dict)
        for entry in order.domains:
            key = comparable_domain(entry.domain)
            self._domain_own[id(entry)] = check_domain(entry, _NO_ROW)
            self._domain_key[id(entry)] = key
            self._domains_by_key[key][id(entry)] = entry
        self._order_domains = set(self._domains_by_key)
        for mailbox in order.mailboxes:
            self._index_mailbox(mailbox)
        self._settings = check_settings(order)

    # --- changes -------------------------------------------------------------------

    def domains_changed(self, entries: Iterable[DomainEntry]) -> Dirty:
        """Re-check ``entries`` (edited or newly added)."""
        dirty = Dirty()
        touched: set[str] = set()
        for entry in entries:
            ident = id(entry)
            dirty.domains[ident] = entry
            self._domain_own[ident] = check_domain(entry, _NO_ROW)
            old, new = self._domain_key.get(ident), comparable_domain(entry.domain)
            if old == new:
                continue
            if old is not None:
                self._domains_by_key[old].pop(ident, None)
                touched.add(old)
            self._domain_key[ident] = new
            self._domains_by_key[new][ident] = entry
            touched.add(new)
        dirty.update(self._domain_keys_touched(touched))
        return dirty

    def domains_removed(self, entries: Iterable[DomainEntry]) -> Dirty:
        touched: set[str] = set()
        for entry in entries:
            ident = id(entry)
            self._domain_own.pop(ident, None)
            key = self._domain_key.pop(ident, None)
            if key is not None:
                self._domains_by_key[key].pop(ident, None)
                touched.add(key)
        return self._domain_keys_touched(touched)

    def _domain_keys_touched(self, keys: set[str]) -> Dirty:
        """Duplicate partners of ``keys``, and mailboxes on a domain that came or went."""
        dirty = Dirty()
        for key in keys:
            holders = self._domains_by_key.get(key)
            if holders:
                dirty.domains.update(holders)
            elif key in self._domains_by_key:
                del self._domains_by_key[key]
            present = bool(holders)
            if present != (key in self._order_domains):
                if present:
                    self._order_domains.add(key)
                else:
                    self._order_domains.discard(key)
                mailboxes = list(self._mailboxes_by_domain.get(key, {}).values())
                for mailbox in mailboxes:
                    self._mailbox_own[id(mailbox)] = check_mailbox(
                        mailbox, _NO_ROW, self._order_domains
                    )
                    dirty.mailboxes[id(mailbox)] = mailbox
        return dirty

    def mailboxes_changed(self, mailboxes: Iterable[Mailbox]) -> Dirty:
        """Re-check ``mailboxes`` (edited, newly added, or given another picture)."""
        dirty = Dirty()
        touched: set[str] = set()
        for mailbox in mailboxes:
            dirty.mailboxes[id(mailbox)] = mailbox
            old_key = self._unindex_mailbox(mailbox)
            new_key = self._index_mailbox(mailbox)
            if old_key != new_key:
                touched.update(k for k in (old_key, new_key) if k is not None)
        for key in touched:
            dirty.mailboxes.update(self._mailboxes_by_key.get(key, {}))
        return dirty

    def mailboxes_removed(self, mailboxes: Iterable[Mailbox]) -> Dirty:
        dirty = Dirty()
        touched = {key for m in mailboxes if (key := self._unindex_mailbox(m)) is not None}
        for key in touched:
            dirty.mailboxes.update(self._mailboxes_by_key.get(key, {}))
        return dirty

    def fields_changed(self) -> None:
        self._settings = check_settings(self.order)

    def _index_mailbox(self, mailbox: Mailbox) -> str:
        ident = id(mailbox)
        key, domain = mailbox.key, comparable_domain(mailbox.domain)
        self._mailbox_own[ident] = check_mailbox(mailbox, _NO_ROW, self._order_domains)
        self._mailbox_key[ident] = key
        self._mailbox_domain[ident] = domain
        self._mailboxes_by_key[key][ident] = mailbox
        self._mailboxes_by_domain[domain][ident] = mailbox
        return key

    def _unindex_mailbox(self, mailbox: Mailbox) -> str | None:
        ident = id(mailbox)
        self._mailbox_own.pop(ident, None)
        key = self._mailbox_key.pop(ident, None)
        domain = self._mailbox_domain.pop(ident, None)
        if key is not None:
            _discard(self._mailboxes_by_key, key, ident)
        if domain is not None:
            _discard(self._mailboxes_by_domain, domain, ident)
        return key

    # --- questions ---------------------------------------------------------------------

    def domain_problems(self, entry: DomainEntry) -> list[Problem]:
        """Problems of one domain row (row numbers not meaningful)."""
        own = self._domain_own.get(id(entry), [])
        key = self._domain_key.get(id(entry), "")
        count = len(self._domains_by_key.get(key, ()))
        if key and count > 1:
            return [*own, *duplicate_domains([key] * count)[:1]]
        return own

    def mailbox_problems(self, mailbox: Mailbox) -> list[Problem]:
        """Problems of one mailbox row, its picture's included (row numbers not meaningful)."""
        own = self._mailbox_own.get(id(mailbox), [])
        key = self._mailbox_key.get(id(mailbox), "")
        count = len(self._mailboxes_by_key.get(key, ()))
        if count > 1 and not key.startswith("@"):
            return [*own, *duplicate_mailboxes([key] * count, [mailbox] * count)[:1]]
        return own

    def settings_problems(self) -> list[Problem]:
        return list(self._settings)

    def all_problems(self) -> list[Problem]:
        """Every problem of the order, as ``validate`` lists them, with current rows."""
        order = self.order
        problems: list[Problem] = []
        duplicates: list[Problem] = []
        for row, entry in enumerate(order.domains):
            found = self.domain_problems(entry)
            own = self._domain_own.get(id(entry), [])
            problems.extend(dataclasses.replace(p, row=row) for p in own)
            duplicates.extend(dataclasses.replace(p, row=row) for p in found[len(own) :])
        problems.extend(duplicates)
        duplicates = []
        # After each edit, for 20,000 rows most of which have no problem: a row
        # with no problem of its own and no twin costs three look-ups.
        own_of, key_of, by_key = self._mailbox_own, self._mailbox_key, self._mailboxes_by_key
        for row, mailbox in enumerate(order.mailboxes):
            ident = id(mailbox)
            own = own_of.get(ident) or []
            if own:
                problems.extend(dataclasses.replace(p, row=row) for p in own)
            if len(by_key.get(key_of.get(ident, ""), ())) > 1:
                found = self.mailbox_problems(mailbox)
                duplicates.extend(dataclasses.replace(p, row=row) for p in found[len(own) :])
        problems.extend(duplicates)
        # The rest is small and cheap: let the core say it, word for word.
        rest = validate(
            Order(
                name=order.name,
                notes=order.notes,
                user_id=order.user_id,
                provider=order.provider,
                google=order.google,
                microsoft_oauth_route=order.microsoft_oauth_route,
                unassigned_avatars=order.unassigned_avatars,
            )
        )
        if order.domains or order.mailboxes:
            rest = [p for p in rest if not (p.table is Table.DOMAINS and p.row is None)]
        problems.extend(rest)
        bought = self.bought_for(order.user_id) if self.bought_for is not None else None
        problems.extend(order_wide_problems(order, bought))
        problems.extend(crowded_domains(order, self.limits() if self.limits else None))
        return problems


def count_by_severity(problems: Iterable[Problem]) -> tuple[int, int]:
    """``(errors, warnings)``."""
    errors = warnings = 0
    for problem in problems:
        if problem.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def _discard(index: defaultdict[str, dict[int, Mailbox]], key: str, ident: int) -> None:
    holders = index.get(key)
    if holders is not None:
        holders.pop(ident, None)
        if not holders:
            del index[key]
