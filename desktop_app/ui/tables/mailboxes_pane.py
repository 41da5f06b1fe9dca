"""The Mailboxes pane: who gets a mailbox on which domain."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QWidget

from desktop_app.order.model import Mailbox
from desktop_app.ui.tables.columns import MailboxColumn
from desktop_app.ui.tables.table_models import MailboxTableModel
from desktop_app.ui.tables.table_pane import TablePane
from desktop_app.ui.tables.table_view import DomainPickerDelegate


class MailboxesPane(TablePane):
    """The mailboxes table.

    Signals (besides :class:`TablePane`'s):
        generate_requested(): the "Generate…" button was pressed.
    """

    generate_requested = Signal()

    def __init__(self, model: MailboxTableModel, parent: QWidget | None = None) -> None:
        super().__init__(
            model,
            title="Mailboxes",
            noun="mailbox",
            placeholder="Add a mailbox, paste from a spreadsheet (Ctrl+V), "
            "or generate them from names.\n\n"
            "Columns: username, domain, first name, last name — or email, first name, last name.",
            plural="mailboxes",
            parent=parent,
        )
        self.mailbox_model = model
        self._domain_delegate = DomainPickerDelegate(model.domain_choices, self.view)
        self.view.setItemDelegateForColumn(int(MailboxColumn.DOMAIN), self._domain_delegate)
        self.view.setIconSize(QSize(20, 20))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(int(MailboxColumn.DOMAIN), QHeaderView.ResizeMode.Stretch)
        self.generate_button = QPushButton("Generate…")
        self.generate_button.setToolTip(
            "Make mailboxes from a list of names for the selected domains"
        )
        self.generate_button.clicked.connect(self.generate_requested)
        self.buttons.insertWidget(2, self.generate_button)

    def prepare_new(self, obj: Mailbox) -> None:
        """A new mailbox goes on the current row's domain, else the order's first."""
        current = self.view.currentIndex()
        if current.isValid():
            source = self.proxy.mapToSource(current)
            obj.domain = self.mailbox_model.object_at(source.row()).domain
        else:
            choices = self.mailbox_model.domain_choices()
            obj.domain = choices[0] if choices else ""
