"""The mailbox generator dialog: names and patterns in, mailboxes for chosen domains out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.order import generator
from desktop_app.order.model import Mailbox
from desktop_app.ui.common.keyboard import give_mnemonics, tab_leaves_text
from desktop_app.ui.common.plain_text import plain_label, plain_tooltip
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.commands import InsertRowsCommand

if TYPE_CHECKING:
    from desktop_app.ui.tables.domains_pane import DomainsPane

DEFAULT_PATTERNS = ("first", "first.last", "flast")
PREVIEW_COUNT = 4  # usernames shown before Add Mailboxes


class GeneratorDialog(QDialog):
    """Ask for names, a number per domain and patterns; add the mailboxes as one undo step.

    ``domains`` are the order's domains, ``selected`` those selected in the
    Domains table: every domain is filled unless the operator chooses
    "Selected domains" here (remembered for the draft).  The preview line says
    how many mailboxes Add Mailboxes will add, and shows the first of them.
    """

    def __init__(
        self,
        document: OrderDocument,
        domains: list[str],
        selected: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Generate Mailboxes")
        self.document = document
        self.all_domains = domains
        self.selected_domains = selected or []
        self.domains = domains
        self.outcome = ""
        self.for_all = QRadioButton(f"A&ll domains ({len(domains):,})")
        self.for_selected = QRadioButton(f"Selected &domains ({len(self.selected_domains):,})")
        self.for_selected.setEnabled(bool(self.selected_domains))
        if not self.selected_domains:
            self.for_selected.setToolTip("Select domains in the Domains table first")
        remembered = bool(self.selected_domains) and document.generate_for_selected
        (self.for_selected if remembered else self.for_all).setChecked(True)
        self.names = QPlainTextEdit()
        self.names.setAccessibleName("Names")
        tab_leaves_text(self.names)
        self.names.setPlaceholderText(
            "One person per line: First Last\n(or paste two columns from a spreadsheet)"
        )
        self.names.textChanged.connect(self._update_preview)
        self.per_domain = QSpinBox()
        self.per_domain.setRange(1, generator.MAX_PER_DOMAIN)
        self.per_domain.setValue(3)
        self.per_domain.setAccessibleName("Mailboxes per domain")
        self.per_domain.lineEdit().setAccessibleName("Mailboxes per domain")
        self.per_domain.setMaximumWidth(120)
        self.per_domain.valueChanged.connect(self._update_preview)
        self.pattern_boxes: dict[str, QCheckBox] = {}
        patterns = QGridLayout()
        for number, pattern in enumerate(generator.PATTERNS):
            box = QCheckBox(f"{pattern}  ({generator.PATTERN_EXAMPLES[pattern]})")
            box.setChecked(pattern in DEFAULT_PATTERNS)
            box.toggled.connect(self._update_preview)
            self.pattern_boxes[pattern] = box
            patterns.addWidget(box, number // 2, number % 2)
        # The draft's domains and names, shown as the characters they are.
        self.target = plain_label(word_wrap=True)
        self.preview = plain_label(word_wrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add Mailboxes")
        give_mnemonics(self.buttons.buttons())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        scope = QHBoxLayout()
        scope.addWidget(self.for_all)
        scope.addWidget(self.for_selected)
        scope.addStretch(1)
        form = QFormLayout()
        form.addRow("Fill:", scope)
        form.addRow("Names:", self.names)
        form.addRow("Per domain:", self.per_domain)
        form.addRow("Patterns:", patterns)
        layout = QVBoxLayout(self)
        layout.addWidget(self.target)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.resize(520, 440)
        self._show_target()
        self.for_selected.toggled.connect(self._on_for_selected_toggled)
        # Typing starts in Names: the operator came to type names, and a stray arrow key on
        # the Fill choice would quietly change which domains are filled.
        self.setFocusProxy(self.names)
        self.names.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_for_selected_toggled(self, on: bool) -> None:
        self.document.generate_for_selected = on
        self._show_target()

    def _show_target(self) -> None:
        domains = self.selected_domains if self.for_selected.isChecked() else self.all_domains
        self.domains = domains
        shown = ", ".join(domains[:4]) + (
            f" and {len(domains) - 4:,} more" if len(domains) > 4 else ""
        )
        self.target.setText(f"Fills {marks.count(len(domains), 'domain')}: {shown}")
        more = "\n…" if len(domains) > 40 else ""
        self.target.setToolTip(plain_tooltip("\n".join(domains[:40]) + more))
        self._update_preview()

    def chosen_patterns(self) -> list[str]:
        return [p for p, box in self.pattern_boxes.items() if box.isChecked()]

    def result_mailboxes(self, domains: int | None = None) -> generator.Generated:
        """What Add Mailboxes makes (for the first ``domains`` domains only, when given)."""
        people = generator.parse_people(self.names.toPlainText())
        return generator.generate(
            people,
            self.domains if domains is None else self.domains[:domains],
            self.per_domain.value(),
            self.chosen_patterns(),
            self.document.order.mailboxes,
        )

    def _update_preview(self) -> None:
        people = generator.parse_people(self.names.toPlainText())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not self.domains:
            self.preview.setText("Add or select domains first.")
            ok.setEnabled(False)
            return
        if not people or not self.chosen_patterns():
            self.preview.setText("Type or paste at least one name and choose a pattern.")
            ok.setEnabled(False)
            return
        wanted = self.per_domain.value() * len(self.domains)
        # Only as many domains as the preview needs: a big run is not made per keystroke.
        needed = -(-PREVIEW_COUNT // self.per_domain.value())
        first = self.result_mailboxes(needed).mailboxes[:PREVIEW_COUNT]
        self.preview.setText(
            f"Adds up to {marks.count(wanted, 'mailbox', 'mailboxes')} "
            f"from {marks.count(len(people), 'name')}. First: "
            + ", ".join(m.email for m in first)
            + ("…" if wanted > len(first) else "")
        )
        ok.setEnabled(True)

    def accept(self) -> None:
        result = self.result_mailboxes()
        add(self.document, result.mailboxes)
        self.outcome = outcome_text(result)
        super().accept()


def domain_choices(pane: DomainsPane) -> tuple[list[str], list[str]]:
    """The order's domains, and those with a selected cell in the Domains table (no repeats)."""
    every = [e.domain.strip() for e in pane.model.items() if e.domain.strip()]
    selected = [e.domain.strip() for e in pane.selected_domains() if e.domain.strip()]
    return list(dict.fromkeys(every)), list(dict.fromkeys(selected))


def add(document: OrderDocument, mailboxes: list[Mailbox]) -> None:
    if mailboxes:
        count = len(mailboxes)
        document.push(
            InsertRowsCommand(document.mailboxes, mailboxes, f"Generate {count:,} mailboxes")
        )


def outcome_text(result: generator.Generated) -> str:
    text = f"Added {marks.count(len(result.mailboxes), 'mailbox', 'mailboxes')}."
    if result.short:
        names = ", ".join(list(result.short)[:3])
        short = marks.count(len(result.short), "domain")
        text += f" {short} got fewer than asked (not enough usable names): {names}."
    return text
