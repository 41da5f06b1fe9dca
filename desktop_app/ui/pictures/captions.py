"""A picture slot's domain line, shortened where it does not tell one domain from another.

``@acmeleads-mail.com`` and ``@acmeleads-beach.com`` shortened in the middle
read ``@acmele…ail.com`` and ``@acmele…ach.com``: what differs is what was cut.  Here the
start and end a domain shares with the most alike of the draft's other
domains give way first, then the end of what differs; what differs is kept
from its start.  (Qt-free: the caller says what fits.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

ELLIPSIS = "…"


def _common_start(one: str, other: str) -> int:
    length = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        length += 1
    return length


def shared_ends(domain: str, others: Iterable[str]) -> tuple[int, int]:
    """How many characters ``domain`` shares at its start and at its end with the most alike
    of ``others`` (the one sharing the most; itself left out); the two never overlap."""
    best = (0, 0)
    for other in others:
        if other == domain:
            continue
        start = _common_start(domain, other)
        end = min(_common_start(domain[::-1], other[::-1]), len(domain) - start)
        if start + end > sum(best):
            best = (start, end)
    return best


def domain_caption(domain: str, shared: tuple[int, int], fits: Callable[[str], bool]) -> str:
    """``@domain``, or the shortest cut of it that keeps the most of what tells it apart.

    ``shared`` is :func:`shared_ends` of the domain; ``fits(text)`` says whether a text
    has room.  In order: the whole; the shared start cut short ("@acme…mail.com"); the
    shared end left off ("@…beach…"); what differs cut at its end ("@…bea…").
    """
    whole = f"@{domain}"
    if fits(whole):
        return whole
    start, end = shared
    head, telling = domain[:start], domain[start : len(domain) - end]
    tail = domain[len(domain) - end :]
    for keep in range(len(head) - 1, -1, -1):
        text = f"@{head[:keep]}{ELLIPSIS}{telling}{tail}"
        if fits(text):
            return text
    lead = f"@{ELLIPSIS}" if head else "@"
    if tail and fits(text := f"{lead}{telling}{ELLIPSIS}"):
        return text
    for keep in range(len(telling) - 1, 0, -1):
        text = f"{lead}{telling[:keep]}{ELLIPSIS}"
        if fits(text):
            return text
    return f"@{ELLIPSIS}"
