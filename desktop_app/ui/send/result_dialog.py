"""What became of each order sent: an order ID to copy, why not, or "we don't know"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.outcome import UNKNOWN_ADVICE, Outcome, SendResult
from desktop_app.services.environments import Environment
from desktop_app.services.send_flow import PartOutcome
from desktop_app.ui.common.keyboard import give_mnemonics
from desktop_app.ui.common.plain_text import plain_label

HEADLINES = {
    Outcome.CREATED: "Order created",
    Outcome.NOT_CREATED: "Not created",
    Outcome.UNKNOWN: "Outcome unknown",
}
COLOURS = {Outcome.CREATED: "#1b7f3b", Outcome.NOT_CREATED: "#8a5a00", Outcome.UNKNOWN: "#b3261e"}


class SendResultDialog(QDialog):
    """One panel per order sent, saying plainly whether the order exists.

    ``practice`` says the orders went to the practice server (nothing bought);
    ``environment``, when given, says which environment they went to.
    Signals: ``copied(text)`` when an order ID is put on the clipboard.
    """

    copied = Signal(str)

    def __init__(
        self,
        outcomes: list[PartOutcome],
        parent: QWidget | None = None,
        practice: bool = False,
        environment: Environment | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendResultDialog")
        self.setWindowTitle("Send result" if len(outcomes) == 1 else "Send results")
        self.copy_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        environment = environment or (Environment.PRACTICE if practice else Environment.PRODUCTION)
        if environment is Environment.PRACTICE:
            text = "Sent to the practice server: nothing was bought. History keeps every attempt."
        else:
            text = (
                f"{environment.describe()} History keeps every attempt, with its order ID "
                "when one was created."
            )
        where = _wrapped(text)
        where.setObjectName("where")
        layout.addWidget(where)
        if len(outcomes) > 1:
            tally = _wrapped(tally_text(outcomes))
            tally.setObjectName("tally")
            tally.setStyleSheet("QLabel { font-weight: bold; }")
            layout.addWidget(tally)
        content = QWidget()
        column = QVBoxLayout(content)
        for outcome in outcomes:
            column.addWidget(self._panel(outcome.name, outcome.result, outcome.sent))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setAccessibleName("What was sent")
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        give_mnemonics(buttons.buttons())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # As tall as the panels need, up to a limit (a scroll area's hint stops short).
        shown = scroll.sizeHint().height() - 2 * scroll.frameWidth()
        missing = max(0, content.sizeHint().height() - shown)
        self.resize(560, min(680, self.sizeHint().height() + missing))

    def _panel(self, label: str, result: SendResult, sent: bool = True) -> QGroupBox:
        box = QGroupBox(label)
        box.setObjectName(f"result_{result.outcome.name.lower()}")
        column = QVBoxLayout(box)
        headline = plain_label(HEADLINES[result.outcome] if sent else "Not sent")
        headline.setObjectName("headline")
        headline.setStyleSheet(f"QLabel {{ color: {COLOURS[result.outcome]}; font-weight: bold; }}")
        column.addWidget(headline)
        if result.outcome is Outcome.CREATED:
            row = QHBoxLayout()
            order_id = QLineEdit(result.order_id)
            order_id.setObjectName("orderId")
            order_id.setReadOnly(True)
            order_id.setAccessibleName("Order ID")
            copy = QPushButton("Copy")
            copy.setObjectName("copyOrderId")
            copy.clicked.connect(lambda: self._copy(result.order_id))
            self.copy_buttons.append(copy)
            row.addWidget(QLabel("Order ID:"))
            row.addWidget(order_id, 1)
            row.addWidget(copy)
            column.addLayout(row)
            column.addWidget(_wrapped("Keep this order ID: processing the order later needs it."))
            if result.unavailable_domains:
                unavailable = _wrapped(
                    "Unavailable domains: " + ", ".join(result.unavailable_domains)
                )
                unavailable.setObjectName("unavailableDomains")
                column.addWidget(unavailable)
        elif result.outcome is Outcome.UNKNOWN:
            advice = _wrapped(UNKNOWN_ADVICE)
            advice.setObjectName("unknownAdvice")
            advice.setStyleSheet("QLabel { font-weight: bold; }")
            column.addWidget(advice)
            column.addWidget(_wrapped(result.message.replace(UNKNOWN_ADVICE, "").strip()))
        else:
            reason = _wrapped(result.message)
            reason.setObjectName("reason")
            column.addWidget(reason)
            if result.key_problem:
                column.addWidget(_wrapped("Check the API key in Settings → API key."))
        return box

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)


def tally_text(outcomes: list[PartOutcome]) -> str:
    """``2 of 6 orders created; 1 not created; 3 not sent.`` for a split send."""
    created = sum(1 for o in outcomes if o.result.outcome is Outcome.CREATED)
    unknown = sum(1 for o in outcomes if o.result.outcome is Outcome.UNKNOWN)
    not_sent = sum(1 for o in outcomes if not o.sent)
    refused = len(outcomes) - created - unknown - not_sent
    parts = [f"{created:,} of {len(outcomes):,} orders created"]
    if refused:
        parts.append(f"{refused:,} not created")
    if unknown:
        parts.append(f"{unknown:,} with an unknown outcome (check the dashboard)")
    if not_sent:
        parts.append(f"{not_sent:,} not sent")
    return "; ".join(parts) + "."


def _wrapped(text: str) -> QLabel:
    # Plain text: the message may be a server's (a 422 answer of "<h1>Order created</h1>").
    return plain_label(text, word_wrap=True)
