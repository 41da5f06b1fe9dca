"""Fill domains with mailboxes made from people's names.

Given first/last name pairs, a number of mailboxes per domain and username
patterns (``first.last``, ``flast`` ...), :func:`generate` makes new mailboxes
for the chosen domains.  It never makes a username that already exists on
that domain (in the order or earlier in the same run): when every pattern of
every name is taken, it adds a number (``john.smith2``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop_app.order.model import Mailbox
from desktop_app.order.names import canonical_mailbox_key, username_problem

PATTERNS = ("first", "first.last", "firstlast", "flast", "firstl", "first_last")
PATTERN_EXAMPLES = {
    "first": "john",
    "first.last": "john.smith",
    "firstlast": "johnsmith",
    "flast": "jsmith",
    "firstl": "johns",
    "first_last": "john_smith",
}
MAX_PER_DOMAIN = 1000


@functools.cache
def _not_alnum() -> re.Pattern[str]:  # compiled on first use, not at import
    return re.compile(r"[^a-z0-9]+")


_HEADER_WORDS = {"first", "firstname", "first name", "given name", "name"}


@dataclass(frozen=True)
class Person:
    """One name to make mailboxes for, as typed (it becomes the mailbox's first/last name)."""

    first: str
    last: str


def parse_people(text: str) -> list[Person]:
    """People from typed or pasted text, one per line.

    A line is ``First Last`` (the last name is everything after the first
    word), or two cells separated by a tab, comma or semicolon.  Blank lines
    and a ``first name / last name`` header are skipped.
    """
    people: list[Person] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for separator in ("\t", ";", ","):
            if separator in line:
                first, _, last = line.partition(separator)
                break
        else:
            first, _, last = line.partition(" ")
        first, last = first.strip(), last.strip().strip("\t,;").strip()
        if not people and first.lower() in _HEADER_WORDS:
            continue
        people.append(Person(first, last))
    return people


def ascii_part(name: str) -> str:
    """A name as lowercase ASCII letters and digits (``Zoë O'Neil`` -> ``zoeoneil``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _not_alnum().sub("", plain)


def username_for(person: Person, pattern: str) -> str:
    """The username ``pattern`` makes for ``person`` ("" when the name gives nothing usable)."""
    first, last = ascii_part(person.first), ascii_part(person.last)
    if not first:
        return ""
    if pattern == "first":
        return first
    if not last:
        return ""
    return {
        "first.last": f"{first}.{last}",
        "firstlast": f"{first}{last}",
        "flast": f"{first[0]}{last}",
        "firstl": f"{first}{last[0]}",
        "first_last": f"{first}_{last}",
    }[pattern]


@dataclass
class Generated:
    """The outcome of a run: the new mailboxes, and domains that got fewer than asked."""

    mailboxes: list[Mailbox]
    short: dict[str, int]  # domain -> how many it got, when fewer than asked


def generate(
    people: Sequence[Person],
    domains: Sequence[str],
    per_domain: int,
    patterns: Sequence[str],
    existing: Iterable[Mailbox] = (),
) -> Generated:
    """New mailboxes, ``per_domain`` on each of ``domains``, none duplicating another.

    Names are spread over the domains: each domain starts where the previous
    one stopped, so ten names and three mailboxes per domain give different
    people on neighbouring domains.  The patterns take turns, name by name
    (the first name gets the first pattern, the second name the second, ...),
    so every ticked pattern is used even when there are more names than
    mailboxes to make.
    """
    chosen = [p for p in patterns if p in PATTERNS] or ["first.last"]
    per_domain = max(0, min(per_domain, MAX_PER_DOMAIN))
    taken = {mailbox.key for mailbox in existing}
    made: list[Mailbox] = []
    short: dict[str, int] = {}
    start = 0
    for domain in domains:
        candidates = _candidates(people, chosen, start, per_domain + len(taken))
        count = 0
        for person, username in candidates:
            if count == per_domain:
                break
            key = canonical_mailbox_key(username, domain)
            if key in taken:
                continue
            taken.add(key)
            made.append(
                Mailbox(
                    domain=domain, username=username, first_name=person.first, last_name=person.last
                )
            )
            count += 1
        if count < per_domain:
            short[domain] = count
        start += per_domain
    return Generated(made, short)


def _candidates(
    people: Sequence[Person], patterns: Sequence[str], start: int, wanted: int
) -> Iterable[tuple[Person, str]]:
    """Usernames to try in order: each name with its turn of the patterns, round by round.

    In round ``r`` the ``i``-th name gets pattern ``(i + r) % len(patterns)``
    (counting from where the domain starts), so the first names already cover
    every pattern, and after ``len(patterns)`` rounds every name has had every
    pattern.  After the plain patterns come numbered ones (``john.smith2``):
    every numbered round offers at least one new username, so ``wanted``
    rounds are enough even when ``wanted - per_domain`` usernames are taken.
    """
    if not people or wanted == 0:
        return
    rotated = [people[(start + i) % len(people)] for i in range(len(people))]
    rounds = len(patterns) * (wanted + 1)
    for round_ in range(rounds):
        suffix = "" if round_ < len(patterns) else str(round_ // len(patterns) + 1)
        for number, person in enumerate(rotated):
            pattern = patterns[(start + number + round_) % len(patterns)]
            base = username_for(person, pattern)
            if not base:
                continue
            username = base[: 64 - len(suffix)].rstrip("._") + suffix
            if username_problem(username) is None:
                yield person, username
