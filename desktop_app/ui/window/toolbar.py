"""The main toolbar: the everyday actions of the menus, with Send Order… as the primary one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QStyle, QToolBar, QToolButton, QWidget

from desktop_app.ui.common.status_colours import ICON_CONTRAST, contrast, is_dark

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.ui.window.menus import WindowActions

SP = QStyle.StandardPixmap

# Palette roles, not colours: the button follows the system's light or dark accent.
SEND_STYLE = """
QToolButton#sendOrderButton {
    background: palette(highlight);
    color: palette(highlighted-text);
    font-weight: bold;
    border: 1px solid palette(highlight);
    border-radius: 4px;
    padding: 3px 12px;
}
QToolButton#sendOrderButton:hover { border-color: palette(highlighted-text); }
QToolButton#sendOrderButton:pressed { background: palette(dark); }
QToolButton#sendOrderButton:disabled {
    background: palette(button);
    color: palette(mid);
    border-color: palette(mid);
}
"""


# Action -> (desktop theme icon name, the style's own icon when the theme has none).
_ICONS = {
    "new": ("document-new", SP.SP_FileIcon),
    "open": ("document-open", SP.SP_DialogOpenButton),
    "save": ("document-save", SP.SP_DialogSaveButton),
    "undo": ("edit-undo", SP.SP_ArrowBack),
    "redo": ("edit-redo", SP.SP_ArrowForward),
    "send": ("mail-send", None),
}


def _icon(window: QWidget, theme_name: str, fallback: SP | None) -> QIcon:
    """The desktop theme's icon, else the style's own (no theme on Windows, macOS, offscreen).

    The style's icons are drawn for a light palette (Fusion's arrows are dark
    grey): on a dark one, an icon that would not show is recoloured in the
    palette's button text.
    """
    if QIcon.hasThemeIcon(theme_name):
        return QIcon.fromTheme(theme_name)
    if fallback is None:
        return QIcon()
    icon = window.style().standardIcon(fallback)
    palette = window.palette()
    if not is_dark(palette):
        return icon
    size = window.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    background = palette.color(QPalette.ColorRole.Window)
    if visible_part(icon, background, size) >= VISIBLE_PART:
        return icon
    return recoloured(icon, palette.color(QPalette.ColorRole.ButtonText), size)


VISIBLE_PART = 0.25  # of an icon's painted pixels, standing out (3:1) from the toolbar


def visible_part(icon: QIcon, background: QColor, size: int) -> float:
    """The share of an icon's painted pixels with a 3:1 contrast against ``background``."""
    image = icon.pixmap(size, size).toImage()
    painted = standing_out = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alphaF() < 0.5:
                continue
            painted += 1
            pixel.setAlphaF(1.0)
            standing_out += contrast(pixel, background) >= ICON_CONTRAST
    return standing_out / painted if painted else 0.0


def recoloured(icon: QIcon, colour: QColor, size: int) -> QIcon:
    """``icon``'s shape in one colour, for every size and state the icon has."""
    result = QIcon()
    sizes = icon.availableSizes() or [QSize(size, size)]
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled):
        for wanted in sizes:
            pixmap = icon.pixmap(wanted, mode)
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            fill = QColor(colour)
            if mode is QIcon.Mode.Disabled:
                fill.setAlphaF(0.45)
            painter.fillRect(pixmap.rect(), fill)
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


def apply_icons(window: QWidget, actions: WindowActions) -> None:
    """Give the toolbar's actions icons that show on the window's current palette."""
    for name, (theme_name, fallback) in _ICONS.items():
        getattr(actions, name).setIcon(_icon(window, theme_name, fallback))


def build_toolbar(window: QMainWindow, actions: WindowActions) -> QToolBar:
    """Add the main toolbar to ``window``, sharing ``actions`` with the menus."""
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setFloatable(False)
    # Without a way to hide it by accident: it is where Send Order… lives.
    bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    size = window.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    bar.setIconSize(QSize(size, size))

    apply_icons(window, actions)
    # The undo stack renames these after every edit ("Undo Paste 3 rows"); the
    # buttons keep short labels, and the tooltips say what would be undone.
    actions.open.setIconText("Open…")  # Qt drops the ellipsis from a button's label
    actions.undo.setIconText("Undo")
    actions.redo.setIconText("Redo")
    actions.generate.setIconText("Generate…")
    actions.send.setIconText("Send Order…")  # the menu's "&Send Order…", ellipsis kept

    bar.addAction(actions.new)
    bar.addAction(actions.open)
    bar.addAction(actions.save)
    bar.addSeparator()
    bar.addAction(actions.undo)
    bar.addAction(actions.redo)
    bar.addSeparator()
    bar.addAction(actions.generate)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    bar.addAction(actions.send)
    send_button = bar.widgetForAction(actions.send)
    if isinstance(send_button, QToolButton):
        send_button.setObjectName("sendOrderButton")
        send_button.setAccessibleName("Send Order")
        send_button.setStyleSheet(SEND_STYLE)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
