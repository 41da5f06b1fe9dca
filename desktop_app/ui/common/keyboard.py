"""The window's keyboard convention, in one place.

- **Tab and Shift+Tab move between controls**, everywhere: a table or a
  multi-line box is one stop, never a trap, and Tab never wraps inside it.
- **Inside a table** the arrow keys move between cells; in an editable table
  Enter moves down (Shift+Enter up), as in a spreadsheet, and ends an edit the
  same way.  In a list (Problems, History) Enter opens the row.
- **Alt+letter opens the menus**: no button's mnemonic uses a menu's letter.
- **Every dialog button has a mnemonic** (:func:`give_mnemonics`).
- **The keyboard's context menu** (the Menu key, Shift+F10) acts on the
  current row and opens with its first item active (:func:`popup_menu`).

Help ▸ Keyboard Shortcuts says the same to the operator (:data:`CONVENTION`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QLineEdit,
        QMenu,
        QPlainTextEdit,
    )

# The menu bar's letters (File, Edit, Order, View, Help): Alt+one of these opens a menu.
MENU_LETTERS = frozenset("feovh")

# (what, keys) rows that head Help ▸ Keyboard Shortcuts.
CONVENTION = [
    ("Next control / previous control (tables and boxes too)", "Tab / Shift+Tab"),
    ("Move between a table's cells", "Arrow keys"),
    ("Edit the current cell", "F2 or start typing"),
    ("End an edit and go to the cell below / above", "Enter / Shift+Enter"),
    ("Open the current row (Problems, History)", "Enter"),
    ("The current row's menu (History)", "Menu key or Shift+F10"),
    ("Open a menu", "Alt+its underlined letter"),
    ("Press a dialog's button", "Alt+its underlined letter"),
]


def tab_leaves(view: QAbstractItemView) -> None:
    """Tab and Shift+Tab leave ``view`` for the next or previous control."""
    view.setTabKeyNavigation(False)


def tab_leaves_text(box: QPlainTextEdit) -> None:
    """Tab and Shift+Tab leave a multi-line box instead of typing a tab."""
    box.setTabChangesFocus(True)


def show_start_when_idle(field: QLineEdit) -> None:
    """A long value shows its beginning whenever the field is not being edited.

    QLineEdit leaves the cursor at the end of a text set from code or typed,
    so an address read "ttps://…": the start is what tells values apart.
    """

    typing = [False]  # typed into since the last Enter or focus change

    def to_start() -> None:
        # A text set from code, not one being typed: keys may come without the focus
        # (assistive technology), and typing may set the text back tidied (outer spaces).
        if not field.hasFocus() and not typing[0]:
            field.setCursorPosition(0)

    def finished() -> None:
        typing[0] = False
        field.setCursorPosition(0)

    field.textEdited.connect(lambda _text: typing.__setitem__(0, True))
    field.textChanged.connect(lambda _text: to_start())
    field.editingFinished.connect(finished)


def mnemonic(text: str) -> str:
    """The letter after a single ``&`` in ``text`` (lowercase), or ""."""
    position = 0
    while (position := text.find("&", position)) != -1:
        following = text[position + 1 : position + 2]
        if following == "&":
            position += 2
            continue
        return following.lower()
    return ""


def with_mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with an ``&`` before its first letter not in ``taken`` (word starts first)."""
    words = [i for i, c in enumerate(text) if c.isalpha() and (i == 0 or not text[i - 1].isalpha())]
    others = [i for i, c in enumerate(text) if c.isalpha() and i not in words]
    for i in words + others:
        if text[i].lower() not in taken:
            taken.add(text[i].lower())
            return f"{text[:i]}&{text[i:]}"
    return text


def give_mnemonics(buttons: Iterable[QAbstractButton], taken: Iterable[str] = ()) -> None:
    """Give each button without a mnemonic one of its own letters, no two alike."""
    buttons = list(buttons)
    used = set(taken) | {mnemonic(b.text()) for b in buttons} - {""}
    for button in buttons:
        if not mnemonic(button.text()) and button.text():
            button.setText(with_mnemonic(button.text(), used))


def current_row_position(view: QAbstractItemView) -> QPoint:
    """Where the keyboard's context menu of ``view`` opens: on its current cell, globally."""
    rect = view.visualRect(view.currentIndex())
    viewport = view.viewport()
    if rect.isValid():
        return viewport.mapToGlobal(rect.bottomLeft() + QPoint(rect.width() // 4, 0))
    return viewport.mapToGlobal(QPoint(0, 0))


def popup_menu(menu: QMenu, position: QPoint, from_keyboard: bool) -> None:
    """Open ``menu`` at ``position``; from the keyboard, with its first usable item active."""
    menu.popup(position)
    if from_keyboard:
        first = next((a for a in menu.actions() if a.isEnabled() and not a.isSeparator()), None)
        if first is not None:
            menu.setActiveAction(first)
