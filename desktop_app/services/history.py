"""Every send attempt, kept in a local SQLite database under the app's home.

An attempt is *claimed* before the request goes out: in one ``BEGIN
IMMEDIATE`` transaction the claim looks for earlier attempts that bought (or
may have bought) the same domains or mailboxes and, only when none stands in
the way, inserts this attempt as "sending".  Two processes racing to send one
draft are serialised by that transaction: the second one sees the first's
"sending" row and stops.  The outcome is written when it is known.  If the
app is killed in between, the row stays and reads as unknown: the operator is
never left without a trace of a request that may have created an order.

The database runs in WAL mode with full syncs, so a kill mid-write leaves it
consistent.  The API key is never stored: only the request's text fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.order.purchases import Repeat
from desktop_app.services import outcome_notes
from desktop_app.services.history_guards import (
    NEWER_HISTORY,
    link_problem,
    newer_than_this_app,
)
from desktop_app.services.history_rows import (
    CSV_COLUMNS,
    INTERRUPTED_MESSAGE,
    SENDING,
    Attempt,
    attempt_from_row,
    migrate,
)

if TYPE_CHECKING:
    import sqlite3

    from desktop_app.api.payload import OrderRequest

__all__ = [
    "CSV_COLUMNS",
    "FILENAME",
    "HISTORY_GUARDS_SENDS",
    "INTERRUPTED_MESSAGE",
    "SENDING",
    "Attempt",
    "Claim",
    "History",
    "HistoryError",
    "SendPart",
]

FILENAME = "history.sqlite3"
LOCK_WAIT_SECONDS = 10.0  # another Order Desk writing holds the lock for milliseconds
MAX_STATUS_RAW = 200_000  # the last status answer kept, for "raw JSON"
HISTORY_GUARDS_SENDS = "Nothing was sent: the history is what stops an order from being sent twice."


class HistoryError(OSError):
    """The history database cannot be read or written; the message is one sentence.

    An OSError, so code that reports unwritable files reports this too.
    """


@dataclass(frozen=True)
class SendPart:
    """Where an attempt belongs: which environment, which draft, which part of a split send."""

    environment: str = "production"  # "production" or "practice"
    draft_path: str = ""
    batch: str = ""  # shared by the parts of one split send
    part: int = 1
    parts: int = 1


@dataclass(frozen=True)
class Claim:
    """The answer to :meth:`History.claim`.

    ``attempt_id`` is set when the attempt was recorded as "sending" and may
    go out; otherwise ``repeats`` lists what earlier attempts already bought
    (or may have) that the operator has not agreed to buy again.
    """

    attempt_id: int | None
    repeats: tuple[Repeat, ...] = field(default=())

    @property
    def granted(self) -> bool:
        return self.attempt_id is not None


class History:
    """The attempts database.  Each call opens its own connection, so any thread may use it."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from desktop_app.services.paths import app_home

            path = app_home() / FILENAME
        self.path = path
        self._ready = False
        self._notes_read = False

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction; ``write`` takes the write lock at once (BEGIN IMMEDIATE)."""
        import sqlite3  # on first use: the window starts without it

        problem = link_problem(self.path)
        if problem:
            raise HistoryError(problem)
        if not self._notes_read:  # outcomes a full disk kept out: recorded first
            self._notes_read = True
            outcome_notes.record_pending(self)
        try:
            with closing(self._open(write)) as conn:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, HistoryError):
                raise
            raise HistoryError(f"The send history ({self.path}) cannot be used: {exc}.") from None

    def _open(self, write: bool) -> sqlite3.Connection:
        """A connection, the database brought up to date; read-only where it must be.

        A History in a folder Order Desk may not write (a read-only home) can
        still be read: it is the operator's record of which orders exist.
        """
        import sqlite3
        import time

        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            conn = sqlite3.connect(self.path, timeout=LOCK_WAIT_SECONDS, isolation_level=None)
            conn.row_factory = sqlite3.Row
            try:
                conn.execute("PRAGMA synchronous=FULL")
                if newer_than_this_app(conn):  # read as it is, never written or upgraded
                    if not write:
                        return conn
                    raise HistoryError(NEWER_HISTORY.format(path=self.path))
                if not self._ready:
                    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                    if str(mode).lower() != "wal":  # another process holds the new file
                        raise sqlite3.OperationalError("database is locked (journal mode)")
                    migrate(conn)
                    self._ready = True
                return conn
            except HistoryError:
                conn.close()
                raise
            except sqlite3.OperationalError as exc:
                conn.close()
                reason = str(exc).replace(" ", "").lower()
                # Switching a new database to WAL needs it to itself, and SQLite says
                # "locked" at once rather than wait: another Order Desk creating the
                # same History at the same moment (two sends started together).
                if "locked" in reason and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if write or "readonly" not in reason:
                    raise
                break
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    # --- writing -------------------------------------------------------------------

    def claim(
        self,
        request: OrderRequest,
        where: SendPart | None = None,
        accepted: frozenset[int] | None = frozenset(),
    ) -> Claim:
        """Record ``request`` as "sending", unless an earlier attempt stands in the way.

        An earlier attempt stands in the way when it created an order or may
        have (created, unknown, or still "sending"), went to the same endpoint
        for the same userId, and shares a domain or a mailbox with
        ``request``, and its id is not in ``accepted`` (the attempts the
        operator saw in the review and agreed to repeat).  ``accepted=None``
        repeats anything (``--again``).  Checking and inserting happen in one
        write transaction, so no other process can slip an attempt in between.
        """
        from desktop_app.order.purchases import keys_of_fields

        where = where or SendPart()
        keys = keys_of_fields(request.fields)
        with self._connect(write=True) as conn:
            repeats = _repeats(conn, request, keys, where.environment)
            blocking = tuple(r for r in repeats if accepted is None or r.attempt_id not in accepted)
            if accepted is not None and blocking:
                return Claim(None, blocking)
            attempt_id = _insert(conn, request, where, SENDING)
            conn.executemany(
                "INSERT INTO purchases (attempt_id, key) VALUES (?, ?)",
                [(attempt_id, key) for key in sorted(keys)],
            )
        outcome_notes.reserve(self.path, attempt_id)  # room for the outcome, made now
        return Claim(attempt_id)

    def finish(self, attempt_id: int, result: SendResult, only_if_sending: bool = False) -> None:
        """Record the outcome of the attempt :meth:`claim` started.

        Where History cannot take it (a full disk), the outcome goes into the
        note reserved at the claim, and the next start records it.
        """
        try:
            self._finish(attempt_id, result, only_if_sending)
        except HistoryError as exc:
            if not outcome_notes.keep(self.path, attempt_id, result):
                raise
            raise HistoryError(f"{exc} {outcome_notes.KEPT}") from None
        outcome_notes.drop(self.path, attempt_id)

    def still_sending(self, attempt_id: int) -> bool:
        with self._connect() as conn:
            row = conn.execute("SELECT outcome FROM attempts WHERE id=?", (attempt_id,)).fetchone()
        return row is not None and row[0] == SENDING

    def _finish(self, attempt_id: int, result: SendResult, only_if_sending: bool) -> None:
        with self._connect(write=True) as conn:
            conn.execute(
                "UPDATE attempts SET finished=?, order_id=?, outcome=?, message=?,"
                " server_message=?, http_status=? WHERE id=?"
                + (f" AND outcome='{SENDING}'" if only_if_sending else ""),
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

    def record(
        self, request: OrderRequest, result: SendResult, where: SendPart | None = None
    ) -> int:
        """Record an attempt that is already over, in one go (whatever it repeats)."""
        claim = self.claim(request, where, accepted=None)
        assert claim.attempt_id is not None  # accepted=None always grants
        self.finish(claim.attempt_id, result)
        return claim.attempt_id

    # --- reading -------------------------------------------------------------------

    def repeats(self, request: OrderRequest, environment: str = "production") -> list[Repeat]:
        """What earlier attempts already bought (or may have) of what ``request`` buys."""
        from desktop_app.order.purchases import keys_of_fields

        if not self.path.exists():
            return []
        with self._connect() as conn:
            return list(_repeats(conn, request, keys_of_fields(request.fields), environment))

    def bought(
        self, base_url: str, user_id: str, environment: str = "production"
    ) -> dict[str, Repeat]:
        """Every domain and mailbox bought (or maybe bought) at ``base_url`` for ``user_id``.

        Keyed by purchase key, the newest attempt for each; what the drafting
        warnings are checked against.
        """
        from desktop_app.api.payload import ORDERS_PATH

        if not self.path.exists():
            return {}
        place, where = _same_place(base_url.rstrip("/") + ORDERS_PATH, environment)
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT p.key, a.id, a.outcome, a.order_id, a.started FROM purchases p"
                " JOIN attempts a ON a.id = p.attempt_id"
                f" WHERE {place} AND a.user_id = ? AND a.outcome != ? ORDER BY a.id",
                (*where, user_id.strip(), Outcome.NOT_CREATED.value),
            )
            return {row[0]: _repeat(row) for row in rows}

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
            return [attempt_from_row(row) for row in conn.execute(query, params)]

    def find_order(self, order_id: str) -> Attempt | None:
        """The newest attempt that created ``order_id``, or None."""
        if not order_id.strip() or not self.path.exists():
            return None
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM attempts WHERE order_id = ? ORDER BY id DESC LIMIT 1",
                (order_id.strip(),),
            ).fetchone()
        return attempt_from_row(row) if row is not None else None

    def created_since(self, hours: float = 24.0) -> list[Attempt]:
        """Attempts that created an order in the last ``hours``, newest first."""
        from datetime import datetime, timedelta, timezone

        if not self.path.exists():
            return []
        since = (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat(timespec="seconds")
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM attempts WHERE outcome = ? AND order_id != '' AND started >= ?"
                " ORDER BY id DESC",
                (Outcome.CREATED.value, since),
            )
            return [attempt_from_row(row) for row in rows]

    def record_status(self, attempt_id: int, text: str, raw: str) -> None:
        """Keep what the last status check said of the attempt's order, and when."""
        with self._connect(write=True) as conn:
            conn.execute(
                "UPDATE attempts SET status_text = ?, status_checked = ?, status_raw = ?"
                " WHERE id = ?",
                (text, _now(), raw[:MAX_STATUS_RAW], attempt_id),
            )

    def check(self) -> None:
        """Raise :class:`HistoryError` when the history cannot be read and written."""
        with self._connect(write=True) as conn:
            conn.execute("SELECT count(*) FROM attempts").fetchone()

    def export_csv(self, path: Path, search: str = "") -> int:
        """Write the (matching) attempts to ``path`` as CSV, atomically; returns the count."""
        import csv

        from desktop_app.draft.csv_io import spreadsheet_cell

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


