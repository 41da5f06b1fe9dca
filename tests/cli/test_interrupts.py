"""Any number of Ctrl+C while the answer is awaited: exit 3 and the unknown line, at once.

``order-desk send`` runs as a real program and gets real SIGINTs, one or many, at many
timings; the server holds its answer for far longer than any of them.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

import pytest
from cli_support import ORDER_DESK
from send_support import SECRET_KEY, small_order

from desktop_app.draft import draft_file
from desktop_app.practice.server import Fault, PracticeServer
from desktop_app.services.history import History
from desktop_app.services.keystore import ENV_VAR

UNKNOWN_LINE = "Cancelled after the order was sent, before the answer came."
EXIT_UNKNOWN = 3


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "order.cmrorder"
    draft_file.save(small_order(), path)
    return path


@pytest.fixture
def slow_server():
    with PracticeServer(key=SECRET_KEY) as server:
        server.set_slow_seconds(120)
        yield server


def start_send(draft, server, app_home) -> subprocess.Popen[str]:
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = [*ORDER_DESK, "send", str(draft), "--base-url", server.base_url, "--yes"]
    return subprocess.Popen(
        [*command, "--again"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def interrupt(child: subprocess.Popen[str], gaps: list[float]) -> tuple[str, str]:
    """SIGINT once per gap (seconds before each); the output once it ended, within 2 s."""
    for gap in gaps:
        time.sleep(gap)
        if child.poll() is not None:
            break
        child.send_signal(signal.SIGINT)
    try:
        return child.communicate(timeout=2)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise AssertionError(f"still running 2 s after {len(gaps)} Ctrl+C") from None


@pytest.mark.parametrize("count", [1, 2, 3, 10])
def test_ctrl_c_any_number_of_times_while_waiting_is_unknown(draft, slow_server, app_home, count):
    slow_server.fail_next(Fault.SLOW)
    child = start_send(draft, slow_server, app_home)
    assert slow_server.wait_for_requests(1, timeout=60)  # the whole order is at the server
    out, err = interrupt(child, [0.0] * count)
    assert child.returncode == EXIT_UNKNOWN, err
    assert UNKNOWN_LINE in err and "orderId" not in out
    assert "unexpected" not in err and "Traceback" not in err
    [attempt] = History().attempts()
    assert attempt.outcome == "unknown"


def test_ctrl_c_at_many_timings_while_waiting_never_loses_the_outcome(draft, slow_server, app_home):
    rounds = random.Random(19)
    for round_number in range(1, 9):
        slow_server.fail_next(Fault.SLOW)
        child = start_send(draft, slow_server, app_home)
        assert slow_server.wait_for_requests(round_number, timeout=60)
        gaps = [rounds.uniform(0, 0.3) for _ in range(rounds.randint(1, 6))]
        gaps += [rounds.uniform(0, 0.02) for _ in range(rounds.randint(0, 4))]
        out, err = interrupt(child, gaps)
        assert child.returncode == EXIT_UNKNOWN, (gaps, err)
        assert UNKNOWN_LINE in err and "Traceback" not in err and "unexpected" not in err
        assert "orderId" not in out
    outcomes = [attempt.outcome for attempt in History().attempts()]
    assert outcomes == ["unknown"] * 8


def test_ctrl_c_at_the_question_is_130_and_nothing_is_claimed(draft, slow_server, app_home):
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    command = [*ORDER_DESK, "send", str(draft), "--base-url", slow_server.base_url]
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert child.stdout is not None
    shown = b""
    while b"[y/N]" not in shown:  # the review, then the question, waiting for an answer
        chunk = os.read(child.stdout.fileno(), 4096)
        assert chunk, "the command ended before asking"
        shown += chunk
    for _ in range(3):
        child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=10)
    assert child.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    assert slow_server.created_count == 0 and History().attempts() == []
