"""Big orders go out as several requests, each within what real servers read."""

from __future__ import annotations

import pytest
from send_support import picture

from desktop_app.api.order_parts import OrderTooLarge, split_order
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.names import comparable_domain
from desktop_app.order.request_limits import MAX_FIELD_BYTES, MAX_MAILBOXES_PER_REQUEST, MAX_PARTS
from desktop_app.order.validation import Severity, validate
from desktop_app.services.send_flow import build_parts, limits_problem, split_summary

AVATAR = avatar_from_bytes(picture(), "face.png")


def order_of(domains: int, per_domain: int, *, extra_on: str = "") -> Order:
    order = Order(user_id="42")
    for d in range(domains):
        name = f"brand-{d:04d}.com"
        order.domains.append(DomainEntry(name, 1))
        order.mailboxes += [
            Mailbox(name, f"box{m}", "First", "Last", AVATAR) for m in range(per_domain)
        ]
    if extra_on:  # mailboxes on a domain already in the account, spread through the table
        for m in range(3):
            order.mailboxes.insert(m * 7, Mailbox(extra_on, f"extra{m}", "Extra", "Box", AVATAR))
    return order


def domains_of(part: Order) -> set[str]:
    return {comparable_domain(d.domain) for d in part.domains} | {
        comparable_domain(m.domain) for m in part.mailboxes
    }


def test_a_small_order_is_one_request():
    order = order_of(3, 5)
    assert split_order(order) == [order]


def test_5000_mailboxes_go_as_six_even_parts_on_domain_boundaries():
    order = order_of(1000, 5)
    parts = split_order(order)
    assert len(parts) == 6
    sizes = [len(p.mailboxes) for p in parts]
    assert sum(sizes) == 5000 and max(sizes) <= -(-5000 // 6) + 5  # as even as domains allow
    assert max(sizes) <= MAX_MAILBOXES_PER_REQUEST
    seen: set[str] = set()
    for part in parts:
        mine = domains_of(part)
        assert not mine & seen  # a domain never spans two requests
        seen |= mine
        for mailbox in part.mailboxes:  # each mailbox travels with its domain
            assert comparable_domain(mailbox.domain) in {d.domain for d in part.domains}
    assert [m for p in parts for m in p.mailboxes] == order.mailboxes  # each once, in order
    requests = build_parts(order, "https://api.example.com", MAX_MAILBOXES_PER_REQUEST)
    assert all(limits_problem(r) is None for r in requests)
    assert all(len(r.fields) + len(r.files) <= MAX_PARTS for r in requests)
    assert (
        split_summary(requests) == f"This goes out as 6 orders of up to {max(sizes):,} mailboxes."
    )


def test_mailboxes_on_a_domain_outside_the_order_are_grouped_too():
    order = order_of(300, 5, extra_on="already-mine.com")
    parts = split_order(order, 500)
    holders = [p for p in parts if any(m.domain == "already-mine.com" for m in p.mailboxes)]
    assert len(holders) == 1 and sum(1 for m in holders[0].mailboxes if "extra" in m.username) == 3


def test_the_operators_limit_is_honoured():
    parts = split_order(order_of(100, 5), 120)
    assert len(parts) == 5 and all(len(p.mailboxes) <= 120 for p in parts)


def test_a_domain_bigger_than_the_operators_limit_goes_whole_on_its_own():
    order = order_of(2, 5)
    order.mailboxes += [Mailbox("brand-0000.com", f"more{i}", "F", "L") for i in range(40)]
    parts = split_order(order, 10)
    assert [len(p.mailboxes) for p in parts] == [45, 5]


def test_many_domains_without_mailboxes_stay_under_one_mib_a_field():
    long_name = "x" * 54 + "." + "y" * 63 + ".com"  # about 160 bytes in the domains field
    order = Order(domains=[DomainEntry(f"d{i:05d}-{long_name}", 1) for i in range(7_000)])
    requests = build_parts(order, "https://api.example.com", MAX_MAILBOXES_PER_REQUEST)
    assert len(requests) > 1
    for request in requests:
        assert len(request.field("domains").encode()) <= MAX_FIELD_BYTES
        assert limits_problem(request) is None


def test_a_domain_with_more_mailboxes_than_one_request_holds_is_an_error():
    order = order_of(1, MAX_MAILBOXES_PER_REQUEST + 1)
    [problem] = [p for p in validate(order) if p.severity is Severity.ERROR]
    assert "brand-0000.com has 993 mailboxes" in problem.message
    assert "at most 992" in problem.message and problem.row == 0
    with pytest.raises(OrderTooLarge, match=r"brand-0000\.com"):
        split_order(order)


def test_the_limits_check_catches_an_oversized_request():
    from desktop_app.api.payload import build_request

    order = order_of(1, 900)
    order.mailboxes += [Mailbox("brand-0001.com", f"b{i}", "F", "L", AVATAR) for i in range(200)]
    order.domains.append(DomainEntry("brand-0001.com", 1))
    request = build_request(order, "https://api.example.com")  # one request, unsplit
    assert "parts" in (limits_problem(request) or "")
