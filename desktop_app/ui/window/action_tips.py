"""Tooltips that name an action's keys: shared by the menus and the Help menu."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def with_shortcut(action: QAction, tip: str = "") -> None:
    """Give ``action`` a tooltip that ends with its shortcut: "Save (Ctrl+S)"."""
    text = tip or action.text().replace("&", "").rstrip("…").rstrip(".")
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({shortcut})" if shortcut else text)


class ShortcutTip(QObject):
    """Keeps an action's tooltip "<its text> (<its keys>)" as the undo stack renames it.

    A child of the action, so the connection ends with the action.
    """

    def __init__(self, action: QAction) -> None:
        super().__init__(action)
        self._action = action
        action.changed.connect(self.retip)
        self.retip()

    def retip(self) -> None:
        action = self._action
        try:
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        except RuntimeError:
            return  # a QAction says "changed" once more while it is being destroyed
        wanted = f"{action.text().replace('&', '')} ({shortcut})"
        if action.toolTip() != wanted:
            action.setToolTip(wanted)
