"""The set-up script: waits for apt, installs once for every command, one final total."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from desktop_app import bootstrap
from desktop_app.bootstrap import extras_to_install, quiet_run, stamp_text, total_line

PROJECT = "a" * 64


def test_apt_waits_for_a_held_lock():
    commands = bootstrap.apt_commands(["libegl1", "curl"])
    assert [c[:3] for c in commands] == [["apt-get", "-o", "DPkg::Lock::Timeout=120"]] * 2
    assert commands[1][-2:] == ["libegl1", "curl"]


def test_switching_between_run_and_test_installs_nothing_twice():
    after_test = stamp_text(PROJECT, extras_to_install("", PROJECT, "test,build"))
    assert extras_to_install(after_test, PROJECT, "") is None  # run after test
    assert extras_to_install(after_test, PROJECT, "test,build") is None  # test again
    after_run = stamp_text(PROJECT, extras_to_install("", PROJECT, ""))
    assert extras_to_install(after_run, PROJECT, "") is None
    assert extras_to_install(after_run, PROJECT, "test,build") == ["build", "test"]


def test_a_changed_pyproject_or_an_old_stamp_reinstalls_what_is_asked():
    stamp = stamp_text(PROJECT, ["build", "test"])
    assert extras_to_install(stamp, "b" * 64, "") == []
    assert extras_to_install("0f3c…an old hash", PROJECT, "test,build") == ["build", "test"]


def test_a_step_that_works_shows_no_output_and_one_that_fails_shows_all(capfd):
    banner = "print('********\\n!!\\nEditable installation\\n!!', file=__import__('sys').stderr)"
    quiet_run([sys.executable, "-c", banner])
    assert capfd.readouterr().err == ""
    with pytest.raises(subprocess.CalledProcessError):
        quiet_run([sys.executable, "-c", f"{banner}; raise SystemExit(3)"])
    assert "Editable installation" in capfd.readouterr().err


def test_one_total_for_the_suite_and_the_bundle_checks(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_some.py").write_text(
        textwrap.dedent(
            """
            import pytest

            def test_a(): pass
            def test_b(): pass
            @pytest.mark.skip(reason="no display")
            def test_c(): pass
            def test_d(): assert False
            """
        ),
        encoding="utf-8",
    )
    reports = []
    for name, selected in (("suite", "not d"), ("bundle", "d or a")):
        report = tmp_path / f"{name}.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", selected,
             f"--junitxml={report}", str(tests)],
            cwd=tmp_path, capture_output=True, check=False,
        )  # fmt: skip
        reports.append(report)
    assert total_line(reports) == (
        "total: 3 passed, 1 failed, 1 skipped (the suite and the bundle checks)"
    )
    assert total_line(reports[:1]) == "total: 2 passed, 1 skipped (the suite)"


def test_the_test_command_leaves_the_bundle_checks_until_the_bundle_is_rebuilt(monkeypatch):
    calls = []
    monkeypatch.setattr(bootstrap, "ensure_system_packages", lambda packages: None)
    monkeypatch.setattr(bootstrap, "ensure_venv", lambda extras: None)
    monkeypatch.setattr(bootstrap, "ensure_node_packages", lambda: None)
    monkeypatch.setattr(
        bootstrap.subprocess, "run", lambda command, **kw: subprocess.CompletedProcess(command, 0)
    )
    monkeypatch.setattr(
        bootstrap, "_with_secret_service", lambda command, env: calls.append(command) or 0
    )
    monkeypatch.setattr(
        bootstrap, "build_and_check_bundle", lambda env, report=None: calls.append("build") or 0
    )
    assert bootstrap.run_tests([]) == 0
    suite, build = calls  # the suite first, then the build and its checks
    assert suite[suite.index("not bundle") - 1] == "-m" and build == "build"
