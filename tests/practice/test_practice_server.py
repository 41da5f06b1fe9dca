"""The practice server checks requests against the documented contract and answers like the API."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess

import httpx
import pytest
from cli_support import ORDER_DESK
from send_support import small_order

from desktop_app.api.multipart import MultipartBody
from desktop_app.api.payload import build_request
from desktop_app.order.model import GoogleSettings, Provider
from desktop_app.practice.server import PRACTICE_KEY, Fault, PracticeServer


@pytest.fixture
def server():
    with PracticeServer() as practice:
        yield practice


def post(server, fields, files=(), key=PRACTICE_KEY, query="?userId=42"):
    body = MultipartBody(fields, list(files))
    with httpx.Client() as client:
        return client.post(
            f"{server.base_url}/api/v1/integration/orders{query}",
            content=body.to_bytes(),
            headers={"Content-Type": body.content_type, "cmr-x-api-key": key},
        )


def good_fields(**changes):
    request = build_request(small_order(0))
    fields = dict(request.fields)
    fields.update(changes)
    return [(name, value) for name, value in fields.items() if value is not None]


def test_a_valid_request_gets_201_with_an_order_id_in_the_api_envelope(server):
    response = post(server, good_fields())
    assert response.status_code == 201
    envelope = response.json()
    assert envelope["status"] == 201 and envelope["message"] == "Order created successfully"
    assert re.fullmatch(r"[A-Z0-9]{28}", envelope["data"]["orderId"])
    assert envelope["data"]["unavailableDomains"] == []
    assert server.created_order_ids == [envelope["data"]["orderId"]]


def test_orders_built_by_the_app_are_accepted_for_both_providers(server):
    google = small_order(2)
    google.google = GoogleSettings("https://oauth.example.com/cb", "1234567890123456789012", "App")
    microsoft = small_order(1)
    microsoft.provider = Provider.MICROSOFT
    microsoft.microsoft_oauth_route = "https://login.example.com/route"
    for order in (google, microsoft):
        request = build_request(order, server.base_url)
        body = MultipartBody(request.fields, request.files)
        response = httpx.post(
            request.url,
            content=body.to_bytes(),
            headers={
                **request.headers,
                "Content-Type": body.content_type,
                "cmr-x-api-key": "practice-key",
            },
        )
        assert response.status_code == 201, response.text
    assert server.created_count == 2
    assert json.loads(server.last_request.fields["google"])["clientId"] == ""


@pytest.mark.parametrize("flag", ["", "true"])
@pytest.mark.parametrize(
    "client_id",
    ["", "0123", "536726988839-pt93oro4685dtb1emb0pp2vjgjol5mls.apps.googleusercontent.com"],
)
def test_the_flags_and_client_id_as_the_api_sample_sends_them_are_accepted(server, flag, client_id):
    google = json.dumps({"googleOauthRoute": "", "clientId": client_id, "appName": ""})
    response = post(server, good_fields(confirm=flag, autoRenew=flag, google=google))
    assert response.status_code == 201, response.text


def test_a_wrong_or_missing_key_is_401_invalid_api_key(server):
    for key in ("wrong", ""):
        response = post(server, good_fields(), key=key)
        assert response.status_code == 401
        assert response.json() == {"status": 401, "message": "Invalid API Key", "data": None}
    assert server.created_count == 0
    assert [r.key_accepted for r in server.requests] == [False, False]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"billingCycle": "YEARLY"}, "billingCycle must be MONTHLY"),
        ({"google": None}, "Missing field google"),
        ({"autoRenew": None, "confirm": None}, "Missing field confirm"),
        ({"domains": '[{"domain": "a.com", "years": "1"}]'}, "years as a whole number"),
        ({"domains": "not json"}, "domains is not valid JSON"),
        ({"mailboxes": "[]"}, "mailboxes must be a JSON object"),
        (
            {"mailboxes": '{"a.com": [{"username": "x"}]}'},
            "exactly username, firstName and lastName",
        ),
        ({"serviceProvider": "YAHOO"}, "serviceProvider must be GOOGLE or MICROSOFT"),
        (
            {"google": '{"googleOauthRoute": "", "clientId": 12, "appName": ""}'},
            "clientId must be a JSON string",
        ),
        ({"confirm": "yes"}, 'confirm must be "true" or empty'),
        # JavaScript reads the text "false" as true: a backend would process the order.
        ({"confirm": "false"}, 'confirm must be "true" or empty'),
        ({"autoRenew": "false"}, 'autoRenew must be "true" or empty'),
        ({"extra": "1"}, "Unexpected text field extra"),
    ],
)
def test_a_broken_request_is_400_naming_what_is_wrong(server, changes, named):
    response = post(server, good_fields(**changes))
    assert response.status_code == 400
    assert named in response.json()["message"]
    assert response.json()["data"] is None
    assert server.created_count == 0


def test_file_parts_must_match_mailboxes_and_be_images(server):
    request = build_request(small_order(1))
    part = request.files[0]
    stray = type(part)("nobody@example.com", "x.png", part.content_type, part.size, part.avatar)
    response = post(server, request.fields, [part, stray])
    assert response.status_code == 400
    assert "nobody@example.com belongs to no mailbox" in response.json()["message"]
    text = type(part)(part.name, "x.txt", "text/plain", part.size, part.avatar)
    response = post(server, request.fields, [text])
    assert "is not an image" in response.json()["message"]


def test_userid_must_be_present_but_may_be_empty(server):
    assert (
        post(server, good_fields(), query="")
        .json()["message"]
        .startswith("Please provide a userId")
    )
    assert post(server, good_fields(), query="?userId=").status_code == 201
    assert server.last_request.user_id == ""


def test_other_paths_and_bodies_without_length_are_refused(server):
    with httpx.Client() as client:
        assert client.get(server.base_url + "/").status_code == 404
        assert client.post(server.base_url + "/api/v1/other", content=b"x").status_code == 404
        chunked = client.post(
            server.base_url + "/api/v1/integration/orders?userId=1",
            content=iter([b"abc"]),  # streamed without a length
        )
        assert chunked.status_code == 411


def test_faults_apply_to_the_next_requests_only(server):
    server.fail_next(Fault.SERVER_ERROR)
    server.fail_next(Fault.RATE_LIMIT)
    server.set_retry_after("17")
    first, second, third = (post(server, good_fields()) for _ in range(3))
    assert first.status_code == 500 and first.json()["data"] is None
    assert second.status_code == 429 and second.headers["Retry-After"] == "17"
    assert third.status_code == 201
    assert server.created_count == 1


def test_not_json_and_dropped_answers_still_create_the_order(server):
    server.fail_next(Fault.NOT_JSON)
    response = post(server, good_fields())
    assert response.status_code == 201 and response.headers["Content-Type"] == "text/html"
    server.fail_next(Fault.DROP_AFTER_BODY)
    with pytest.raises(httpx.TransportError):
        post(server, good_fields())
    assert server.created_count == 2


def test_stop_ends_slow_answers_and_idle_connections(server):
    # An idle keep-alive connection and a slow answer in progress: stop() must
    # still return and leave no thread behind (the autouse fixture checks).
    idle = socket.create_connection(server.address)
    slow = socket.create_connection(server.address)
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(600)
    body = MultipartBody(good_fields(), [])
    data = body.to_bytes()
    head = (
        "POST /api/v1/integration/orders?userId=1 HTTP/1.1\r\nHost: practice\r\n"
        f"cmr-x-api-key: {PRACTICE_KEY}\r\nContent-Type: {body.content_type}\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    slow.sendall(head.encode() + data)
    assert server.wait_for_requests(1)
    server.stop()
    slow.settimeout(5)
    assert slow.recv(4096).startswith(b"HTTP/1.1 201")  # released and answered
    assert server.created_count == 1
    idle.close()
    slow.close()


@pytest.mark.parametrize("command", ["practice", "sandbox"])  # "sandbox": its old name
def test_practice_command_serves_until_interrupted(tmp_path, command):
    process = subprocess.Popen(
        [*ORDER_DESK, command, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        key_line = process.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+)", first).group(1)
        assert key_line.strip() == f"Practice API key: {PRACTICE_KEY}"
        request = build_request(small_order(1), url)
        body = MultipartBody(request.fields, request.files)
        response = httpx.post(
            request.url,
            content=body.to_bytes(),
            headers={"Content-Type": body.content_type, "cmr-x-api-key": PRACTICE_KEY},
        )
        assert response.status_code == 201
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