def _insert(conn: sqlite3.Connection, request: OrderRequest, where: SendPart, outcome: str) -> int:
    import json

    from desktop_app.services.destinations import endpoint_key

    counts = request.counts
    endpoint = request.url.partition("?")[0]
    cursor = conn.execute(
        "INSERT INTO attempts (started, endpoint, endpoint_key, user_id, outcome, domains,"
        " mailboxes, avatars, fingerprint, draft_path, fields, environment, batch, part, parts)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            _now(),
            endpoint,
            endpoint_key(endpoint, where.environment),
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


def _same_place(endpoint: str, environment: str) -> tuple[str, tuple[str, ...]]:
    """The SQL condition (and its values) for attempts that went where ``endpoint`` is.

    The guard never mixes environments (a sandbox order never blocks a
    production one).  An attempt whose label is not one of the three (older
    than the label, "", or a History edited by hand) could have been any, so
    it counts at its address in every environment, and in practice when it
    went to this computer.  Practice is one place whatever port its server
    had: every practice attempt counts.
    """
    from desktop_app.api.endpoints import LOOPBACK_IDENTITY
    from desktop_app.services.destinations import PRACTICE, endpoint_key

    label = str(getattr(environment, "value", environment))  # an Environment, or its text
    unlabelled = "a.environment NOT IN ('production', 'sandbox', 'practice')"
    if environment == PRACTICE:
        here = f"a.endpoint_key LIKE 'http://{LOOPBACK_IDENTITY}%'"
        return f"(a.environment = ? OR ({unlabelled} AND {here}))", (label,)
    condition = f"a.endpoint_key = ? AND (a.environment = ? OR {unlabelled})"
    return condition, (endpoint_key(endpoint, environment), label)


def _repeats(
    conn: sqlite3.Connection, request: OrderRequest, keys: frozenset[str], environment: str
) -> tuple[Repeat, ...]:
    if not keys:
        return ()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM wanted")
    conn.executemany("INSERT OR IGNORE INTO wanted (key) VALUES (?)", [(k,) for k in keys])
    place, where = _same_place(request.url.partition("?")[0], environment)
    rows = conn.execute(
        "SELECT p.key, a.id, a.outcome, a.order_id, a.started FROM wanted w"
        " JOIN purchases p ON p.key = w.key JOIN attempts a ON a.id = p.attempt_id"
        f" WHERE {place} AND a.user_id = ? AND a.outcome != ? ORDER BY a.id DESC, p.key",
        (*where, request.user_id, Outcome.NOT_CREATED.value),
    )
    return tuple(_repeat(row) for row in rows)


def _repeat(row: sqlite3.Row) -> Repeat:
    outcome = str(row[2])
    return Repeat(
        key=str(row[0]),
        attempt_id=int(row[1]),
        outcome=Outcome.UNKNOWN.value if outcome == SENDING else outcome,
        order_id=str(row[3] or ""),
        started=str(row[4] or ""),
    )


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
