"""Send history: every attempt kept, searchable, exportable, and whole after a kill."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import textwrap

from send_support import small_order

from desktop_app.api.payload import build_request
from desktop_app.api.sender import UNKNOWN_ADVICE, Outcome, SendResult
from desktop_app.services.history import FILENAME, SENDING, History, SendPart

CREATED = SendResult(Outcome.CREATED, "Order created: ABC.", order_id="A" * 28, http_status=201)
REFUSED = SendResult(Outcome.NOT_CREATED, "The API refused the order.", http_status=400)
UNKNOWN = SendResult(Outcome.UNKNOWN, f"The server failed. {UNKNOWN_ADVICE}", http_status=502)


def request_for(user_id: str = "42", mailboxes: int = 2):
    return build_request(small_order(mailboxes, user_id=user_id), "https://api.example.com")


def test_the_database_lives_in_the_app_home(app_home):
    History().record(request_for(), CREATED)
    assert (app_home / FILENAME).exists()
    with sqlite3.connect(app_home / FILENAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_attempt_keeps_what_was_sent_and_what_came_back(app_home):
    history = History()
    request = request_for()
    history.record(request, CREATED, SendPart(draft_path="/drafts/spring.cmrorder"))
    [attempt] = history.attempts()
    assert attempt.endpoint == "https://api.example.com/api/v1/integration/orders"
    assert attempt.user_id == "42" and attempt.order_id == "A" * 28
    assert attempt.outcome == "created" and attempt.http_status == 201
    assert (attempt.domains, attempt.mailboxes, attempt.avatars) == (2, 2, 2)
    assert attempt.fingerprint == request.fingerprint
    assert attempt.draft_path == "/drafts/spring.cmrorder"
    assert [tuple(pair) for pair in json.loads(attempt.fields)] == request.fields
    assert attempt.started and attempt.finished


def test_newest_first_and_search(app_home):
    history = History()
    history.record(request_for("1001"), CREATED)
    history.record(request_for("2002"), REFUSED)
    history.record(request_for("3003"), UNKNOWN)
    assert [a.user_id for a in history.attempts()] == ["3003", "2002", "1001"]
    assert [a.user_id for a in history.attempts("2002")] == ["2002"]
    assert [a.user_id for a in history.attempts("AAAAAAAA")] == ["1001"]  # order ID
    assert [a.user_id for a in history.attempts("refused")] == ["2002"]  # message
    assert [a.user_id for a in history.attempts("user1")] == ["3003", "2002", "1001"]  # fields
    assert history.attempts("100%") == [] and history.attempts("_") == []  # LIKE is escaped


def test_an_interrupted_send_reads_as_unknown_and_counts_as_sent(app_home):
    history = History()
    request = request_for()
    claim = history.claim(request)  # ... and the app was killed before the answer
    assert claim.granted
    [attempt] = history.attempts()
    assert attempt.outcome == SENDING
    assert attempt.shown_outcome == "unknown" and UNKNOWN_ADVICE in attempt.shown_message
    assert {r.attempt_id for r in history.repeats(request)} == {attempt.id}
    assert {r.outcome for r in history.repeats(request)} == {"unknown"}


def test_only_created_or_unknown_attempts_block_a_resend(app_home):
    history = History()
    refused, created, unknown = request_for("1"), request_for("2"), request_for("3")
    history.record(refused, REFUSED)
    history.record(created, CREATED)
    history.record(unknown, UNKNOWN)
    assert history.repeats(refused) == []
    assert {r.order_id for r in history.repeats(created)} == {"A" * 28}
    assert {r.outcome for r in history.repeats(unknown)} == {"unknown"}
    assert history.repeats(request_for("4")) == []


def test_csv_export(app_home, tmp_path):
    history = History()
    history.record(request_for("1"), CREATED)
    history.record(request_for("2"), REFUSED)
    target = tmp_path / "history.csv"
    assert history.export_csv(target) == 2
    with open(target, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["userId"] for r in rows] == ["2", "1"]
    assert rows[1]["orderId"] == "A" * 28 and rows[1]["outcome"] == "created"
    assert json.loads(rows[0]["fields"])[2] == ["billingCycle", "MONTHLY"]
    assert rows[0]["environment"] == "production" and rows[0]["parts"] == "1"
    assert history.export_csv(target, search="AAAA") == 1


def test_reading_an_empty_history_creates_nothing(app_home):
    assert History().attempts() == []
    assert History().repeats(request_for()) == []
    assert History().bought("https://api.example.com", "42") == {}
    assert not (app_home / FILENAME).exists()


def test_a_kill_in_the_middle_of_writing_leaves_a_whole_database(app_home):
    # A child process records attempts as fast as it can; it is killed while
    # doing so.  Every row that made it in is complete, and the file is sound.
    script = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        from send_support import small_order
        from desktop_app.services.history import History
        from desktop_app.api.payload import build_request
        from desktop_app.api.sender import Outcome, SendResult

        history = History()
        request = build_request(small_order(40), "https://api.example.com")
        result = SendResult(Outcome.CREATED, "created", order_id="B" * 28)
        count = 0
        while True:
            history.record(request, result)
            count += 1
            if count == 20:
                print("ready", flush=True)
        """
    )
    tests_dir = str(__import__("pathlib").Path(__file__).parents[1])
    child = subprocess.Popen(
        [sys.executable, "-c", script, tests_dir], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "ready"
    child.kill()
    child.wait()
    child.stdout.close()
    with sqlite3.connect(app_home / FILENAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    attempts = History().attempts()
    assert len(attempts) >= 20
    for attempt in attempts:
        assert attempt.mailboxes == 40 and len(json.loads(attempt.fields)) == 8
        assert attempt.outcome in ("created", SENDING)
        if attempt.outcome == "created":
            assert attempt.order_id == "B" * 28
