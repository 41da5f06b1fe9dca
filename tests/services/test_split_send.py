"""A big order sent from the command line as several orders, and what History keeps of it."""

from __future__ import annotations

import io
import json
import sys

import pytest
from cli_support import ORDER_DESK
from send_support import SECRET_KEY, picture

from desktop_app.cli.main import main
from desktop_app.draft import draft_file
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox, Order
from desktop_app.practice.server import Fault, PracticeServer
from desktop_app.services.history import History
from desktop_app.services.keystore import ENV_VAR

pytestmark = pytest.mark.usefixtures("memory_keyring")  # never the machine's keyring


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv(ENV_VAR, SECRET_KEY)
    with PracticeServer(key=SECRET_KEY) as practice:
        yield practice


def big_draft(tmp_path, domains=240, per_domain=5, name="big.cmrorder"):
    avatar = avatar_from_bytes(picture(), "face.png")
    order = Order(user_id="42")
    for d in range(domains):
        domain = f"brand-{d:04d}.com"
        order.domains.append(DomainEntry(domain, 1))
        order.mailboxes += [
            Mailbox(domain, f"box{m}", "First", "Last", avatar) for m in range(per_domain)
        ]
    path = tmp_path / name
    draft_file.save(order, path)
    return path


def received_mailboxes(server):
    boxes = []
    for request in server.requests:
        if request.order_id:
            for domain, items in json.loads(request.fields["mailboxes"]).items():
                boxes += [f"{item['username']}@{domain}" for item in items]
    return boxes


def test_a_big_order_goes_out_as_several_and_each_is_its_own_history_line(server, tmp_path, capsys):
    draft = big_draft(tmp_path)  # 1,200 mailboxes with pictures: more than 1,000 parts
    code = main(["send", str(draft), "--base-url", server.base_url, "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "This goes out as 2 orders of up to 600 mailboxes." in err
    ids = [line.removeprefix("orderId: ") for line in out.splitlines()]
    assert ids == server.created_order_ids and len(ids) == 2
    boxes = received_mailboxes(server)
    assert len(boxes) == len(set(boxes)) == 1200  # every mailbox exactly once
    assert all(len(r.fields) + len(r.files) <= 1000 for r in server.requests)
    attempts = sorted(History().attempts(), key=lambda a: a.part)
    assert [(a.part, a.parts, a.order_id) for a in attempts] == [(1, 2, ids[0]), (2, 2, ids[1])]
    assert attempts[0].batch and attempts[0].batch == attempts[1].batch
    assert {a.draft_path for a in attempts} == {str(draft.resolve())}


def test_max_mailboxes_lowers_the_size_of_each_part(server, tmp_path, capsys):
    draft = big_draft(tmp_path, domains=30)
    args = ["send", str(draft), "--base-url", server.base_url, "--yes"]
    assert main([*args, "--max-mailboxes", "40"]) == 0
    out, _ = capsys.readouterr()
    assert out.count("orderId: ") == 4 and server.created_count == 4
    with pytest.raises(SystemExit) as usage:  # more than fits one request: a usage error
        main([*args, "--max-mailboxes", "993"])
    assert usage.value.code == 2
    assert "from 1 to 992" in capsys.readouterr().err


def test_sending_stops_at_the_first_part_not_created_and_resumes_with_the_rest(
    server, tmp_path, capsys, monkeypatch
):
    draft = big_draft(tmp_path, domains=30)
    server.fail_next(Fault.SERVER_ERROR, after=1)  # part 2 of 4 fails on the server
    args = ["send", str(draft), "--base-url", server.base_url, "--max-mailboxes", "40"]
    assert main([*args, "--yes"]) == 3  # part 2 is unknown
    out, err = capsys.readouterr()
    assert out.count("orderId: ") == 1
    assert "part 2 of 4: unknown" in err
    assert "part 3 of 4: not created. Not sent: the outcome of part 2 of 4 is unknown" in err
    assert len(server.requests) == 2  # parts 3 and 4 never went out
    assert len(History().attempts()) == 2  # History holds exactly what was sent

    # Again, without --again: parts 1 and 2 (created, unknown) are held back.
    assert main([*args, "--yes"]) == 1
    _, err = capsys.readouterr()
    assert "brand-0000.com — order" in err and "unknown outcome" in err
    assert len(server.requests) == 2
    # Interactively, the operator is offered what was never sent, and only that.
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert main(args) == 0
    out, _ = capsys.readouterr()
    assert "Send only what was not ordered yet (14 domains, 70 mailboxes" in out
    boxes = received_mailboxes(server)
    assert len(boxes) == len(set(boxes)) == 150 - 40  # part 2's 40 are unknown, not resent
    assert server.created_count == 3


def test_the_practice_server_refuses_what_real_servers_refuse(server, tmp_path):
    from desktop_app.api.payload import build_request
    from desktop_app.api.sender import OrderSender, Outcome

    order = draft_file.load(big_draft(tmp_path))
    request = build_request(order, server.base_url)  # one request of 1,208 parts
    with OrderSender(SECRET_KEY) as sender:
        result = sender.send(request)
    assert result.outcome is Outcome.NOT_CREATED and result.http_status == 413
    assert "Too many parts" in result.message
    assert server.created_count == 0


def test_a_split_send_killed_mid_way_leaves_history_exact(server, tmp_path, app_home):
    import os
    import signal
    import subprocess

    from desktop_app.services import send_flow

    draft = big_draft(tmp_path, domains=30)
    server.fail_next(Fault.SLOW, after=1)  # part 2 of 4 is created, its answer never comes
    server.set_slow_seconds(60)
    env = {**os.environ, ENV_VAR: SECRET_KEY, "ORDER_DESK_HOME": str(app_home)}
    command = [*ORDER_DESK, "send", str(draft), "--yes"]
    command += ["--base-url", server.base_url, "--max-mailboxes", "40"]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.wait_for_requests(2, timeout=30)  # part 2 is in, its answer is held back
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()
    attempts = sorted(History().attempts(), key=lambda a: a.part)
    assert [(a.part, a.shown_outcome) for a in attempts] == [(1, "created"), (2, "unknown")]
    # The review next time leaves out parts 1 and 2 (created; maybe created) and offers the rest.
    planned = send_flow.plan(
        draft.name,
        draft_file.load(draft),
        str(draft),
        send_flow.Destination(server.base_url),
        History(),
        40,
    )
    offered = {mailbox for request in planned.remaining for mailbox in request_mailboxes(request)}
    sent_before = set(received_mailboxes(server)) | mailboxes_of(server.requests[1])
    assert len(offered) == 70 and not offered & sent_before


def request_mailboxes(request):
    return {
        f"{item['username']}@{domain}"
        for domain, items in json.loads(request.field("mailboxes")).items()
        for item in items
    }


def mailboxes_of(received):
    return {
        f"{item['username']}@{domain}"
        for domain, items in json.loads(received.fields["mailboxes"]).items()
        for item in items
    }
