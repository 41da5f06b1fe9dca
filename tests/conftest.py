"""Shared test set-up: no display, and no test ever touches the real app home."""

from __future__ import annotations

import os
import threading

import pytest

# Before anything imports Qt: the machines that run these tests have no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def app_home(tmp_path, monkeypatch):
    """Point the app's home at a fresh folder for every test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ORDER_DESK_HOME", str(home))
    monkeypatch.delenv("CMR_API_KEY", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_leftover_threads():
    """Fail a test that leaves a thread of its own running."""
    before = set(threading.enumerate())
    yield
    leftover = [
        t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon
    ]
    for thread in leftover:
        thread.join(timeout=5)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"threads left running: {still}"
