"""The never-twice guard: the same purchase, not the same bytes, at any spelling of the address."""

from __future__ import annotations

import json
import sqlite3

import pytest
from send_support import small_order

from desktop_app.api.endpoints import endpoint_identity
from desktop_app.api.payload import build_request
from desktop_app.api.sender import Outcome, SendResult
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.purchases import keys_of_fields
from desktop_app.services.history import FILENAME, History, SendPart

BASE = "https://api.example.com"
CREATED = SendResult(Outcome.CREATED, "Order created.", order_id="BYO4IU" + "Q" * 22)
REFUSED = SendResult(Outcome.NOT_CREATED, "The API refused the order.", http_status=400)
UNKNOWN = SendResult(Outcome.UNKNOWN, "No answer.")


def sent(order: Order, result: SendResult = CREATED, base: str = BASE) -> History:
    history = History()
    history.record(build_request(order, base), result)
    return history


def repeats_of(order: Order, base: str = BASE) -> set[str]:
    return {r.what for r in History().repeats(build_request(order, base))}


@pytest.mark.parametrize(
    "edit",
    [
        lambda o: setattr(o.mailboxes[0], "last_name", "Typo Fixed"),
        lambda o: setattr(o.mailboxes[1], "first_name", "Renamed"),
        lambda o: setattr(o, "confirm", not o.confirm),
        lambda o: setattr(o, "auto_renew", True),
        lambda o: setattr(o.domains[0], "years", 3),
        lambda o: setattr(o.domains[0], "forward_to", "https://elsewhere.example.org"),
        lambda o: setattr(o.mailboxes[0], "avatar", None),
        lambda o: setattr(o.mailboxes[0], "username", "USER0"),  # case is not a new mailbox
        lambda o: setattr(o.domains[1], "domain", "SECOND-EXAMPLE.NET."),
    ],
    ids=[
        "last-name",
        "first-name",
        "confirm",
        "auto-renew",
        "years",
        "forwarding",
        "picture",
        "username-case",
        "domain-spelling",
    ],
)
def test_an_edit_does_not_make_a_purchase_new(app_home, edit):
    order = small_order(2)
    sent(order)
    edit(order)
    assert {"example.com", "second-example.net"} <= repeats_of(order)


def test_a_new_draft_sharing_one_domain_repeats_that_domain_only(app_home):
    sent(small_order(2))
    other = Order(
        domains=[DomainEntry("example.com", 1), DomainEntry("brand-new.org", 1)],
        mailboxes=[Mailbox("brand-new.org", "ann", "Ann", "Lee")],
        user_id="42",
    )
    assert repeats_of(other) == {"example.com"}


def test_a_new_draft_sharing_one_mailbox_repeats_that_mailbox(app_home):
    sent(small_order(2))
    other = Order(mailboxes=[Mailbox("Example.com", "User1", "Someone", "Else")], user_id="42")
    assert repeats_of(other) == {"user1@example.com"}


def test_a_new_mailbox_on_a_bought_domain_is_not_a_repeat(app_home):
    sent(small_order(2))
    other = Order(mailboxes=[Mailbox("example.com", "newcomer", "New", "Comer")], user_id="42")
    assert repeats_of(other) == set()


def test_an_attempt_that_created_nothing_never_blocks(app_home):
    order = small_order(2)
    sent(order, REFUSED)
    assert repeats_of(order) == set()


def test_an_unknown_outcome_blocks_like_a_created_one(app_home):
    order = small_order(2)
    sent(order, UNKNOWN)
    [outcome] = {r.outcome for r in History().repeats(build_request(order, BASE))}
    assert outcome == "unknown"


def test_another_user_id_or_endpoint_is_another_purchase(app_home):
    sent(small_order(2, user_id="42"))
    assert repeats_of(small_order(2, user_id="43")) == set()
    assert repeats_of(small_order(2, user_id="42"), "https://sandbox.example.com") == set()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("http://localhost:8799", "http://127.0.0.1:8799"),
        ("http://127.0.0.1:8799", "http://LOCALHOST:8799"),
        ("http://127.0.0.1:8799", "http://127.0.0.2:8799/"),
        ("http://[::1]:8799", "http://localhost.:8799"),
        ("https://api.example.com", "HTTPS://API.EXAMPLE.COM"),
        ("https://api.example.com", "https://api.example.com:443"),
        ("https://api.example.com", "https://api.example.com./"),
        ("http://localhost", "http://localhost:80"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("https://gw.example.com/cmr", "https://gw.example.com/cmr/"),
    ],
)
def test_every_spelling_of_one_address_is_one_endpoint(app_home, first, second):
    assert endpoint_identity(first) == endpoint_identity(second)
    order = small_order(2)
    sent(order, base=first)
    assert "example.com" in repeats_of(order, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("http://127.0.0.1:8799", "http://127.0.0.1:8800"),
        ("https://api.example.com", "http://api.example.com"),
        ("https://api.example.com", "https://api.example.org"),
        ("https://gw.example.com/cmr", "https://gw.example.com/other"),
    ],
)
def test_other_addresses_are_other_endpoints(first, second):
    assert endpoint_identity(first) != endpoint_identity(second)


