"""The crash log: what went wrong unexpectedly, with its traceback, in the app's home.

A fault of ours is told to the operator as one sentence; the details a
maintainer needs go to ``crash.log`` instead of the screen.  Background work
and the command line both write here, possibly at once, so writes are
serialised.
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

CRASH_LOG = "crash.log"
NOT_WRITTEN = "nowhere (the app's home folder is not writable)"
_WRITING = threading.Lock()


def crash_log_path() -> Path:
    from desktop_app.services.paths import app_home

    return app_home() / CRASH_LOG


def record(error: BaseException, context: str = "") -> Path | str:
    """Append ``error``'s traceback (and ``context``: what was being done) to the crash log.

    Returns the log's path, or a phrase saying it could not be written; it
    never raises for want of a writable home.
    """
    from datetime import datetime, timezone  # only when there is something to write

    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    header = f"--- {when}" + (f" {context}" if context else "") + "\n"
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    try:
        log = crash_log_path()
        with _WRITING, log.open("a", encoding="utf-8") as stream:
            stream.write(header + "".join(lines))
        return log
    except OSError:  # HomeUnusable is one
        return NOT_WRITTEN
