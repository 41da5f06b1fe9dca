"""The window on a big draft: open, paste, filter and edit, each beside a bare-Qt baseline.

    python -m benchmarks.window_child DRAFT     # offscreen; prints one JSON line

Every action goes through the path a person's does (the File ▸ Open code, the
clipboard and Edit ▸ Paste, keystrokes in the filter box, ``setData`` on the
view's model as the cell editor calls it) and is timed until the table has
repainted and the event loop is idle again.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget

from benchmarks import data
from benchmarks.core_child import read_every_member
from benchmarks.harness import repeat
from desktop_app.order.model import Order
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.tables.columns import MailboxColumn
from desktop_app.ui.window.app import application, build_window
from desktop_app.ui.window.main_window import MainWindow

EDIT = Qt.ItemDataRole.EditRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
EDITS = 10
FILTER_ROUNDS = 3  # the same keystrokes typed three times: one busy moment is not "the" figure


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def idle() -> None:
    """Run the event loop until everything already posted (repaints included) is handled."""
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


def quiet(seconds: float = 0.2) -> None:
    """Let the window finish what it does a moment after a change (the Problems list)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def until_painted(counter: PaintCounter, action: Callable[[], object]) -> float:
    """Seconds from starting ``action`` to the watched widget having repainted.

    A window repaints every changed widget in one pass, so once the watched
    widget has painted, everything the action changed on screen has too.
    Work the window does later in the background (thumbnails, in slices
    between events) is not counted: it does not hold up the next keystroke.
    """
    start = time.perf_counter()
    before = counter.count
    action()
    while counter.count == before:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if time.perf_counter() - start > 30:
            raise RuntimeError("the window never repainted")
    return time.perf_counter() - start


class BareTable(QMainWindow):
    """The baseline: a filter box over Qt's stock proxy and a table of the same text."""

    def __init__(self, rows: list[list[str]]) -> None:
        super().__init__()
        self.model = QStandardItemModel(len(rows), len(rows[0]) if rows else 0)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.model.setItem(r, c, QStandardItem(text))
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self.setCentralWidget(body)
        self.resize(1280, 800)


def _press(line_edit: QLineEdit, key: str) -> None:
    if key == "\b":
        QTest.keyClick(line_edit, Qt.Key.Key_Backspace)
    else:
        QTest.keyClicks(line_edit, key)


def _type(line_edit: QLineEdit, keys: list[str]) -> list[float]:
    """Seconds each keystroke took until the window showed its result.

    The filter box repaints on every keystroke, in the same pass as the
    table it filters, so its paint marks the end of the keystroke.
    """
    counter = PaintCounter(line_edit)
    times = []
    for key in keys:
        times.append(until_painted(counter, lambda key=key: _press(line_edit, key)))
        idle()  # the next keystroke starts from a quiet window
    return times


def measure(draft: Path) -> dict[str, Any]:
    """Every window figure, as the JSON this module prints."""
    app = application()
    window, _problem = build_window(None, remember=False)
    window.files.ask_unsaved = lambda: DISCARD  # never a modal question in a benchmark
    window.resize(1280, 800)
    window.show()
    idle()
    table = PaintCounter(window.mailboxes_pane.view.viewport())
    results = _open(window, table, draft)
    rows = [
        [m.username, m.domain, m.first_name, m.last_name] for m in window.document.order.mailboxes
    ]
    bare = BareTable(rows)
    bare.show()
    idle()
    results |= _filter(window, bare)
    results |= _edit(window, table, bare)
    bare.close()
    results |= _paste(window, table)
    window.autosave.shutdown()
    window.close()
    app.processEvents()
    return results


