"""Whatever a draft holds, validating it and building its request never crash."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.api.multipart import MultipartBody, parse
from desktop_app.api.payload import OrderNotReady, build_request
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order, Provider
from desktop_app.order.names import hidden_character
from desktop_app.order.validation import Severity, validate

# Text a person might type or paste: plausible names mixed with anything at all.
texty = st.one_of(
    st.sampled_from(
        ["example.com", "Bücher.de", "a.io", "John", "j.doe", "", " ", "xn--bcher-kva.de"]
    ),
    st.text(max_size=70),
)
years = st.one_of(st.integers(-5, 20), st.text(max_size=4))

domains = st.builds(DomainEntry, texty, years, texty, st.booleans())
mailboxes = st.builds(Mailbox, texty, texty, texty, texty)
orders = st.builds(
    Order,
    domains=st.lists(domains, max_size=6),
    mailboxes=st.lists(mailboxes, max_size=8),
    provider=st.sampled_from(Provider),
    google=st.builds(
        GoogleSettings,
        texty,
        st.one_of(st.text(max_size=40), st.from_regex(r"[1-9][0-9]{0,40}", fullmatch=True)),
        texty,
    ),
    microsoft_oauth_route=texty,
    confirm=st.booleans(),
    auto_renew=st.booleans(),
    user_id=texty,
)

# Orders built from valid pieces, so the request path is exercised too.
# Hyphens in places 3 and 4 are reserved for encoded labels ("xn--"): IDNA refuses them.
ascii_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True).filter(
    lambda label: label[2:4] != "--"
)
valid_domain = st.builds(
    "{}.{}".format,
    ascii_label | st.sampled_from(["bücher", "straße"]),
    st.sampled_from(["com", "io", "de", "co.uk"]),
)
valid_name = st.text(
    st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(lambda s: s.strip() and hidden_character(s) is None)  # no direction overrides


@st.composite
def valid_orders(draw):
    names = draw(st.lists(valid_domain, min_size=1, max_size=5, unique_by=lambda d: d.lower()))
    entries = [DomainEntry(name, draw(st.integers(1, 10))) for name in names]
    users = draw(
        st.lists(
            st.from_regex(r"[a-z0-9]([a-z0-9_-]{0,10}[a-z0-9])?", fullmatch=True),
            max_size=8,
            unique=True,
        )
    )
    boxes = [
        Mailbox(draw(st.sampled_from(names)), user, draw(valid_name), draw(valid_name))
        for user in users
    ]
    client_id = draw(
        st.one_of(
            st.from_regex(r"[0-9]{1,30}", fullmatch=True),
            st.from_regex(
                r"[0-9]{1,15}-[a-zA-Z0-9]{1,40}\.apps\.googleusercontent\.com", fullmatch=True
            ),
        )
    )
    google = GoogleSettings("https://oauth.example.com", client_id, "App")
    user_id = draw(st.from_regex(r"[!-~]{0,64}", fullmatch=True))  # a valid User ID
    return Order(domains=entries, mailboxes=boxes, google=google, user_id=user_id)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(orders, valid_orders()))
def test_validation_and_request_never_crash(order):
    problems = validate(order)
    assert all(p.message and p.where for p in problems)
    try:
        request = build_request(order, "http://127.0.0.1:1")
    except OrderNotReady as exc:
        assert exc.problems and all(p.severity is Severity.ERROR for p in exc.problems)
        return
    # A request was built: so there were no errors, and its body reads back exactly.
    assert not [p for p in problems if p.severity is Severity.ERROR]
    body = MultipartBody(request.fields, request.files)
    fields, _ = parse(body.to_bytes(), body.content_type)
    assert fields == dict(request.fields)
    sent = json.loads(fields["mailboxes"])
    assert sum(len(v) for v in sent.values()) == len(order.mailboxes)
    assert len(json.loads(fields["domains"])) == len(order.domains)


@settings(max_examples=100, deadline=None)
@given(valid_orders())
def test_orders_made_of_valid_pieces_always_build(order):
    request = build_request(order)
    google = json.loads(request.field("google"))
    # A JSON string, every character as typed: never a number that JSON.parse rounds.
    assert google["clientId"] == order.google.client_id
