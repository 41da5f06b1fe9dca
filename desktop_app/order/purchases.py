"""What an order buys, in the form that says whether two orders buy the same thing.

The never-twice guard does not compare requests byte for byte: fixing a last
name or ticking *Process at once* does not make a purchase new.  Two attempts
buy the same thing when they go to the same endpoint, for the same userId,
and share a domain (compared in its ASCII lowercase form) or a mailbox
(``username@domain`` lowercased).  Names, pictures, years, forwarding, the
flags and the provider settings play no part.

Keys are plain text: ``domain:example.com`` and ``mailbox:ann@example.com``,
so History can index them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.order.names import canonical_mailbox_key, comparable_domain, printable

DOMAIN_PREFIX = "domain:"
MAILBOX_PREFIX = "mailbox:"


def domain_key(domain: str) -> str:
    return DOMAIN_PREFIX + comparable_domain(domain)


def mailbox_key(username: str, domain: str) -> str:
    return MAILBOX_PREFIX + canonical_mailbox_key(username, domain)


def is_domain_key(key: str) -> bool:
    return key.startswith(DOMAIN_PREFIX)


def key_text(key: str) -> str:
    """The domain or ``username@domain`` a key stands for (ASCII form)."""
    return key.partition(":")[2]


def keys_of_fields(fields: Iterable[tuple[str, str]] | Iterable[list[str]]) -> frozenset[str]:
    """The purchase keys of a request's text fields (``domains`` and ``mailboxes``).

    Works on what History stored for any attempt, old ones included.
    Malformed JSON yields no keys rather than an error: History is read, not judged.
    """
    values = {str(pair[0]): str(pair[1]) for pair in fields}
    keys: set[str] = set()
    try:
        domains = json.loads(values.get("domains", "[]"))
    except (ValueError, RecursionError):
        domains = []
    if isinstance(domains, list):
        for item in domains:
            if isinstance(item, dict) and isinstance(item.get("domain"), str):
                keys.add(domain_key(item["domain"]))
    try:
        mailboxes = json.loads(values.get("mailboxes", "{}"))
    except (ValueError, RecursionError):
        mailboxes = {}
    if isinstance(mailboxes, dict):
        for domain, boxes in mailboxes.items():
            if not isinstance(boxes, list):
                continue
            for box in boxes:
                if isinstance(box, dict) and isinstance(box.get("username"), str):
                    keys.add(mailbox_key(box["username"], str(domain)))
    return frozenset(keys)


@dataclass(frozen=True)
class Repeat:
    """One domain or mailbox that an earlier attempt bought, or may have."""

    key: str
    attempt_id: int
    outcome: str  # "created", "unknown" or "sending" (reads as unknown)
    order_id: str
    started: str  # ISO 8601, UTC

    @property
    def what(self) -> str:
        return key_text(self.key)

    def describe(self) -> str:
        """``brand-one.com — order BYO4IU…, created 3 Dec 14:02 UTC``."""
        when = short_time(self.started)
        if self.outcome == "created":  # History's words: an edited one must not drive a terminal
            return printable(f"{self.what} — order {self.order_id}, created {when}")
        return f"{self.what} — unknown outcome, {when}: check the dashboard first"


def short_time(iso: str) -> str:
    """``2026-12-03T14:02:11+00:00`` as ``3 Dec 14:02 UTC``; anything else as it is."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return f"{when.day} {when:%b %H:%M} UTC"


def summarise(repeats: Iterable[Repeat], limit: int = 8) -> list[str]:
    """One line per repeated domain or mailbox (at most ``limit``, then a count)."""
    ordered = sorted(repeats, key=lambda r: (not is_domain_key(r.key), r.key, r.attempt_id))
    seen: set[str] = set()
    unique = []
    for repeat in ordered:
        if repeat.key not in seen:
            seen.add(repeat.key)
            unique.append(repeat)
    lines = [repeat.describe() for repeat in unique[:limit]]
    if len(unique) > limit:
        lines.append(f"… and {len(unique) - limit:,} more")
    return lines
