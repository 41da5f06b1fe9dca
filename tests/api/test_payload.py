"""The request: exactly the API page's contract, checked by an independent parser."""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import http.server
import io
import json
import re
import shutil
import subprocess
import sys
from typing import ClassVar

import httpx
import pytest
from PIL import Image
from send_support import serve_on_loopback

from desktop_app import __version__
from desktop_app.api.curl import curl_command, write_avatar_files
from desktop_app.api.multipart import MultipartBody, MultipartError, parse
from desktop_app.api.payload import OrderNotReady, build_request, user_agent
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order, Provider

OAUTH_ID = "536726988839-pt93oro4685dtb1emb0pp2vjgjol5mls.apps.googleusercontent.com"
EXPECTED_FIELDS = [
    "domains",
    "mailboxes",
    "billingCycle",
    "serviceProvider",
    "confirm",
    "autoRenew",
    "microsoftOauthRoute",
    "google",
]


def picture(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def order():
    return Order(
        user_id="42",
        domains=[
            DomainEntry("Bücher.DE", 2, "https://target.example.com", True),
            DomainEntry("alpha.com", "3"),
        ],
        mailboxes=[
            Mailbox("alpha.com", "Zed", " Zed ", "Last"),
            Mailbox(
                "bücher.de", "Anna.M", "Anna", "Müller", avatar_from_bytes(picture((255, 0, 0)))
            ),
            Mailbox("ALPHA.com", "amy", "Amy", "Pond", avatar_from_bytes(picture((0, 0, 255)))),
        ],
        google=GoogleSettings(
            "https://oauth.example.com/cb", "123456789012345678901234567890", "My App"
        ),
        auto_renew=True,
    )


def test_fields_follow_the_contract(order):
    request = build_request(order, "https://api.example.com/")
    assert request.url == "https://api.example.com/api/v1/integration/orders?userId=42"
    assert [name for name, _ in request.fields] == EXPECTED_FIELDS
    assert json.loads(request.field("domains")) == [
        {
            "domain": "xn--bcher-kva.de",
            "years": 2,
            "forwardTo": "https://target.example.com",
            "maskForwarding": True,
        },
        {"domain": "alpha.com", "years": 3},
    ]
    # Grouped by the sent domain, in draft order; usernames lowercase, names trimmed.
    assert json.loads(request.field("mailboxes")) == {
        "alpha.com": [
            {"username": "zed", "firstName": "Zed", "lastName": "Last"},
            {"username": "amy", "firstName": "Amy", "lastName": "Pond"},
        ],
        "xn--bcher-kva.de": [{"username": "anna.m", "firstName": "Anna", "lastName": "Müller"}],
    }
    assert request.field("billingCycle") == "MONTHLY"
    assert request.field("serviceProvider") == "GOOGLE"
    # Off is "", never "false": JavaScript reads the text "false" as true.
    assert (request.field("confirm"), request.field("autoRenew")) == ("", "true")
    assert request.field("microsoftOauthRoute") == ""
    assert [(f.name, f.content_type) for f in request.files] == [
        ("anna.m@xn--bcher-kva.de", "image/png"),
        ("amy@alpha.com", "image/png"),
    ]


def test_client_id_is_a_json_string_with_every_digit(order):
    google = build_request(order).field("google")
    assert '"clientId":"123456789012345678901234567890"' in google
    assert json.loads(google)["clientId"] == "123456789012345678901234567890"


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("  007  ", "007"),  # a string keeps the leading zeros a JSON number would drop
        (
            " 536726988839-PT93oro4685dtb1emb0pp2vjgjol5mls.apps.GoogleUserContent.com",
            "536726988839-PT93oro4685dtb1emb0pp2vjgjol5mls.apps.GoogleUserContent.com",
        ),
    ],
)
def test_client_id_is_sent_as_typed_and_trimmed(order, typed, sent):
    order.google.client_id = typed
    assert json.loads(build_request(order).field("google"))["clientId"] == sent


def test_flags_are_true_or_empty(order):
    for confirm, auto_renew in ((False, False), (True, False), (False, True), (True, True)):
        order.confirm, order.auto_renew = confirm, auto_renew
        request = build_request(order)
        assert request.field("confirm") == ("true" if confirm else "")
        assert request.field("autoRenew") == ("true" if auto_renew else "")


def test_blank_google_and_microsoft_route(order):
    order.provider = Provider.MICROSOFT
    order.microsoft_oauth_route = "https://login.example.com/cb"
    request = build_request(order)
    assert json.loads(request.field("google")) == {
        "googleOauthRoute": "",
        "clientId": "",
        "appName": "",
    }
    assert request.field("microsoftOauthRoute") == "https://login.example.com/cb"
    assert request.field("serviceProvider") == "MICROSOFT"


def test_an_order_with_errors_is_not_built(order):
    order.mailboxes[0].first_name = ""
    with pytest.raises(OrderNotReady) as caught:
        build_request(order)
    assert [p.column for p in caught.value.problems] == ["firstName"]


