"""Text that tricks the eye or the terminal: control characters, direction overrides, lookalikes."""

from __future__ import annotations

import json

import pytest
from cli_support import order_desk
from factories import sample_order, write_zip

from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.order.names import hidden_character, mixed_scripts
from desktop_app.order.validation import Severity, Table, check_settings, validate

HIDDEN = [
    ("\x00", "NUL"),
    ("\x1b[2J", "U+001B"),
    ("\x7f", "U+007F"),
    ("\x85", "U+0085"),
    ("\u202e", "U+202E"),
    ("\u202a", "U+202A"),
    ("\u2066", "U+2066"),
    ("\u2069", "U+2069"),
]


def errors_at(problems, column):
    return [p for p in problems if p.severity is Severity.ERROR and p.column == column]


@pytest.mark.parametrize(("char", "words"), HIDDEN)
def test_a_hidden_character_in_a_name_is_an_error_naming_the_field(char, words):
    order = sample_order(1, 1)
    order.mailboxes[0].last_name = f"Lee{char}Smith"
    [problem] = errors_at(validate(order), "lastName")
    assert problem.table is Table.MAILBOXES and problem.row == 0
    assert problem.message.startswith("Last name contains") and words in problem.message
    assert problem.where == "mailboxes row 1 (lastName)"


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (lambda o: setattr(o.domains[0], "forward_to", "https://a.com/\u202eexe.txt"), "forwardTo"),
        (lambda o: setattr(o.domains[0], "years", "1\x00"), "years"),
        (lambda o: setattr(o.mailboxes[0], "first_name", "Ann\x07"), "firstName"),
        (lambda o: setattr(o.mailboxes[0], "username", "ann\u2066"), "username"),
        (lambda o: setattr(o, "user_id", "42\x1b]0;owned\x07"), "userId"),
        (lambda o: setattr(o, "name", "June\u202e"), "name"),
        (lambda o: setattr(o, "notes", "fine\nlines\tand tabs\x00"), "notes"),
        (lambda o: setattr(o.google, "app_name", "App\x1b"), "google.appName"),
    ],
)
def test_every_field_is_checked(change, column):
    order = sample_order(1, 1)
    change(order)
    assert errors_at(validate(order), column), column


def test_line_breaks_and_tabs_are_fine_in_notes_only():
    order = sample_order(1, 1)
    order.notes = "first line\r\nsecond\tline"
    assert not [p for p in validate(order) if p.severity is Severity.ERROR]
    assert hidden_character("a\tb") is not None
    assert hidden_character("a\tb", multiline=True) is None


def test_the_window_sees_settings_problems_of_name_notes_and_user_too():
    order = sample_order(1, 1)
    order.user_id = "1\u202e"
    assert errors_at(check_settings(order), "userId")


def test_a_domain_mixing_latin_and_cyrillic_is_a_warning_showing_the_punycode():
    order = Order(domains=[DomainEntry("p\u0430ypal.com"), DomainEntry("\u03b1pple.com")])
    problems = [p for p in validate(order) if p.column == "domain"]
    assert [p.severity for p in problems] == [Severity.WARNING, Severity.WARNING]
    assert "Latin and Cyrillic" in problems[0].message
    assert "xn--pypal-4ve.com" in problems[0].message
    assert "Latin and Greek" in problems[1].message and "xn--" in problems[1].message


@pytest.mark.parametrize(
    "domain", ["paypal.com", "bücher.de", "пример.рф", "пример.com", "ελλάδα.gr"]
)
def test_a_domain_in_one_script_per_label_is_not_a_lookalike(domain):
    assert mixed_scripts(domain) == []
    order = Order(domains=[DomainEntry(domain)])
    assert not [p for p in validate(order) if p.column == "domain"]


def test_validate_prints_no_terminal_escape_from_a_draft(tmp_path):
    document = {
        "domains": [{"domain": "a.com"}],
        "mailboxes": {"a.com": [{"username": "ann", "firstName": "\x1b[31mRed", "lastName": "L"}]},
    }
    path = write_zip(tmp_path / "d.cmrorder", {"order.json": json.dumps(document)})
    result = order_desk("validate", path, timeout=60)
    assert result.returncode == 1
    assert "mailboxes row 1 (firstName): First name contains a control character" in result.stdout
    assert "\x1b" not in result.stdout + result.stderr


def test_mailbox_domains_are_checked_too():
    order = Order(
        domains=[DomainEntry("a.com")], mailboxes=[Mailbox("a.com\x00", "ann", "Ann", "Lee")]
    )
    assert errors_at(validate(order), "domain")


def test_a_problem_quoting_an_escape_is_printed_harmlessly(tmp_path):
    document = {
        "domains": [{"domain": "a.com"}],
        "mailboxes": {"b.com\x1b[2J": [{"username": "ann", "firstName": "A", "lastName": "L"}]},
    }
    path = write_zip(tmp_path / "d.cmrorder", {"order.json": json.dumps(document)})
    result = order_desk("validate", path, timeout=60)
    assert "b.com\\x1b[2" in result.stdout and "\x1b" not in result.stdout
