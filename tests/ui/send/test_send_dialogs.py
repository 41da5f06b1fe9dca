"""The review, progress and result dialogs, each on its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QRadioButton
from send_support import small_order

from desktop_app.api.sender import UNKNOWN_ADVICE, Outcome, SendResult
from desktop_app.order.model import DomainEntry, Mailbox
from desktop_app.services.history import History
from desktop_app.services.send_flow import Choice, Destination, PartOutcome, plan
from desktop_app.ui.send.progress_dialog import BAR_STEPS, SendProgressDialog
from desktop_app.ui.send.result_dialog import SendResultDialog
from desktop_app.ui.send.review_dialog import CONFIRM_WARNING, SendReviewDialog

pytestmark = pytest.mark.gui
BASE = "https://api.example.com"


def texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def review(qtbot, orders, practice=False):
    plans = [
        plan(label, order, path, Destination(BASE), History()) for label, order, path in orders
    ]
    dialog = SendReviewDialog(plans, BASE, practice)
    qtbot.addWidget(dialog)
    return dialog


def labels(jobs):
    return [job.plan.label for job in jobs]


def results(*pairs):
    return [PartOutcome(label, 1, 1, result) for label, result in pairs]


def test_review_shows_counts_provider_and_missing_pictures(qtbot):
    order = small_order(3)
    order.mailboxes[0].avatar = None
    dialog = review(qtbot, [("Spring", order, "")])
    shown = texts(dialog)
    assert (
        "Production: real orders, paid from your wallet. Orders go to https://api.example.com"
        in shown
    )
    assert "3" in shown and "Google Workspace" in shown
    assert "2 (1 mailbox has none)" in shown
    assert dialog.confirm_warning is None
    assert labels(dialog.selected_jobs()) == ["Spring"]
    assert dialog.send_button.isEnabled() and not dialog.send_button.autoDefault()


def test_confirm_on_is_a_loud_warning(qtbot):
    dialog = review(qtbot, [("Charged", small_order(1, confirm=True), "")])
    assert dialog.confirm_warning is not None
    assert dialog.confirm_warning.text() == CONFIRM_WARNING
    assert "#b3261e" in dialog.confirm_warning.styleSheet()


def test_orders_with_errors_are_shown_but_not_sent(qtbot):
    broken = small_order(1)
    broken.domains[0].years = 99
    dialog = review(qtbot, [("Broken", broken, ""), ("Fine", small_order(2), "")])
    assert "Has 1 error: it will not be sent. Fix it first." in texts(dialog)
    assert labels(dialog.selected_jobs()) == ["Fine"]
    only_broken = review(qtbot, [("Broken", broken, "")])
    assert not only_broken.send_button.isEnabled()


def record_created(order, order_id="ID" + "X" * 26):
    from desktop_app.api.payload import build_request

    History().record(
        build_request(order, BASE), SendResult(Outcome.CREATED, "created", order_id=order_id)
    )


def test_an_order_already_sent_needs_send_again_anyway(qtbot):
    order = small_order(2)
    record_created(order)
    order.mailboxes[0].last_name = "Fixed typo"  # an edit does not make a purchase new
    order.confirm = True
    dialog = review(qtbot, [("Again", order, "")])
    shown = texts(dialog)
    assert "example.com — order IDXXXX" in shown and "user0@example.com — order IDX" in shown
    assert dialog.findChild(QRadioButton, "leaveOut") is None  # nothing else is left to send
    again = dialog.findChild(QRadioButton, "sendAgain")
    assert dialog.selected_jobs() == [] and not dialog.send_button.isEnabled()
    again.setChecked(True)
    [job] = dialog.selected_jobs()
    assert job.choice is Choice.AGAIN and dialog.send_button.isEnabled()


def test_an_overlapping_draft_offers_to_leave_out_what_was_ordered(qtbot):
    record_created(small_order(1))  # example.com, second-example.net and user0@example.com
    order = small_order(0)
    order.domains = [DomainEntry("example.com", 1), DomainEntry("fresh-domain.org", 1)]
    order.mailboxes = [Mailbox("fresh-domain.org", "ann", "Ann", "Lee")]
    dialog = review(qtbot, [("Overlap", order, "")])
    assert "example.com — order IDXXXX" in texts(dialog)
    assert "fresh-domain.org" not in dialog.findChild(QLabel, "repeats").text()
    assert not dialog.send_button.isEnabled()
    dialog.findChild(QRadioButton, "leaveOut").setChecked(True)
    [job] = dialog.selected_jobs()
    assert job.choice is Choice.LEAVE_OUT
    [request] = job.requests
    assert 'example.com"' not in request.field("domains")
    assert "fresh-domain.org" in request.field("domains")
    assert dialog.send_button.text() == "&Send 1 order"


def test_progress_bar_and_what_cancel_means(qtbot):
    dialog = SendProgressDialog()
    qtbot.addWidget(dialog)
    dialog.set_progress(2_500_000_000, 5_000_000_000, "Uploading Big order")  # over 2 GB
    assert dialog.bar.value() == BAR_STEPS // 2
    assert dialog.status.text() == "Uploading Big order"
    with qtbot.waitSignal(dialog.cancel_requested):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert "nothing will be created" in dialog.note.text()
    assert not dialog.cancel_button.isEnabled()

    after = SendProgressDialog()
    qtbot.addWidget(after)
    after.set_progress(100, 100, "Waiting for the answer about Big order")
    with qtbot.waitSignal(after.cancel_requested):
        qtbot.keyClick(after, Qt.Key.Key_Escape)
    assert "outcome unknown" in after.note.text()


def test_closing_the_progress_dialog_cancels_instead(qtbot):
    dialog = SendProgressDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.cancel_requested):
        dialog.close()
    assert dialog.isVisible()  # it stays until the send is over
    dialog.finish()
    assert not dialog.isVisible()


def test_result_created_has_the_order_id_and_a_copy_button(qtbot):
    result = SendResult(
        Outcome.CREATED,
        "Order created.",
        order_id="3BFTT324G0MKSYPV3FR2JQ3NFCAP",
        unavailable_domains=("taken.com",),
    )
    dialog = SendResultDialog(results(("Spring", result)))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLineEdit, "orderId").text() == "3BFTT324G0MKSYPV3FR2JQ3NFCAP"
    assert "Unavailable domains: taken.com" in texts(dialog)
    with qtbot.waitSignal(dialog.copied):
        qtbot.mouseClick(dialog.copy_buttons[0], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "3BFTT324G0MKSYPV3FR2JQ3NFCAP"


def test_result_says_whether_it_was_only_practice(qtbot):
    result = SendResult(Outcome.CREATED, "Order created.", order_id="P" * 28)
    practice = SendResultDialog(results(("Sample", result)), practice=True)
    real = SendResultDialog(results(("Sample", result)))
    qtbot.addWidget(practice)
    qtbot.addWidget(real)
    assert "practice server: nothing was bought" in texts(practice)
    assert "nothing was bought" not in texts(real) and "History" in texts(real)


def test_result_not_created_says_why_and_points_at_the_key(qtbot):
    result = SendResult(
        Outcome.NOT_CREATED,
        "The API key was refused (HTTP 401: Invalid API Key).",
        key_problem=True,
    )
    dialog = SendResultDialog(results(("Spring", result)))
    qtbot.addWidget(dialog)
    shown = texts(dialog)
    assert "Not created" in shown and "Invalid API Key" in shown
    assert "Check the API key in Settings" in shown
    assert dialog.copy_buttons == []


def test_result_unknown_says_we_do_not_know(qtbot):
    result = SendResult(Outcome.UNKNOWN, f"The server failed (HTTP 502). {UNKNOWN_ADVICE}")
    dialog = SendResultDialog(results(("Spring", result)))
    qtbot.addWidget(dialog)
    advice = dialog.findChild(QLabel, "unknownAdvice")
    assert advice.text() == (
        "We don't know whether the order was created. Check the CMR dashboard before sending again."
    )
    assert "The server failed (HTTP 502)." in texts(dialog)


def test_the_review_says_how_many_orders_a_big_draft_becomes(qtbot):
    order = small_order(0)
    order.domains = [DomainEntry(f"brand-{d:03d}.com", 1) for d in range(250)]
    order.mailboxes = [
        Mailbox(f"brand-{d:03d}.com", f"box{m}", "First", "Last")
        for d in range(250)
        for m in range(5)
    ]
    dialog = review(qtbot, [("Big", order, "")])
    assert dialog.findChild(QLabel, "splitSummary").text() == (
        "This goes out as 2 orders of up to 625 mailboxes."
    )
    assert dialog.send_button.text() == "&Send 2 orders"
    assert "1,250" in texts(dialog)  # numbers as an operator reads them


def test_the_result_of_a_split_send_says_which_parts_exist(qtbot):
    created = SendResult(Outcome.CREATED, "Order created.", order_id="A" * 28)
    failed = SendResult(Outcome.NOT_CREATED, "The API refused the order (HTTP 422): no.")
    skipped = SendResult(Outcome.NOT_CREATED, "Not sent: part 2 of 3 was not created.")
    outcomes = [
        PartOutcome("Big", 1, 3, created),
        PartOutcome("Big", 2, 3, failed),
        PartOutcome("Big", 3, 3, skipped, sent=False),
    ]
    dialog = SendResultDialog(outcomes)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "tally").text() == (
        "1 of 3 orders created; 1 not created; 1 not sent."
    )
    titles = [box.title() for box in dialog.findChildren(QGroupBox)]
    assert titles == ["Big, part 1 of 3", "Big, part 2 of 3", "Big, part 3 of 3"]
    assert "Not sent" in texts(dialog)


def test_the_review_lists_the_warnings_and_still_sends(qtbot):
    from desktop_app.order.operator_warnings import NO_USER_ID, MailboxesPerDomain

    order = small_order(3)
    order.user_id = ""
    order.mailboxes[0].avatar = None  # counted in its own row, not listed again
    plans = [plan("Crowded", order, "", Destination(BASE), History(), limits=MailboxesPerDomain(2))]
    dialog = SendReviewDialog(plans, BASE, False)
    qtbot.addWidget(dialog)
    listed = dialog.findChild(QLabel, "warnings").text().splitlines()
    assert listed[0] == f"Settings, User ID: {NO_USER_ID}"  # as the Problems pane says it
    assert "has 3 Google Workspace mailboxes" in listed[1]
    assert len(listed) == 2
    assert labels(dialog.selected_jobs()) == ["Crowded"] and dialog.send_button.isEnabled()
