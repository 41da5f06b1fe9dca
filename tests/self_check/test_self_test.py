"""``order-desk --self-test`` from source: every check passes, and a broken part is reported."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import order_desk

from desktop_app.self_check import checks as self_test

ROOT = Path(__file__).resolve().parents[2]
CHECK_NAMES = [name for name, _ in self_test.CHECKS]


def run_source_self_test(home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ORDER_DESK_HOME": str(home)}
    return order_desk("--self-test", cwd=ROOT, env=env, timeout=180)


@pytest.mark.gui
def test_the_self_test_passes_from_source_with_one_line_per_check(app_home):
    result = run_source_self_test(app_home)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    check_lines = [line for line in lines if line.startswith(("ok   ", "FAIL "))]
    assert [line[5:].split(":")[0] for line in check_lines] == CHECK_NAMES
    assert all(line.startswith("ok   ") for line in check_lines)
    assert lines[-1] == f"all {len(CHECK_NAMES)} checks passed"
    # The order ID the practice server created is the one reported.
    send = next(line for line in check_lines if line.startswith("ok   send:"))
    assert "created order " in send


@pytest.mark.gui
def test_the_self_test_leaves_the_app_home_untouched(app_home):
    (app_home / "history.sqlite3").write_bytes(b"the operator's real history")
    result = run_source_self_test(app_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in app_home.iterdir()) == ["history.sqlite3"]
    assert (app_home / "history.sqlite3").read_bytes() == b"the operator's real history"


def test_a_failing_check_is_one_fail_line_and_exit_status_1(monkeypatch):
    def broken(ctx):
        raise self_test.CheckFailed("the flux capacitor is missing")

    def crashing(ctx):
        return {}["no such key"]

    monkeypatch.setattr(
        self_test,
        "CHECKS",
        [("fine", lambda ctx: "all good"), ("broken", broken), ("crash", crashing)],
    )
    out = io.StringIO()
    assert self_test.run_self_test(out) == 1
    lines = out.getvalue().splitlines()[1:]
    assert lines == [
        "ok   fine: all good",
        "FAIL broken: the flux capacitor is missing",
        "FAIL crash: KeyError: 'no such key'",
        "2 of 3 checks failed",
    ]


def test_checks_run_in_a_temporary_home_that_is_removed_afterwards(monkeypatch, app_home):
    seen = []

    def where(ctx):
        seen.append(Path(os.environ["ORDER_DESK_HOME"]))
        return "noted"

    monkeypatch.setattr(self_test, "CHECKS", [("home", where)])
    assert self_test.run_self_test(io.StringIO()) == 0
    assert seen[0] != app_home and not seen[0].exists()
    assert os.environ["ORDER_DESK_HOME"] == str(app_home)


def test_keyring_without_its_entry_points_fails_the_check(monkeypatch):
    # What a frozen app without keyring's package metadata sees.
    from importlib import metadata

    monkeypatch.setattr(metadata, "entry_points", lambda **kwargs: [])
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(self_test.CheckFailed, match="does not know its SecretService backend"):
        self_test.keyring_report()


def test_keyring_report_names_the_active_backend_and_the_entry_points():
    report = self_test.keyring_report()
    import keyring

    active = type(keyring.get_keyring())
    assert (
        f"active {active.__module__.removeprefix('keyring.backends.')}.{active.__name__}" in report
    )
    assert "SecretService" in report.split("entry points: ")[1]
