"""What the review before a send shows, worked out without Qt.

For each order: its problems, the exact request (or None while it has
errors), and earlier attempts of that same request that created an order or
may have.  The review dialog only presents this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.core.validation import Problem, Severity, validate

if TYPE_CHECKING:
    from desktop_app.core.history import Attempt, History
    from desktop_app.core.model import Order
    from desktop_app.core.payload import OrderRequest


@dataclass
class ReviewItem:
    """One order in the review."""

    label: str
    order: Order
    draft_path: str
    problems: list[Problem]
    request: OrderRequest | None
    earlier: list[Attempt] = field(default_factory=list)
    same_as: str = ""  # the label of an earlier order in this review with the same request

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def sendable(self) -> bool:
        return self.request is not None

    @property
    def missing_avatars(self) -> int:
        return sum(1 for mailbox in self.order.mailboxes if mailbox.avatar is None)


def review_items(
    orders: list[tuple[str, Order, str]], base_url: str, history: History
) -> list[ReviewItem]:
    """A :class:`ReviewItem` for each ``(label, order, draft_path)``."""
    from desktop_app.core.payload import OrderNotReady, build_request

    items = []
    first_with: dict[str, ReviewItem] = {}
    for label, order, draft_path in orders:
        problems = validate(order)
        request: OrderRequest | None
        try:
            request = build_request(order, base_url)
        except OrderNotReady:
            request = None
        earlier: list[Attempt] = []
        same_as = ""
        if request is not None:
            earlier = history.earlier_attempts(request.fingerprint)
            first = first_with.get(request.fingerprint)
            same_as = first.label if first is not None else ""
        item = ReviewItem(label, order, draft_path, problems, request, earlier, same_as)
        if request is not None:
            first_with.setdefault(request.fingerprint, item)
        items.append(item)
    return items
