"""Mailboxes counted per domain: any spelling of one domain is one domain, first rows kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.order.model import Mailbox, Order, Provider
from desktop_app.order.names import comparable_domain, domain_problem
from desktop_app.order.operator_warnings import MailboxesPerDomain, crowded_domains
from desktop_app.order.order_rules import mailboxes_per_domain

SPELLINGS = ["shop.com", "Shop.COM", " shop.com", "bücher.de", "xn--bcher-kva.de", "bad domain", ""]
orders = st.lists(st.sampled_from(SPELLINGS), max_size=40).map(
    lambda domains: Order(
        provider=Provider.GOOGLE,
        mailboxes=[Mailbox(d, f"u{i}", "A", "B") for i, d in enumerate(domains)],
    )
)


def counted_row_by_row(order: Order, usable_only: bool) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for row, mailbox in enumerate(order.mailboxes):
        if usable_only and domain_problem(mailbox.domain) is not None:
            continue
        key = comparable_domain(mailbox.domain)
        first, count = found.get(key, (row, 0))
        found[key] = (first, count + 1)
    return found


@given(orders, st.booleans())
def test_the_same_as_counting_row_by_row_in_the_same_order(order, usable_only):
    skip = (lambda text: domain_problem(text) is not None) if usable_only else None
    counted = mailboxes_per_domain(order, skip)
    expected = counted_row_by_row(order, usable_only)
    assert list(counted.items()) == list(expected.items())


def test_a_crowded_domain_is_named_at_its_first_row_whatever_its_spelling():
    domains = ["a.com", "Shop.COM", "shop.com", "bücher.de", "xn--bcher-kva.de", "shop.com "]
    order = Order(
        provider=Provider.GOOGLE,
        mailboxes=[Mailbox(d, f"u{i}", "A", "B") for i, d in enumerate(domains)],
    )
    warnings = crowded_domains(order, MailboxesPerDomain(google=1))
    assert [(p.row, p.message.split(" has ")[0]) for p in warnings] == [
        (1, "Shop.COM"),
        (3, "bücher.de"),
    ]
    assert "has 3 Google" in warnings[0].message and "has 2 Google" in warnings[1].message
