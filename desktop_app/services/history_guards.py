"""What History refuses before it is used: a newer layout, and a link out of the app's home."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.services.history_rows import SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite3

NEWER_HISTORY = (
    "The send history ({path}) was written by a newer Order Desk; update the app. "
    "It is read, never written, by this one."
)


def newer_than_this_app(conn: sqlite3.Connection) -> bool:
    """Whether the database's layout is newer than this app knows (drafts and settings say so too):
    writing to it could break what the newer app keeps there."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) > SCHEMA_VERSION


def link_problem(path: Path) -> str | None:
    """Why History at ``path`` is not used: a link to somewhere outside its folder (the home).

    SQLite would follow it, and a dangling one would make a database wherever it points;
    so would its journal files (``-wal``, ``-shm``).
    """
    home = path.parent.resolve()
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not file.is_symlink():
            continue
        target = file.resolve()
        if not target.is_relative_to(home):
            return (
                f"The send history ({file}) is a link to {target}, outside the app's home; "
                "Order Desk does not follow it. Put the file itself in the home."
            )
    return None