def _open(window: MainWindow, table: PaintCounter, draft: Path) -> dict[str, Any]:
    opens, checks = [], []
    for _ in range(3):
        opens.append(until_painted(table, lambda: window.files.open_path(draft, True, True)))
        opened = time.perf_counter()
        # PNG image data is checked in the background; the next open starts after it,
        # as a person's next open would (the check is timed on its own).
        while window.document.checking_pictures():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        checks.append(time.perf_counter() - opened)
    assert window.document.order.mailboxes, "the draft did not open"
    checked = statistics.median(checks)
    while window.document.thumbnails.pending():  # the visible ones, made in the background
        QApplication.processEvents()
    return {
        "open": opens,
        "open_baseline": repeat(lambda: read_every_member(draft), 3),
        "problems_rebuild": repeat(window.problems_pane.refresh, 3),
        "pictures_checked_after": checked,
        "mailboxes": len(window.document.order.mailboxes),
    }


def _filter(window: MainWindow, bare: BareTable) -> dict[str, Any]:
    pane, order = window.mailboxes_pane, window.document.order
    target = order.mailboxes[len(order.mailboxes) // 2]
    word = f"{target.username}@{target.domain}"[:6]
    keys = list(word) + ["\b"] * len(word)
    typed = [_type(pane.filter_edit, keys) for _ in range(FILTER_ROUNDS)]
    assert pane.proxy.rowCount() == len(order.mailboxes), "the filter did not clear"
    return {
        "filter_text": word,
        "filter": typed,
        "filter_baseline": [_type(bare.filter, keys) for _ in range(FILTER_ROUNDS)],
    }


def _edit(window: MainWindow, table: PaintCounter, bare: BareTable) -> dict[str, Any]:
    """Make a username a duplicate and back: the cell's mark must follow at once."""
    pane, mailboxes = window.mailboxes_pane, window.document.order.mailboxes
    row = len(mailboxes) // 2
    original = mailboxes[row].username
    partner = next(
        m.username
        for m in mailboxes
        if m.domain == mailboxes[row].domain and m.username != original
    )
    values = [partner, original] * (EDITS // 2)
    index = pane.proxy.index(row, int(MailboxColumn.USERNAME))
    pane.view.scrollTo(index)
    idle()
    edits, marks = [], []
    for value in values:
        edits.append(until_painted(table, lambda v=value: pane.proxy.setData(index, v, EDIT)))
        marks.append(bool(index.data(TOOLTIP)))
        quiet()
    bare_table = PaintCounter(bare.view.viewport())
    bare_index = bare.model.index(row, 0)
    bare.view.scrollTo(bare.proxy.mapFromSource(bare_index))
    idle()
    baseline = [
        until_painted(bare_table, lambda v=value: bare.model.setData(bare_index, v, EDIT))
        for value in values
    ]
    return {
        "edit": edits,
        "edit_baseline": baseline,
        "edit_marks_follow": marks == [value == partner for value in values],
    }


def _paste(window: MainWindow, table: PaintCounter) -> dict[str, Any]:
    """Every mailbox row from the clipboard into an order that has only domains."""
    pane, order = window.mailboxes_pane, window.document.order
    text = data.paste_text(order)
    count = len(order.mailboxes)
    window.document.replace(Order(domains=[copy.copy(e) for e in order.domains]), None)
    idle()
    QApplication.clipboard().setText(text)
    window.activateWindow()
    pane.view.setFocus()
    idle()
    through_action = pane.has_focus_within()
    paste: Callable[[], object] = (
        window.window_actions.paste.trigger if through_action else pane.paste
    )
    pastes = []
    for _ in range(3):
        pastes.append(until_painted(table, paste))
        assert pane.model.rowCount() == count, "the paste did not add every row"
        window.document.undo_stack.undo()
        quiet()
    split = lambda: list(csv.reader(io.StringIO(QApplication.clipboard().text()), delimiter="\t"))  # noqa: E731
    return {
        "paste": pastes,
        "paste_baseline": repeat(split, 3),
        "paste_through_action": through_action,
    }


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = measure(Path(argv[0]))
    print(json.dumps(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
