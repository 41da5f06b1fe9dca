"""The order's rules, one behaviour a test."""

from __future__ import annotations

import pytest

from desktop_app.order.avatars import broken_avatar
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order, Provider
from desktop_app.order.names import DomainError, ascii_domain, canonical_mailbox_key
from desktop_app.order.validation import Severity, Table, has_errors, validate

USER_ID = "8J7HM04FRXUT4VK86128K6D25APS"  # as CMR's own examples write one


def problems_at(order, table, column=None, severity=None):
    return [
        p
        for p in validate(order)
        if p.table is table
        and (column is None or p.column == column)
        and (severity is None or p.severity is severity)
    ]


def one_domain_order(**domain):
    entry = DomainEntry(**{"domain": "example.com", "years": 1, **domain})
    return Order(domains=[entry], mailboxes=[Mailbox("example.com", "john", "John", "Doe")])


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com",
        "example.com/path",
        "exa mple.com",
        "localhost",
        "-bad.com",
        "a..com",
        "x" * 64 + ".com",
        "example.123",
        "",
        "user@example.com",
    ],
)
def test_bad_domains_are_errors(text):
    order = one_domain_order(domain=text)
    found = problems_at(order, Table.DOMAINS, "domain", Severity.ERROR)
    assert len(found) == 1 and found[0].row == 0
    assert found[0].message.endswith(".")


def test_idn_domain_is_sent_as_punycode_and_compared_case_insensitively():
    assert ascii_domain("Bücher.DE") == "xn--bcher-kva.de"
    assert canonical_mailbox_key("John", "BÜCHER.de") == "john@xn--bcher-kva.de"
    with pytest.raises(DomainError):
        ascii_domain("http://bücher.de")


def test_duplicate_domains_ignore_case_and_idn_spelling():
    order = Order(domains=[DomainEntry("Bücher.de"), DomainEntry("xn--bcher-kva.de")])
    found = problems_at(order, Table.DOMAINS, "domain", Severity.ERROR)
    assert [p.row for p in found] == [0, 1]
    assert all("Duplicate" in p.message for p in found)


@pytest.mark.parametrize("years", [0, 11, "ten", "1.5", -1, True])
def test_years_outside_one_to_ten_are_errors(years):
    assert problems_at(one_domain_order(years=years), Table.DOMAINS, "years", Severity.ERROR)


@pytest.mark.parametrize("years", [1, 10, "3"])
def test_years_inside_range_are_fine(years):
    assert not problems_at(one_domain_order(years=years), Table.DOMAINS, "years")


def test_forwarding_rules():
    assert not problems_at(
        one_domain_order(forward_to="https://target.com/x"), Table.DOMAINS, "forwardTo"
    )
    assert not problems_at(one_domain_order(forward_to="target.com"), Table.DOMAINS, "forwardTo")
    assert problems_at(one_domain_order(forward_to="ftp://target.com"), Table.DOMAINS, "forwardTo")
    masked = problems_at(one_domain_order(mask_forwarding=True), Table.DOMAINS, "maskForwarding")
    assert [p.severity for p in masked] == [Severity.WARNING]


@pytest.mark.parametrize(
    "username", ["", ".john", "john.", "jo..hn", "jöhn", "jo hn", "x" * 65, "a+b"]
)
def test_bad_usernames_are_errors(username):
    order = Order(
        domains=[DomainEntry("example.com")], mailboxes=[Mailbox("example.com", username, "A", "B")]
    )
    assert problems_at(order, Table.MAILBOXES, "username", Severity.ERROR)


@pytest.mark.parametrize("username", ["john", "J.Doe", "a_b-c", "x" * 64])
def test_good_usernames_pass(username):
    order = Order(
        domains=[DomainEntry("example.com")], mailboxes=[Mailbox("example.com", username, "A", "B")]
    )
    assert not problems_at(order, Table.MAILBOXES, "username")


def test_usernames_differing_only_by_case_are_duplicates():
    order = Order(
        domains=[DomainEntry("example.com")],
        mailboxes=[
            Mailbox("example.com", "John", "A", "B"),
            Mailbox("EXAMPLE.com", "john", "C", "D"),
        ],
    )
    found = problems_at(order, Table.MAILBOXES, "username", Severity.ERROR)
    assert [p.row for p in found] == [0, 1]
    assert all("duplicate" in p.message.lower() for p in found)


def test_names_are_required_trimmed_and_bounded():
    order = Order(
        domains=[DomainEntry("example.com")],
        mailboxes=[
            Mailbox("example.com", "a", "   ", "x" * 61),
            Mailbox("example.com", "b", " Ann ", "y" * 60),
        ],
    )
    first = problems_at(order, Table.MAILBOXES, "firstName")
    last = problems_at(order, Table.MAILBOXES, "lastName")
    assert [p.row for p in first] == [0] and "required" in first[0].message
    assert [p.row for p in last] == [0] and "60" in last[0].message


def test_mailbox_on_a_domain_outside_the_order_is_only_a_warning():
    order = Order(
        domains=[DomainEntry("example.com")], mailboxes=[Mailbox("other.com", "a", "A", "B")]
    )
    found = problems_at(order, Table.MAILBOXES, "domain")
    assert [p.severity for p in found] == [Severity.WARNING]
    assert "other.com" in found[0].message


