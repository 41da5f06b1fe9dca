"""Colours that say how something went, readable on light and dark palettes alike.

A fixed colour picked on a light theme (dark amber for "no key set") all but
disappears on a dark one.  Each status has a light-theme and a dark-theme
colour, both at least 4.5:1 against the window and base colours of their
palette (WCAG AA for text); :func:`contrast` is how the tests check it.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtGui import QColor, QGuiApplication, QPalette

Status = Literal["ok", "warning", "error"]
# status -> (on a light palette, on a dark palette)
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    "ok": ("#1b6e34", "#7ee2a0"),
    "warning": ("#7a4f00", "#f5c451"),
    "error": ("#a8231b", "#ff9b94"),
}
TEXT_CONTRAST = 4.5  # WCAG AA, normal text
ICON_CONTRAST = 3.0  # WCAG AA, graphics such as toolbar icons


def current_palette() -> QPalette:
    app = QGuiApplication.instance()
    return app.palette() if isinstance(app, QGuiApplication) else QPalette()


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette's window colour is dark (a dark theme or dark mode)."""
    window = (palette or current_palette()).color(QPalette.ColorRole.Window)
    return relative_luminance(window) < 0.2


def status_colour(status: Status, palette: QPalette | None = None) -> QColor:
    light, dark = STATUS_COLOURS[status]
    return QColor(dark if is_dark(palette) else light)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def over(tint: QColor, background: QColor) -> QColor:
    """The opaque colour a translucent ``tint`` makes painted over ``background``."""
    alpha = tint.alphaF()
    return QColor.fromRgbF(
        tint.redF() * alpha + background.redF() * (1 - alpha),
        tint.greenF() * alpha + background.greenF() * (1 - alpha),
        tint.blueF() * alpha + background.blueF() * (1 - alpha),
    )
