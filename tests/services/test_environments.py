"""Practice, the CMR sandbox and production: own addresses, keys and headers; status checks."""

from __future__ import annotations

import json

import pytest
from send_support import SECRET_KEY, small_order

from desktop_app.api.order_status import fetch_status, tree_lines
from desktop_app.cli.main import main
from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services.environments import Environment, key_store_for
from desktop_app.services.history import History
from desktop_app.services.send_flow import Destination

SANDBOX_KEY = "sandbox-key-9Zq2Lm4Xw7"


pytestmark = pytest.mark.usefixtures("memory_keyring")  # never the machine's keyring


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "spring.cmrorder"
    draft_file.save(small_order(2), path)
    return path


def test_each_environment_has_its_own_key_and_header(monkeypatch):
    monkeypatch.setenv("CMR_SANDBOX_API_KEY", SANDBOX_KEY)
    monkeypatch.delenv("CMR_API_KEY", raising=False)
    sandbox, production = key_store_for(Environment.SANDBOX), key_store_for(Environment.PRODUCTION)
    assert sandbox.get() == SANDBOX_KEY
    assert production.env_var == "CMR_API_KEY" and sandbox.env_var == "CMR_SANDBOX_API_KEY"
    assert Environment.SANDBOX.key_header == "cmr-x-sandbox-api-key"
    assert Environment.PRODUCTION.key_header == "cmr-x-api-key"
    assert Environment.PRODUCTION.spends_money and not Environment.SANDBOX.spends_money


def test_a_sandbox_send_carries_the_sandbox_key_in_its_own_header(draft, capsys, monkeypatch):
    monkeypatch.setenv("CMR_SANDBOX_API_KEY", SANDBOX_KEY)
    with PracticeServer(key=SANDBOX_KEY) as server:
        args = ["send", str(draft), "--env", "sandbox", "--base-url", server.base_url, "--yes"]
        assert main(args) == 0
        received = server.last_request
    assert received.key_accepted and received.key_headers == ("cmr-x-sandbox-api-key",)
    _, err = capsys.readouterr()
    assert "CMR sandbox: CMR's test environment; no money moves." in err
    [attempt] = History().attempts()
    assert attempt.environment == "sandbox"


def test_the_sandbox_needs_its_address_once(draft, capsys, monkeypatch):
    monkeypatch.setenv("CMR_SANDBOX_API_KEY", SANDBOX_KEY)
    assert main(["send", str(draft), "--env", "sandbox", "--yes"]) == 1
    _, err = capsys.readouterr()
    assert "The CMR sandbox's address is not set" in err and "Nothing was sent" in err


def test_practice_on_the_command_line_runs_its_own_practice_server(draft, capsys):
    assert main(["send", str(draft), "--env", "practice", "--yes"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("orderId: ")
    [attempt] = History().attempts()
    assert attempt.environment == "practice" and attempt.practice


def test_a_sandbox_order_does_not_hold_back_the_same_order_in_production(
    draft, capsys, monkeypatch
):
    monkeypatch.setenv("CMR_SANDBOX_API_KEY", SECRET_KEY)
    monkeypatch.setenv("CMR_API_KEY", SECRET_KEY)
    with PracticeServer(key=SECRET_KEY) as server:
        base = ["send", str(draft), "--base-url", server.base_url, "--yes"]
        assert main([*base, "--env", "sandbox"]) == 0
        assert main([*base, "--env", "sandbox"]) == 1  # the same environment: held back
        assert main([*base, "--env", "production"]) == 0
        assert server.created_count == 2


def test_status_follows_an_order_from_pending_to_completed(draft, capsys):
    with PracticeServer() as server:
        where = Destination(server.base_url, Environment.PRACTICE)
        assert (
            main(["send", str(draft), "--env", "practice", "--base-url", server.base_url, "--yes"])
            == 0
        )
        order_id = server.created_order_ids[0]
        first = fetch_status(where, server.key, order_id, "42")
        assert first.ok and first.headline == "pending"
        assert {d["status"] for d in first.data["domains"]} == {"pending"}
        server.advance(30)
        middle = fetch_status(where, server.key, order_id, "42")
        assert middle.headline == "processing"
        server.advance(60)
        done = fetch_status(where, server.key, order_id, "42")
        assert done.headline == "completed"
        assert {m["status"] for m in done.data["mailboxes"]} == {"active"}
        lines = tree_lines(done.data)
        assert "status: completed" in lines
        assert any(line.split() == ["email", "status"] for line in lines)  # a table
        assert any("user0@example.com" in line and "active" in line for line in lines)


def test_status_of_an_unknown_order_or_with_a_wrong_key(capsys):
    with PracticeServer() as server:
        where = Destination(server.base_url, Environment.PRACTICE)
        unknown = fetch_status(where, server.key, "NOPE" * 7, "42")
        assert not unknown.ok and unknown.message == (
            f"The API does not know order {'NOPE' * 7} (for user 42)."
        )
        refused = fetch_status(where, "not-the-key", "NOPE", "42")
        assert refused.key_problem and "HTTP 401" in refused.message


def test_order_desk_status_prints_the_answer_and_history_keeps_it(draft, capsys):
    with PracticeServer() as server:
        send = ["send", str(draft), "--env", "practice", "--base-url", server.base_url, "--yes"]
        assert main(send) == 0
        order_id = server.created_order_ids[0]
        capsys.readouterr()
        status = ["status", order_id, "--env", "practice", "--base-url", server.base_url]
        assert main(status) == 0
        out, _ = capsys.readouterr()
        assert out.startswith("Order status fetched successfully\n") and "status: pending" in out
        assert main([*status, "--json"]) == 0
        raw, _ = capsys.readouterr()
        assert json.loads(raw)["data"]["orderId"] == order_id
        assert main(["status", "X" * 28, "--env", "practice", "--base-url", server.base_url]) == 1
        _, err = capsys.readouterr()
        assert "The API does not know order " + "X" * 28 in err
    [attempt] = History().attempts()
    assert attempt.status_text == "pending" and attempt.status_checked
    assert json.loads(attempt.status_raw)["data"]["orderId"] == order_id
    assert main(["history"]) == 0
    assert "status: pending" in capsys.readouterr().out
