"""A 5,000-mailbox draft as NestJS reads it with its default limits: several orders, all there."""

from __future__ import annotations

import json

from factories import distinct_color, make_png
from send_support import SECRET_KEY

from desktop_app.api.cancel import CancelToken
from desktop_app.api.sender import OrderSender, Outcome
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.services import send_flow
from desktop_app.services.history import History


def five_thousand_mailboxes() -> Order:
    pictures = [avatar_from_bytes(make_png(distinct_color(i), 16)) for i in range(50)]
    order = Order(user_id="42")
    for d in range(1000):
        domain = f"brand-{d:04d}.com"
        order.domains.append(DomainEntry(domain, 1))
        order.mailboxes += [
            Mailbox(domain, f"box{m}", "First", "Last", pictures[(d * 5 + m) % 50])
            for m in range(5)
        ]
    return order


def test_nestjs_with_default_limits_takes_5000_mailboxes_as_several_orders(node_backends):
    order = five_thousand_mailboxes()
    destination = send_flow.Destination(node_backends.base_url("nestjs"))
    history = History()
    planned = send_flow.plan("five-thousand", order, "", destination, history)
    assert len(planned.parts) == 6 and not planned.repeats
    with OrderSender(SECRET_KEY) as sender:
        outcomes = send_flow.send(
            [send_flow.Job(planned, send_flow.Choice.SEND)], sender, history, CancelToken()
        )
    assert [o.result.outcome for o in outcomes] == [Outcome.CREATED] * 6, [
        o.result.message for o in outcomes
    ]
    domains: list[str] = []
    mailboxes: list[str] = []
    files: list[str] = []
    for outcome in outcomes:
        record = node_backends.record_of("nestjs", outcome.result.order_id)
        domains += [d["domain"] for d in json.loads(record["fields"]["domains"]["value"])]
        for domain, boxes in json.loads(record["fields"]["mailboxes"]["value"]).items():
            mailboxes += [f"{box['username']}@{domain}" for box in boxes]
        files += [part["fieldname"] for part in record["files"]]
    assert sorted(domains) == sorted(d.domain for d in order.domains)  # each exactly once
    assert sorted(mailboxes) == sorted(m.key for m in order.mailboxes)
    assert sorted(files) == sorted(mailboxes)  # each picture under its own mailbox
    assert len({o.result.order_id for o in outcomes}) == 6
