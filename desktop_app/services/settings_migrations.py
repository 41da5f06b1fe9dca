"""How an older ``settings.ini`` is brought up to date: one function per version, run in order.

A file says which version of the layout it has in its ``version`` key (one
without it is version 1, the layout ``QSettings`` wrote).  Reading a file of
an older version runs each step from its version to :data:`VERSION`, then
saves it; a file from a newer version is read as it is and left so.  To
change the layout, raise :data:`VERSION` and add the step to
:data:`MIGRATIONS`, with a test reading a real file of the old version.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop_app.services.settings_ini import IniDocument, read_text

VERSION_KEY = "version"
# 1: the layout QSettings wrote, the window's geometry in settings.ini;
# 2: the geometry in a file of its own (window-state.ini), written by QSettings alone.
VERSION = 2


def _move_window_state(document: IniDocument, window_state: Path) -> None:
    """1 → 2: the window's geometry and splitters move to their own file, QSettings's alone.

    They are copied as QSettings wrote them; a window-state file that exists
    already is newer than what is left here, and wins.
    """
    taken = document.take_groups("window", "splitters")
    if not taken or window_state.exists():
        return
    state = IniDocument()
    for key, value in taken:
        state.set(key, value)
    from desktop_app.draft.atomic_files import atomic_file  # only an old file needs it

    with atomic_file(window_state) as stream:
        stream.write(state.to_bytes())


MIGRATIONS: dict[int, Callable[[IniDocument, Path], None]] = {1: _move_window_state}


def migrate(document: IniDocument, window_state: Path) -> None:
    """Bring ``document`` to :data:`VERSION`, one step at a time (newer files are left alone)."""
    version = stored_version(document) or 1
    if version > VERSION:
        return
    for step in range(version, VERSION):
        MIGRATIONS[step](document, window_state)
    if version != VERSION or document.raw(VERSION_KEY) is None:
        document.set(VERSION_KEY, str(VERSION).encode("ascii"))


def stored_version(document: IniDocument) -> int | None:
    """The layout version ``document`` says it has: 1 when it says none, None when garbage."""
    raw = document.raw(VERSION_KEY)
    try:
        text = read_text(raw) if raw is not None else None
        version = int(text) if text is not None else 1
    except ValueError:
        return None
    return version if version >= 1 else None
