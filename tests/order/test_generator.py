"""The mailbox generator: names in, mailboxes out, never a duplicate."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.order import generator
from desktop_app.order.generator import PATTERNS, Person, generate, parse_people, username_for
from desktop_app.order.model import Mailbox
from desktop_app.order.names import username_problem

JOHN = Person("John", "Smith")


def test_each_pattern():
    got = {pattern: username_for(JOHN, pattern) for pattern in PATTERNS}
    assert got == generator.PATTERN_EXAMPLES


def test_accents_and_punctuation_become_plain_ascii():
    assert username_for(Person("Zoë", "O'Neil-Ça"), "first.last") == "zoe.oneilca"
    assert username_for(Person("李", "王"), "first") == ""


def test_parse_people_in_the_forms_people_paste():
    text = "First name\tLast name\nJohn\tSmith\nMary Ann Lee\n\nBob, Stone\nAlice;Wu\n"
    assert parse_people(text) == [
        Person("John", "Smith"),
        Person("Mary", "Ann Lee"),
        Person("Bob", "Stone"),
        Person("Alice", "Wu"),
    ]


def test_fills_each_domain_with_the_number_asked():
    people = [JOHN, Person("Jane", "Doe")]
    result = generate(people, ["a.com", "b.com"], 3, ["first", "flast"])
    per_domain = Counter(m.domain for m in result.mailboxes)
    assert per_domain == {"a.com": 3, "b.com": 3}
    assert [m.username for m in result.mailboxes if m.domain == "a.com"] == [
        "john",
        "jdoe",
        "jsmith",
    ]
    assert result.short == {}
    jane = next(m for m in result.mailboxes if m.username == "jdoe")
    assert (jane.first_name, jane.last_name) == ("Jane", "Doe")


def test_every_ticked_pattern_is_used_even_with_more_names_than_mailboxes():
    people = [Person(f"P{i}", f"Q{i}") for i in range(10)]
    patterns = ["first", "first.last", "flast"]
    result = generate(people, ["a.com", "b.com"], 3, patterns)
    assert [m.username for m in result.mailboxes] == [
        "p0", "p1.q1", "pq2", "p3", "p4.q4", "pq5",
    ]  # fmt: skip


def test_names_are_spread_over_domains():
    people = [Person(f"P{i}", "X") for i in range(6)]
    result = generate(people, ["a.com", "b.com"], 3, ["first"])
    assert [m.username for m in result.mailboxes] == ["p0", "p1", "p2", "p3", "p4", "p5"]


def test_existing_mailboxes_are_never_duplicated_even_in_another_case():
    existing = [Mailbox("A.com", "John"), Mailbox("a.com", "jsmith")]
    result = generate([JOHN], ["a.com"], 3, ["first", "flast"], existing)
    usernames = [m.username for m in result.mailboxes]
    assert "john" not in usernames and "jsmith" not in usernames
    assert usernames == ["john2", "jsmith2", "john3"]


def test_a_name_that_gives_no_username_leaves_the_domain_short():
    result = generate([Person("李", "王")], ["a.com"], 2, ["first"])
    assert result.mailboxes == []
    assert result.short == {"a.com": 0}


@given(
    st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=12),
    st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3),
    st.lists(st.sampled_from(["john", "jsmith", "john2", "a", "b.c"]), max_size=5, unique=True),
)
def test_never_a_duplicate_and_every_username_valid(names, count, patterns, taken):
    people = [Person(first, last) for first, last in names]
    existing = [Mailbox("a.com", username) for username in taken]
    result = generate(people, ["a.com", "B.com"], count, patterns, existing)
    keys = [m.key for m in [*existing, *result.mailboxes]]
    assert len(keys) == len(set(keys))
    assert all(username_problem(m.username) is None for m in result.mailboxes)
    usable = any(username_for(p, pat) for p in people for pat in patterns)
    if usable:
        assert result.short == {}
        assert len(result.mailboxes) == 2 * count
