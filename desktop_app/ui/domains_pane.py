"""The Domains pane: the domains to register, with their years and forwarding."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QWidget

from desktop_app.core.model import DomainEntry
from desktop_app.ui import table_edits
from desktop_app.ui.columns import DomainColumn
from desktop_app.ui.table_models import DomainTableModel
from desktop_app.ui.table_pane import TablePane
from desktop_app.ui.table_view import YearsDelegate


class DomainsPane(TablePane):
    """The domains table (signals as :class:`TablePane`)."""

    def __init__(self, model: DomainTableModel, parent: QWidget | None = None) -> None:
        super().__init__(
            model,
            title="Domains",
            noun="domain",
            placeholder="Add a domain or paste from a spreadsheet (Ctrl+V).\n\n"
            "Columns: domain, years, forward to, mask.",
            parent=parent,
        )
        self._years_delegate = YearsDelegate(self.view)
        self.view.setItemDelegateForColumn(int(DomainColumn.YEARS), self._years_delegate)
        self.view.horizontalHeader().setSectionResizeMode(
            int(DomainColumn.DOMAIN), QHeaderView.ResizeMode.Stretch
        )

    def prepare_new(self, obj: DomainEntry) -> None:
        obj.years = 1

    def selected_domains(self) -> list[DomainEntry]:
        """Domains with a selected cell, in view order."""
        return table_edits.selected_objects(self.view, self.model)
