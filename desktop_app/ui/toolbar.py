"""The main toolbar: the everyday actions of the menus, with Send Order… as the primary one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QSizePolicy, QStyle, QToolBar, QToolButton, QWidget

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.menus import WindowActions

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


def _icon(window: QWidget, theme_name: str, fallback: SP | None) -> QIcon:
    """The desktop theme's icon, else the style's own (no theme on Windows, macOS, offscreen)."""
    if QIcon.hasThemeIcon(theme_name):
        return QIcon.fromTheme(theme_name)
    return window.style().standardIcon(fallback) if fallback is not None else QIcon()


def _give_icon(window: QWidget, action: QAction, theme_name: str, fallback: SP | None) -> None:
    if action.icon().isNull():
        action.setIcon(_icon(window, theme_name, fallback))


def build_toolbar(window: MainWindow, actions: WindowActions) -> QToolBar:
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

    _give_icon(window, actions.new, "document-new", SP.SP_FileIcon)
    _give_icon(window, actions.open, "document-open", SP.SP_DialogOpenButton)
    _give_icon(window, actions.save, "document-save", SP.SP_DialogSaveButton)
    _give_icon(window, actions.undo, "edit-undo", SP.SP_ArrowBack)
    _give_icon(window, actions.redo, "edit-redo", SP.SP_ArrowForward)
    _give_icon(window, actions.send, "mail-send", None)
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
