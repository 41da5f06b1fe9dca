"""The live problem index gives exactly what a full validation gives, after any edits."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.order.avatars import broken_avatar
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.validation import validate
from desktop_app.ui.tables.problem_index import ProblemIndex

DOMAINS = ["a.com", "A.com", "b.org", "bad domain", "", "c.net"]
USERS = ["ann", "ANN", "bob", "x..y", ""]

domain_entries = st.builds(DomainEntry, st.sampled_from(DOMAINS), st.sampled_from([1, 2, 11, "x"]))
mailboxes = st.builds(
    Mailbox,
    st.sampled_from(DOMAINS),
    st.sampled_from(USERS),
    st.sampled_from(["", "Ann"]),
    st.sampled_from(["", "Lee"]),
)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("add_domain"), domain_entries),
        st.tuples(st.just("add_mailbox"), mailboxes),
        st.tuples(st.just("rename_domain"), st.integers(0, 20), st.sampled_from(DOMAINS)),
        st.tuples(
            st.just("rename_mailbox"),
            st.integers(0, 20),
            st.sampled_from(DOMAINS),
            st.sampled_from(USERS),
        ),
        st.tuples(st.just("remove_domain"), st.integers(0, 20)),
        st.tuples(st.just("remove_mailbox"), st.integers(0, 20)),
        st.tuples(st.just("break_picture"), st.integers(0, 20)),
    ),
    max_size=25,
)


def same(index: ProblemIndex, order: Order) -> None:
    assert Counter(index.all_problems()) == Counter(validate(order))


@settings(max_examples=150, deadline=None)
@given(st.lists(domain_entries, max_size=4), st.lists(mailboxes, max_size=5), edits)
def test_incremental_problems_match_full_validation(domains, boxes, steps):
    order = Order(domains=list(domains), mailboxes=list(boxes))
    index = ProblemIndex(order)
    same(index, order)
    for step in steps:
        kind = step[0]
        if kind == "add_domain":
            order.domains.append(step[1])
            index.domains_changed([step[1]])
        elif kind == "add_mailbox":
            order.mailboxes.append(step[1])
            index.mailboxes_changed([step[1]])
        elif kind == "rename_domain" and order.domains:
            entry = order.domains[step[1] % len(order.domains)]
            entry.domain = step[2]
            index.domains_changed([entry])
        elif kind == "rename_mailbox" and order.mailboxes:
            mailbox = order.mailboxes[step[1] % len(order.mailboxes)]
            mailbox.domain, mailbox.username = step[2], step[3]
            index.mailboxes_changed([mailbox])
        elif kind == "remove_domain" and order.domains:
            entry = order.domains.pop(step[1] % len(order.domains))
            index.domains_removed([entry])
        elif kind == "remove_mailbox" and order.mailboxes:
            mailbox = order.mailboxes.pop(step[1] % len(order.mailboxes))
            index.mailboxes_removed([mailbox])
        elif kind == "break_picture" and order.mailboxes:
            mailbox = order.mailboxes[step[1] % len(order.mailboxes)]
            mailbox.avatar = broken_avatar(b"x", "it is damaged")
            index.mailboxes_changed([mailbox])
        same(index, order)


def test_adding_a_domain_clears_the_warning_of_its_mailboxes_and_says_which():
    mailbox = Mailbox("new.com", "ann", "Ann", "Lee")
    order = Order(mailboxes=[mailbox])
    index = ProblemIndex(order)
    assert any("not among" in p.message for p in index.mailbox_problems(mailbox))
    entry = DomainEntry("NEW.com")
    order.domains.append(entry)
    dirty = index.domains_changed([entry])
    assert id(mailbox) in dirty.mailboxes
    assert not any("not among" in p.message for p in index.mailbox_problems(mailbox))


def test_a_duplicate_marks_both_rows_and_unmarks_the_partner_when_fixed():
    first, second = Mailbox("a.com", "ann", "A", "B"), Mailbox("a.com", "ANN", "A", "B")
    order = Order(domains=[DomainEntry("a.com")], mailboxes=[first, second])
    index = ProblemIndex(order)
    assert any("Duplicate" in p.message for p in index.mailbox_problems(first))
    second.username = "bob"
    dirty = index.mailboxes_changed([second])
    assert id(first) in dirty.mailboxes
    assert not any("Duplicate" in p.message for p in index.mailbox_problems(first))


def test_what_was_already_ordered_is_listed_as_validate_lists_it():
    from desktop_app.order.purchases import Repeat, domain_key, mailbox_key

    order = Order(
        domains=[DomainEntry("a.com", 1), DomainEntry("b.org", 1)],
        mailboxes=[Mailbox("A.com", "Ann", "Ann", "Lee"), Mailbox("b.org", "bob", "Bo", "Bo")],
        user_id="7",
    )
    bought = {
        domain_key("a.com"): Repeat(
            domain_key("a.com"), 1, "created", "ID1", "2026-12-03T14:02:00"
        ),
        mailbox_key("ann", "a.com"): Repeat(mailbox_key("ann", "a.com"), 2, "unknown", "", ""),
    }
    index = ProblemIndex(order)
    asked = []
    index.bought_for = lambda user_id: asked.append(user_id) or bought
    assert index.all_problems() == validate(order, bought)
    assert asked == ["7"]
    messages = [p.message for p in index.all_problems() if "ordered" in p.message]
    assert messages == [
        "a.com was already ordered: order ID1, created 3 Dec 14:02 UTC.",
        "Ann@A.com may already be ordered: the outcome of an earlier send is unknown; "
        "check the dashboard first.",
    ]
