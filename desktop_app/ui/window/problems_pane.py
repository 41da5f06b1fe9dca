"""The Problems pane: every problem of the order; double-click one to go to it."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.order.model import Order
from desktop_app.order.validation import Problem, Severity, Table
from desktop_app.ui.common.focus_ring import RingedTableView
from desktop_app.ui.common.keyboard import tab_leaves
from desktop_app.ui.common.plain_text import plain_label, plain_tooltip
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.tables import marks
from desktop_app.ui.tables.problem_index import count_by_severity
from desktop_app.ui.tables.problem_words import mailbox_of, where_text

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)


class ProblemColumn(enum.IntEnum):
    SEVERITY = 0
    WHERE = 1
    MESSAGE = 2


TITLES = {
    ProblemColumn.SEVERITY: "",
    ProblemColumn.WHERE: "Where",
    ProblemColumn.MESSAGE: "Problem",
}


class ProblemListModel(QAbstractTableModel):
    """A read-only list of problems, errors first (columns: :class:`ProblemColumn`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []
        self.order: Order | None = None

    def set_problems(self, problems: list[Problem], order: Order | None = None) -> None:
        """Show ``problems``, errors first; ``order`` gives the rows' addresses as typed."""
        self.beginResetModel()
        self.problems = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
        self.order = order
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ProblemColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == DISPLAY
            and 0 <= section < len(ProblemColumn)
        ):
            return TITLES[ProblemColumn(section)]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.problems):
            return None
        problem = self.problems[index.row()]
        column = index.column()
        if role == DISPLAY:
            if column == ProblemColumn.SEVERITY:
                return problem.severity.value.capitalize()
            if column == ProblemColumn.WHERE:
                return where_text(problem, self.order)
            return problem.message
        if role == Qt.ItemDataRole.DecorationRole and column == ProblemColumn.SEVERITY:
            return marks.icon(problem.severity)
        if role == Qt.ItemDataRole.ToolTipRole and column == ProblemColumn.MESSAGE:
            return plain_tooltip(problem.message)  # it quotes the draft's own text
        if role == Qt.ItemDataRole.ToolTipRole and column == ProblemColumn.WHERE:
            return plain_tooltip(where_tooltip(problem, self.order) or "") or None
        return None

    def problem_at(self, row: int) -> Problem | None:
        return self.problems[row] if 0 <= row < len(self.problems) else None


class ProblemsPane(QWidget):
    """All problems of the open draft, refreshed shortly after each edit.

    Signals:
        problem_activated(object): a Problem was double-clicked or chosen with Enter.
        summary_changed(str): e.g. "2 errors, 5 warnings", for tab titles and the status bar.
    """

    problem_activated = Signal(object)
    summary_changed = Signal(str)

    def __init__(self, document: OrderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPane")
        self.document = document
        self.model = ProblemListModel(self)
        self.all_problems: list[Problem] = []
        # Problems that are not the draft's (the environment's), listed first.
        self.extra_problems: Callable[[], list[Problem]] = list
        self._errors_shown = 0
        self.view = RingedTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Problems")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tab_leaves(self.view)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.resizeSection(ProblemColumn.SEVERITY, 96)
        header.resizeSection(ProblemColumn.WHERE, 230)
        header.setStretchLastSection(True)
        self.view.activated.connect(self._on_view_activated)
        self.show_warnings = QCheckBox("Show &warnings")
        self.show_warnings.setChecked(True)
        self.show_warnings.toggled.connect(self.refresh)
        self.summary = plain_label()
        self.empty = QLabel("No problems: the order is ready to send.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_warnings)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        document.problems_changed.connect(self.refresh)
        self.refresh()

    def set_extra_problems(self, source: Callable[[], list[Problem]]) -> None:
        """Problems from outside the draft (what the environment needs), listed first."""
        self.extra_problems = source
        self.refresh()

    def refresh(self) -> None:
        self.all_problems = self.extra_problems() + self.document.problems.all_problems()
        errors, warnings = count_by_severity(self.all_problems)
        shown = (
            self.all_problems
            if self.show_warnings.isChecked()
            else [p for p in self.all_problems if p.severity is Severity.ERROR]
        )
        self.model.set_problems(shown, self.document.order)
        if errors != self._errors_shown:
            # A new error (or one fixed) brings the list back to the first error:
            # errors come first, so that is the top row.
            self._errors_shown = errors
            if errors and shown:
                self.view.scrollToTop()
        text = summary_text(errors, warnings)
        self.summary.setText(text if errors or warnings else "")
        self.view.setVisible(bool(shown))
        self.empty.setVisible(not shown)
        if not shown and warnings:
            self.empty.setText(f"No errors. {marks.count(warnings, 'warning')} hidden.")
        elif not shown:
            self.empty.setText("No problems: the order is ready to send.")
        self.summary_changed.emit(text)

    def counts(self) -> tuple[int, int]:
        return count_by_severity(self.all_problems)

    def _on_view_activated(self, index: QModelIndex) -> None:
        problem = self.model.problem_at(index.row())
        if problem is not None:
            self.problem_activated.emit(problem)


def summary_text(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return "No problems"
    return f"{marks.count(errors, 'error')}, {marks.count(warnings, 'warning')}"


def where_tooltip(problem: Problem, order: Order | None = None) -> str:
    """The address a picture is sent under, when it differs from the one typed."""
    if problem.table is not Table.AVATARS:
        return ""
    typed = mailbox_of(problem, order)
    _user, _, domain = typed.rpartition("@")
    note = marks.punycode_note(domain)
    return f"{typed}\n{note}" if note else ""
