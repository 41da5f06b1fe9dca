"""How a problem looks on screen: a tint, an icon and a sentence.

Tints are semi-transparent so they read on light and dark palettes alike; the
icon (not only the colour) tells errors from warnings.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QColor, QIcon
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle

from desktop_app.order.validation import Problem, Severity
from desktop_app.ui.common.plain_text import plain_tooltip

_ERROR_TINT = QColor(229, 57, 53, 64)
_WARNING_TINT = QColor(251, 192, 45, 72)
_icons: dict[Severity, QIcon] = {}


def worst(problems: list[Problem]) -> Severity | None:
    if not problems:
        return None
    if any(p.severity is Severity.ERROR for p in problems):
        return Severity.ERROR
    return Severity.WARNING


def tint(severity: Severity | None) -> QColor | None:
    if severity is None:
        return None
    return _ERROR_TINT if severity is Severity.ERROR else _WARNING_TINT


def icon(severity: Severity | None) -> QIcon | None:
    if severity is None:
        return None
    cached = _icons.get(severity)
    if cached is None:
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if severity is Severity.ERROR
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        cached = QApplication.style().standardIcon(pixmap)
        _icons[severity] = cached
    return cached


def tooltip(problems: list[Problem]) -> str | None:
    """The problems of a cell, one per line, each saying how serious it is."""
    if not problems:
        return None
    return "\n".join(f"{p.severity.value.capitalize()}: {p.message}" for p in problems)


class FieldMark:
    """A problem icon inside a line edit, with the problems as its tooltip."""

    def __init__(self, field: QLineEdit, hint: str = "") -> None:
        self._field = field
        self._hint = hint
        self._action = QAction(field)
        # The mark's button is named for its field: "Client ID problem".
        self._action.setText(f"{field.accessibleName() or 'Field'} problem")
        self._action.setVisible(False)
        field.addAction(self._action, QLineEdit.ActionPosition.TrailingPosition)
        field.setToolTip(hint)

    def show(self, problems: list[Problem]) -> None:
        severity = worst(problems)
        text = tooltip(problems)
        if severity is None or text is None:
            self._action.setVisible(False)
            self._field.setToolTip(self._hint)
            self._field.setAccessibleDescription(self._hint)
            return
        self._action.setIcon(icon(severity) or QIcon())
        # Problems quote what was typed or imported: tooltips must not render it.
        self._action.setToolTip(plain_tooltip(text))
        self._action.setVisible(True)
        self._field.setToolTip(plain_tooltip(f"{self._hint}\n\n{text}" if self._hint else text))
        self._field.setAccessibleDescription(text)

    def is_shown(self) -> bool:
        return self._action.isVisible()


def count(number: int, noun: str, plural: str = "") -> str:
    """``"1 picture"``, ``"1,200 pictures"``: a number with its noun, in the right form."""
    return f"{number:,} {noun if number == 1 else (plural or noun + 's')}"


def unicode_domain(text: str) -> str:
    """A pasted punycode domain (``xn--bcher-kva.de``) as people read it (``bücher.de``).

    Anything else, an invalid punycode label included, is kept as typed: the
    request sends the ASCII form either way.
    """
    if "xn--" not in text.lower() or not text.isascii():
        return text
    import idna

    try:
        return str(idna.decode(text))
    except (idna.IDNAError, UnicodeError, ValueError):
        return text


def punycode_note(domain: str) -> str:
    """``"Sent as xn--bcher-kva.de"`` for a domain that is sent in another form, else ``""``."""
    from desktop_app.order.names import comparable_domain, domain_problem

    typed = domain.strip()
    if not typed or typed.isascii() or domain_problem(typed) is not None:
        return ""
    return f"Sent as {comparable_domain(typed)}"
