"""Every outcome of a send, against the practice server over real loopback HTTP.

Each test asserts how many orders the server actually created: a send may
end unknown, but the sender itself never creates an order twice.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading

import pytest
from send_support import (
    SECRET_KEY,
    big_order,
    free_port,
    largest_send_buffer,
    serve_on_loopback,
    small_order,
)

from desktop_app.api.cancel import CancelToken
from desktop_app.api.outcome import retry_after_seconds
from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import (
    UNKNOWN_ADVICE,
    OrderSender,
    Outcome,
    Progress,
    SendResult,
    Stage,
    Timeouts,
    is_loopback_host,
    url_problem,
)
from desktop_app.practice.server import PRACTICE_KEY, Fault, PracticeServer


@pytest.fixture
def server():
    with PracticeServer() as practice:
        yield practice


def make_sender(key: str = PRACTICE_KEY, **options) -> OrderSender:
    options.setdefault("limiter", RateLimiter(limit=1000))  # tests do not wait on each other
    options.setdefault("connect_retry_delays", (0.0, 0.0, 0.0))
    return OrderSender(key, **options)


def send(server: PracticeServer, order=None, **options) -> SendResult:
    request = build_request(order or small_order(), server.base_url)
    with make_sender(**options) as sender:
        return sender.send(request)


def test_created_returns_the_order_id_and_the_server_got_the_order(server):
    progress: list[Progress] = []
    request = build_request(small_order(3), server.base_url)
    with make_sender() as sender:
        result = sender.send(request, on_progress=progress.append)
    assert result.outcome is Outcome.CREATED
    assert result.order_id == server.created_order_ids[0]
    assert len(result.order_id) == 28 and result.order_id.isalnum()
    assert server.created_count == 1
    received = server.last_request
    assert received.user_id == "42"
    assert sorted(received.files) == ["user0@example.com", "user1@example.com", "user2@example.com"]
    assert json.loads(received.fields["mailboxes"])["example.com"][2]["username"] == "user2"
    # Upload progress climbs to the full body, then the sender waits for the answer.
    uploads = [p for p in progress if p.stage is Stage.UPLOADING]
    assert uploads[-1].sent == uploads[-1].total > 0
    assert [p.sent for p in uploads] == sorted(p.sent for p in uploads)
    assert progress[-1].stage is Stage.WAITING


def test_unavailable_domains_come_back_with_the_order_id(server):
    server.mark_unavailable("second-example.net")
    result = send(server)
    assert result.outcome is Outcome.CREATED
    assert result.unavailable_domains == ("second-example.net",)
    assert "second-example.net" in result.message


def test_a_wrong_key_is_a_key_problem_with_the_servers_message(server):
    result = send(server, key="not-the-key")
    assert result.outcome is Outcome.NOT_CREATED
    assert result.key_problem and result.http_status == 401
    assert "Invalid API Key" in result.message
    assert server.created_count == 0 and len(server.requests) == 1


def test_a_request_breaking_the_contract_is_refused_with_the_reason(server):
    request = build_request(small_order(), server.base_url)
    fields = [(n, "YEARLY" if n == "billingCycle" else v) for n, v in request.fields]
    with make_sender() as sender:
        result = sender.send(dataclasses.replace(request, fields=fields))
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 400
    assert "billingCycle must be MONTHLY" in result.message
    assert server.created_count == 0


@pytest.mark.parametrize(
    ("fault", "created_by_server", "words"),
    [
        (Fault.SERVER_ERROR, 0, "HTTP 500"),
        (Fault.DROP_AFTER_BODY, 1, "connection dropped after the order was sent"),
        (Fault.NOT_JSON, 1, "not JSON"),
    ],
)
def test_no_usable_answer_is_unknown_and_never_retried(server, fault, created_by_server, words):
    server.fail_next(fault, times=5)  # a retry would meet the same fault and be counted
    result = send(server)
    assert result.outcome is Outcome.UNKNOWN
    assert words in result.message and UNKNOWN_ADVICE in result.message
    assert result.attempts == 1
    assert server.wait_for_requests(1)
    assert len(server.requests) == 1
    assert server.created_count == created_by_server


def test_no_answer_in_time_is_unknown_though_the_server_created_it(server):
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(60)  # stop() releases it
    result = send(server, timeouts=Timeouts(answer=0.5))
    assert result.outcome is Outcome.UNKNOWN
    assert "No answer came within 0.5 s" in result.message
    assert server.created_count == 1  # exactly why "unknown" must never be retried blindly
    assert len(server.requests) == 1


def test_rate_limited_waits_retry_after_then_creates_once(server):
    server.fail_next(Fault.RATE_LIMIT, times=2)
    server.set_retry_after("0")
    stages: list[Progress] = []
    request = build_request(small_order(), server.base_url)
    with make_sender() as sender:
        result = sender.send(request, on_progress=stages.append)
    assert result.outcome is Outcome.CREATED and result.attempts == 3
    assert [p.detail for p in stages if p.stage is Stage.RETRYING] == [
        "rate limited, trying again in 0 s"
    ] * 2
    assert server.created_count == 1 and len(server.requests) == 3


def test_rate_limited_too_often_is_not_created(server):
    server.fail_next(Fault.RATE_LIMIT, times=10)
    server.set_retry_after("0")
    result = send(server, rate_limit_retries=2)
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 429
    assert result.attempts == 3 and len(server.requests) == 3
    assert server.created_count == 0


def test_retry_after_longer_than_a_minute_is_not_waited_for(server):
    server.fail_next(Fault.RATE_LIMIT)
    server.set_retry_after("3600")
    result = send(server)
    assert result.outcome is Outcome.NOT_CREATED and "longer than a minute" in result.message
    assert len(server.requests) == 1 and server.created_count == 0


def test_cancel_during_the_retry_after_wait_sends_nothing_more(server):
    server.fail_next(Fault.RATE_LIMIT)
    server.set_retry_after("50")
    cancel = CancelToken()

    def on_progress(progress: Progress) -> None:
        if progress.stage is Stage.RETRYING:
            cancel.cancel()  # if the sender did not wait, it would already have retried

    request = build_request(small_order(), server.base_url)
    with make_sender() as sender:
        result = sender.send(request, cancel, on_progress)
    assert result.outcome is Outcome.NOT_CREATED and result.cancelled
    assert len(server.requests) == 1 and server.created_count == 0


def test_nothing_listening_is_retried_then_could_not_connect():
    port = free_port()
    request = build_request(small_order(), f"http://127.0.0.1:{port}")
    retries: list[str] = []
    with make_sender() as sender:
        result = sender.send(
            request,
            on_progress=lambda p: retries.append(p.detail) if p.stage is Stage.RETRYING else None,
        )
    assert result.outcome is Outcome.NOT_CREATED
    assert "Could not connect to 127.0.0.1" in result.message
    assert result.attempts == 4 and len(retries) == 3


def test_a_connection_lost_mid_upload_is_not_sent_again_and_nothing_is_created():
    # The body is larger than the kernel can buffer while the server reads
    # nothing, so the reset always arrives before the last byte is out.
    order = big_order(largest_send_buffer() + 4 * 1024 * 1024)
    with PracticeServer(receive_buffer=64 * 1024) as server:
        server.fail_next(Fault.DROP_BEFORE_BODY)
        result = send(server, order)
        assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
        assert "stopped reading the upload part-way" in result.message
        assert "was not sent again" in result.message
        assert server.wait_for_requests(1)
        assert server.created_count == 0
        assert [r.fault for r in server.requests] == [Fault.DROP_BEFORE_BODY]


def test_a_server_that_stops_reading_the_upload_is_not_sent_again():
    order = big_order(largest_send_buffer() + 4 * 1024 * 1024)
    with PracticeServer(receive_buffer=64 * 1024) as server:
        server.fail_next(Fault.STALL_UPLOAD, times=5)  # a retry would be counted
        server.set_slow_seconds(30)  # stop() releases it
        result = send(server, order, timeouts=Timeouts(upload=1.0))
        assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
        assert "stopped reading the upload part-way" in result.message
        assert server.created_count == 0


def test_cancel_during_the_upload_is_safely_not_created(server):
    cancel = CancelToken()

    def on_progress(progress: Progress) -> None:
        if progress.stage is Stage.UPLOADING and progress.sent > 0:
            cancel.cancel()

    request = build_request(small_order(4), server.base_url)
    with make_sender() as sender:
        result = sender.send(request, cancel, on_progress)
    assert result.outcome is Outcome.NOT_CREATED and result.cancelled
    assert "nothing was created" in result.message
    assert server.wait_for_requests(1)
    assert server.requests[0].status == 0  # the server saw an unfinished upload
    assert server.created_count == 0


def test_cancel_just_after_the_last_byte_went_out_is_unknown_not_nothing_created(server):
    # Cancel lands after the socket took the last chunk, before the sender
    # looked again: the server has the whole order and creates it.
    cancel = CancelToken()

    def on_progress(progress: Progress) -> None:
        if progress.stage is Stage.UPLOADING and progress.total and progress.sent == progress.total:
            cancel.cancel()

    request = build_request(small_order(), server.base_url)
    with make_sender() as sender:
        result = sender.send(request, cancel, on_progress)
    assert server.wait_for_requests(1)
    assert server.created_count == 1
    # The answer may still win the race with Cancel: then the order ID is known.
    # Either way the operator is never told that nothing was created.
    if result.outcome is Outcome.CREATED:
        assert result.order_id == server.created_order_ids[0]
    else:
        assert result.outcome is Outcome.UNKNOWN and result.cancelled
    assert "nothing was created" not in result.message


def test_cancel_while_waiting_for_the_answer_is_unknown_and_stops_at_once(server):
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(120)  # longer than the sender's own answer timeout
    cancel = CancelToken()

    def on_progress(progress: Progress) -> None:
        if progress.stage is Stage.WAITING:
            # From another thread, as the window's Cancel button does.
            threading.Thread(target=cancel.cancel).start()

    request = build_request(small_order(), server.base_url)
    with make_sender(timeouts=Timeouts(answer=90)) as sender:
        result = sender.send(request, cancel, on_progress)
    assert result.outcome is Outcome.UNKNOWN and result.cancelled
    assert "Cancelled after the order was sent" in result.message
    assert UNKNOWN_ADVICE in result.message
    assert server.wait_for_requests(1)
    assert server.created_count == 1


def test_a_plain_http_address_elsewhere_is_refused_before_connecting():
    request = build_request(small_order(), "http://customers.example.com")
    with make_sender() as sender:
        result = sender.send(request)
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "only over https" in result.message


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://customers.coldmailreseller.com", True),
        ("http://127.0.0.1:8080", True),
        ("http://127.4.5.6", True),
        ("http://localhost:9", True),
        ("http://[::1]:9", True),
        ("http://customers.coldmailreseller.com", False),
        ("http://10.0.0.1", False),
        ("http://127.0.0.1.example.com", False),
        ("ftp://127.0.0.1", False),
        ("https://", False),
    ],
)
def test_the_key_goes_only_over_https_or_to_this_computer(url, allowed):
    assert (url_problem(url) is None) is allowed


def test_loopback_hosts():
    assert is_loopback_host("::1") and is_loopback_host("LOCALHOST")
    assert not is_loopback_host("128.0.0.1") and not is_loopback_host("example.com")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(None, 1.0), ("", 1.0), ("7", 7.0), ("2.5", 2.5), ("-3", 0.0), ("soon", 1.0)],
)
def test_retry_after_values(header, seconds):
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_a_date_in_the_past_means_now():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    """A careless server that repeats the request headers in its error message."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"status": 400, "message": f"Bad request: {dict(self.headers)}"})
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def test_a_server_echoing_the_key_never_puts_it_in_the_result():
    with serve_on_loopback(_EchoHandler) as url:
        request = build_request(small_order(), url)
        with make_sender(SECRET_KEY) as sender:
            result = sender.send(request)
    assert result.outcome is Outcome.NOT_CREATED and "cmr-x-api-key" in result.message
    assert SECRET_KEY not in repr(result)
    assert "<api-key>" in result.server_message