def test_avatar_warnings_and_errors():
    order = Order(
        domains=[DomainEntry("example.com")], mailboxes=[Mailbox("example.com", "a", "A", "B")]
    )
    missing = problems_at(order, Table.AVATARS)
    assert [(p.severity, p.key) for p in missing] == [(Severity.WARNING, "a@example.com")]

    order.mailboxes[0].avatar = broken_avatar(b"junk", "it is not an image")
    broken = problems_at(order, Table.AVATARS)
    assert [p.severity for p in broken] == [Severity.ERROR]
    assert "a@example.com" in broken[0].message

    order.unassigned_avatars["ghost@example.com"] = broken_avatar(b"x", "whatever")
    ghost = [p for p in problems_at(order, Table.AVATARS) if p.key == "ghost@example.com"]
    assert [p.severity for p in ghost] == [Severity.WARNING]


def test_google_fields_all_or_nothing_and_digits():
    order = Order(domains=[DomainEntry("example.com")], user_id=USER_ID)
    assert not problems_at(order, Table.SETTINGS)
    order.google = GoogleSettings(
        oauth_route="https://oauth.example.com", client_id="", app_name="App"
    )
    assert [p.column for p in problems_at(order, Table.SETTINGS)] == ["google.clientId"]
    order.google.client_id = "12ab"
    message = problems_at(order, Table.SETTINGS)[0].message
    # The message shows both forms a client ID comes in.
    assert "30 digits" in message and ".apps.googleusercontent.com" in message
    order.google.client_id = "123456789012345678901234567890"
    assert not problems_at(order, Table.SETTINGS)


# Real client IDs: the OAuth form the Admin console takes, a 21-digit numeric id, and a
# numeric id with a leading zero (it travels as a string, so nothing is lost).
GOOD_CLIENT_IDS = [
    "536726988839-pt93oro4685dtb1emb0pp2vjgjol5mls.apps.googleusercontent.com",
    "536726988839-PT93ORO4685DTB1EMB0PP2VJGJOL5MLS.APPS.GOOGLEUSERCONTENT.COM",
    "  1234-abc.apps.googleusercontent.com  ",
    "104857600123456789012",
    "0123",
    "7",
    "1" * 30,
]
BAD_CLIENT_IDS = [
    "1" * 31,
    "12ab",
    "-1",
    "12 34",
    "1.5",
    "536726988839.apps.googleusercontent.com",  # no hyphen and suffix
    "abc-123.apps.googleusercontent.com",  # the project number is digits
    "536726988839-.apps.googleusercontent.com",
    "536726988839-pt93_oro.apps.googleusercontent.com",
    "536726988839-pt93oro.apps.googleusercontent.com.evil.example",
    "536726988839-pt93oro.googleusercontent.com",
    "536726988839-pt93\u212aoro.apps.googleusercontent.com",  # Kelvin sign, not K
    "١٢٣",  # Arabic-Indic digits
    "https://536726988839-pt93oro.apps.googleusercontent.com",
]


@pytest.mark.parametrize("client_id", GOOD_CLIENT_IDS)
def test_both_real_forms_of_a_client_id_are_accepted(client_id):
    order = Order(
        domains=[DomainEntry("example.com")],
        google=GoogleSettings("https://oauth.example.com", client_id, "App"),
        user_id=USER_ID,
    )
    assert not problems_at(order, Table.SETTINGS)


@pytest.mark.parametrize("client_id", BAD_CLIENT_IDS)
def test_anything_else_as_a_client_id_is_one_clear_error(client_id):
    order = Order(
        domains=[DomainEntry("example.com")],
        google=GoogleSettings("https://oauth.example.com", client_id, "App"),
        user_id=USER_ID,
    )
    found = problems_at(order, Table.SETTINGS)
    assert [(p.column, p.severity) for p in found] == [("google.clientId", Severity.ERROR)]


def test_microsoft_route_must_be_https_and_google_fields_are_ignored():
    order = Order(
        domains=[DomainEntry("example.com")], provider=Provider.MICROSOFT, user_id=USER_ID
    )
    order.google = GoogleSettings(client_id="not digits")
    order.microsoft_oauth_route = "http://login.example.com/cb"
    found = problems_at(order, Table.SETTINGS)
    assert [p.column for p in found] == ["microsoftOauthRoute"]
    order.microsoft_oauth_route = "https://login.example.com/cb"
    assert not problems_at(order, Table.SETTINGS)


def test_empty_order_is_an_error_and_a_clean_order_has_none():
    assert has_errors(validate(Order()))
    order = Order(
        domains=[DomainEntry("example.com")], mailboxes=[Mailbox("example.com", "a", "A", "B")]
    )
    assert not has_errors(validate(order))


def test_where_reads_like_a_location():
    order = Order(domains=[DomainEntry("example.com", years=0)])
    (problem,) = problems_at(order, Table.DOMAINS, "years")
    assert (
        str(problem) == "error: domains row 1 (years): Years must be a whole number from 1 to 10."
    )
