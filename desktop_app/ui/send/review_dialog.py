"""The review before sending: what will be bought, where it goes, what repeats, loud warnings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.order.model import PROVIDER_NAMES
from desktop_app.services.environments import Environment
from desktop_app.services.send_flow import Choice, Job, Plan, split_summary
from desktop_app.ui.common.keyboard import give_mnemonics
from desktop_app.ui.common.plain_text import plain_label
from desktop_app.ui.send.review_contents import domain_lines, domains_table, warning_lines
from desktop_app.ui.tables.marks import count

CONFIRM_WARNING = (
    "Process at once is on: the wallet is charged when the order is created. "
    "Make sure your wallet holds enough."
)
LOUD_STYLE = (
    "QLabel { background: #b3261e; color: white; font-weight: bold; padding: 8px; "
    "border-radius: 4px; }"
)
WARN_STYLE = "QLabel { color: #b3261e; font-weight: bold; }"


def plain(text: str, name: str = "") -> QLabel:
    """A wrapped label that shows ``text`` as it is, never as rich text, whoever wrote it."""
    return plain_label(text, word_wrap=True, object_name=name)


def _show_row(scroll: QScrollArea, table: QTableWidget, row: int) -> None:
    """Scroll the review so ``row`` of ``table`` is in view (as far as the review can)."""
    widget = scroll.widget()
    if row < 0 or widget is None:
        return
    cell = table.visualRect(table.model().index(row, 0))
    middle = table.viewport().mapTo(widget, cell.center())
    scroll.ensureVisible(middle.x(), middle.y(), 0, cell.height())


class SendReviewDialog(QDialog):
    """Counts, provider, missing pictures, repeats and warnings of each draft before it is sent.

    Drafts with errors are shown but not sent.  A draft of which History shows
    something as already ordered (or maybe ordered) is sent only after the
    operator chooses: leave out what was ordered, or send it all again anyway.
    ``notice`` is said at the top (why the review is shown again).
    Signals: QDialog's ``accepted`` / ``rejected``.
    """

    def __init__(
        self,
        plans: list[Plan],
        destination: str,
        practice: bool,
        parent: QWidget | None = None,
        notice: str = "",
        environment: Environment | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendReviewDialog")
        self.setWindowTitle("Review before sending")
        self.plans = plans
        self.choices: dict[int, QButtonGroup] = {}
        self.again_buttons: dict[int, QRadioButton] = {}
        self.leave_out_buttons: dict[int, QRadioButton] = {}

        layout = QVBoxLayout(self)
        if notice:
            layout.addWidget(plain(notice, "notice"))
        self.confirm_warning: QLabel | None = None
        if any(p.sendable and p.order.confirm for p in plans) and not practice:
            self.confirm_warning = plain(CONFIRM_WARNING, "confirmWarning")
            self.confirm_warning.setStyleSheet(LOUD_STYLE)
            layout.addWidget(self.confirm_warning)
        environment = environment or (Environment.PRACTICE if practice else Environment.PRODUCTION)
        from desktop_app.order.names import printable

        self.environment = environment
        # One line: which environment, what it costs, and the address (the draft's
        # settings or a server may have put markup or control characters in it: plain
        # text, escaped).
        self.environment_label = plain(
            f"{environment.describe()} Orders go to {printable(destination)}", "destination"
        )
        if environment.spends_money:
            self.environment_label.setStyleSheet(LOUD_STYLE)
        layout.addWidget(self.environment_label)

        content = QWidget()
        column = QVBoxLayout(content)
        for index, item in enumerate(plans):
            column.addWidget(self._plan_box(index, item))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("reviewScroll")
        scroll.setAccessibleName("What will be sent")
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)
        # The arrow keys in a domains table bring its current row into the review's view.
        for table in content.findChildren(QTableWidget, "reviewDomains"):
            table.currentCellChanged.connect(
                lambda row, _c, _r, _p, table=table: _show_row(scroll, table, row)
            )

        self.buttons = QDialogButtonBox()
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendButton")
        self.send_button.setAutoDefault(False)  # Enter must not spend money by accident
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        cancel.setText("&Cancel")
        cancel.setDefault(True)
        self.cancel_button = cancel
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_send_button()
        # As tall as the drafts need (no empty well under a single one), up to a
        # limit: a scroll area's own size hint stops at a few hundred pixels.
        shown = scroll.sizeHint().height() - 2 * scroll.frameWidth()
        missing = max(0, content.sizeHint().height() - shown)
        from PySide6.QtCore import QSize

        from desktop_app.ui.common.window_fit import fitting_size

        # Never taller than the screen (1366 × 768 at 150 % leaves ~470 px): the choice and
        # the buttons stay in view, and what is listed scrolls.
        wanted = QSize(580, min(720, self.sizeHint().height() + missing))
        self.resize(fitting_size(self, wanted))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            # The safe button has the focus first: a stray Space or Enter cancels.
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _plan_box(self, index: int, item: Plan) -> QGroupBox:
        box = QGroupBox(item.label)
        form = QFormLayout(box)
        order = item.order
        form.addRow("Domains:", plain(f"{len(order.domains):,}"))
        form.addRow("Mailboxes:", plain(f"{len(order.mailboxes):,}"))
        missing = item.missing_avatars
        none = "1 mailbox has none" if missing == 1 else f"{missing:,} mailboxes have none"
        form.addRow(
            "Pictures:", plain(f"{order.avatar_count():,}" + (f" ({none})" if missing else ""))
        )
        form.addRow("Provider:", plain(PROVIDER_NAMES[order.provider]))
        form.addRow("User ID:", plain(order.user_id.strip() or "(none)"))
        warnings = warning_lines(item)
        if warnings:
            shown = plain("\n".join(warnings), "warnings")
            shown.setAccessibleName("Warnings")
            form.addRow(f"Warnings ({item.warnings:,}):", shown)
        else:
            form.addRow("Warnings:", plain("none"))
        lines = domain_lines(item)
        if lines:
            form.addRow(domains_table(lines, split=len(item.parts) > 1))
        if order.confirm:
            form.addRow("Process at once:", plain("on: processed and charged when created"))
        split = split_summary(item.parts)
        if split:
            form.addRow(plain(split, "splitSummary"))
        if not item.sendable:
            blocked = plain(item.blocked + " Fix it first.", "blocked")
            blocked.setStyleSheet(WARN_STYLE)
            form.addRow(blocked)
        elif item.repeats:
            self._repeat_rows(form, index, item)
        return box

    def _repeat_rows(self, form: QFormLayout, index: int, item: Plan) -> None:
        heading = plain(
            "History shows some of this as already ordered at this address for this user ID:",
            "alreadySent",
        )
        heading.setStyleSheet(WARN_STYLE)
        form.addRow(heading)
        form.addRow(plain("\n".join(item.repeat_lines()), "repeats"))
        group = QButtonGroup(self)
        group.setExclusive(True)
        if item.remaining:
            mailboxes = sum(r.counts.mailboxes for r in item.remaining)
            domains = sum(r.counts.domains for r in item.remaining)
            rest = f"{count(domains, 'domain')}, {count(mailboxes, 'mailbox', 'mailboxes')}"
            leave_out = QRadioButton(f"Leave out what was ordered: send the rest ({rest})")
            leave_out.setObjectName("leaveOut")
            group.addButton(leave_out)
            self.leave_out_buttons[index] = leave_out
            form.addRow(leave_out)
        again = QRadioButton("Send it all again anyway (a second order and a second charge)")
        again.setObjectName("sendAgain")
        group.addButton(again)
        self.again_buttons[index] = again
        form.addRow(again)
        give_mnemonics(group.buttons(), taken="sc")  # Send and Cancel have S and C
        group.buttonToggled.connect(self._on_choice_toggled)
        self.choices[index] = group

    def _on_choice_toggled(self, *_args: object) -> None:
        self._update_send_button()

    def choice_for(self, index: int) -> Choice | None:
        item = self.plans[index]
        if not item.sendable:
            return None
        if not item.repeats:
            return Choice.SEND
        if self.again_buttons[index].isChecked():
            return Choice.AGAIN
        leave_out = self.leave_out_buttons.get(index)
        if leave_out is not None and leave_out.isChecked():
            return Choice.LEAVE_OUT
        return None

    def selected_jobs(self) -> list[Job]:
        """What the operator agreed to send, in review order."""
        jobs = []
        for index, item in enumerate(self.plans):
            choice = self.choice_for(index)
            if choice is not None and item.requests_for(choice):
                jobs.append(Job(item, choice))
        return jobs

    def _update_send_button(self) -> None:
        count = sum(len(job.requests) for job in self.selected_jobs())
        self.send_button.setEnabled(count > 0)
        text = {0: "Send", 1: "Send 1 order"}.get(count, f"Send {count:,} orders")
        self.send_button.setText(f"&{text}")
        where = self.environment.label
        self.send_button.setAccessibleName(f"{text} to {where}" if count else "Send")
