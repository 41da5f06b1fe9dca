"""``order-desk send``, ``history`` and ``key`` against the practice server over loopback."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys

import pytest
from cli_support import ORDER_DESK
from send_support import (
    SECRET_KEY,
    files_containing,
    free_port,
    small_order,
)

from desktop_app.api import sender
from desktop_app.api.api_key import key_problem
from desktop_app.cli.main import main
from desktop_app.draft import draft_file
from desktop_app.practice.server import Fault, PracticeServer
from desktop_app.services.keystore import ENV_VAR

pytestmark = pytest.mark.usefixtures("memory_keyring")  # never the machine's keyring


@pytest.fixture
def server():
    with PracticeServer(key=SECRET_KEY) as practice:
        yield practice


@pytest.fixture
def key_in_env(monkeypatch):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "spring.cmrorder"
    draft_file.save(small_order(3), path)
    return path


def send(server, draft, *extra):
    return main(["send", str(draft), "--base-url", server.base_url, *extra])


def assert_key_never_leaked(capsys, app_home):
    out, err = capsys.readouterr()
    assert SECRET_KEY not in out + err
    assert files_containing(app_home, SECRET_KEY) == []
    return out, err


def test_send_prints_the_order_id_and_records_it(server, draft, key_in_env, capsys, app_home):
    assert send(server, draft, "--yes") == 0
    out, _ = assert_key_never_leaked(capsys, app_home)
    assert out.strip() == f"orderId: {server.created_order_ids[0]}"
    assert server.created_count == 1
    assert main(["history"]) == 0
    listing, _ = capsys.readouterr()
    assert server.created_order_ids[0] in listing and "created" in listing
    assert str(draft) in listing


def test_the_same_order_twice_is_refused_unless_again(server, draft, key_in_env, capsys, app_home):
    assert send(server, draft, "--yes") == 0
    capsys.readouterr()
    assert send(server, draft, "--yes") == 1
    _, err = capsys.readouterr()
    assert "already ordered" in err and server.created_order_ids[0] in err and "--again" in err
    assert server.created_count == 1
    assert send(server, draft, "--yes", "--again") == 0
    assert server.created_count == 2
    assert_key_never_leaked(capsys, app_home)


def test_the_review_asks_and_no_answer_declines(server, draft, key_in_env, capsys):
    assert send(server, draft) == 1  # stdin cannot be read under the test runner
    out, err = capsys.readouterr()
    assert "Mailboxes:  3" in out and "Provider:   Google Workspace" in out
    assert "Send this order? [y/N]" in out and "Not sent." in err
    assert "Process at once is on" not in out
    assert server.created_count == 0 and server.requests == []


def test_answering_yes_sends_and_confirm_is_loud(server, tmp_path, key_in_env, capsys, monkeypatch):
    path = tmp_path / "charged.cmrorder"
    draft_file.save(small_order(1, confirm=True), path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert send(server, path) == 0
    out, _ = capsys.readouterr()
    assert "!!! Process at once is on: the wallet is charged when the order is created. !!!" in out
    assert server.created_count == 1


def test_an_order_with_errors_is_not_sent(server, tmp_path, key_in_env, capsys):
    order = small_order(2)
    order.mailboxes[1].username = "bad..name"
    path = tmp_path / "broken.cmrorder"
    draft_file.save(order, path)
    assert send(server, path, "--yes") == 1
    _, err = capsys.readouterr()
    assert "error: mailboxes row 2 (username)" in err and "Nothing was sent" in err
    assert server.requests == []


def test_an_unreadable_draft_exits_2(server, tmp_path, key_in_env, capsys):
    path = tmp_path / "notes.cmrorder"
    path.write_text("not a zip")
    assert send(server, path, "--yes") == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err and err.count("\n") == 1


def test_no_key_is_not_created(server, draft, capsys):
    assert send(server, draft, "--yes") == 1
    _, err = capsys.readouterr()
    assert "No API key is set" in err and "key set" in err
    assert server.requests == []


def test_plain_http_elsewhere_is_refused(draft, key_in_env, capsys):
    assert main(["send", str(draft), "--base-url", "http://example.com", "--yes"]) == 1
    _, err = capsys.readouterr()
    assert "only over https" in err


def test_a_refused_key_is_not_created(draft, capsys, monkeypatch, app_home):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)
    with PracticeServer(key="some-other-key") as other:
        assert send(other, draft, "--yes") == 1
        assert other.created_count == 0
    _, err = assert_key_never_leaked(capsys, app_home)
    assert "The API key was refused (HTTP 401: Invalid API Key)" in err


def test_a_key_pasted_with_a_curly_quote_is_not_created_and_blocks_nothing(
    server, draft, capsys, monkeypatch, app_home
):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY + "\u201d")
    assert send(server, draft, "--yes") == 1
    _, err = assert_key_never_leaked(capsys, app_home)
    assert "nothing was sent" in err and "unknown" not in err
    assert server.requests == []
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)
    assert send(server, draft, "--yes") == 0  # not taken for an earlier, unknown send
    assert server.created_count == 1


def test_a_server_error_is_unknown_exit_3_and_blocks_a_blind_resend(
    server, draft, key_in_env, capsys, app_home
):
    server.fail_next(Fault.SERVER_ERROR)
    assert send(server, draft, "--yes") == 3
    _, err = capsys.readouterr()
    assert "Check the CMR dashboard before sending again" in err
    assert send(server, draft, "--yes") == 1
    _, err = capsys.readouterr()
    assert "unknown outcome" in err and "check the dashboard first" in err
    assert len(server.requests) == 1
    assert_key_never_leaked(capsys, app_home)


def test_timeout_sets_how_long_to_wait_for_the_answer(server, draft, key_in_env, capsys):
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(60)
    assert send(server, draft, "--yes", "--timeout", "1") == 3
    _, err = capsys.readouterr()
    assert "No answer came within 1 s" in err


def test_nothing_listening_is_could_not_connect(draft, key_in_env, capsys, monkeypatch):
    monkeypatch.setattr(sender, "CONNECT_RETRY_DELAYS", (0.0, 0.0))
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["send", str(draft), "--base-url", url, "--yes"]) == 1
    _, err = capsys.readouterr()
    assert "Could not connect to 127.0.0.1" in err and "after 3 tries" in err


def test_the_windows_address_setting_is_the_default(server, draft, key_in_env, app_home):
    # As the window's QSettings writes it (a quoted value in an INI group).
    (app_home / "settings.ini").write_text(
        f'[General]\nversion=1\n\n[sending]\nbase_url="{server.base_url}"\n', encoding="utf-8"
    )
    assert main(["send", str(draft), "--yes"]) == 0
    assert server.created_count == 1


def test_user_id_overrides_the_drafts(server, draft, key_in_env):
    assert send(server, draft, "--yes", "--user-id", "9001") == 0
    assert server.last_request.user_id == "9001"


def test_history_csv_and_search(server, draft, key_in_env, capsys, tmp_path):
    assert send(server, draft, "--yes") == 0
    server.fail_next(Fault.SERVER_ERROR)
    assert send(server, draft, "--yes", "--again") == 3
    capsys.readouterr()
    target = tmp_path / "out.csv"
    assert main(["history", "--csv", str(target)]) == 0
    assert target.read_text().count("\n") == 3
    assert main(["history", "--search", server.created_order_ids[0]]) == 0
    out, _ = capsys.readouterr()
    assert out.count("userId=") == 1


def test_key_set_status_delete(memory_keyring, capsys, monkeypatch, app_home):
    assert main(["key", "status"]) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET_KEY + "\n"))
    assert main(["key", "set"]) == 0
    assert list(memory_keyring.entries.values()) == [SECRET_KEY]
    assert main(["key", "status"]) == 0
    out, _ = capsys.readouterr()
    assert "An API key is set in the system keyring." in out
    assert main(["key", "delete"]) == 0
    assert memory_keyring.entries == {}
    assert main(["key", "status"]) == 1
    assert_key_never_leaked(capsys, app_home)


@pytest.mark.parametrize("key", ["sk-\u201ccurly\u201d", "sk-live\u200b123", "two words"])
def test_key_set_refuses_a_key_the_sender_would_refuse(memory_keyring, capsys, monkeypatch, key):
    monkeypatch.setattr(sys, "stdin", io.StringIO(key + "\n"))
    assert main(["key", "set"]) == 1
    _, err = capsys.readouterr()
    assert key_problem(key) in err and "Traceback" not in err
    assert memory_keyring.entries == {}


def test_a_key_from_the_keyring_is_used_to_send(server, draft, capsys, monkeypatch, app_home):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET_KEY + "\n"))
    assert main(["key", "set"]) == 0
    assert send(server, draft, "--yes") == 0
    assert server.created_count == 1
    assert_key_never_leaked(capsys, app_home)


def test_ctrl_c_while_waiting_for_the_answer_is_unknown_at_once(server, draft, app_home):
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(120)
    env = {**os.environ, ENV_VAR: SECRET_KEY}
    child = subprocess.Popen(
        [
            *ORDER_DESK,
            "send",
            str(draft),
            "--base-url",
            server.base_url,
            "--yes",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert server.wait_for_requests(1, timeout=30)  # the whole order is at the server
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)  # far less than the 120 s the server waits
    assert child.returncode == 3, err
    assert "Cancelled after the order was sent" in err and "Traceback" not in err
    assert SECRET_KEY not in out + err
    assert server.created_count == 1
    assert files_containing(app_home, SECRET_KEY) == []


def test_an_unusable_history_sends_nothing(server, draft, key_in_env, capsys, app_home):
    (app_home / "history.sqlite3").mkdir()  # the database path cannot be opened
    assert send(server, draft, "--yes") == 1
    _, err = capsys.readouterr()
    assert "history" in err and "sent twice" in err and "Traceback" not in err
    assert server.created_count == 0
    assert main(["history"]) == 1


def test_a_created_order_is_printed_even_if_history_cannot_record_it(
    server, draft, key_in_env, capsys, monkeypatch
):
    from desktop_app.services.history import History, HistoryError

    def disk_gives_out(self, attempt_id, result):
        raise HistoryError("The send history cannot be used: disk I/O error.")

    monkeypatch.setattr(History, "finish", disk_gives_out)
    assert send(server, draft, "--yes") == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"orderId: {server.created_order_ids[0]}"
    assert "not in the history" in err


def test_validate_warns_about_what_history_shows_as_ordered(server, draft, key_in_env, capsys):
    assert send(server, draft, "--yes") == 0
    order_id = server.created_order_ids[0]
    capsys.readouterr()
    assert main(["validate", str(draft), "--base-url", server.base_url]) == 0  # warnings only
    out, err = capsys.readouterr()
    assert (
        f"warning: domains row 1 (domain): example.com was already ordered: order {order_id}"
        in (out + err)
    )
    assert "warning: mailboxes row 3 (username): user2@example.com was already ordered" in out + err
    # Elsewhere (another endpoint) nothing was ordered.
    assert main(["validate", str(draft), "--base-url", "https://api.example.com"]) == 0
    out, err = capsys.readouterr()
    assert "already ordered" not in out + err
