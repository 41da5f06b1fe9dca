"""Choosing where orders go: one choice, shown as a toolbar combo box and Order ▸ Environment.

Each window keeps its own choice; the last one made is remembered in the
settings file, so a new window starts where the operator left off.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QMenu, QWidget

from desktop_app.services.environments import Environment
from desktop_app.services.settings import ENVIRONMENT, Settings
from desktop_app.ui.common.keyboard import with_mnemonic

TIPS = {
    Environment.PRACTICE: "Send to a practice server on this computer: nothing is bought",
    Environment.SANDBOX: "Send to CMR's sandbox, with its own key: no money moves",
    Environment.PRODUCTION: "Send real orders to CMR: they cost money",
}


LEAVE_FOR_PRODUCTION = "Orders will be real and paid from your wallet."


def last_used(settings: Settings) -> Environment:
    """The environment chosen last in any window (production when none was, or it is unknown)."""
    return settings.get(ENVIRONMENT)


class EnvironmentSwitch(QObject):
    """The window's environment: three checkable actions in one group, and a combo box.

    Both always show the same choice.  ``chosen(environment)`` is emitted when
    the operator picks one (in the menu or the combo box); :meth:`show` reflects
    a choice made elsewhere without emitting it.

    ``confirm_production(leaving)`` says whether to go from ``leaving`` to
    Production (by default it asks, naming what changes); tests answer it.
    """

    chosen = Signal(object)

    def __init__(self, settings: Settings, toolbar: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._toolbar = toolbar
        self.confirm_production: Callable[[Environment], bool] = self._ask_production
        self.current = Environment.PRODUCTION
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[Environment, QAction] = {}
        taken: set[str] = set()  # each item of Order ▸ Environment has a letter of its own
        for environment in Environment:
            action = QAction(with_mnemonic(environment.label, taken), self)
            action.setCheckable(True)
            action.setStatusTip(TIPS[environment])
            action.setData(environment.value)
            self.group.addAction(action)
            self.actions[environment] = action
        self.actions[self.current].setChecked(True)
        self.group.triggered.connect(self._on_group_triggered)
        self.combo = QComboBox(toolbar)  # owned by the toolbar it goes in, from the start
        self.combo.setObjectName("environmentCombo")
        self.combo.setAccessibleName("Environment")
        self.combo.setToolTip("Where orders go: practice, CMR's sandbox, or production")
        for environment in Environment:
            self.combo.addItem(environment.label, environment.value)
            self.combo.setItemData(self.combo.count() - 1, TIPS[environment], 3)  # tooltip role
        self.combo.setCurrentIndex(list(Environment).index(self.current))
        self.combo.activated.connect(self._on_combo_activated)

    def add_menu(self, parent_menu: QMenu, parent_widget: QWidget) -> QMenu:
        """Order ▸ Environment, with the three actions."""
        menu = QMenu("&Environment", parent_widget)
        menu.setObjectName("environmentMenu")
        for action in self.actions.values():
            menu.addAction(action)
        parent_menu.addMenu(menu)
        return menu

    def show(self, environment: Environment) -> None:
        """Show ``environment`` as chosen (and remember it for the next window), no signal."""
        self.current = environment
        self.actions[environment].setChecked(True)
        blocked = self.combo.blockSignals(True)
        self.combo.setCurrentIndex(list(Environment).index(environment))
        self.combo.blockSignals(blocked)
        self._settings.set(ENVIRONMENT, environment)

    def _ask_production(self, leaving: Environment) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.ui.common.plain_text import message_box

        box = message_box(
            QMessageBox.Icon.Warning,
            "Send Real Orders?",
            f"Leave {leaving.label} for Production?",
            QMessageBox.StandardButton.NoButton,
            self._toolbar.window(),
            informative=LEAVE_FOR_PRODUCTION,
        )
        go = box.addButton("Switch to &Production", QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(f"&Stay in {leaving.label}", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)  # Enter, like Escape, changes nothing
        box.setEscapeButton(stay)
        box.exec()
        return box.clickedButton() is go

    def _on_group_triggered(self, action: QAction) -> None:
        self.chosen.emit(Environment(str(action.data())))

    def _on_combo_activated(self, index: int) -> None:
        self.chosen.emit(list(Environment)[index])
