"""Real drafts, sent by the real sender, as Express 5 + multer and NestJS read them.

Each assertion is about what a handler written the usual way would see in
JavaScript: ``Boolean(body.confirm)``, ``JSON.parse(body.google).clientId``,
and ``req.files``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from factories import make_jpeg, make_png
from send_support import SECRET_KEY

from desktop_app.api.payload import OrderRequest, build_request, user_agent
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender, Outcome, SendResult
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order

STACKS = ["express", "nestjs"]
OAUTH_CLIENT_ID = "536726988839-pt93oro4685dtb1emb0pp2vjgjol5mls.apps.googleusercontent.com"
LONG_NUMERIC_CLIENT_ID = "104857600123456789012"  # a double would make it …780000


def send_request(request: OrderRequest) -> SendResult:
    with OrderSender(
        SECRET_KEY, limiter=RateLimiter(limit=1000), connect_retry_delays=(0.0,)
    ) as sender:
        return sender.send(request)


def send(node_backends, stack: str, order: Order) -> dict:
    """Send ``order`` to ``stack``; the record of what its handler received."""
    result = send_request(build_request(order, node_backends.base_url(stack)))
    assert result.outcome is Outcome.CREATED, result.message
    return node_backends.record_of(stack, result.order_id)


def order_with(
    *, confirm: bool = False, auto_renew: bool = False, client_id: str = "", domain: str = "a.com"
) -> Order:
    google = (
        GoogleSettings("https://oauth.example.com/cb", client_id, "Sequencer")
        if client_id
        else GoogleSettings()
    )
    return Order(
        user_id="42",
        domains=[DomainEntry(domain, 1)],
        mailboxes=[Mailbox(domain, "ann", "Ann", "Archer", avatar_from_bytes(make_png()))],
        confirm=confirm,
        auto_renew=auto_renew,
        google=google,
    )


@pytest.mark.parametrize("stack", STACKS)
def test_flags_that_are_off_read_as_false_in_javascript(node_backends, stack):
    fields = send(node_backends, stack, order_with(confirm=False, auto_renew=False))["fields"]
    # The review said the order waits: a handler testing `if (body.confirm)` must not charge.
    assert fields["confirm"] == {"value": "", "boolean": False}
    assert fields["autoRenew"] == {"value": "", "boolean": False}


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("confirm", "auto_renew"), [(True, True), (True, False), (False, True)])
def test_flags_that_are_on_arrive_as_the_text_true(node_backends, stack, confirm, auto_renew):
    order = order_with(confirm=confirm, auto_renew=auto_renew)
    fields = send(node_backends, stack, order)["fields"]
    for name, on in (("confirm", confirm), ("autoRenew", auto_renew)):
        assert fields[name] == (
            {"value": "true", "boolean": True} if on else {"value": "", "boolean": False}
        )


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("client_id", [LONG_NUMERIC_CLIENT_ID, OAUTH_CLIENT_ID, ""])
def test_json_parse_gives_back_the_drafted_client_id(node_backends, stack, client_id):
    record = send(node_backends, stack, order_with(client_id=client_id))
    assert record["google"] == {"clientId": client_id, "typeof": "string"}


@pytest.mark.parametrize("stack", STACKS)
def test_each_picture_arrives_under_its_punycode_address_with_its_type_and_bytes(
    node_backends, stack
):
    anna, joerg, bob = (
        avatar_from_bytes(make_png((9, 9, 9))),
        avatar_from_bytes(make_jpeg()),
        avatar_from_bytes(make_jpeg((1, 2, 3))),
    )
    order = Order(
        user_id="42",
        domains=[DomainEntry("bücher.de", 1), DomainEntry("example.com", 1)],
        mailboxes=[
            Mailbox("bücher.de", "Anna", "Anna", "Müller", anna),
            Mailbox("Bücher.DE", "joerg", "Jörg", "Schmidt", joerg),
            Mailbox("example.com", "bob", "Bob", "Baker", bob),
            Mailbox("example.com", "no.picture", "No", "Picture"),
        ],
    )
    record = send(node_backends, stack, order)
    expected = {
        (name, avatar.content_type, avatar.size, hashlib.sha256(avatar.read()).hexdigest())
        for name, avatar in (
            ("anna@xn--bcher-kva.de", anna),
            ("joerg@xn--bcher-kva.de", joerg),
            ("bob@example.com", bob),
        )
    }
    received = {(f["fieldname"], f["mimetype"], f["size"], f["sha256"]) for f in record["files"]}
    assert received == expected
    assert {m for _, m, _, _ in received} == {"image/png", "image/jpeg"}


@pytest.mark.parametrize("stack", STACKS)
def test_the_request_says_it_comes_from_order_desk(node_backends, stack):
    record = send(node_backends, stack, order_with())
    assert record["userAgent"] == user_agent()
    assert record["userAgent"].startswith("OrderDesk/")


def test_nestjs_refuses_a_request_over_its_default_part_limit_and_says_why(node_backends):
    request = build_request(order_with(domain="too-many.example"), node_backends.base_url("nestjs"))
    part = request.files[0]
    # 8 text fields and 993 pictures: 1,001 parts, one over NestJS's default limit.
    files = [dataclasses.replace(part, name=f"box{i}@too-many.example") for i in range(993)]
    before = len(node_backends.records("nestjs"))
    result = send_request(dataclasses.replace(request, files=files))
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 400
    assert result.server_message == "Too many parts"
    assert len(node_backends.records("nestjs")) == before  # the handler never ran
    # One part fewer fits.
    result = send_request(dataclasses.replace(request, files=files[:-1]))
    assert result.outcome is Outcome.CREATED, result.message
    assert len(node_backends.record_of("nestjs", result.order_id)["files"]) == 992


def with_a_mailboxes_field_over_1_mib(request: OrderRequest) -> OrderRequest:
    padded = json.dumps({"a.com": [{"username": "ann", "firstName": "A" * 1_100_000}]})
    fields = [(n, padded if n == "mailboxes" else v) for n, v in request.fields]
    return dataclasses.replace(request, fields=fields)


def test_express_answers_a_text_field_over_1_mib_with_its_own_error_page(node_backends):
    request = build_request(order_with(), node_backends.base_url("express"))
    before = len(node_backends.records("express"))
    result = send_request(with_a_mailboxes_field_over_1_mib(request))
    # Express's default error handler: HTTP 500 and an HTML page (with a stack trace),
    # of which only its title is shown.  A 500 might have created the order: unknown.
    assert result.outcome is Outcome.UNKNOWN and result.http_status == 500
    assert result.server_message == "Error"
    assert len(node_backends.records("express")) == before


def test_nestjs_refuses_a_text_field_over_1_mib_naming_it(node_backends):
    request = build_request(order_with(), node_backends.base_url("nestjs"))
    result = send_request(with_a_mailboxes_field_over_1_mib(request))
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 400
    assert result.server_message == "Field value too long - mailboxes"
    assert "Field value too long - mailboxes" in result.message
