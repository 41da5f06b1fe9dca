"""How big the window and its panes are: defaults, and never more than the screen shows.

At 150 % on a 1366×768 screen the window has about 910×480 points: it must
open inside that, and its minimum size must fit there too.
"""

from __future__ import annotations

import struct

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

DEFAULT_SIZE = QSize(1280, 800)
SPLITTERS = {
    "columns": [300, 980],
    "main": [560, 160],
    "work": [620, 360],
    "tables": [220, 340],
}
# Wide enough to grab; the line in it shows where it is, in light and dark palettes.
SPLITTER_HANDLE = 6
SPLITTER_STYLE = (
    "QSplitter::handle:horizontal { margin: 0 2px; background: palette(mid); }"
    "QSplitter::handle:vertical { margin: 2px 0; background: palette(mid); }"
    "QSplitter::handle:hover { background: palette(highlight); }"
)
BOTTOM_MINIMUM = 90  # a tab bar and two problem rows: small windows keep their tables


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen (else the primary one) not taken by panels and docks."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def fitting_size(window: QWidget, wanted: QSize) -> QSize:
    """``wanted``, made small enough that the window and its frame fit the available screen."""
    area = available_area(window).size()
    # Before the window is shown its frame is unknown: allow for a title bar and borders.
    frame = QSize(16, 48)
    room = QSize(max(area.width() - frame.width(), 1), max(area.height() - frame.height(), 1))
    return wanted.boundedTo(room).expandedTo(window.minimumSizeHint().boundedTo(room))


# QWidget.saveGeometry() begins with a magic number, a version and the frame rectangle, in
# QDataStream's big-endian order (qwidget.cpp; the same layout since Qt 4.3).
_GEOMETRY_MAGIC = 0x1D9D0CB
_GEOMETRY_HEAD = struct.Struct(">IHH4i")


def saved_frame(geometry: bytes) -> QRect | None:
    """The frame rectangle stored in ``QWidget.saveGeometry()``'s bytes; None when unreadable.

    Read before restoring: ``restoreGeometry`` moves and shrinks a frame that does not fit
    onto the screen, so afterwards a window saved on a bigger screen looks as if it fitted.
    """
    if len(geometry) < _GEOMETRY_HEAD.size:
        return None
    magic, _major, _minor, left, top, right, bottom = _GEOMETRY_HEAD.unpack_from(geometry)
    if magic != _GEOMETRY_MAGIC or right < left or bottom < top:
        return None
    return QRect(QPoint(left, top), QPoint(right, bottom))


# A maximised window's frame reaches past the screen's edges on some systems (8 px a side on
# Windows); a frame that much bigger still fits.
FRAME_SLACK = 32


def fits_on_a_screen(frame: QRect) -> bool:
    """True when ``frame`` is no bigger than one screen's available area.

    Only its size counts: ``restoreGeometry`` itself moves a frame that is off the
    screen (a monitor unplugged) back onto it.
    """
    return any(
        frame.width() <= area.width() + FRAME_SLACK
        and frame.height() <= area.height() + FRAME_SLACK
        for area in (screen.availableGeometry() for screen in QGuiApplication.screens())
    )


def scaled_sizes(splitter: QSplitter, defaults: list[int]) -> list[int]:
    """``defaults`` shared out over the splitter's real length, in proportion.

    QSplitter.setSizes would take all of a shortfall from the first pane (the
    tables, in a short window) and leave the others as asked.
    """
    horizontal = splitter.orientation() == Qt.Orientation.Horizontal
    length = splitter.width() if horizontal else splitter.height()
    length -= splitter.handleWidth() * (splitter.count() - 1)
    total = sum(defaults)
    if length <= 0 or total <= 0:
        return defaults
    return [round(size * length / total) for size in defaults]
