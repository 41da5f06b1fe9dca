"""History that is not this app's to write: a newer layout, a link out of the home; and the
outcome a full disk kept out of History, recorded at the next start."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from cli_support import ORDER_DESK, order_desk
from send_support import SECRET_KEY, small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import build_request
from desktop_app.draft import draft_file
from desktop_app.practice.server import Fault, PracticeServer
from desktop_app.services.history import History, HistoryError
from desktop_app.services.history_rows import INTERRUPTED_MESSAGE, SCHEMA_VERSION
from desktop_app.services.keystore import ENV_VAR

URL = "https://api.example.test"


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "order.cmrorder"
    draft_file.save(small_order(), path)
    return path


def content(path: Path) -> tuple[int, list[str]]:
    """The database's layout version and every row, as SQLite itself reads them."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump())


def cli_env(home: Path) -> dict[str, str]:
    return {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(home)}


def test_a_history_from_a_newer_version_is_read_but_never_written(app_home, draft):
    created = SendResult(Outcome.CREATED, "Order created.", order_id="NEWER0RDER1")
    History().record(build_request(small_order(), URL), created)
    with closing(sqlite3.connect(app_home / "history.sqlite3")) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = content(app_home / "history.sqlite3")

    listed = order_desk("history", env=cli_env(app_home))
    assert listed.returncode == 0 and "NEWER0RDER1" in listed.stdout
    with PracticeServer(key=SECRET_KEY) as server:
        sent = order_desk(
            "send", draft, "--base-url", server.base_url, "--yes", env=cli_env(app_home)
        )
        assert server.created_count == 0
    assert sent.returncode == 1
    assert "was written by a newer Order Desk; update the app" in sent.stderr
    assert "Nothing was sent" in sent.stderr and "unexpected" not in sent.stderr
    with pytest.raises(HistoryError, match="newer Order Desk"):
        History().record(build_request(small_order(), URL), created)
    assert content(app_home / "history.sqlite3") == before


@pytest.mark.parametrize("dangling", [True, False], ids=["dangling", "to a file"])
def test_a_history_link_out_of_the_home_is_refused(app_home, tmp_path, draft, dangling):
    elsewhere = tmp_path / "elsewhere" / "history.sqlite3"
    elsewhere.parent.mkdir()
    if not dangling:
        History(elsewhere).check()
    (app_home / "history.sqlite3").symlink_to(elsewhere)
    with PracticeServer(key=SECRET_KEY) as server:
        sent = order_desk(
            "send", draft, "--base-url", server.base_url, "--yes", env=cli_env(app_home)
        )
        assert server.created_count == 0
    assert sent.returncode == 1
    assert "outside the app's home; Order Desk does not follow it" in sent.stderr
    assert elsewhere.exists() is not dangling


def test_a_journal_link_out_of_the_home_is_refused(app_home, tmp_path):
    History().check()
    (app_home / "history.sqlite3-wal").unlink(missing_ok=True)
    (app_home / "history.sqlite3-wal").symlink_to(tmp_path / "elsewhere-wal")
    with pytest.raises(HistoryError, match="outside the app's home"):
        History().check()
    assert not (tmp_path / "elsewhere-wal").exists()


def test_a_link_inside_the_home_is_followed(app_home):
    (app_home / "kept").mkdir()
    (app_home / "history.sqlite3").symlink_to(app_home / "kept" / "history.sqlite3")
    History().check()
    assert (app_home / "kept" / "history.sqlite3").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A home on a 3 MB file system of its own, which a test can fill."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs to mount a small tmpfs (root)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)])
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as stream:
        try:
            while True:
                stream.write(b"\0" * 65536)
                stream.flush()
        except OSError:
            pass
    return filler


def test_after_a_full_disk_the_next_start_records_the_outcome_that_was_shown(small_disk, draft):
    home = small_disk / "home"
    home.mkdir()
    env = cli_env(home)
    with PracticeServer(key=SECRET_KEY) as server:
        server.set_slow_seconds(3)
        server.fail_next(Fault.SLOW)
        command = ["send", str(draft), "--base-url", server.base_url, "--yes"]
        child = subprocess.Popen(
            [*ORDER_DESK, *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert server.wait_for_requests(1, timeout=60)  # claimed: History has its row
        filler = fill(small_disk)  # the disk fills while the answer is awaited
        out, err = child.communicate(timeout=60)
        order_id = server.created_order_ids[0]
    assert child.returncode == 0, err
    assert out.strip() == f"orderId: {order_id}"
    assert "kept in a note" in err
    filler.unlink()  # space is back

    listed = order_desk("history", env=env)
    assert listed.returncode == 0, listed.stderr
    [attempt] = History(home / "history.sqlite3").attempts()
    assert attempt.outcome == "created" and attempt.order_id == order_id
    assert attempt.shown_message != INTERRUPTED_MESSAGE and "Recorded late" in attempt.shown_message
    assert not list((home / "unrecorded-outcomes").iterdir())


def test_a_note_never_changes_an_outcome_already_recorded(app_home):
    created = SendResult(Outcome.CREATED, "Order created.", order_id="KEPT0RDER1")
    attempt_id = History().record(build_request(small_order(), URL), created)
    notes = app_home / "unrecorded-outcomes"
    notes.mkdir(exist_ok=True)
    planted = {
        "attempt": attempt_id,
        "outcome": "unknown",
        "orderId": "",
        "message": "planted",
        "serverMessage": "",
        "httpStatus": None,
    }
    (notes / f"attempt-{attempt_id}.json").write_text(json.dumps(planted))
    [attempt] = History().attempts()
    assert attempt.outcome == "created" and attempt.order_id == "KEPT0RDER1"
    assert not (notes / f"attempt-{attempt_id}.json").exists()


def test_the_empty_note_of_a_send_in_flight_is_left_alone(app_home):
    claim = History().claim(build_request(small_order(), URL))
    note = app_home / "unrecorded-outcomes" / f"attempt-{claim.attempt_id}.json"
    assert note.exists()  # room made for its outcome before the order goes out
    [attempt] = History().attempts()  # another start, while the send is out
    assert attempt.outcome == "sending" and note.exists()
    History().finish(claim.attempt_id, SendResult(Outcome.NOT_CREATED, "Refused."))
    assert not note.exists()
