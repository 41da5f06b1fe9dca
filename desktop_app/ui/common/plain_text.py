"""Text from outside the app, shown as the characters it is: never as rich text.

A QLabel, a QMessageBox and a tooltip guess whether a string is HTML
(``Qt.mightBeRichText``) and, when it looks like it, render it.  Strings from a
server answer, a draft, a CSV, History or the key store are not ours: a 422
answer of ``<h1>Order created</h1>`` must read as those characters, not as a
headline with a fake order ID.  Every widget that shows such a string is made
here, or passed through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace  # QtGui's Qt holds mightBeRichText
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:  # imported when a box is first made: start-up does not pay for it
    from PySide6.QtWidgets import QMessageBox

PLAIN = Qt.TextFormat.PlainText
_INFORMATIVE_LABEL = "qt_msgbox_informativelabel"  # QMessageBox's own name for it


def plain_label(
    text: str = "",
    *,
    word_wrap: bool = False,
    object_name: str = "",
    parent: QWidget | None = None,
) -> QLabel:
    """A QLabel that shows ``text`` (and whatever is set on it later) as plain text."""
    label = QLabel(parent)
    label.setTextFormat(PLAIN)
    label.setText(text)
    label.setWordWrap(word_wrap)
    if object_name:
        label.setObjectName(object_name)
    return label


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton | None = None,
    parent: QWidget | None = None,
    *,
    informative: str = "",
) -> QMessageBox:
    """A QMessageBox (``buttons`` default: Ok) whose text and informative text are plain text."""
    from PySide6.QtWidgets import QMessageBox

    if buttons is None:
        buttons = QMessageBox.StandardButton.Ok
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(PLAIN)
    box.setText(text)
    if informative:
        set_informative_text(box, informative)
    from desktop_app.ui.common.keyboard import give_mnemonics

    give_mnemonics(box.buttons())
    return box


def set_informative_text(box: QMessageBox, text: str) -> None:
    """``box.setInformativeText(text)``, shown as plain text.

    ``QMessageBox.setTextFormat`` covers the main text only; the informative
    text has a label of its own, made when the text is first set.
    """
    box.setInformativeText(text)
    label = box.findChild(QLabel, _INFORMATIVE_LABEL)
    if label is not None:
        label.setTextFormat(PLAIN)


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip shows it: escaped when Qt would take it for rich text.

    Tooltips have no text format of their own, so a string that looks like
    HTML is handed over as HTML that draws its characters; any other string is
    left as it is (and still reads the same to tests and screen readers).
    """
    if not text or not QtGuiNamespace.mightBeRichText(text):
        return text
    return QtGuiNamespace.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpacePre)