def test_fingerprint_changes_with_fields_and_pictures(order):
    first = build_request(order).fingerprint
    assert build_request(order).fingerprint == first
    order.mailboxes[1].avatar = avatar_from_bytes(picture((0, 255, 0)))
    second = build_request(order).fingerprint
    order.user_id = "43"
    assert len({first, second, build_request(order).fingerprint}) == 3


def test_any_request_has_a_fingerprint_even_with_a_google_field_that_is_not_json(order):
    request = build_request(order)
    fields = [(n, "not json" if n == "google" else v) for n, v in request.fields]
    odd = dataclasses.replace(request, fields=fields)
    assert odd.fingerprint != request.fingerprint


def test_content_length_is_exact_and_the_body_round_trips(order):
    request = build_request(order)
    body = MultipartBody(request.fields, request.files)
    data = body.to_bytes()
    assert len(data) == body.content_length
    fields, files = parse(data, body.content_type)
    assert list(fields) == EXPECTED_FIELDS
    assert files["amy@alpha.com"].data == order.mailboxes[2].avatar.read()


def test_parser_refuses_broken_bodies(order):
    body = MultipartBody(build_request(order).fields, [])
    data = body.to_bytes()
    with pytest.raises(MultipartError):
        parse(data[:-10], body.content_type)
    with pytest.raises(MultipartError):
        parse(data, "application/json")


class _Capture(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list] = []
    user_agents: ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        parts = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            parts[name] = (
                part.get_filename(),
                part.get_content_type(),
                part.get_payload(decode=True),
            )
        type(self).received.append((self.path, self.headers.get("cmr-x-api-key"), parts))
        type(self).user_agents.append(self.headers.get("User-Agent"))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def capture_server():
    _Capture.received.clear()
    _Capture.user_agents.clear()
    with serve_on_loopback(_Capture) as url:
        yield url


def assert_received_as_drafted(order, request):
    path, key, parts = _Capture.received[-1]
    assert path == "/api/v1/integration/orders?userId=42" and key == "the-key"
    for name, value in request.fields:
        assert parts[name][2].decode("utf-8") == value
    drafted = {m.key: m.avatar.read() for m in order.mailboxes if m.avatar}
    received = {name: data for name, (filename, _, data) in parts.items() if filename}
    assert received == drafted
    assert parts["amy@alpha.com"][:2] == ("amy@alpha.com.png", "image/png")


def test_a_real_http_server_receives_what_was_drafted(order, capture_server):
    """Posted over loopback, parsed by the standard library's own MIME parser."""
    request = build_request(order, capture_server)
    body = MultipartBody(request.fields, request.files)
    response = httpx.post(
        request.url,
        content=body.iter_chunks(),
        headers={
            "Content-Type": body.content_type,
            "Content-Length": str(body.content_length),
            "cmr-x-api-key": "the-key",
        },
    )
    assert response.status_code == 201
    assert_received_as_drafted(order, request)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_printed_curl_command_sends_the_same_order(order, capture_server, tmp_path):
    request = build_request(order, capture_server)
    paths = write_avatar_files(request, tmp_path / "pics; odd, folder")
    command = curl_command(request, paths)
    assert "<api-key>" in command and "--location" not in command
    subprocess.run(
        ["sh", "-c", command.replace("<api-key>", "the-key")], check=True, capture_output=True
    )
    assert_received_as_drafted(order, request)
    assert _Capture.user_agents == [user_agent()]


def test_user_agent_names_the_product_its_version_the_system_and_python():
    agent = user_agent()
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert re.fullmatch(rf"OrderDesk/{re.escape(__version__)} \([^;()]+; Python {python}\)", agent)
    assert "httpx" not in agent and "python-" not in agent.lower()
    assert build_request(Order(domains=[DomainEntry("example.com")])).headers["User-Agent"] == agent


def test_the_sender_announces_itself_as_order_desk(order, capture_server):
    request = build_request(order, capture_server)
    with OrderSender("the-key", limiter=RateLimiter(limit=1000)) as sender:
        sender.send(request)  # the capture server's bare 201 is "unknown": only the header counts
    assert _Capture.user_agents == [user_agent()]
    assert_received_as_drafted(order, request)


def test_a_picture_left_unchecked_is_checked_before_its_request_is_built_never_sent(tmp_path):
    from factories import save_draft_with_damaged_pixels

    from desktop_app.draft import draft_file

    order = draft_file.load(
        save_draft_with_damaged_pixels(tmp_path / "damaged.cmrorder"), pixels_later=True
    )
    assert not order.mailboxes[1].avatar.checked
    with pytest.raises(OrderNotReady) as refused:
        build_request(order, "http://127.0.0.1:9")
    assert [p.message for p in refused.value.problems if "damaged or truncated" in p.message]
    assert order.mailboxes[1].avatar.checked
