"""What comes from History, a file name or a server reaches the terminal escaped, never raw."""

from __future__ import annotations

import http.server
import os
import sqlite3

from cli_support import order_desk
from send_support import serve_on_loopback, small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import build_request
from desktop_app.draft import draft_file
from desktop_app.services.history import History, SendPart

ESCAPES = "\x1b[2J\x9b31m\u202e"
RAW = ("\x1b", "\x9b", "\u202e", "\x07")  # what would drive a terminal if printed as is


def test_history_shows_an_edited_row_escaped(app_home):
    history = History()
    request = build_request(small_order(1), "https://api.example.com")
    history.record(request, SendResult(Outcome.CREATED, "ok", order_id="A" * 28), SendPart())
    with sqlite3.connect(history.path) as conn:
        conn.execute("UPDATE attempts SET order_id = ?, message = ?", ("ID" + ESCAPES, ESCAPES))
    shown = order_desk("history")
    assert shown.returncode == 0
    assert "ID\\x1b[2J" in shown.stdout
    assert not any(char in shown.stdout for char in RAW)


def test_validate_shows_a_hostile_file_name_escaped(tmp_path):
    draft = tmp_path / f"june{ESCAPES}.cmrorder"
    draft_file.save(small_order(1), draft)
    checked = order_desk("validate", draft)
    assert checked.returncode == 0, checked.stderr
    assert not any(char in checked.stdout + checked.stderr for char in RAW)


class _NotJson(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"not json {ESCAPES}\x07".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_status_json_shows_an_answer_that_is_not_json_escaped():
    env = {**os.environ, "CMR_API_KEY": "some-key-123456"}
    with serve_on_loopback(_NotJson) as url:
        asked = order_desk("status", "ORDER1", "--base-url", url, "--json", env=env)
    assert "not json" in asked.stdout
    assert not any(char in asked.stdout for char in RAW)


def test_the_practice_server_says_how_to_send_to_it_in_practice():
    from desktop_app.practice.server import run_foreground

    said: list[str] = []
    import threading

    stop = threading.Event()
    stop.set()
    run_foreground(0, announce=said.append, stop=stop)
    [how] = [line for line in said if line.startswith("Send to it with")]
    assert "--env practice --base-url http://127.0.0.1:" in how and "CMR_API_KEY" not in how
