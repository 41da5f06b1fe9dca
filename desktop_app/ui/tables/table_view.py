"""The table widget pieces: a filter/sort proxy, a view with an empty state, and editors.

The editors' widget classes are imported when an editor is first opened (see
:mod:`desktop_app.ui` on start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyledItemDelegate,
    QWidget,
)

from desktop_app.order.validation import MAX_YEARS
from desktop_app.ui.common.focus_ring import RingedTableView
from desktop_app.ui.common.keyboard import tab_leaves
from desktop_app.ui.common.pyside_fixes import keep_viewport
from desktop_app.ui.tables.columns import Role

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

AnyIndex = QModelIndex | QPersistentModelIndex
EDIT = Qt.ItemDataRole.EditRole


class SearchableRows(Protocol):
    """What the proxy asks of its source beyond Qt's model: the domain and mailbox models."""

    generation: int  # changes whenever the rows do, so cached sort keys go stale

    def sort_keys(self, column: int) -> list[Any]: ...

    def search_text(self, row: int) -> str: ...


class RowFilterProxy(QSortFilterProxyModel):
    """Sorts by ``Role.SORT`` and keeps the rows whose text holds every typed word.

    The source model provides ``search_text(row)``: one lowercase string per row,
    asked once per change of the rows; each change of the words tests them all
    in one pass, and Qt's per-row question is then a look-up.
    """

    def __init__(self, source: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._rows: SearchableRows = source
        self.setSortRole(int(Role.SORT))
        self.setDynamicSortFilter(True)
        self._words: list[str] = []
        self._extra: Callable[[int], bool] | None = None
        self._keys: list[Any] = []
        self._keys_for: tuple[int, int] | None = None
        self._texts: list[str] = []
        self._texts_for: int | None = None
        self._matches: list[bool] = []
        self._matches_for: int | None = None  # the rows' generation the matches are of

    def set_filter_text(self, text: str) -> None:
        words = text.lower().split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self._matches_for = None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_extra_filter(self, accepts: Callable[[int], bool] | None) -> None:
        """An additional test on source rows (None: none)."""
        self.beginFilterChange()
        self._extra = accepts
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_filtering(self) -> bool:
        return bool(self._words) or self._extra is not None

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        # Sorting 5,000 rows asks this ~60,000 times: compare precomputed keys
        # rather than asking the model for two values each time.
        wanted = (self._rows.generation, left.column())
        if self._keys_for != wanted:
            self._keys = self._rows.sort_keys(left.column())
            self._keys_for = wanted
        return bool(self._keys[left.row()] < self._keys[right.row()])

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._extra is not None and not self._extra(source_row):
            return False
        if not self._words:
            return True
        # Qt asks once per row: the answers for all rows are computed in one pass
        # whenever the words or the rows (their generation) have changed.
        if self._matches_for != self._rows.generation:
            self._match_all()
        if source_row < len(self._matches):
            return self._matches[source_row]
        text = self._rows.search_text(source_row)  # a row the pass has not seen
        return all(word in text for word in self._words)

    def _match_all(self) -> None:
        generation = self._rows.generation
        if self._texts_for != generation:
            count = self.sourceModel().rowCount()
            self._texts = [self._rows.search_text(row) for row in range(count)]
            self._texts_for = generation
        words = self._words
        if len(words) == 1:
            word = words[0]
            self._matches = [word in text for text in self._texts]
        else:
            self._matches = [all(w in text for w in words) for text in self._texts]
        self._matches_for = generation


Hint = QAbstractItemDelegate.EndEditHint
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class OrderTableView(RingedTableView):
    """A spreadsheet-like table view that says what to do when it is empty.

    Keys (see :mod:`desktop_app.ui.common.keyboard`): arrows move between cells,
    Enter moves down and Shift+Enter up (ending an edit too); Tab and Shift+Tab
    leave the table, also from an open editor, after keeping what was typed.
    """

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._viewport = keep_viewport(self)
        self._placeholder = placeholder
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        # Rows stay in the order typed until a header is clicked; a third click unsorts.
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        tab_leaves(self)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        rows = self.verticalHeader()
        # Fixed row heights: a 5,000-row table never measures its rows.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        editing = self.state() == QAbstractItemView.State.EditingState
        if (
            not editing
            and event.key() in _ENTER
            and modifiers
            in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.ShiftModifier,
            )
        ):
            self.move_down(up=modifiers == Qt.KeyboardModifier.ShiftModifier)
            event.accept()
            return
        super().keyPressEvent(event)

    def move_down(self, up: bool = False) -> None:
        """Make the cell below (or above) the current one current, as Enter does."""
        current = self.currentIndex()
        model = self.model()
        if not current.isValid() or model is None:
            return
        row = current.row() + (-1 if up else 1)
        if 0 <= row < model.rowCount():
            self.setCurrentIndex(model.index(row, current.column()))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # The delegate has kept what was typed by now (commitData comes first).
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            super().closeEditor(editor, Hint.NoHint)
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            self.focusNextPrevChild(hint == Hint.EditNextItem)
            return
        super().closeEditor(editor, hint)
        if hint == Hint.SubmitModelCache:  # Enter ended the edit: on to the row below
            shift = Qt.KeyboardModifier.ShiftModifier
            self.move_down(up=bool(QApplication.keyboardModifiers() & shift))

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)  # the cells, and the current one's ring
        model = self.model()
        if model is None or model.rowCount() > 0:
            return
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
        text = self._placeholder if source.rowCount() == 0 else "No rows match the filter."
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        painter.end()


class YearsDelegate(QStyledItemDelegate):
    """A spin box from 1 to 10 for a domain's years."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        from PySide6.QtWidgets import QSpinBox

        editor = QSpinBox(parent)
        editor.setRange(1, MAX_YEARS)
        editor.setAccessibleName("Years")
        editor.lineEdit().setAccessibleName("Years")
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        from PySide6.QtWidgets import QSpinBox

        value = index.data(EDIT)
        assert isinstance(editor, QSpinBox)
        editor.setValue(value if isinstance(value, int) and not isinstance(value, bool) else 1)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        from PySide6.QtWidgets import QSpinBox

        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), EDIT)


class DomainPickerDelegate(QStyledItemDelegate):
    """An editable list of the order's domains for a mailbox's domain.

    Any other domain may be typed (it must then already be in the account).
    """

    def __init__(self, choices: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        from PySide6.QtWidgets import QComboBox, QCompleter

        editor = QComboBox(parent)
        editor.setEditable(True)
        editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor.addItems(self._choices())
        editor.setAccessibleName("Domain")
        completer = editor.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        from PySide6.QtWidgets import QComboBox

        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(EDIT) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        from PySide6.QtWidgets import QComboBox

        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), EDIT)
