"""What a start leaves for later: nothing only sending needs is imported to show the window."""

from __future__ import annotations

import os

import pytest
from cli_support import order_desk

from desktop_app.services.paths import sample_draft

pytestmark = pytest.mark.gui

SEND_TIME = {"desktop_app.api.sender", "desktop_app.api.network", "httpx", "httpcore", "PIL"}


def imported(stderr: str) -> set[str]:
    """The modules ``-X importtime`` says a process imported."""
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_the_quick_start_window_is_shown_and_pictured_without_the_sending_modules(tmp_path):
    env = {
        **os.environ,
        "ORDER_DESK_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPROFILEIMPORTTIME": "1",
    }
    png = tmp_path / "window.png"
    result = order_desk("open", "--practice", "--screenshot", png, sample_draft(), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert png.stat().st_size > 0
    modules = imported(result.stderr)
    assert "desktop_app.ui.window.main_window" in modules  # the list is the whole start
    assert modules & SEND_TIME == set()


def test_the_window_is_shown_before_the_keyring_or_history_is_loaded(tmp_path):
    env = {
        **os.environ,
        "ORDER_DESK_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPROFILEIMPORTTIME": "1",
        "ORDER_DESK_QUIT_WHEN_IDLE": "1",  # quits once shown and idle
    }
    result = order_desk("open", env=env)
    assert result.returncode == 0 and result.stdout.strip() == "shown", result.stderr[-2000:]
    modules = imported(result.stderr)
    assert "desktop_app.ui.window.main_window" in modules
    assert modules & {"sqlite3", "keyring", *SEND_TIME} == set()
