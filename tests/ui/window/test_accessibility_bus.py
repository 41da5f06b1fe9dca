"""A screen-reader user can buy: the real window driven through the accessibility bus.

Under Xvfb, inside ``dbus-run-session`` with the AT-SPI bus running, the window
(``order-desk open --practice``) is checked and driven by ``atspi_operator.py``
with the system's Python, where pyatspi and its ``gi`` Atspi live: every
showing focusable node has a name, focus is followed through focus events, and
the operator's task is done with keyboard events and accessible actions only.

The bootstrap's test command installs the tools (``xvfb xauth at-spi2-core
python3-pyatspi xdotool``); without them the test skips saying what is missing,
and under CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.api.outcome import Outcome
from desktop_app.services.history import History

pytestmark = pytest.mark.atspi

ROOT = Path(__file__).resolve().parents[3]
OPERATOR = Path(__file__).with_name("atspi_operator.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def missing_tools() -> list[str]:
    missing = [tool for tool in ("Xvfb", "xdotool", "dbus-run-session") if not shutil.which(tool)]
    if not Path(BUS_LAUNCHER).exists():
        missing.append("at-spi2-core")
    check = "import pyatspi, gi; gi.require_version('Atspi', '2.0')"
    if (
        not Path(SYSTEM_PYTHON).exists()
        or subprocess.run([SYSTEM_PYTHON, "-c", check], capture_output=True).returncode
    ):
        missing.append("python3-pyatspi")
    return missing


@pytest.fixture
def tools():
    missing = missing_tools()
    if missing:
        reason = f"the accessibility bus test needs {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def test_a_screen_reader_user_buys_in_practice_through_the_accessibility_bus(tools, app_home):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    # The bus's services (a keyring asked by the app) keep their files here too.
    env.update(HOME=str(app_home), XDG_DATA_HOME=str(app_home), XDG_CACHE_HOME=str(app_home))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = subprocess.run(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(OPERATOR), str(app_home), sys.executable],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = run.stdout.strip().splitlines()
    assert lines, f"the operator script said nothing: {run.stderr[-2000:]}"
    outcome = json.loads(lines[-1])
    assert outcome["ok"], outcome
    focus = [name for _role, name in outcome["focus"]]
    assert focus[0] == "Domains table"  # the work first, not the banner's button
    assert focus.index("Names") < focus.index("Cancel")  # the review opened on Cancel
    assert outcome["sent_with"] == "Send 1 order to Practice"
    order_id = outcome["order_id"]
    assert re.fullmatch(r"[A-Z0-9]{28}", order_id)
    [attempt] = History().attempts()
    assert attempt.order_id == order_id and attempt.outcome == Outcome.CREATED.value
    assert attempt.domains == 1 and attempt.mailboxes == 3
