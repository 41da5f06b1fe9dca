"""The Provider pane: Google or Microsoft mailboxes, and their OAuth settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.order.model import PROVIDER_NAMES, Provider
from desktop_app.order.order_fields import BY_ATTRIBUTE, GOOGLE_ATTRIBUTES
from desktop_app.ui.common.keyboard import show_start_when_idle
from desktop_app.ui.document import OrderDocument, field_value
from desktop_app.ui.tables.marks import FieldMark

FIELDS = (*GOOGLE_ATTRIBUTES, "microsoft_oauth_route")  # the provider's fields, in order
PLACEHOLDERS = {
    "google.oauth_route": "https://…",
    "google.client_id": "digits, or 1234-abc.apps.googleusercontent.com",
    "microsoft_oauth_route": "https://…",
}


class ProviderPane(QGroupBox):
    """Which mailboxes the order buys, and the OAuth fields of that provider.

    Only the chosen provider's fields are enabled.  Edits are undo steps on the
    document; problems show as an icon in the field (no signals of its own).
    """

    def __init__(self, document: OrderDocument, parent: QWidget | None = None) -> None:
        super().__init__("Provider", parent)
        self.setObjectName("providerPane")
        self.document = document
        self.google = QRadioButton(f"&{PROVIDER_NAMES[Provider.GOOGLE]}")
        self.microsoft = QRadioButton(f"&{PROVIDER_NAMES[Provider.MICROSOFT]}")
        self.google.setToolTip("Google Workspace mailboxes (the API's serviceProvider GOOGLE)")
        self.microsoft.setToolTip("Microsoft 365 mailboxes (the API's serviceProvider MICROSOFT)")
        self.group = QButtonGroup(self)
        self.group.addButton(self.google)
        self.group.addButton(self.microsoft)
        self.google.toggled.connect(self._on_google_toggled)
        # One above the other: side by side, the full names would widen the settings column.
        choice = QVBoxLayout()
        choice.setSpacing(0)
        choice.addWidget(self.google)
        choice.addWidget(self.microsoft)

        self.fields: dict[str, QLineEdit] = {}
        self.field_marks: dict[str, FieldMark] = {}
        form = QFormLayout(self)
        # Labels above their fields: the settings column stays narrow and nothing is clipped.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(choice)
        for name in FIELDS:
            spec = BY_ATTRIBUTE[name]
            field = QLineEdit()
            show_start_when_idle(field)
            field.setAccessibleName(spec.name)
            field.setPlaceholderText(PLACEHOLDERS.get(name, ""))
            field.textEdited.connect(
                lambda text, spec=spec: self.document.set_field(spec.attribute, spec.clean(text))
            )
            self.fields[name] = field
            self.field_marks[name] = FieldMark(field, spec.hint)
            form.addRow(f"{spec.name}:", field)
            if name == "google.app_name":
                note = QLabel("Fill all three Google fields, or leave them all blank.")
                note.setWordWrap(True)
                form.addRow(note)
        document.fields_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        order = self.document.order
        is_google = order.provider is Provider.GOOGLE
        (self.google if is_google else self.microsoft).setChecked(True)
        for name, field in self.fields.items():
            value = str(field_value(order, name))
            if field.text() != value:
                field.setText(value)
            field.setEnabled(is_google == (name in GOOGLE_ATTRIBUTES))
        problems = self.document.problems.settings_problems()
        for name in FIELDS:
            column = BY_ATTRIBUTE[name].column
            self.field_marks[name].show([p for p in problems if p.column == column])

    def focus_field(self, api_field: str) -> bool:
        """Put the cursor in the field a problem names (``google.clientId`` …)."""
        for name in FIELDS:
            if BY_ATTRIBUTE[name].column == api_field:
                field = self.fields[name]
                if not field.isEnabled():
                    return False
                field.setFocus()
                field.selectAll()
                return True
        return False

    def _on_google_toggled(self, checked: bool) -> None:
        provider = Provider.GOOGLE if checked else Provider.MICROSOFT
        if self.document.order.provider is not provider:
            self.document.set_field("provider", provider)
