"""A ring round a table's current cell that stands out (3:1) while the table has the focus.

The style's own mark for the current cell is a faint dotted line (about 1.3:1 to 1.7:1 in
the palettes measured): a keyboard user could not see where typing would go.  The ring is
drawn in the palette's highlight, which the theme keeps at 3:1 or more against every
background; on a selected cell, in the highlighted text's colour.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QTableView

RING_WIDTH = 2


class RingedTableView(QTableView):
    """A table view whose current cell shows a clear ring while the view has the focus."""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            paint_current_ring(self)


def paint_current_ring(view: QTableView) -> None:
    index = view.currentIndex()
    if not index.isValid():
        return
    rect = view.visualRect(index)
    if rect.isEmpty():
        return
    selection = view.selectionModel()
    selected = selection is not None and selection.isSelected(index)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
    painter = QPainter(view.viewport())
    painter.setPen(QPen(view.palette().color(role), RING_WIDTH))
    half = RING_WIDTH // 2
    painter.drawRect(rect.adjusted(half, half, -half - 1, -half - 1))
    painter.end()
