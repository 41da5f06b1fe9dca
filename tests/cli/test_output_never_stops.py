"""Output that never silently stops: a terminal that cannot print a character, closed and
full streams.  ``order-desk`` runs as a real program here, as a terminal or a script runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import ORDER_DESK
from send_support import SECRET_KEY, small_order

from desktop_app.draft import draft_file
from desktop_app.order.model import DomainEntry
from desktop_app.practice.server import PracticeServer
from desktop_app.services.history import History
from desktop_app.services.keystore import ENV_VAR

LOCALE_SOURCE = Path("/usr/share/i18n/locales/en_US")


@pytest.fixture
def latin1_locale(tmp_path) -> dict[str, str]:
    """The environment of a terminal in an ISO-8859-1 locale, compiled for this test."""
    if shutil.which("localedef") is None or not LOCALE_SOURCE.exists():
        pytest.skip("needs localedef and the locale sources (Debian's 'locales' package)")
    folder = tmp_path / "locales"
    folder.mkdir()
    subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
        check=True,
        capture_output=True,
    )
    return {"LOCPATH": str(folder), "LANG": "en_US.ISO-8859-1", "LC_ALL": "en_US.ISO-8859-1"}


def base_env(app_home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update({ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}, **extra)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(shell_redirect: str, args: list[str], env: dict[str, str], stdin: bytes = b""):
    """``order-desk ARGS`` started by a shell with ``shell_redirect`` applied (``2>&-`` …)."""
    command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *ORDER_DESK, *args]
    return subprocess.run(command, input=stdin, capture_output=True, env=env, timeout=120)


@pytest.fixture
def drafts(tmp_path):
    """A draft already sent in part (History knows example.com), and its whole."""
    first = small_order(1)
    first.domains = first.domains[:1]
    whole = small_order(1)
    whole.domains.append(DomainEntry("third-example.org", 1))
    paths = tmp_path / "first.cmrorder", tmp_path / "whole.cmrorder"
    draft_file.save(first, paths[0])
    draft_file.save(whole, paths[1])
    return paths


def test_a_latin1_terminal_sees_the_question_and_the_order_id(latin1_locale, drafts, app_home):
    env = base_env(app_home, **latin1_locale)
    with PracticeServer(key=SECRET_KEY) as server:
        url = server.base_url
        first = run("", ["send", str(drafts[0]), "--base-url", url, "--yes"], env)
        assert first.returncode == 0, first.stderr
        second = run("", ["send", str(drafts[1]), "--base-url", url], env, stdin=b"y\n")
        assert server.created_count == 2
    out = second.stdout.decode("iso-8859-1")
    assert second.returncode == 0, second.stderr
    # The review's "already ordered" line, its em dash written as an escape.
    assert "example.com \\u2014 order " in out
    assert "Send only what was not ordered yet" in out
    assert f"orderId: {server.created_order_ids[1]}" in out


@pytest.mark.parametrize(
    ("redirect", "order_id_on"),
    [("2>&-", "stdout"), (">&-", "stderr"), (">/dev/full", "stderr"), ("<&- 2>&-", "stdout")],
    ids=["stderr closed", "stdout closed", "stdout full", "stdin and stderr closed"],
)
def test_closed_or_full_streams_change_nothing_and_the_order_id_is_shown(
    drafts, app_home, redirect, order_id_on
):
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with PracticeServer(key=SECRET_KEY) as server:
        result = run(
            redirect,
            ["send", str(drafts[0]), "--base-url", server.base_url, "--yes"],
            base_env(app_home),
        )
        assert server.created_count == 1
    assert result.returncode == 0, result.stderr
    shown = (result.stdout if order_id_on == "stdout" else result.stderr).decode()
    assert f"orderId: {server.created_order_ids[0]}" in shown
    assert "unexpected" not in result.stderr.decode()
    [attempt] = History().attempts()
    assert attempt.outcome == "created" and attempt.order_id == server.created_order_ids[0]


def test_no_stdin_is_no_answer_not_a_crash(drafts, app_home):
    with PracticeServer(key=SECRET_KEY) as server:
        result = run(
            "<&-", ["send", str(drafts[0]), "--base-url", server.base_url], base_env(app_home)
        )
        assert server.created_count == 0
    assert result.returncode == 1
    assert b"Send this order? [y/N]" in result.stdout
    assert b"Not sent." in result.stderr and b"unexpected" not in result.stderr
