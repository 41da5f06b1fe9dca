"""What screen readers are told where Qt's own accessibility falls short.

On Linux, Qt names a combo box after its current item ("Practice") and
ignores the accessible name it was given ("Environment"): it expects a label
to name it through a relation.  A combo box that was given a name keeps it
here, its current item being its value, as on the other systems.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Install the accessible interface for named combo boxes (once per process)."""
    global _installed
    if _installed:
        return
    from PySide6.QtGui import QAccessible

    _installed = True
    QAccessible.installFactory(_interface_for)


def _interface_for(key: str, obj: Any) -> Any:
    # Asked for every object a screen reader (or a test) looks at: the common
    # answer, "Qt's own", must be quick.
    if key != "QComboBox":
        return None
    from PySide6.QtWidgets import QComboBox

    if not isinstance(obj, QComboBox) or obj.isEditable() or not obj.accessibleName():
        return None
    return _named_combo_class()(obj)


_combo_class: Any = None


def _named_combo_class() -> Any:
    """The interface class, made on first use (start-up does not pay for its enums)."""
    global _combo_class
    if _combo_class is not None:
        return _combo_class
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QAccessibleWidget, QComboBox

    class NamedComboBox(QAccessibleWidget):
        """A non-editable combo box named by its accessible name; its value is its item."""

        def __init__(self, combo: QComboBox) -> None:
            super().__init__(combo, QAccessible.Role.ComboBox)
            self._combo = combo

        def text(self, t: QAccessible.Text) -> str:
            if t == QAccessible.Text.Name:
                return self._combo.accessibleName()
            if t == QAccessible.Text.Value:
                return self._combo.currentText()
            return str(super().text(t))

        def actionNames(self) -> list[str]:
            return [QAccessibleWidget.showMenuAction(), *super().actionNames()]

        def doAction(self, name: str) -> None:
            if name in (QAccessibleWidget.showMenuAction(), QAccessibleWidget.pressAction()):
                self._combo.showPopup()
            else:
                super().doAction(name)

    _combo_class = NamedComboBox
    return _combo_class
