"""A damaged, locked or unusable History: one sentence everywhere, and nothing is sent."""

from __future__ import annotations

import sqlite3

import pytest
from send_support import SECRET_KEY, small_order

from desktop_app.cli.main import main
from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services import history
from desktop_app.services.history import FILENAME
from desktop_app.services.keystore import ENV_VAR

pytestmark = pytest.mark.usefixtures("memory_keyring")  # never the machine's keyring


@pytest.fixture(autouse=True)
def key_in_environment(monkeypatch):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "spring.cmrorder"
    draft_file.save(small_order(2), path)
    return path


def damage(app_home):
    (app_home / FILENAME).write_bytes(b"this is not a database, it is a note " * 200)


def one_sentence(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_history_of_a_damaged_file_is_one_sentence(app_home, capsys, tmp_path):
    damage(app_home)
    assert main(["history"]) == 1
    line = one_sentence(capsys.readouterr().err)
    assert "cannot be used" in line and "not a database" in line
    assert main(["history", "--csv", str(tmp_path / "out.csv")]) == 1
    line = one_sentence(capsys.readouterr().err)
    assert "cannot be used" in line and "Cannot write" not in line
    assert not (tmp_path / "out.csv").exists()


def test_sending_refuses_while_history_is_damaged(app_home, capsys, draft):
    damage(app_home)
    with PracticeServer(key=SECRET_KEY) as server:
        assert main(["send", str(draft), "--base-url", server.base_url, "--yes"]) == 1
        assert server.requests == []
    line = one_sentence(capsys.readouterr().err)
    assert "cannot be used" in line and "stops an order from being sent twice" in line


def test_sending_refuses_while_another_program_locks_history(app_home, capsys, draft, monkeypatch):
    monkeypatch.setattr(history, "LOCK_WAIT_SECONDS", 0.3)
    main(["history"])  # create it
    capsys.readouterr()
    holder = sqlite3.connect(app_home / FILENAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with PracticeServer(key=SECRET_KEY) as server:
            assert main(["send", str(draft), "--base-url", server.base_url, "--yes"]) == 1
            assert server.requests == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = one_sentence(capsys.readouterr().err)
    assert "locked" in line and "sent twice" in line


def test_validate_still_works_and_says_what_it_could_not_check(app_home, capsys, draft):
    damage(app_home)
    assert main(["validate", str(draft)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "Domains already ordered are not checked" in err
