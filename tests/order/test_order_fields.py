"""The order's fields: one table of names, API names and text rules for both faces."""

from __future__ import annotations

import pytest

from desktop_app.order.model import Order, Provider
from desktop_app.order.order_fields import (
    FIELDS,
    field_named,
    get_value,
    parse_value,
    put_value,
    shown_value,
)
from desktop_app.order.validation import CLIENT_ID_RULE


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("User ID", "user_id"),
        ("user-id", "user_id"),
        ("userId", "user_id"),
        ("CLIENT_ID", "google.client_id"),
        ("google.clientId", "google.client_id"),
        ("Process at once", "confirm"),
        ("confirm", "confirm"),
        ("auto_renew", "auto_renew"),
        ("serviceProvider", "provider"),
        ("Order name", "name"),
    ],
)
def test_a_field_answers_to_its_window_name_api_name_and_attribute(name, attribute):
    assert field_named(name).attribute == attribute


@pytest.mark.parametrize("name", ["", "colour", "google", "billingCycle"])
def test_any_other_name_is_a_sentence_naming_the_fields(name):
    with pytest.raises(ValueError, match="the fields are Provider, Google OAuth route"):
        field_named(name)


def test_every_field_reads_back_what_it_was_set_to():
    order = Order()
    texts = {
        "provider": "Microsoft 365",
        "google.oauth_route": "https://oauth.example.com",
        "google.client_id": "0123",
        "google.app_name": "App",
        "microsoft_oauth_route": "https://login.example.com",
        "name": "  June  ",
        "user_id": " 8J7HM04FRXUT4VK86128K6D25APS ",
        "confirm": "yes",
        "auto_renew": "on",
    }
    assert [f.attribute for f in FIELDS] == list(texts)
    for field in FIELDS:
        put_value(order, field.attribute, parse_value(field, texts[field.attribute]))
    assert order.provider is Provider.MICROSOFT and order.confirm and order.auto_renew
    assert order.google.client_id == "0123"  # text: a leading zero is kept
    assert order.name == "  June  "  # as typed, as the window keeps it
    assert order.user_id == "8J7HM04FRXUT4VK86128K6D25APS"  # the window trims it too
    assert [shown_value(order, f) for f in FIELDS][:1] == ["Microsoft 365"]
    assert shown_value(order, field_named("confirm")) == "on"
    assert get_value(order, field_named("Microsoft OAuth route")) == "https://login.example.com"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("Client ID", "12ab", CLIENT_ID_RULE),
        ("Google OAuth route", "ftp://x.example", "Google OAuth route must be an http(s) address."),
        ("Microsoft OAuth route", "http://x.example", "Microsoft OAuth route must be an https://"),
        ("Name", "a\x1b[2Jb", "The order's name contains"),
        ("Provider", "Yahoo", "Provider must be Google Workspace or Microsoft 365"),
        ("Renew automatically", "perhaps", "Renew automatically must be on or off"),
    ],
)
def test_a_bad_value_is_refused_in_the_problems_panes_words(name, text, message):
    with pytest.raises(ValueError) as refused:
        parse_value(field_named(name), text)
    assert str(refused.value).startswith(message)


def test_one_google_field_alone_is_not_a_bad_value_and_blank_clears_a_field():
    # The other two are blank: an incomplete order, which validate reports, not a bad value.
    assert parse_value(field_named("App name"), "Outreach") == "Outreach"
    assert parse_value(field_named("Client ID"), "") == ""
    assert parse_value(field_named("Google OAuth route"), "") == ""
