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
from desktop_app.order.order_fields import BY_ATTRIBUTE, OrderField
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
        self.name = self._text_field(BY_ATTRIBUTE["name"], "For you; not sent")
        self.name.setAccessibleName("Order name")
        self.user_id = self._text_field(BY_ATTRIBUTE["user_id"], "CMR user the order is for")
        # A plain label: there is nothing to choose, so it must not look like a field.
        self.billing = QLabel(BILLING_CYCLE.capitalize())
        self.billing.setObjectName("billingCycle")
        self.billing.setAccessibleName("Billing cycle")
        self.billing.setToolTip(f"Monthly is the only billing cycle CMR takes ({BILLING_CYCLE}).")
        self.auto_renew = self._switch(BY_ATTRIBUTE["auto_renew"])
        self.confirm = self._switch(BY_ATTRIBUTE["confirm"])
        self.confirm_note = QLabel()
        self.confirm_note.setWordWrap(True)
        self.confirm_note.setAccessibleName("What processing at once means")

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Compact: at 1280×800 the API key box below must show without scrolling.
        form.setVerticalSpacing(3)
        form.setContentsMargins(6, 4, 6, 4)
        form.addRow(f"{BY_ATTRIBUTE['name'].name}:", self.name)
        form.addRow(f"{BY_ATTRIBUTE['user_id'].name}:", self.user_id)
        form.addRow("Billing:", self.billing)
        form.addRow("", self.auto_renew)
        form.addRow("", self.confirm)
        form.addRow("", self.confirm_note)
        document.fields_changed.connect(self.refresh)
        self.refresh()

    def _text_field(self, spec: OrderField, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        show_start_when_idle(field)
        field.setAccessibleName(spec.name)
        field.setPlaceholderText(placeholder)
        field.setToolTip(spec.hint)
        field.textEdited.connect(
            lambda text: self.document.set_field(spec.attribute, spec.clean(text))
        )
        return field

    def _switch(self, spec: OrderField) -> QCheckBox:
        box = QCheckBox(spec.name)
        box.setToolTip(spec.hint)
        box.toggled.connect(lambda on: self.document.set_field(spec.attribute, on))
        return box

    def focus_field(self, column: str) -> bool:
        """Put the cursor in the field a problem names (``userId``, ``name``)."""
        fields = {
            BY_ATTRIBUTE["name"].column: self.name,
            BY_ATTRIBUTE["user_id"].column: self.user_id,
        }
        field = fields.get(column)
        if field is None:
            return False
        field.setFocus()
        field.selectAll()
        return True

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
