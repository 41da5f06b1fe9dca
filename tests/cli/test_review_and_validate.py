"""The command line's review escapes the address; ``validate --env`` reads History as send does."""

from __future__ import annotations

import http.server
import os

from cli_support import order_desk
from send_support import SECRET_KEY, serve_on_loopback, small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import build_request
from desktop_app.cli.send import _review
from desktop_app.draft import draft_file
from desktop_app.services.history import History, SendPart
from desktop_app.services.keystore import ENV_VAR
from desktop_app.services.send_flow import Destination, plan

SANDBOX = "http://127.0.0.1:9/sandbox"


def test_the_reviews_endpoint_and_order_lines_show_control_characters_escaped():
    # An address the command line refuses (url_problem) may still reach the review
    # from elsewhere (History, settings written by another program): it is escaped there too.
    url = "http://127.0.0.1:9/api\x1b[2J\u202eevil"
    planned = plan("spring\x1b]0;owned\x07", small_order(1), "", Destination(url), History())
    lines = _review(planned).splitlines()
    assert "Endpoint:   http://127.0.0.1:9/api\\x1b[2J\\u202eevil" in lines
    assert "Order:      spring\\x1b]0;owned\\x07" in lines
    assert not [line for line in lines if "\x1b" in line or "\u202e" in line]


def test_validate_env_warns_from_that_environments_history(tmp_path):
    order = small_order(1)
    draft = tmp_path / "o.cmrorder"
    draft_file.save(order, draft)
    created = SendResult(Outcome.CREATED, "Order created.", order_id="SANDBOX0RDER1")
    History().record(build_request(order, SANDBOX), created, SendPart(environment="sandbox"))
    in_sandbox = order_desk("validate", draft, "--env", "sandbox", "--base-url", SANDBOX)
    in_production = order_desk("validate", draft, "--base-url", SANDBOX)
    assert in_sandbox.returncode == 0 and "SANDBOX0RDER1" in in_sandbox.stdout
    assert in_production.returncode == 0 and "SANDBOX0RDER1" not in in_production.stdout
    refused = order_desk("validate", draft, "--env", "nowhere")
    assert refused.returncode == 2 and "nowhere" in refused.stderr


class _NotFound(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"message": "Order not found"}'
        self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_status_echoes_a_typed_order_id_escaped():
    typed = "ORD1\r\nOK: order created\x1b[2J\u202eDI"
    env = {**os.environ, ENV_VAR: SECRET_KEY}
    with serve_on_loopback(_NotFound) as url:
        result = order_desk("status", typed, "--user-id", "42", "--base-url", url, env=env)
    assert result.returncode == 1
    # Refused before anything is asked (no order ID looks like that), and echoed escaped.
    assert "ORD1\\r\\nOK: order created\\x1b[2J\\u202eDI is not an order ID" in result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
