"""Status colours and icons that read on light and dark palettes (checked numerically)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from desktop_app.core.validation import Severity
from desktop_app.ui import marks
from desktop_app.ui.draft_files import DISCARD
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.practice_banner import CONFIRM_STYLE, PRACTICE_STYLE
from desktop_app.ui.status_colours import (
    ICON_CONTRAST,
    STATUS_COLOURS,
    TEXT_CONTRAST,
    contrast,
    is_dark,
    over,
    status_colour,
)
from desktop_app.ui.toolbar import icon_colour

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


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_toolbar_icons_stay_visible(qtbot, fusion, dark):
    fusion.setPalette(dark_palette() if dark else light_palette())
    window = MainWindow(remember=False)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    background = window.palette().color(Role.Window)
    actions = window.actions
    for action in (actions.new, actions.open, actions.save, actions.undo, actions.redo):
        colour = icon_colour(action.icon(), 16)
        assert contrast(colour, background) >= ICON_CONTRAST, (action.text(), colour.name())


def test_icons_follow_a_palette_switched_while_the_window_is_open(qtbot, fusion):
    fusion.setPalette(light_palette())
    window = MainWindow(remember=False)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    fusion.setPalette(dark_palette())
    QApplication.processEvents()
    undo = icon_colour(window.actions.undo.icon(), 16)
    assert contrast(undo, QColor("#353535")) >= ICON_CONTRAST
