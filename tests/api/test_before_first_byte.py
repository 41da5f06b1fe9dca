"""A failure before the first byte of a request is written is "not created", never "unknown"."""

from __future__ import annotations

import dataclasses
import http.server
import os

import pytest
from cli_support import order_desk
from send_support import SECRET_KEY, serve_on_loopback, small_order

from desktop_app.api.order_status import fetch_status
from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender, Outcome
from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services.history import History
from desktop_app.services.keystore import ENV_VAR
from desktop_app.services.send_flow import Destination


@pytest.fixture
def unusable_cert_file(tmp_path, monkeypatch):
    path = tmp_path / "not-certificates.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\nthis is not a certificate\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return path


def send_to(server: PracticeServer, request) -> object:
    with OrderSender(SECRET_KEY, limiter=RateLimiter(limit=1000)) as sender:
        return sender.send(request)


def test_a_user_id_too_long_for_a_url_is_not_created_and_nothing_reached_the_server():
    with PracticeServer(key=SECRET_KEY) as server:
        request = dataclasses.replace(
            build_request(small_order(), server.base_url), user_id="A" * 70_000
        )
        result = send_to(server, request)
        assert server.created_count == 0
    assert result.outcome is Outcome.NOT_CREATED
    assert "URL too long" in result.message and "nothing was sent" in result.message


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_an_unusable_certificate_file_is_not_created(unusable_cert_file, scheme):
    with PracticeServer(key=SECRET_KEY) as server:
        base = server.base_url.replace("http://", f"{scheme}://")
        result = send_to(server, build_request(small_order(), base))
        assert server.created_count == 0
    assert result.outcome is Outcome.NOT_CREATED
    assert "SSL_CERT_FILE" in result.message and "nothing was sent" in result.message


def test_status_with_an_unusable_certificate_file_is_one_sentence(unusable_cert_file):
    with serve_on_loopback(_never_called) as url:
        answer = fetch_status(Destination(url), SECRET_KEY, "ORDER1", "42")
    assert not answer.ok and "SSL_CERT_FILE" in answer.message
    assert answer.message.startswith("The status was not fetched: the certificates")


def test_the_command_line_says_not_created_and_history_does_not_block(
    unusable_cert_file, tmp_path, app_home
):
    draft = tmp_path / "order.cmrorder"
    draft_file.save(small_order(), draft)
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    with PracticeServer(key=SECRET_KEY) as server:
        failed = order_desk("send", draft, "--base-url", server.base_url, "--yes", env=env)
        status = order_desk("status", "ORDER1", "--base-url", server.base_url, env=env)
        del env["SSL_CERT_FILE"]
        again = order_desk("send", draft, "--base-url", server.base_url, "--yes", env=env)
        assert server.created_count == 1
    assert failed.returncode == 1, failed.stderr
    assert "SSL_CERT_FILE" in failed.stderr and "unexpected" not in failed.stderr
    assert status.returncode == 1 and "SSL_CERT_FILE" in status.stderr
    assert "unexpected" not in status.stderr
    assert again.returncode == 0 and again.stdout.startswith("orderId: ")
    outcomes = sorted(a.outcome for a in History().attempts())
    assert outcomes == ["created", "not created"]


class _never_called(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        raise AssertionError("no request was to reach the server")
