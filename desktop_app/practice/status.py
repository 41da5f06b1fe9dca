"""The practice server's order status: a plausible progression, so the loop can be tried.

An order the practice server created goes from *pending* to *processing* to
*completed* over about a minute, and so does each of its domains and
mailboxes, one after another.  The shape of CMR's real answer is not
documented; this one is only meant to be plausible, and the app shows
whatever comes back rather than relying on it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

PENDING_SECONDS = 10.0
DONE_SECONDS = 60.0


@dataclass
class PracticeOrder:
    """What the practice server keeps of an order it created."""

    order_id: str
    user_id: str
    created: float  # the server's clock
    created_iso: str
    domains: list[str]
    mailboxes: list[str]


@dataclass
class PracticeOrders:
    """Every order the practice server created, and its clock (tests move it on)."""

    orders: dict[str, PracticeOrder] = field(default_factory=dict)
    offset: float = 0.0

    def now(self) -> float:
        return time.monotonic() + self.offset

    def add(self, order_id: str, user_id: str, fields: dict[str, str]) -> None:
        from datetime import datetime, timezone

        domains = [str(d.get("domain", "")) for d in json.loads(fields["domains"])]
        mailboxes = [
            f"{box.get('username', '')}@{domain}"
            for domain, boxes in json.loads(fields["mailboxes"]).items()
            for box in boxes
        ]
        self.orders[order_id] = PracticeOrder(
            order_id,
            user_id,
            self.now(),
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            domains,
            mailboxes,
        )

    def answer(self, order_id: str, user_id: str) -> tuple[int, str, dict[str, Any] | None]:
        """(HTTP status, message, data) for a status request."""
        order = self.orders.get(order_id)
        if order is None or order.user_id != user_id:
            return 404, "Order not found", None
        elapsed = self.now() - order.created
        return 200, "Order status fetched successfully", _status_of(order, elapsed)


def _status_of(order: PracticeOrder, elapsed: float) -> dict[str, Any]:
    def step(index: int, count: int, start: float, span: float) -> str:
        if elapsed < PENDING_SECONDS:
            return "pending"
        ready = start + span * (index + 1) / max(count, 1)
        return "active" if elapsed >= ready else "processing"

    if elapsed < PENDING_SECONDS:
        overall = "pending"
    elif elapsed < DONE_SECONDS:
        overall = "processing"
    else:
        overall = "completed"
    domains, mailboxes = order.domains, order.mailboxes
    return {
        "orderId": order.order_id,
        "status": overall,
        "createdAt": order.created_iso,
        "domains": [
            {"domain": d, "status": step(i, len(domains), PENDING_SECONDS, 20.0)}
            for i, d in enumerate(domains)
        ],
        "mailboxes": [
            {"email": m, "status": step(i, len(mailboxes), 20.0, DONE_SECONDS - 20.0)}
            for i, m in enumerate(mailboxes)
        ],
    }
