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


@pytest.fixture
def fails_after():
    """``fails_after(seconds, what)``: fail the test, instead of hanging it, past ``seconds``."""
    import signal

    previous = None

    def arm(seconds: int, what: str) -> None:
        nonlocal previous

        def expired(signum, frame):
            raise AssertionError(what)

        previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(seconds)

    yield arm
    signal.alarm(0)
    if previous is not None:
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def ghostscript(tmp_path, monkeypatch):
    """A stand-in ``gs`` first on PATH that records each time it runs; yields the record."""
    import stat

    from PIL import EpsImagePlugin

    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "gs-ran"
    script = folder / "gs"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\nexit 1\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", None)  # look for gs again, on this PATH
    monkeypatch.setattr(EpsImagePlugin, "gs_windows_binary", None)
    return record


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB file system of its own (a tmpfs mount), to fill up."""
    import subprocess

    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def memory_keyring(monkeypatch):
    """A keyring in this process in place of the machine's, vouched for as encrypting.

    No test that uses it reads or writes the real keyring of the machine running it.
    """
    import keyring
    from send_support import WITH_MEMORY_KEYRING, MemoryKeyring

    from desktop_app.services import keystore

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    monkeypatch.setattr(keystore, "ENCRYPTING_BACKENDS", WITH_MEMORY_KEYRING)
    yield memory
    keyring.set_keyring(previous)
