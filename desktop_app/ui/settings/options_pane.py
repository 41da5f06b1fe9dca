"""The Order options pane: name, user ID, billing, renewal, and whether to process at once."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.order.model import BILLING_CYCLE
from desktop_app.ui.common.keyboard import show_start_when_idle
from desktop_app.ui.document import OrderDocument

CONFIRM_WARNING = "Charges your CMR wallet as soon as the order is sent."
CONFIRM_OFF = "Created unprocessed: you process it later with its order ID."


class OptionsPane(QGroupBox):
    """The order's options; edits are undo steps on the document (no signals of its own)."""

    def __init__(self, document: OrderDocument, parent: QWidget | None = None) -> None:
        super().__init__("Order", parent)
        self.setObjectName("optionsPane")
        self.document = document
        self.name = QLineEdit()
        show_start_when_idle(self.name)
        self.name.setAccessibleName("Order name")
        self.name.setPlaceholderText("For you; not sent")
        self.name.textEdited.connect(lambda text: document.set_setting("name", text))
        self.user_id = QLineEdit()
        show_start_when_idle(self.user_id)
        self.user_id.setAccessibleName("User ID")
        self.user_id.setPlaceholderText("CMR user the order is for")
        self.user_id.setToolTip("The CMR user the order is for (sent as userId).")
        self.user_id.textEdited.connect(lambda text: document.set_setting("user_id", text.strip()))
        # A plain label: there is nothing to choose, so it must not look like a field.
        self.billing = QLabel(BILLING_CYCLE.capitalize())
        self.billing.setObjectName("billingCycle")
        self.billing.setAccessibleName("Billing cycle")
        self.billing.setToolTip(f"Monthly is the only billing cycle CMR takes ({BILLING_CYCLE}).")
        self.auto_renew = QCheckBox("Renew automatically")
        self.auto_renew.setToolTip("Renew each month when the term ends (sent as autoRenew).")
        self.auto_renew.toggled.connect(lambda on: document.set_setting("auto_renew", on))
        self.confirm = QCheckBox("Process at once")
        self.confirm.setToolTip(
            "Process the order when it is created, charging the wallet (sent as confirm)."
        )
        self.confirm.toggled.connect(lambda on: document.set_setting("confirm", on))
        self.confirm_note = QLabel()
        self.confirm_note.setWordWrap(True)
        self.confirm_note.setAccessibleName("What processing at once means")

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Compact: at 1280×800 the API key box below must show without scrolling.
        form.setVerticalSpacing(3)
        form.setContentsMargins(6, 4, 6, 4)
        form.addRow("Name:", self.name)
        form.addRow("User ID:", self.user_id)
        form.addRow("Billing:", self.billing)
        form.addRow("", self.auto_renew)
        form.addRow("", self.confirm)
        form.addRow("", self.confirm_note)
        document.settings_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        order = self.document.order
        for field, value in ((self.name, order.name), (self.user_id, order.user_id)):
            if field.text() != value:
                field.setText(value)
        for box, on in ((self.auto_renew, order.auto_renew), (self.confirm, order.confirm)):
            if box.isChecked() != on:
                box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(False)
        # When on, the window's banner says what it costs, in full; the note
        # would repeat it and push the API key box below the fold.
        self.confirm_note.setVisible(not order.confirm)
        self.confirm_note.setText(CONFIRM_WARNING if order.confirm else CONFIRM_OFF)
        font = QFont(self.confirm_note.font())
        font.setBold(order.confirm)
        self.confirm_note.setFont(font)
