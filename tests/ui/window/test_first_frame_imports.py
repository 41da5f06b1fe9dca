"""What the window opened the Quick start's way has loaded when it is first shown.

Sending, the History pane and the practice server are not drawn in the first
frame: their modules (and the HTTP client's ssl and sockets) load when first
used, after it.  A fresh process, as an operator starts one.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

NOT_BEFORE_THE_FIRST_FRAME = (
    "desktop_app.ui.history.history_pane",  # built when its tab is first chosen
    "desktop_app.practice.server",  # started on the event loop's first turn
    "http.server",
    "desktop_app.api.order_status",  # Check status and Refresh all
    "desktop_app.api.sender",
    "ssl",
    "socket",
    "sqlite3",
)

SHOWN_THEN_LISTED = """
import sys
from desktop_app.services.paths import sample_draft
from desktop_app.ui.window.app import application, build_window

app = application()
window, problem = build_window(sample_draft(), practice=True, remember=False)
assert problem is None
window.show()
print(window.sending.practice.on, window.sending.environment.value)
print(sorted(name for name in {names} if name in sys.modules))
window.sending.shutdown()
"""


def test_sending_history_and_the_practice_server_load_after_the_first_frame():
    code = SHOWN_THEN_LISTED.replace("{names}", repr(set(NOT_BEFORE_THE_FIRST_FRAME)))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    practice_on, loaded = out.stdout.strip().splitlines()
    assert practice_on == "True practice"  # practice mode is on from the start all the same
    assert loaded == "[]"
