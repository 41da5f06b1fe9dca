"""History's guard with labels it does not know: a row edited by hand still stops a repeat."""

from __future__ import annotations

import sqlite3

import pytest
from send_support import small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import build_request
from desktop_app.services.history import History, SendPart

API = "https://api.example.com"


def created(history: History, base_url: str, environment: str) -> None:
    request = build_request(small_order(1), base_url)
    result = SendResult(Outcome.CREATED, "created", order_id="A" * 28)
    history.record(request, result, SendPart(environment=environment))


@pytest.mark.parametrize("label", ["Production", "production ", "prod", "PRACTICE"])
def test_a_row_whose_label_was_edited_still_blocks_the_same_purchase(app_home, label):
    history = History()
    created(history, API, "production")
    with sqlite3.connect(history.path) as conn:
        conn.execute("UPDATE attempts SET environment = ?", (label,))
    again = build_request(small_order(1), API)
    assert history.repeats(again, "production"), label
    assert history.bought(API, "42", "production")


def test_a_row_from_before_environments_at_this_computer_counts_in_practice(app_home):
    history = History()
    created(history, "http://127.0.0.1:8765", "")
    again = build_request(small_order(1), "http://127.0.0.1:40123")  # today's practice port
    assert history.repeats(again, "practice")
    elsewhere = History(app_home / "other.sqlite3")
    created(elsewhere, API, "")
    assert not elsewhere.repeats(build_request(small_order(1), "http://127.0.0.1:1"), "practice")
