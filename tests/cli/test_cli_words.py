"""The command line's own words and layout: a terminal's progress line, History, help, keys."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest
from cli_support import ORDER_DESK, order_desk
from factories import sample_order

from desktop_app.cli import main as cli_main
from desktop_app.draft import draft_file
from desktop_app.services.keystore import ENV_VAR, NO_KEYRING, SESSION_OFFER


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "june.cmrorder"
    draft_file.save(sample_order(2, 3), path)
    return path


def send_with_stderr_on_a_terminal(draft) -> str:
    """``order-desk send`` to practice, stderr on a pseudo-terminal; what the terminal got."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [*ORDER_DESK, "send", str(draft), "--env", "practice", "--yes"],
            stdout=subprocess.PIPE,
            stderr=terminal,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        os.close(terminal)
        received = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the last writer closed the terminal
                break
            if not chunk:
                break
            received += chunk
        assert process.wait(timeout=120) == 0
        assert process.stdout is not None and process.stdout.read().startswith(b"orderId: ")
    finally:
        os.close(controller)
    return received.decode("utf-8").replace("\r\n", "\n")


def test_the_progress_line_ends_before_the_next_message(draft):
    shown = send_with_stderr_on_a_terminal(draft)
    lines = shown.split("\n")
    waiting = lines.index("Waiting for the answer...")
    uploaded = lines[waiting - 1].rsplit("\r", 1)[-1]
    assert uploaded.startswith("Uploading 100% (") and uploaded.endswith(" KB)")
    of = uploaded.removeprefix("Uploading 100% (").removesuffix(")").split(" of ")
    assert of[0] == of[1]
    # The send ends without a stray empty line where the progress line used to be ended.
    assert "" not in lines[waiting:-1]


def test_history_counts_in_words(draft):
    assert order_desk("send", draft, "--env", "practice", "--yes").returncode == 0
    result = order_desk("history")
    assert result.returncode == 0
    assert "  2 domains, 6 mailboxes, 6 pictures  http://127.0.0.1:" in result.stdout
    assert "d/" not in result.stdout.split("  http")[0]


def test_status_help_says_its_default_once():
    result = order_desk("status", "--help", env={**os.environ, "COLUMNS": "400"})
    assert result.returncode == 0
    env_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("--env"))
    assert env_line.count("default") == 1
    assert env_line.endswith("where it was ordered (default: History's, else production)")


def test_key_status_in_a_terminal_speaks_as_a_command():
    environment = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    environment.pop(ENV_VAR, None)
    result = order_desk("key", "status", env=environment)
    assert result.returncode == 1
    assert result.stdout == (
        f"No API key is set. {NO_KEYRING} For scripts, set {ENV_VAR} in the environment instead.\n"
    )
    assert "session" not in result.stdout and SESSION_OFFER not in result.stdout


def test_practice_before_any_command_opens_the_window_in_practice(monkeypatch):
    from desktop_app.ui.window import app

    opened = []
    monkeypatch.setattr(
        app, "run_window", lambda draft, screenshot, practice: opened.append(practice) or 0
    )
    assert cli_main.main(["--practice"]) == 0
    assert cli_main.main(["open", "--practice"]) == 0
    assert cli_main.main(["open"]) == 0
    assert opened == [True, True, False]


def test_practice_before_another_command_says_what_to_use(capsys):
    assert cli_main.main(["--practice", "history"]) == 2
    assert "--env practice" in capsys.readouterr().err
