"""Two real processes sending one draft at once create one order, never two."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from cli_support import ORDER_DESK
from send_support import SECRET_KEY, small_order

from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services.keystore import ENV_VAR

PAIRS = 8


@pytest.fixture
def server():
    with PracticeServer(key=SECRET_KEY) as practice:
        yield practice


def child_env(app_home):
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def send_command(draft, server, *extra):
    return [
        *ORDER_DESK,
        "send",
        str(draft),
        "--base-url",
        server.base_url,
        *extra,
    ]


def test_two_sends_started_together_create_one_order(server, tmp_path, app_home):
    env = child_env(app_home)
    for pair in range(PAIRS):
        draft = tmp_path / f"pair{pair}.cmrorder"
        draft_file.save(small_order(2, user_id=str(1000 + pair)), draft)
        before = server.created_count
        racers = [
            subprocess.Popen(
                send_command(draft, server, "--yes"),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [(r.wait(60), *r.communicate()) for r in racers]
        codes = sorted(code for code, _, _ in results)
        assert server.created_count - before == 1, results
        assert codes == [0, 1], results
        [loser_err] = [err for code, _, err in results if code == 1]
        # The winner's attempt is listed (as created, or unknown while still in flight),
        # whether the loser saw it at its review or at its claim.
        assert "example.com — " in loser_err
        assert "Nothing was sent" in loser_err or "Nothing was created" in loser_err


def test_a_send_waiting_at_its_prompt_does_not_buy_what_another_bought_meanwhile(
    server, tmp_path, app_home
):
    env = child_env(app_home)
    draft = tmp_path / "prompt.cmrorder"
    draft_file.save(small_order(2), draft)
    waiting = subprocess.Popen(
        send_command(draft, server),
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The review is printed and the question asked: the operator has not answered yet.
        seen = ""
        deadline = time.monotonic() + 30
        while "Send this order? [y/N]" not in seen and time.monotonic() < deadline:
            seen += waiting.stdout.read(1)
        assert "Send this order? [y/N]" in seen
        other = subprocess.run(
            send_command(draft, server, "--yes"), env=env, capture_output=True, text=True
        )
        assert other.returncode == 0 and server.created_count == 1
        _, err = waiting.communicate("y\n", timeout=60)
    finally:
        waiting.kill()
    assert waiting.returncode == 1
    assert "since the review" in err and "already ordered" in err
    assert server.created_count == 1
