"""Cases found by trying to break the guard: each must be refused, or its outcome told right."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import ORDER_DESK
from send_support import SECRET_KEY, serve_on_loopback, small_order

from desktop_app.api.endpoints import endpoint_identity, url_problem
from desktop_app.api.order_status import fetch_status
from desktop_app.cli.main import main
from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services.environments import Environment
from desktop_app.services.history import History
from desktop_app.services.keystore import ENV_VAR
from desktop_app.services.send_flow import Destination

DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)
    path = tmp_path / "spring.cmrorder"
    draft_file.save(small_order(2), path)
    return path


@pytest.mark.parametrize("path", ["/.", "/a/..", "/./.", "/.//", "//cmr", "/cmr/./x", "/%2e"])
def test_dot_segments_and_empty_parts_in_the_address_are_refused(path):
    assert "'.', '..' or an empty part" in (url_problem(f"http://127.0.0.1:8765{path}") or "")


@pytest.mark.parametrize("bad", ["\t.", "\n", "\r", "\x00", "\x7f", " x", "x" * 3000])
def test_an_address_that_cannot_be_sent_to_is_refused_before_anything_is_claimed(
    draft, capsys, bad
):
    url = f"http://127.0.0.1:8765/a{bad}b"
    assert url_problem(url) is not None
    assert main(["send", str(draft), "--base-url", url, "--yes"]) == 1
    assert History().attempts() == []
    assert "Traceback" not in capsys.readouterr().err


def test_percent_encoding_does_not_make_another_endpoint():
    assert endpoint_identity("https://gw.example.com/cmr/é") == endpoint_identity(
        "https://gw.example.com/cmr/%C3%A9"
    )
    assert endpoint_identity("https://gw.example.com/~x") == endpoint_identity(
        "https://gw.example.com/%7Ex"
    )


def _answering(status: int, body: bytes) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self._answer()

        def do_GET(self):
            self._answer()

        def _answer(self):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def test_a_refusal_nested_past_pythons_stack_is_still_a_refusal(draft, capsys):
    with serve_on_loopback(_answering(400, DEEP)) as url:
        assert main(["send", str(draft), "--base-url", url, "--yes"]) == 1
    [attempt] = History().attempts()
    assert attempt.outcome == "not created"
    assert "Traceback" not in capsys.readouterr().err


def test_a_status_answer_nested_past_pythons_stack_is_one_sentence(capsys, monkeypatch):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)
    body = b'{"message": "ok", "data": ' + DEEP + b"}"
    with serve_on_loopback(_answering(200, body)) as url:
        answer = fetch_status(Destination(url), SECRET_KEY, "ORDER1", "42")
        assert answer.ok and "not in JSON" in answer.message
        code = main(["status", "ORDER1", "--base-url", url])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err and "unexpected" not in err


def test_a_closed_stderr_changes_neither_the_send_nor_its_exit_code(draft, app_home):
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    with PracticeServer(key=SECRET_KEY) as server:
        command = [*ORDER_DESK, "send", str(draft), "--yes"]
        command += ["--base-url", server.base_url]
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody reads stderr: every write to it fails
        try:
            child = subprocess.run(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=write_end,
                text=True,
                timeout=60,
            )
        finally:
            os.close(write_end)
        assert server.created_count == 1
    assert child.returncode == 0
    assert child.stdout.strip() == f"orderId: {server.created_order_ids[0]}"
    [attempt] = History().attempts()
    assert attempt.outcome == "created" and attempt.order_id == server.created_order_ids[0]


def test_a_home_that_is_a_file_is_one_sentence(draft, tmp_path, capsys, monkeypatch):
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    monkeypatch.setenv("ORDER_DESK_HOME", str(home))
    assert main(["send", str(draft), "--env", "practice", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "home folder" in err and "cannot be used" in err and "unexpected" not in err


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root, to read as another user a History that user may not write",
)
def test_a_read_only_history_can_still_be_read(draft, app_home, tmp_path):
    with PracticeServer(key=SECRET_KEY) as server:
        assert main(["send", str(draft), "--base-url", server.base_url, "--yes"]) == 0
        order_id = server.created_order_ids[0]
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="order-desk-readonly-")) / "home"
    shutil.copytree(app_home, home)
    for path in [home, *home.rglob("*"), home.parent]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    env = {**os.environ, "ORDER_DESK_HOME": str(home)}
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    listing = subprocess.run(
        [*nobody, *ORDER_DESK, "history"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    try:
        assert listing.returncode == 0, listing.stderr
        assert order_id in listing.stdout
    finally:
        home.parent.chmod(0o755)
        shutil.rmtree(home.parent, ignore_errors=True)


def test_environments_are_named_in_history_and_the_review(draft, capsys):
    assert main(["send", str(draft), "--env", "practice", "--yes"]) == 0
    assert "Practice: the server built into Order Desk" in capsys.readouterr().err
    [attempt] = History().attempts()
    assert attempt.environment == Environment.PRACTICE.value
