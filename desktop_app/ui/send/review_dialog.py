"""The review before sending: what will be bought, where it goes, and loud warnings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.plain_text import plain_label
from desktop_app.ui.send.review import ReviewItem
from desktop_app.ui.send.worker import SendJob

CONFIRM_WARNING = (
    "CONFIRM IS ON: the order is processed at once and charged to your wallet. "
    "Make sure your wallet holds enough."
)
LOUD_STYLE = (
    "QLabel { background: #b3261e; color: white; font-weight: bold; padding: 8px; "
    "border-radius: 4px; }"
)
WARN_STYLE = "QLabel { color: #b3261e; font-weight: bold; }"


class SendReviewDialog(QDialog):
    """Counts, provider, missing avatars and warnings for each order before it is sent.

    Orders with errors are shown but not sent; an order already sent (created,
    or with an unknown outcome), or the same as one above it, is sent only when
    its "send again" box is ticked.  Signals: QDialog's ``accepted`` / ``rejected``.
    """

    def __init__(
        self,
        items: list[ReviewItem],
        destination: str,
        practice: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendReviewDialog")
        self.setWindowTitle("Review before sending")
        self.items = items
        self.again_boxes: dict[int, QCheckBox] = {}

        layout = QVBoxLayout(self)
        if any(item.sendable and item.order.confirm for item in items) and not practice:
            self.confirm_warning: QLabel | None = plain_label(CONFIRM_WARNING)
            self.confirm_warning.setObjectName("confirmWarning")
            self.confirm_warning.setWordWrap(True)
            self.confirm_warning.setStyleSheet(LOUD_STYLE)
            layout.addWidget(self.confirm_warning)
        else:
            self.confirm_warning = None
        where = plain_label(
            f"Practice server at {destination}: nothing is bought."
            if practice
            else f"To {destination}: this spends money."
        )
        where.setObjectName("destination")
        where.setWordWrap(True)
        layout.addWidget(where)

        content = QWidget()
        column = QVBoxLayout(content)
        for index, item in enumerate(items):
            column.addWidget(self._item_box(index, item))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox()
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendButton")
        self.send_button.setAutoDefault(False)  # Enter must not spend money by accident
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_send_button()
        # As tall as the orders need (no empty well under a single order), up to a
        # limit: a scroll area's own size hint stops at a few hundred pixels.
        shown = scroll.sizeHint().height() - 2 * scroll.frameWidth()
        missing = max(0, content.sizeHint().height() - shown)
        self.resize(560, min(720, self.sizeHint().height() + missing))

    def _item_box(self, index: int, item: ReviewItem) -> QGroupBox:
        box = QGroupBox(item.label)
        form = QFormLayout(box)
        counts = item.request.counts if item.request else None
        domains = counts.domains if counts else len(item.order.domains)
        form.addRow("Domains:", plain_label(str(domains)))
        mailboxes = counts.mailboxes if counts else len(item.order.mailboxes)
        form.addRow("Mailboxes:", plain_label(str(mailboxes)))
        missing = item.missing_avatars
        none = "1 mailbox has none" if missing == 1 else f"{missing} mailboxes have none"
        avatars = plain_label(f"{item.order.avatar_count()}" + (f" ({none})" if missing else ""))
        form.addRow("Avatars:", avatars)
        form.addRow("Provider:", plain_label(item.order.provider.value))
        form.addRow("userId:", plain_label(item.order.user_id.strip() or "(empty)"))
        form.addRow("Warnings:", plain_label(str(item.warnings)))
        if item.order.confirm:
            form.addRow("Confirm:", plain_label("on: processed and charged at once"))
        if not item.sendable:
            noun, them = ("error", "it") if item.errors == 1 else ("errors", "them")
            blocked = plain_label(
                f"Has {item.errors} {noun}: it will not be sent. Fix {them} first."
            )
            blocked.setObjectName("blocked")
            blocked.setStyleSheet(WARN_STYLE)
            blocked.setWordWrap(True)
            form.addRow(blocked)
        elif item.earlier or item.same_as:
            if item.earlier:
                attempt = item.earlier[0]
                what = (
                    f"created order {attempt.order_id}"
                    if attempt.order_id
                    else "its outcome is unknown: check the CMR dashboard"
                )
                when = attempt.started.replace("T", " ").removesuffix("+00:00")
                text = f"This exact order was already sent on {when} UTC ({what})."
            else:
                text = f"This is the same order as {item.same_as}, above."
            note = plain_label(text)
            note.setObjectName("alreadySent")
            note.setStyleSheet(WARN_STYLE)
            note.setWordWrap(True)
            again = QCheckBox("Send it again anyway (a second order and a second charge)")
            again.setObjectName("sendAgain")
            again.toggled.connect(self._on_again_toggled)
            self.again_boxes[index] = again
            form.addRow(note)
            form.addRow(again)
        return box

    def _on_again_toggled(self, _checked: bool) -> None:
        self._update_send_button()

    def selected_jobs(self) -> list[SendJob]:
        """The orders the operator agreed to send, in review order."""
        jobs = []
        for index, item in enumerate(self.items):
            if item.request is None:
                continue
            box = self.again_boxes.get(index)
            if box is not None and not box.isChecked():
                continue
            jobs.append(SendJob(item.label, item.request, item.draft_path))
        return jobs

    def _update_send_button(self) -> None:
        count = len(self.selected_jobs())
        self.send_button.setEnabled(count > 0)
        self.send_button.setText("Send 1 order" if count <= 1 else f"Send {count} orders")