def test_a_claim_refuses_an_attempt_that_appeared_after_the_review(app_home):
    order = small_order(2)
    history = History()
    request = build_request(order, BASE)
    assert history.repeats(request) == []  # the review saw nothing ...
    history.record(build_request(order, BASE), CREATED)  # ... another process sent it
    claim = history.claim(request, SendPart(), accepted=frozenset())
    assert not claim.granted
    assert {r.what for r in claim.repeats} >= {"example.com", "user0@example.com"}
    assert len(history.attempts()) == 1  # nothing recorded, nothing to send


def test_send_again_anyway_covers_only_what_the_operator_saw(app_home):
    order = small_order(2)
    history = History()
    history.record(build_request(order, BASE), CREATED)
    request = build_request(order, BASE)
    seen = frozenset(r.attempt_id for r in history.repeats(request))
    history.record(build_request(order, BASE), UNKNOWN)  # appeared after the review
    assert not history.claim(request, accepted=seen).granted
    seen_now = frozenset(r.attempt_id for r in history.repeats(request))
    assert history.claim(request, accepted=seen_now).granted
    assert history.claim(request, accepted=None).granted  # --again: whatever is there


def test_a_claim_records_what_it_buys_and_where_it_belongs(app_home):
    history = History()
    request = build_request(small_order(1), BASE)
    where = SendPart(environment="practice", draft_path="/d/x.cmrorder", batch="b", part=2, parts=5)
    claim = history.claim(request, where)
    [attempt] = history.attempts()
    assert attempt.id == claim.attempt_id and attempt.outcome == "sending"
    assert (attempt.environment, attempt.part, attempt.parts, attempt.batch) == (
        "practice",
        2,
        5,
        "b",
    )
    bought = history.bought(BASE, "42", "practice")
    assert set(bought) == set(keys_of_fields(request.fields))
    assert history.bought(BASE, "42", "production") == {}  # environments never mix


def test_a_sandbox_order_never_blocks_a_production_one_nor_the_reverse(app_home):
    history = History()
    request = build_request(small_order(2), BASE)
    history.record(request, CREATED, SendPart(environment="sandbox"))
    assert history.repeats(request, "production") == []
    assert history.repeats(request, "sandbox") != []
    assert history.claim(request, SendPart(environment="production")).granted
    assert not history.claim(request, SendPart(environment="sandbox")).granted


def test_a_history_written_before_purchase_keys_still_guards(app_home):
    # A version 1 database, as Order Desk 0.1 wrote it: no purchases table, no
    # endpoint identity, no part columns.
    request = build_request(small_order(2), "http://localhost:8799")
    with sqlite3.connect(app_home / FILENAME) as conn:
        conn.executescript(
            """
            CREATE TABLE attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL,
                finished TEXT NOT NULL DEFAULT '', endpoint TEXT NOT NULL,
                user_id TEXT NOT NULL, order_id TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL,
                message TEXT NOT NULL DEFAULT '', server_message TEXT NOT NULL DEFAULT '',
                http_status INTEGER, domains INTEGER NOT NULL, mailboxes INTEGER NOT NULL,
                avatars INTEGER NOT NULL, fingerprint TEXT NOT NULL,
                draft_path TEXT NOT NULL DEFAULT '', fields TEXT NOT NULL);
            """
        )
        conn.execute(
            "INSERT INTO attempts (started, endpoint, user_id, order_id, outcome, domains,"
            " mailboxes, avatars, fingerprint, fields) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                "2026-06-01T10:00:00+00:00",
                "http://localhost:8799/api/v1/integration/orders",
                "42",
                "OLD" + "1" * 25,
                "created",
                2,
                2,
                2,
                "f",
                json.dumps(request.fields),
            ),
        )
    repeats = History().repeats(build_request(small_order(2), "http://127.0.0.1:8799"))
    assert {r.order_id for r in repeats} == {"OLD" + "1" * 25}
    [attempt] = History().attempts()
    assert attempt.environment == "" and attempt.parts == 1


def test_a_row_of_wrong_types_is_read_not_refused(app_home):
    History().record(build_request(small_order(1), BASE), CREATED)
    with sqlite3.connect(app_home / FILENAME) as conn:
        conn.execute(
            "UPDATE attempts SET domains='lots', http_status='x', message=?, part='first'",
            (b"\xff\xfe bytes",),
        )
    [attempt] = History().attempts()
    assert attempt.domains == 0 and attempt.http_status is None and attempt.part == 1
    assert "bytes" in attempt.message and attempt.order_id == CREATED.order_id
