"""Files written whole or not at all: write aside, then replace.

A save that fails (a full disk, a read-only folder) removes what it wrote
aside; one that was killed leaves a hidden file that the next save into the
same folder removes, once no save holds it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# A temporary file of a save: ``.<target name>.order-desk-<12 hex digits>.tmp``.
_TEMP_MARK = ".order-desk-"


@functools.cache
def _our_temporary() -> re.Pattern[str]:  # compiled on first use, not at start-up
    return re.compile(r"^\..+\.order-desk-[0-9a-f]{12}\.tmp$")


# A temporary file is left by a save that was killed only when nobody holds its
# lock; this age covers the instant between creating one and locking it.
STALE_TEMPORARY_SECONDS = 120


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``target`` only if the block finishes without error.

    The bytes go to a hidden file beside ``target`` (same folder, so the final
    rename is atomic), are flushed to disk, then replace ``target``.  On any
    error the hidden file is removed and ``target`` is untouched.  The hidden
    file is locked while it is written, and those that a killed save left in
    the folder (unlocked, and older than a couple of minutes) are removed.
    """
    remove_stale_temporaries(target.parent)
    temp = target.with_name(f".{target.name}{_TEMP_MARK}{secrets.token_hex(6)}.tmp")
    stream = open(temp, "xb")  # noqa: SIM115 - closed below on every path
    try:
        _lock(stream)
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
        stream.close()
        _copy_mode(target, temp)
        os.replace(temp, target)
    except BaseException:
        # Closing flushes what is buffered, which fails again on a full disk:
        # the temporary file must go all the same.
        with contextlib.suppress(OSError):
            stream.close()
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_folder(target.parent)


def _lock(stream: BinaryIO) -> None:
    if os.name == "nt":
        return  # Windows refuses to delete a file another program has open
    import fcntl

    with contextlib.suppress(OSError):  # a file system without locks: the age rule remains
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files killed saves left in ``folder``; returns those removed.

    Only files of this app's naming are touched, and only when no save holds
    them: another window saving into the same folder is never disturbed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not _our_temporary().match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_TEMPORARY_SECONDS:
                continue
            if _remove_unless_locked(Path(entry.path)):
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _remove_unless_locked(path: Path) -> bool:
    if os.name == "nt":
        path.unlink()  # fails while the saving program has it open
        return True
    import fcntl

    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a save is writing it right now
        path.unlink()
        return True
    finally:
        os.close(handle)


def _copy_mode(source: Path, destination: Path) -> None:
    # The replacement keeps the permissions the old file had (a shared folder's, say).
    with contextlib.suppress(OSError):
        os.chmod(destination, stat.S_IMODE(source.stat().st_mode))


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders this way.
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
