"""The worker on a real QThread, sending to the practice server over loopback."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from send_support import big_order, largest_send_buffer, small_order

from desktop_app.api.sender import UNKNOWN_ADVICE, Outcome
from desktop_app.practice.server import PRACTICE_KEY, Fault, PracticeServer
from desktop_app.services.history import History
from desktop_app.services.send_flow import PRACTICE, Choice, Destination, Job, plan
from desktop_app.ui.send.worker import SendRunner, SendWorker

pytestmark = pytest.mark.gui


def jobs_for(server, *orders, label="Spring order"):
    destination = Destination(server.base_url, PRACTICE)
    return [
        Job(
            plan(f"{label} {i + 1}", order, f"/drafts/{i}.cmrorder", destination, History()),
            Choice.SEND,
        )
        for i, order in enumerate(orders)
    ]


def start(qtbot, jobs, key=PRACTICE_KEY):
    runner = SendRunner()
    progress = []
    runner.progress.connect(lambda sent, total, label: progress.append((sent, total, label)))
    worker = SendWorker(jobs, key, History())
    runner.start(worker)
    return runner, progress


def test_one_order_reports_upload_progress_and_is_recorded(qtbot, server):
    jobs = jobs_for(server, small_order(3))
    runner = SendRunner()
    progress = []
    runner.progress.connect(lambda sent, total, label: progress.append((sent, total, label)))
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start(SendWorker(jobs, PRACTICE_KEY, History()))
    [outcome] = finished.args[0]
    result = outcome.result
    assert result.outcome is Outcome.CREATED
    assert result.order_id == server.created_order_ids[0]
    assert not runner.busy
    uploads = [p for p in progress if p[2].startswith("Uploading")]
    assert uploads and uploads[-1][0] == uploads[-1][1] > 0
    assert all(label.endswith("Spring order 1") for _, _, label in uploads)
    assert progress[-1][2] == "Waiting for the answer about Spring order 1"
    [attempt] = History().attempts()
    assert attempt.order_id == result.order_id and attempt.draft_path == "/drafts/0.cmrorder"


def test_a_queue_is_sent_one_after_another(qtbot, server):
    # Three userIds: the same mailboxes for three users are three purchases.
    orders = [small_order(count, user_id=str(count)) for count in (1, 2, 3)]
    jobs = jobs_for(server, *orders)
    runner = SendRunner()
    done = []
    runner.part_finished.connect(
        lambda outcome: done.append((outcome.label, outcome.result.outcome))
    )
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start(SendWorker(jobs, PRACTICE_KEY, History()))
    assert done == [(f"Spring order {i}", Outcome.CREATED) for i in (1, 2, 3)]
    assert [o.result.order_id for o in finished.args[0]] == server.created_order_ids
    assert [json_mailboxes(r) for r in server.requests] == [1, 2, 3]


def json_mailboxes(received):
    import json

    return len(json.loads(received.fields["mailboxes"])["example.com"])


def test_cancel_while_uploading_creates_nothing_and_skips_the_rest(qtbot):
    order = big_order(largest_send_buffer() + 4 * 1024 * 1024)
    with PracticeServer(receive_buffer=64 * 1024) as server:
        server.fail_next(Fault.STALL_UPLOAD)  # the upload blocks until cancelled
        server.set_slow_seconds(120)
        jobs = jobs_for(server, order, small_order(1, user_id="2"))
        runner, _ = start(qtbot, jobs)
        with qtbot.waitSignal(
            runner.progress,
            timeout=10_000,
            check_params_cb=lambda sent, total, label: 0 < sent < total,
        ):
            pass
        with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
            runner.cancel()
        first, second = (outcome.result for outcome in finished.args[0])
        assert first.outcome is Outcome.NOT_CREATED and first.cancelled
        assert second.outcome is Outcome.NOT_CREATED and "before its turn" in second.message
        assert not finished.args[0][1].sent
    assert server.created_count == 0
    assert [a.outcome for a in History().attempts()] == ["not created"]


def test_cancel_while_waiting_for_the_answer_is_unknown(qtbot, server):
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(120)  # the cancel must not wait for this
    runner, _ = start(qtbot, jobs_for(server, small_order(2)))
    with qtbot.waitSignal(
        runner.progress,
        timeout=10_000,
        check_params_cb=lambda s, t, label: label.startswith("Waiting"),
    ):
        pass
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.cancel()
    [outcome] = finished.args[0]
    result = outcome.result
    assert result.outcome is Outcome.UNKNOWN and result.cancelled
    assert UNKNOWN_ADVICE in result.message
    # The whole body was out, so the server goes on to create the order; its
    # handler may still be at it when the cancelled send has already returned.
    assert server.wait_for_requests(1)
    assert server.created_count == 1
    [attempt] = History().attempts()
    assert attempt.outcome == "unknown"


def test_waiting_for_the_runner_ends_a_send_in_flight(qtbot, server):
    server.fail_next(Fault.SLOW)
    server.set_slow_seconds(120)
    runner, _ = start(qtbot, jobs_for(server, small_order(1)))
    with qtbot.waitSignal(
        runner.progress,
        timeout=10_000,
        check_params_cb=lambda s, t, label: label.startswith("Waiting"),
    ):
        pass
    emitted = []
    runner.finished.connect(emitted.append)
    runner.wait()  # what closing the window does
    assert not runner.busy
    QCoreApplication.processEvents()  # deliver a late queued signal, if one were sent
    assert emitted == []
    [attempt] = History().attempts()
    assert attempt.outcome == "unknown"


class _HistoryThatCannotFinish(History):
    """A real history whose disk gives out after the order went: the fault under test."""

    def finish(self, attempt_id, result):
        from desktop_app.services.history import HistoryError

        raise HistoryError("The send history cannot be used: disk I/O error.")


def test_a_created_order_is_still_shown_when_history_cannot_record_it(qtbot, server):
    runner = SendRunner()
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start(
            SendWorker(jobs_for(server, small_order(2)), PRACTICE_KEY, _HistoryThatCannotFinish())
        )
    [outcome] = finished.args[0]
    result = outcome.result
    assert result.outcome is Outcome.CREATED
    assert result.order_id == server.created_order_ids[0]
    assert "not in the history" in result.message and outcome.unrecorded


def test_nothing_is_sent_when_history_cannot_be_written(qtbot, server, app_home):
    jobs = jobs_for(server, small_order(2))  # reviewed while History could be read ...
    (app_home / "history.sqlite3").mkdir()  # ... and then it cannot be opened
    runner = SendRunner()
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start(SendWorker(jobs, PRACTICE_KEY, History()))
    [outcome] = finished.args[0]
    result = outcome.result
    assert result.outcome is Outcome.NOT_CREATED
    assert "sent twice" in result.message
    assert server.created_count == 0 and server.last_request is None


def test_progress_carries_byte_counts_past_two_gibibytes(qtbot):
    runner = SendRunner()
    sent, total = 5 * 2**31, 2**40  # a 32-bit int would wrap both
    with qtbot.waitSignal(runner.progress) as progress:
        runner.progress.emit(sent, total, "Uploading Spring order 1")
    assert progress.args == [sent, total, "Uploading Spring order 1"]


class _HistoryWithABug(History):
    """A history that fails in a way nobody planned for: a fault of ours, not the disk's."""

    def claim(self, request, where, accepted):
        raise TypeError("claim() was handed the wrong thing")


def test_a_fault_of_ours_is_an_unknown_outcome_and_goes_to_the_crash_log(qtbot, server, app_home):
    runner = SendRunner()
    parts = []
    runner.part_finished.connect(parts.append)
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start(SendWorker(jobs_for(server, small_order(2)), PRACTICE_KEY, _HistoryWithABug()))
    [outcome] = finished.args[0]
    assert parts == [outcome]
    assert outcome.result.outcome is Outcome.UNKNOWN
    assert outcome.result.message.startswith("Sending stopped unexpectedly (TypeError).")
    assert UNKNOWN_ADVICE in outcome.result.message and outcome.label == "Spring order 1"
    log = (app_home / "crash.log").read_text(encoding="utf-8")
    assert "'order-send'" in log and "TypeError: claim() was handed the wrong thing" in log
    assert not runner.busy
