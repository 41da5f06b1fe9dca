"""History's tables and rows: the schema, its upgrades, and reading rows that may be damaged.

A history is the operator's only record of which orders exist, so a row of
the wrong types (a file edited by hand, or by another program) is read as
well as it can be, never refused: text columns as text, numbers as 0 when
they are not numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop_app.api.outcome import UNKNOWN_ADVICE, Outcome

if TYPE_CHECKING:
    import sqlite3

SENDING = "sending"  # written before the request goes out; replaced by the outcome
INTERRUPTED_MESSAGE = f"Order Desk stopped while this order was being sent. {UNKNOWN_ADVICE}"
SCHEMA_VERSION = 3

_TABLES = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT NOT NULL DEFAULT '',
    endpoint TEXT NOT NULL,
    user_id TEXT NOT NULL,
    order_id TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    server_message TEXT NOT NULL DEFAULT '',
    http_status INTEGER,
    domains INTEGER NOT NULL,
    mailboxes INTEGER NOT NULL,
    avatars INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    draft_path TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_fingerprint ON attempts (fingerprint);
CREATE TABLE IF NOT EXISTS purchases (
    attempt_id INTEGER NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS purchases_key ON purchases (key);
"""
# Columns added by versions 2 (purchases, parts) and 3 (order status), with what
# older rows get.
_ADDED_COLUMNS = {
    "endpoint_key": "TEXT NOT NULL DEFAULT ''",
    "environment": "TEXT NOT NULL DEFAULT ''",
    "batch": "TEXT NOT NULL DEFAULT ''",
    "part": "INTEGER NOT NULL DEFAULT 1",
    "parts": "INTEGER NOT NULL DEFAULT 1",
    "status_text": "TEXT NOT NULL DEFAULT ''",
    "status_checked": "TEXT NOT NULL DEFAULT ''",
    "status_raw": "TEXT NOT NULL DEFAULT ''",
}

CSV_COLUMNS = (
    "started",
    "finished",
    "environment",
    "endpoint",
    "userId",
    "orderId",
    "outcome",
    "part",
    "parts",
    "batch",
    "statusText",
    "statusChecked",
    "message",
    "serverMessage",
    "httpStatus",
    "domains",
    "mailboxes",
    "avatars",
    "fingerprint",
    "draftPath",
    "fields",
)


def migrate(conn: sqlite3.Connection) -> None:
    """Create the tables, or bring an older history up to :data:`SCHEMA_VERSION`.

    Version 1 kept no purchase keys: they are worked out from each attempt's
    stored text fields, so attempts made before the upgrade still guard
    against buying the same domain twice.
    """
    if _version(conn) >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _version(conn) >= SCHEMA_VERSION:  # another process upgraded it meanwhile
            conn.execute("COMMIT")
            return
        for statement in _TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        present = {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}
        for name, declaration in _ADDED_COLUMNS.items():
            if name not in present:
                conn.execute(f"ALTER TABLE attempts ADD COLUMN {name} {declaration}")
        _backfill(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _backfill(conn: sqlite3.Connection) -> None:
    import json

    from desktop_app.api.endpoints import endpoint_identity
    from desktop_app.order.purchases import keys_of_fields

    rows = conn.execute(
        "SELECT id, endpoint, fields FROM attempts WHERE id NOT IN"
        " (SELECT DISTINCT attempt_id FROM purchases)"
    ).fetchall()
    for attempt_id, endpoint, fields in rows:
        try:
            pairs = json.loads(str(fields))
        except (ValueError, RecursionError):
            pairs = []
        pairs = (
            [p for p in pairs if isinstance(p, list) and len(p) == 2]
            if isinstance(pairs, list)
            else []
        )
        conn.execute(
            "UPDATE attempts SET endpoint_key = ? WHERE id = ?",
            (endpoint_identity(str(endpoint)), attempt_id),
        )
        conn.executemany(
            "INSERT INTO purchases (attempt_id, key) VALUES (?, ?)",
            [(attempt_id, key) for key in sorted(keys_of_fields(pairs))],
        )


@dataclass(frozen=True)
class Attempt:
    """One send attempt as recorded.  ``outcome`` is an :class:`Outcome` value or "sending"."""

    id: int
    started: str
    finished: str
    endpoint: str
    user_id: str
    order_id: str
    outcome: str
    message: str
    server_message: str
    http_status: int | None
    domains: int
    mailboxes: int
    avatars: int
    fingerprint: str
    draft_path: str
    fields: str  # JSON list of [name, value] pairs
    environment: str = ""  # "production", "practice", or "" for attempts older than the label
    batch: str = ""
    part: int = 1
    parts: int = 1
    status_text: str = ""  # what the last "Check status" said, and when (ISO, UTC)
    status_checked: str = ""
    status_raw: str = ""

    @property
    def base_url(self) -> str:
        """The API address this attempt went to (its endpoint without the orders path)."""
        from desktop_app.api.payload import ORDERS_PATH

        return self.endpoint.removesuffix(ORDERS_PATH)

    @property
    def shown_outcome(self) -> str:
        return Outcome.UNKNOWN.value if self.outcome == SENDING else self.outcome

    @property
    def shown_message(self) -> str:
        return INTERRUPTED_MESSAGE if self.outcome == SENDING else self.message

    @property
    def practice(self) -> bool:
        return self.environment == "practice"

    @property
    def part_label(self) -> str:
        return f"part {self.part} of {self.parts}" if self.parts > 1 else ""

    def as_csv_row(self) -> list[str]:
        return [
            self.started,
            self.finished,
            self.environment,
            self.endpoint,
            self.user_id,
            self.order_id,
            self.shown_outcome,
            str(self.part),
            str(self.parts),
            self.batch,
            self.status_text,
            self.status_checked,
            self.shown_message,
            self.server_message,
            "" if self.http_status is None else str(self.http_status),
            str(self.domains),
            str(self.mailboxes),
            str(self.avatars),
            self.fingerprint,
            self.draft_path,
            self.fields,
        ]


def attempt_from_row(row: sqlite3.Row) -> Attempt:
    """The attempt in ``row``, whatever types a damaged file holds."""
    keys = set(row.keys())

    def text(name: str) -> str:
        value = row[name] if name in keys else ""
        if value is None:
            return ""
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)

    def number(name: str, default: int = 0) -> int:
        value = row[name] if name in keys else default
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    status: Any = row["http_status"] if "http_status" in keys else None
    try:
        http_status = None if status is None or status == "" else int(status)
    except (TypeError, ValueError):
        http_status = None
    return Attempt(
        id=number("id"),
        started=text("started"),
        finished=text("finished"),
        endpoint=text("endpoint"),
        user_id=text("user_id"),
        order_id=text("order_id"),
        outcome=text("outcome"),
        message=text("message"),
        server_message=text("server_message"),
        http_status=http_status,
        domains=number("domains"),
        mailboxes=number("mailboxes"),
        avatars=number("avatars"),
        fingerprint=text("fingerprint"),
        draft_path=text("draft_path"),
        fields=text("fields"),
        environment=text("environment"),
        batch=text("batch"),
        part=number("part", 1),
        parts=number("parts", 1),
        status_text=text("status_text"),
        status_checked=text("status_checked"),
        status_raw=text("status_raw"),
    )
