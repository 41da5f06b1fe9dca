"""Settings → Mailboxes per domain: when the Problems pane warns about a crowded domain."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QSpinBox, QWidget

from desktop_app.order.model import PROVIDER_NAMES, Provider
from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST
from desktop_app.services.settings import (
    GOOGLE_MAILBOXES_PER_DOMAIN,
    MICROSOFT_MAILBOXES_PER_DOMAIN,
    Option,
    Settings,
    mailboxes_per_domain,
)
from desktop_app.ui.document import OrderDocument

SETTING_OF = {
    Provider.GOOGLE: GOOGLE_MAILBOXES_PER_DOMAIN,
    Provider.MICROSOFT: MICROSOFT_MAILBOXES_PER_DOMAIN,
}


class MailboxesPerDomainGroup(QGroupBox):
    """Each provider's mailboxes per domain, kept in the app's settings (not the draft).

    0 shows as "No limit".  The document's problems read the settings, and a
    change refreshes the Problems pane.  No signals of its own.
    """

    def __init__(
        self, document: OrderDocument, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__("Mailboxes per domain", parent)
        self.setObjectName("mailboxesPerDomain")
        self.document = document
        self.settings = settings
        document.problems.limits = lambda: mailboxes_per_domain(settings)
        self.boxes: dict[Provider, QSpinBox] = {}
        form = QFormLayout(self)
        # Labels beside short fields, wrapped above them only when the column is narrow:
        # the column must show the practice switch at 1280 × 800 without scrolling.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for provider, option in SETTING_OF.items():
            name = PROVIDER_NAMES[provider]
            box = QSpinBox()
            box.setRange(0, MAX_MAILBOXES_PER_REQUEST)
            box.setSpecialValueText("No limit")
            box.setValue(settings.get(option))
            box.setAccessibleName(f"{name} mailboxes per domain")
            box.lineEdit().setAccessibleName(f"{name} mailboxes per domain")
            box.setToolTip(
                f"The Problems pane warns when a domain has more {name} mailboxes than this. "
                "Kept in Order Desk's settings for every draft (order-desk settings)."
            )
            box.valueChanged.connect(lambda value, option=option: self._save(option, value))
            self.boxes[provider] = box
            form.addRow(f"{name}:", box)

    def _save(self, option: Option[int], value: int) -> None:
        self.settings.set(option, value)
        self.document.problems_changed.emit()
