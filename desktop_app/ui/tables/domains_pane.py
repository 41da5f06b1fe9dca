"""The Domains pane: the domains to register, with their years and forwarding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHeaderView, QWidget

from desktop_app.order.model import DomainEntry, Mailbox
from desktop_app.order.names import comparable_domain
from desktop_app.ui.common.keyboard import give_mnemonics
from desktop_app.ui.tables import marks, table_edits
from desktop_app.ui.tables.columns import DomainColumn
from desktop_app.ui.tables.commands import RemoveStep, StepsCommand
from desktop_app.ui.tables.table_models import DomainTableModel
from desktop_app.ui.tables.table_pane import TablePane
from desktop_app.ui.tables.table_view import YearsDelegate

# What to do with the mailboxes of domains being removed.
REMOVE_MAILBOXES, KEEP_MAILBOXES, CANCEL = "remove", "keep", "cancel"


class DomainsPane(TablePane):
    """The domains table (signals as :class:`TablePane`).

    ``ask_about_mailboxes(domains, mailboxes)`` decides what happens to the
    mailboxes of domains being removed (:data:`REMOVE_MAILBOXES`,
    :data:`KEEP_MAILBOXES` or :data:`CANCEL`); by default it asks with a message box.
    """

    def __init__(self, model: DomainTableModel, parent: QWidget | None = None) -> None:
        super().__init__(
            model,
            title="Domains",
            noun="domain",
            placeholder="Add a domain or paste from a spreadsheet (Ctrl+V).\n\n"
            "Columns: domain, years, forward to, mask.",
            parent=parent,
        )
        self.ask_about_mailboxes: Callable[[int, int], str] = self._ask_about_mailboxes
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

    def remove_objects(self, objects: list[Any]) -> None:
        """Remove domains; when they still have mailboxes, ask whether those go too."""
        mailboxes = self._mailboxes_on(objects)
        choice = self.ask_about_mailboxes(len(objects), len(mailboxes)) if mailboxes else ""
        if choice == CANCEL:
            self.message.emit("Nothing removed.")
            return
        if choice != REMOVE_MAILBOXES:
            super().remove_objects(objects)
            return
        domains = marks.count(len(objects), "domain")
        boxes = marks.count(len(mailboxes), "mailbox", "mailboxes")
        mailbox_model = self.model.document.mailboxes
        command = StepsCommand(
            f"Remove {domains} and {boxes}",
            [RemoveStep(mailbox_model, mailboxes), RemoveStep(self.model, objects)],
        )
        self.model.document.push(command)
        self.message.emit(f"Removed {domains} and their {boxes}; Undo with Ctrl+Z.")

    def _mailboxes_on(self, domains: list[DomainEntry]) -> list[Mailbox]:
        removed = {comparable_domain(d.domain) for d in domains if d.domain.strip()}
        # Another row may hold the same domain: its mailboxes still have a home.
        kept = {
            comparable_domain(d.domain)
            for d in self.model.document.order.domains
            if all(d is not r for r in domains)
        }
        gone = removed - kept
        return [
            m for m in self.model.document.order.mailboxes if comparable_domain(m.domain) in gone
        ]

    def _ask_about_mailboxes(self, domains: int, mailboxes: int) -> str:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self.window())
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Remove Their Mailboxes Too?")
        which = "This domain has" if domains == 1 else "These domains have"
        box.setText(f"{which} {marks.count(mailboxes, 'mailbox', 'mailboxes')}.")
        box.setInformativeText(
            "Remove the mailboxes with the domains, or keep them? Kept mailboxes stay in "
            "the order, for a domain already in your CMR account."
        )
        remove = box.addButton("Remove &Mailboxes Too", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep Mailboxes", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        give_mnemonics(box.buttons())
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is remove:
            return REMOVE_MAILBOXES
        return KEEP_MAILBOXES if clicked is keep else CANCEL
