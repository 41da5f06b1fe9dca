"""Status colours and icons that read on light and dark palettes (checked numerically)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory

from desktop_app.order.validation import Severity
from desktop_app.ui.common.status_colours import (
    STATUS_COLOURS,
    TEXT_CONTRAST,
    contrast,
    is_dark,
    over,
    status_colour,
)
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.tables import marks
from desktop_app.ui.window.main_window import MainWindow
from desktop_app.ui.window.practice_banner import CONFIRM_STYLE, PRACTICE_STYLE
from desktop_app.ui.window.toolbar import VISIBLE_PART, visible_part

pytestmark = pytest.mark.gui
Role = QPalette.ColorRole


def dark_palette() -> QPalette:
    """The dark palette people pair with Fusion."""
    palette = QPalette()
    colours = {
        Role.Window: "#353535", Role.WindowText: "#ffffff", Role.Base: "#262626",
        Role.AlternateBase: "#353535", Role.Text: "#ffffff", Role.Button: "#353535",
        Role.ButtonText: "#ffffff", Role.Highlight: "#2a82da", Role.HighlightedText: "#ffffff",
        Role.Mid: "#5a5a5a", Role.Dark: "#232323", Role.Light: "#505050",
        Role.Midlight: "#454545", Role.ToolTipBase: "#353535", Role.ToolTipText: "#ffffff",
    }  # fmt: skip
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return QStyleFactory.create("Fusion").standardPalette()


@pytest.fixture
def fusion(qapp):
    style, palette = qapp.style().name(), qapp.palette()
    qapp.setStyle("Fusion")
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


def rgba(style: str, selector: str) -> QColor:
    """The background rgba(...) a banner's style sheet gives."""
    part = style.split(selector, 1)[1].split("background: rgba(", 1)[1].split(")", 1)[0]
    red, green, blue, alpha = (int(v) for v in part.split(","))
    return QColor(red, green, blue, alpha)


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_status_colours_read_on_the_window_and_base_colours(palette):
    assert is_dark(palette) == (palette.color(Role.Window).lightness() < 128)
    for status in STATUS_COLOURS:
        colour = status_colour(status, palette)
        for role in (Role.Window, Role.Base):
            assert contrast(colour, palette.color(role)) >= TEXT_CONTRAST, (status, role)


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_text_on_problem_tints_and_banners_keeps_its_contrast(palette):
    for severity in Severity:
        tinted = over(marks.tint(severity), palette.color(Role.Base))
        assert contrast(palette.color(Role.Text), tinted) >= TEXT_CONTRAST, severity
    for style, name in ((PRACTICE_STYLE, "#practiceBanner"), (CONFIRM_STYLE, "#confirmBanner")):
        tinted = over(rgba(style, name), palette.color(Role.Window))
        assert contrast(palette.color(Role.WindowText), tinted) >= TEXT_CONTRAST, name


def test_the_contrast_check_itself():
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert over(QColor(255, 0, 0, 0), QColor("blue")) == QColor("blue")


def fresh_window(qtbot):
    window = MainWindow(remember=False)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    return window


def toolbar_icons(window):
    actions = window.window_actions
    return [actions.new, actions.open, actions.save, actions.undo, actions.redo]


def test_toolbar_icons_stay_visible_on_a_dark_palette(qtbot, fusion):
    fusion.setPalette(dark_palette())
    window = fresh_window(qtbot)
    background = window.palette().color(Role.Window)
    for action in toolbar_icons(window):
        part = visible_part(action.icon(), background, 16)
        assert part >= VISIBLE_PART, (action.text(), part)


def test_on_a_light_palette_the_styles_own_icons_are_kept(qtbot, fusion):
    fusion.setPalette(light_palette())
    window = fresh_window(qtbot)
    style = window.style()
    own = style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack).pixmap(16, 16).toImage()
    assert window.window_actions.undo.icon().pixmap(16, 16).toImage() == own
    background = window.palette().color(Role.Window)
    assert visible_part(window.window_actions.undo.icon(), background, 16) >= VISIBLE_PART


def test_icons_follow_a_palette_switched_while_the_window_is_open(qtbot, fusion):
    fusion.setPalette(light_palette())
    window = fresh_window(qtbot)
    fusion.setPalette(dark_palette())
    QApplication.processEvents()
    part = visible_part(window.window_actions.undo.icon(), QColor("#353535"), 16)
    assert part >= VISIBLE_PART
