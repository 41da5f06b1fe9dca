"""Colours a low-vision keyboard user can see: focus rings 3:1, hint text 4.5:1, in each theme."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app.services.settings import THEME, Settings
from desktop_app.ui.common import theme
from desktop_app.ui.common.status_colours import contrast, is_dark

pytestmark = pytest.mark.gui

Role = QPalette.ColorRole


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_focus_ring_stands_out_3_to_1_from_every_background(dark):
    palette = theme.palette_for(dark)
    assert is_dark(palette) is dark
    ring = theme.focus_ring(palette)
    for background in theme.backgrounds(palette):
        assert contrast(ring, background) >= 3.0, background.name()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_hint_text_reads_4_5_to_1_and_text_7_to_1(dark):
    palette = theme.palette_for(dark)
    hint = palette.color(Role.PlaceholderText)
    for background in theme.hint_backgrounds(palette):
        assert contrast(hint, background) >= 4.5, background.name()
    for text, background in ((Role.Text, Role.Base), (Role.WindowText, Role.Window)):
        assert contrast(palette.color(text), palette.color(background)) >= 7.0
    selected = contrast(palette.color(Role.HighlightedText), palette.color(Role.Highlight))
    assert selected >= 4.5


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_system_palette_that_falls_short_is_brought_up_to_the_ratios(dark):
    palette = theme.palette_for(dark)
    # A faint hint and a focus colour close to the window, as the report measured.
    palette.setColor(Role.PlaceholderText, QColor("#9a9a9a" if not dark else "#5f5f5f"))
    palette.setColor(Role.Highlight, QColor("#c8d8f0" if not dark else "#2f3f55"))
    assert theme.least(palette.color(Role.PlaceholderText), theme.hint_backgrounds(palette)) < 4.5
    assert theme.least(theme.focus_ring(palette), theme.backgrounds(palette)) < 3.0
    fixed = theme.held(palette)
    assert theme.least(fixed.color(Role.PlaceholderText), theme.hint_backgrounds(fixed)) >= 4.5
    assert theme.least(theme.focus_ring(fixed), theme.backgrounds(fixed)) >= 3.0


def test_view_theme_switches_and_is_remembered_for_the_next_window(qtbot, window):
    app = QApplication.instance()
    [menu] = [m for m in window.findChildren(QMenu) if m.objectName() == "themeMenu"]
    actions = {a.objectName(): a for a in menu.actions()}
    assert [a.text() for a in menu.actions()] == ["&System", "&Light", "&Dark"]
    assert actions["theme_system"].isChecked()
    try:
        actions["theme_dark"].trigger()
        assert app.style().name().lower() == "fusion"
        assert app.palette().color(Role.Window) == theme.palette_for(True).color(Role.Window)
        assert Settings().get(THEME) == "dark"
        actions["theme_light"].trigger()
        assert app.palette().color(Role.Base) == theme.palette_for(False).color(Role.Base)
        assert Settings().get(THEME) == "light"
    finally:
        actions["theme_system"].trigger()
    assert Settings().get(THEME) == "system"
    assert not is_dark(app.palette()) or is_dark(theme.held(app.palette()))


def test_the_banner_tints_checked_are_the_banners_own():
    from desktop_app.ui.window import practice_banner

    styles = practice_banner.PRACTICE_STYLE + practice_banner.PRODUCTION_STYLE
    styles += practice_banner.CONFIRM_STYLE
    for tint in theme.BANNER_TINTS:
        rgba = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
        assert rgba in styles


def test_a_theme_chosen_while_the_window_is_open_reads_at_once(qtbot, window):
    """Every label's text stands out from what is drawn behind it, without a restart."""
    from PySide6.QtWidgets import QLabel

    from desktop_app.ui.common.status_colours import contrast

    [menu] = [m for m in window.findChildren(QMenu) if m.objectName() == "themeMenu"]
    actions = {a.objectName(): a for a in menu.actions()}
    try:
        for name in ("theme_dark", "theme_light", "theme_dark"):
            actions[name].trigger()
            QApplication.processEvents()
            shot = window.grab().toImage()
            checked = 0
            for label in window.findChildren(QLabel):
                if not label.isVisible() or not label.text().strip():
                    continue
                spot = label.mapTo(window, label.rect().topLeft())
                behind = shot.pixelColor(spot.x() + 1, spot.y() + 1)
                ink = label.palette().color(label.foregroundRole())
                assert contrast(ink, behind) >= 3, (name, label.text()[:40])
                checked += 1
            assert checked >= 5
    finally:
        actions["theme_system"].trigger()
