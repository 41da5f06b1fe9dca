"""The window's colours: the system's, or Fusion with a light or dark palette of our own.

Both of our palettes are checked (``tests/ui/common/test_theme.py``) for what
a keyboard and a low-vision user need: a focus ring at least 3:1 against every
background a control sits on, and hint text at least 4.5:1.  The system's
palette is taken as it is, except that hint text and the focus colour are
darkened or lightened until they meet the same ratios.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.ui.common.status_colours import (
    ICON_CONTRAST,
    TEXT_CONTRAST,
    contrast,
    is_dark,
    over,
)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
FOCUS_CONTRAST = ICON_CONTRAST  # WCAG 2.2 focus appearance: 3:1 against what is around it
HINT_CONTRAST = TEXT_CONTRAST

# Role -> (light, dark)
_COLOURS: dict[QPalette.ColorRole, tuple[str, str]] = {
    Role.Window: ("#f3f3f3", "#2b2b2b"),
    Role.WindowText: ("#1a1a1a", "#eeeeee"),
    Role.Base: ("#ffffff", "#1e1e1e"),
    Role.AlternateBase: ("#f0f3f7", "#262a30"),
    Role.Text: ("#1a1a1a", "#eeeeee"),
    Role.Button: ("#ececec", "#353535"),
    Role.ButtonText: ("#1a1a1a", "#eeeeee"),
    Role.BrightText: ("#ffffff", "#ffffff"),
    Role.Highlight: ("#1a5fb4", "#78aeed"),
    Role.HighlightedText: ("#ffffff", "#000000"),
    Role.PlaceholderText: ("#5e5e5e", "#a8a8a8"),
    Role.ToolTipBase: ("#ffffdc", "#3a3a3a"),
    Role.ToolTipText: ("#1a1a1a", "#eeeeee"),
    Role.Link: ("#1a5fb4", "#78aeed"),
    Role.LinkVisited: ("#613583", "#c9a3e6"),
    Role.Light: ("#ffffff", "#4a4a4a"),
    Role.Midlight: ("#e0e0e0", "#404040"),
    Role.Mid: ("#a0a0a0", "#5a5a5a"),
    Role.Dark: ("#808080", "#1a1a1a"),
    Role.Shadow: ("#505050", "#000000"),
}
_DISABLED_TEXT = ("#8a8a8a", "#7a7a7a")
# The backgrounds a focused control sits on besides the palette's own: the tints of
# the banners across the top (practice, sandbox, production, process at once).
BANNER_TINTS = (
    QColor(66, 133, 244, 46),
    QColor(229, 57, 53, 40),
    QColor(251, 192, 45, 48),
)


def palette_for(dark: bool) -> QPalette:
    """Our light or dark palette."""
    palette = QPalette()
    side = 1 if dark else 0
    for role, colours in _COLOURS.items():
        palette.setColor(role, QColor(colours[side]))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(_DISABLED_TEXT[side]))
    return palette


def focus_ring(palette: QPalette) -> QColor:
    """The colour Fusion draws a focus ring in: the highlight, darker, at most so light."""
    ring = palette.color(Role.Highlight).darker(125)
    if ring.value() > 160:
        ring.setHsl(ring.hslHue(), ring.hslSaturation(), 160)
    return ring


def backgrounds(palette: QPalette) -> list[QColor]:
    """Every background a control (and so its focus ring) is drawn against."""
    window = palette.color(Role.Window)
    return [
        window,
        palette.color(Role.Base),
        palette.color(Role.Button),
        palette.color(Role.AlternateBase),
        *(over(tint, window) for tint in BANNER_TINTS),
    ]


def hint_backgrounds(palette: QPalette) -> list[QColor]:
    """Where hint text (placeholders, the pictures' hint) is drawn."""
    return [palette.color(Role.Window), palette.color(Role.Base)]


def least(colour: QColor, against: list[QColor]) -> float:
    return min(contrast(colour, background) for background in against)


def _toward(colour: QColor, target: QColor, against: list[QColor], wanted: float) -> QColor:
    """``colour`` moved toward ``target`` just far enough to reach ``wanted`` contrast."""
    for step in range(21):
        share = step / 20
        mixed = QColor.fromRgbF(
            colour.redF() + (target.redF() - colour.redF()) * share,
            colour.greenF() + (target.greenF() - colour.greenF()) * share,
            colour.blueF() + (target.blueF() - colour.blueF()) * share,
        )
        if least(mixed, against) >= wanted:
            return mixed
    return QColor(target)


def held(palette: QPalette) -> QPalette:
    """``palette`` with hint text and the focus colour brought up to their ratios."""
    palette = QPalette(palette)
    text = palette.color(Role.Text)
    hint = palette.color(Role.PlaceholderText)
    if least(hint, hint_backgrounds(palette)) < HINT_CONTRAST:
        palette.setColor(Role.PlaceholderText, _toward(hint, text, hint_backgrounds(palette), 4.6))
    if least(focus_ring(palette), backgrounds(palette)) < FOCUS_CONTRAST:
        extreme = QColor("#ffffff") if is_dark(palette) else QColor("#000000")
        highlight = palette.color(Role.Highlight)
        for step in range(1, 21):
            share = step / 20
            candidate = QColor.fromRgbF(
                highlight.redF() + (extreme.redF() - highlight.redF()) * share,
                highlight.greenF() + (extreme.greenF() - highlight.greenF()) * share,
                highlight.blueF() + (extreme.blueF() - highlight.blueF()) * share,
            )
            trial = QPalette(palette)
            trial.setColor(Role.Highlight, candidate)
            if least(focus_ring(trial), backgrounds(trial)) >= FOCUS_CONTRAST:
                palette.setColor(Role.Highlight, candidate)
                break
    return palette


_system: tuple[str, QPalette] | None = None  # the style and palette the app started with


def apply(theme: str) -> None:
    """Colour the app: ``"system"``, ``"light"`` or ``"dark"``."""
    global _system
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    style, palette = _system
    if theme in ("light", "dark"):
        app.setStyle("Fusion")
        app.setPalette(palette_for(theme == "dark"))
    else:
        app.setStyle(style)
        app.setPalette(held(palette))
    # A widget under a style sheet keeps the palette it was polished with: set each sheet
    # again so the widgets below it take the new colours now, not at the next start.
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)
