"""The practice server's order status: a plausible progression, so the loop can be tried.

An order the practice server created goes from *pending* to *processing* to
*completed* over about a minute, and so does each of its domains and
mailboxes, one after another.  The shape of CMR's real answer is not
documented; this one is only meant to be plausible, and the app shows
whatever comes back rather than relying on it.

Orders are kept in a small database when the server is given one (the app
gives the one in its home): an order made in practice by the window can be
followed up by the command line, by a later command, and after a restart,
whatever port the server listens on then.
"""

from __future__ import annotations

import json
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PENDING_SECONDS = 10.0
DONE_SECONDS = 60.0


@dataclass
class PracticeOrder:
    """What the practice server keeps of an order it created."""

    order_id: str
    user_id: str
    created: float  # seconds since the epoch, by the server's clock
    created_iso: str
    domains: list[str]
    mailboxes: list[str]


@dataclass
class PracticeOrders:
    """Every order the practice server created, and its clock (tests move it on).

    With a ``path``, orders are also kept there (SQLite, so several servers in
    several processes share them); a store that cannot be written only loses
    the follow-up of that order, never the order's answer.
    """

    path: Path | None = None
    orders: dict[str, PracticeOrder] = field(default_factory=dict)
    offset: float = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def add(self, order_id: str, user_id: str, fields: dict[str, str]) -> None:
        from datetime import datetime, timezone

        domains = [str(d.get("domain", "")) for d in json.loads(fields["domains"])]
        mailboxes = [
            f"{box.get('username', '')}@{domain}"
            for domain, boxes in json.loads(fields["mailboxes"]).items()
            for box in boxes
        ]
        order = PracticeOrder(
            order_id,
            user_id,
            self.now(),
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            domains,
            mailboxes,
        )
        self.orders[order_id] = order
        if self.path is not None:
            _store(self.path, order)

    def find(self, order_id: str) -> PracticeOrder | None:
        order = self.orders.get(order_id)
        if order is None and self.path is not None:
            order = _load(self.path, order_id)
        return order

    def answer(self, order_id: str, user_id: str) -> tuple[int, str, dict[str, Any] | None]:
        """(HTTP status, message, data) for a status request."""
        order = self.find(order_id)
        if order is None or order.user_id != user_id:
            return 404, "Order not found", None
        elapsed = self.now() - order.created
        return 200, "Order status fetched successfully", _status_of(order, elapsed)


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL,"
    " created REAL NOT NULL, created_iso TEXT NOT NULL, domains TEXT NOT NULL,"
    " mailboxes TEXT NOT NULL)"
)


def _connect(path: Path) -> Any:
    import sqlite3

    conn = sqlite3.connect(path, timeout=10.0)
    conn.execute(_SCHEMA)
    return conn


def _store(path: Path, order: PracticeOrder) -> None:
    import sqlite3

    try:
        with closing(_connect(path)) as conn, conn:
            conn.execute(
                "INSERT OR REPLACE INTO orders VALUES (?,?,?,?,?,?)",
                (
                    order.order_id,
                    order.user_id,
                    order.created,
                    order.created_iso,
                    json.dumps(order.domains),
                    json.dumps(order.mailboxes),
                ),
            )
    except (sqlite3.Error, OSError):
        pass  # kept in memory: this server still answers for it


def _load(path: Path, order_id: str) -> PracticeOrder | None:
    import sqlite3

    if not path.is_file():
        return None
    try:
        with closing(_connect(path)) as conn:
            row = conn.execute(
                "SELECT order_id, user_id, created, created_iso, domains, mailboxes"
                " FROM orders WHERE order_id = ?",
                (order_id,),
            ).fetchone()
        if row is None:
            return None
        domains, mailboxes = json.loads(row[4]), json.loads(row[5])
        return PracticeOrder(
            str(row[0]), str(row[1]), float(row[2]), str(row[3]),
            [str(d) for d in domains], [str(m) for m in mailboxes],
        )  # fmt: skip
    except (sqlite3.Error, OSError, ValueError, TypeError, IndexError):
        return None  # a damaged store: the order is simply not known


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