def test_a_draft_picture_that_cannot_be_read_stops_the_send_safely(server, tmp_path):
    from desktop_app.draft import draft_file

    path = tmp_path / "order.cmrorder"
    draft_file.save(small_order(), path)
    order = draft_file.load(path)
    request = build_request(order, server.base_url)
    # The pictures are read from the draft as they are sent; close it underneath.
    order.mailboxes[1].avatar.source.archive.close()
    with make_sender() as sender:
        result = sender.send(request)
    assert result.outcome is Outcome.NOT_CREATED and "could not be read" in result.message
    assert server.wait_for_requests(1)
    assert server.created_count == 0


class FakeClock:
    """Time that passes only when the limiter waits: the rule is tested, not the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def time(self) -> float:
        return self.now

    def pause(self, token: CancelToken, seconds: float) -> bool:
        self.pauses.append(seconds)
        self.now += seconds
        return token.cancelled


def test_the_rate_limiter_lets_five_requests_start_in_any_second():
    clock = FakeClock()
    limiter = RateLimiter(5, 1.0, clock=clock.time, pause=clock.pause)
    token = CancelToken()
    starts = []
    for _ in range(12):
        assert limiter.wait(token)
        starts.append(clock.now)
    assert starts == [0.0] * 5 + [1.0] * 5 + [2.0] * 2
    for start in starts:
        assert sum(1 for s in starts if start <= s < start + 1.0) <= 5


def test_the_rate_limiter_gives_up_when_cancelled():
    clock = FakeClock()
    limiter = RateLimiter(1, 1.0, clock=clock.time, pause=clock.pause)
    token = CancelToken()
    assert limiter.wait(token)
    token.cancel()
    assert not limiter.wait(token)


def test_every_attempt_of_a_send_counts_against_the_rate_limit(server):
    clock = FakeClock()
    limiter = RateLimiter(1, 10.0, clock=clock.time, pause=clock.pause)
    server.fail_next(Fault.RATE_LIMIT)
    server.set_retry_after("0")
    request = build_request(small_order(), server.base_url)
    with make_sender(limiter=limiter) as sender:
        first = sender.send(request)
        second = sender.send(build_request(small_order(1), server.base_url))
    assert first.outcome is second.outcome is Outcome.CREATED
    assert first.attempts == 2
    assert clock.pauses == [10.0, 10.0]  # the retry waited its turn, and so did the next order
    assert server.created_count == 2


def test_cancel_token_runs_callbacks_once_and_can_unhook():
    token = CancelToken()
    calls: list[str] = []
    unhook = token.on_cancel(lambda: calls.append("a"))
    token.on_cancel(lambda: calls.append("b"))
    unhook()
    token.cancel()
    token.on_cancel(lambda: calls.append("late"))  # already cancelled: runs at once
    assert calls == ["b", "late"] and token.cancelled and token.wait(5)
