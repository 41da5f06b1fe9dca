"""History's queries below the :class:`~desktop_app.services.history.History` class: recording
an attempt and finding what earlier attempts bought (or may have)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.api.outcome import Outcome
from desktop_app.order.purchases import Repeat
from desktop_app.services.history_rows import SENDING

if TYPE_CHECKING:
    import sqlite3

    from desktop_app.api.payload import OrderRequest
    from desktop_app.services.history import SendPart


def insert(conn: sqlite3.Connection, request: OrderRequest, where: SendPart, outcome: str) -> int:
    import json

    from desktop_app.api.endpoints import endpoint_identity

    counts = request.counts
    endpoint = request.url.partition("?")[0]
    cursor = conn.execute(
        "INSERT INTO attempts (started, endpoint, endpoint_key, user_id, outcome, domains,"
        " mailboxes, avatars, fingerprint, draft_path, fields, environment, batch, part, parts)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            now(),
            endpoint,
            endpoint_identity(endpoint),
            request.user_id,
            outcome,
            counts.domains,
            counts.mailboxes,
            counts.avatars,
            request.fingerprint,
            where.draft_path,
            json.dumps(request.fields, ensure_ascii=False),
            where.environment,
            where.batch,
            where.part,
            where.parts,
        ),
    )
    return int(cursor.lastrowid or 0)


# The guard never mixes environments (a sandbox order never blocks a production
# one); attempts older than the label ("") could have been either, so they count
# everywhere.
SAME_ENVIRONMENT = "(a.environment = ? OR a.environment = '')"


def repeats(
    conn: sqlite3.Connection, request: OrderRequest, keys: frozenset[str], environment: str
) -> tuple[Repeat, ...]:
    from desktop_app.api.endpoints import endpoint_identity

    if not keys:
        return ()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM wanted")
    conn.executemany("INSERT OR IGNORE INTO wanted (key) VALUES (?)", [(k,) for k in keys])
    rows = conn.execute(
        "SELECT p.key, a.id, a.outcome, a.order_id, a.started FROM wanted w"
        " JOIN purchases p ON p.key = w.key JOIN attempts a ON a.id = p.attempt_id"
        " WHERE a.endpoint_key = ? AND a.user_id = ? AND a.outcome != ?"
        f" AND {SAME_ENVIRONMENT} ORDER BY a.id DESC, p.key",
        (
            endpoint_identity(request.url.partition("?")[0]),
            request.user_id,
            Outcome.NOT_CREATED.value,
            environment,
        ),
    )
    return tuple(repeat_of(row) for row in rows)


def repeat_of(row: sqlite3.Row) -> Repeat:
    outcome = str(row[2])
    return Repeat(
        key=str(row[0]),
        attempt_id=int(row[1]),
        outcome=Outcome.UNKNOWN.value if outcome == SENDING else outcome,
        order_id=str(row[3] or ""),
        started=str(row[4] or ""),
    )


def now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")
