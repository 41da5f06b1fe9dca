"""Every send attempt, kept in a local SQLite database under the app's home.

An attempt is written *before* the request goes out (as "sending") and
completed when its outcome is known, each step one transaction.  If the app
is killed in between, the row stays and reads as unknown: the operator is
never left without a trace of a request that may have created an order.
The database runs in WAL mode with full syncs, so a kill mid-write leaves it
consistent.  The API key is never stored: only the request's text fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.sender import UNKNOWN_ADVICE, Outcome, SendResult

if TYPE_CHECKING:
    import sqlite3

    from desktop_app.core.payload import OrderRequest

FILENAME = "history.sqlite3"
SENDING = "sending"  # written before the request goes out; replaced by the outcome
INTERRUPTED_MESSAGE = f"Order Desk stopped while this order was being sent. {UNKNOWN_ADVICE}"

_SCHEMA = """
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
"""
CSV_COLUMNS = (
    "started",
    "finished",
    "endpoint",
    "userId",
    "orderId",
    "outcome",
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

    @property
    def shown_outcome(self) -> str:
        return Outcome.UNKNOWN.value if self.outcome == SENDING else self.outcome

    @property
    def shown_message(self) -> str:
        return INTERRUPTED_MESSAGE if self.outcome == SENDING else self.message

    def as_csv_row(self) -> list[str]:
        return [
            self.started,
            self.finished,
            self.endpoint,
            self.user_id,
            self.order_id,
            self.shown_outcome,
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


class HistoryError(OSError):
    """The history database cannot be read or written; the message is one sentence.

    An OSError, so code that reports unwritable files reports this too.
    """


HISTORY_GUARDS_SENDS = "Nothing was sent: the history is what stops an order from being sent twice."


class History:
    """The attempts database.  Each call opens its own connection, so any thread may use it."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from desktop_app.paths import app_home

            path = app_home() / FILENAME
        self.path = path
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        import sqlite3  # on first use: the window starts without it

        try:
            with closing(sqlite3.connect(self.path, timeout=30)) as conn:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA synchronous=FULL")
                if not self._ready:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.executescript(_SCHEMA)
                    self._ready = True
                with conn:  # one transaction: committed whole or not at all
                    yield conn
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, HistoryError):
                raise
            raise HistoryError(f"The send history ({self.path}) cannot be used: {exc}.") from None

    def begin(self, request: OrderRequest, draft_path: str = "") -> int:
        """Record that ``request`` is about to be sent; returns the attempt's id."""
        import json

        counts = request.counts
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO attempts (started, endpoint, user_id, outcome, domains, mailboxes,"
                " avatars, fingerprint, draft_path, fields) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    _now(),
                    request.url.partition("?")[0],
                    request.user_id,
                    SENDING,
                    counts.domains,
                    counts.mailboxes,
                    counts.avatars,
                    request.fingerprint,
                    draft_path,
                    json.dumps(request.fields, ensure_ascii=False),
                ),
            )
            return int(cursor.lastrowid or 0)

    def finish(self, attempt_id: int, result: SendResult) -> None:
        """Record the outcome of the attempt ``begin`` started."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE attempts SET finished=?, order_id=?, outcome=?, message=?,"
                " server_message=?, http_status=? WHERE id=?",
                (
                    _now(),
                    result.order_id,
                    result.outcome.value,
                    result.message,
                    result.server_message,
                    result.http_status,
                    attempt_id,
                ),
            )

    def record(self, request: OrderRequest, result: SendResult, draft_path: str = "") -> int:
        """Record a finished attempt in one go (a send refused before it started)."""
        attempt_id = self.begin(request, draft_path)
        self.finish(attempt_id, result)
        return attempt_id

    def attempts(self, search: str = "", limit: int | None = None) -> list[Attempt]:
        """Attempts, newest first; ``search`` matches order ID, userId, endpoint,
        outcome, messages, draft path and fields."""
        query = "SELECT * FROM attempts"
        params: list[object] = []
        if search.strip():
            like = f"%{_escape_like(search.strip())}%"
            columns = (
                "order_id",
                "user_id",
                "endpoint",
                "outcome",
                "message",
                "server_message",
                "draft_path",
                "fields",
                "started",
            )
            query += " WHERE " + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
            params += [like] * len(columns)
        query += " ORDER BY id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        if not self.path.exists():
            return []
        with self._connect() as conn:
            return [_attempt(row) for row in conn.execute(query, params)]

    def earlier_attempts(self, fingerprint: str) -> list[Attempt]:
        """Earlier attempts of this exact request that created an order or may have."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM attempts WHERE fingerprint=? AND outcome != ? ORDER BY id DESC",
                (fingerprint, Outcome.NOT_CREATED.value),
            )
            return [_attempt(row) for row in rows]

    def export_csv(self, path: Path, search: str = "") -> int:
        """Write the (matching) attempts to ``path`` as CSV, atomically; returns the count."""
        import csv

        from desktop_app.core.csv_io import spreadsheet_cell

        rows = self.attempts(search)
        temporary = path.with_name(path.name + ".part")
        with open(temporary, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(
                [spreadsheet_cell(cell) for cell in attempt.as_csv_row()] for attempt in rows
            )
        temporary.replace(path)
        return len(rows)


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(
        id=row["id"],
        started=row["started"],
        finished=row["finished"],
        endpoint=row["endpoint"],
        user_id=row["user_id"],
        order_id=row["order_id"],
        outcome=row["outcome"],
        message=row["message"],
        server_message=row["server_message"],
        http_status=row["http_status"],
        domains=row["domains"],
        mailboxes=row["mailboxes"],
        avatars=row["avatars"],
        fingerprint=row["fingerprint"],
        draft_path=row["draft_path"],
        fields=row["fields"],
    )
