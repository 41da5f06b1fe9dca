"""Plugging sending into the order window through the hooks it offers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QWidget

from desktop_app.services.environments import Environment
from desktop_app.services.keystore import KeyStore
from desktop_app.ui.environments.switch import EnvironmentSwitch, last_used
from desktop_app.ui.send import environment_problems
from desktop_app.ui.send.controller import KEYRING_WAIT, SendController

ASKING_STATUS = "Asking the status of order "  # how status_check's message starts

if TYPE_CHECKING:
    from desktop_app.ui.send.host import SendingHost

HISTORY_CHECK_DELAY_MS = 250  # past the first frame, well before anyone can click Send


class _WaitForSendOnClose(QObject):
    """Sees the window's close before the window does: a send in flight is
    cancelled and its thread waited for, so no worker outlives the window."""

    def __init__(self, controller: SendController) -> None:
        super().__init__(controller)
        self._controller = controller

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and self._controller.runner.busy:
            self._controller.runner.wait()
        return False


def install_sending(
    window: SendingHost,
    key_store: KeyStore | None = None,
    sandbox_key_store: KeyStore | None = None,
) -> SendController:
    """Give ``window`` its API key group, History pane, Send Order… and the environments.

    ``key_store`` (production's key) and ``sandbox_key_store`` default to the
    OS keyring's (tests pass their own).
    """
    controller = SendController(
        window.widget(), window.settings.store, key_store, sandbox_key_store=sandbox_key_store
    )
    window.settings_pane.set_api_key_widget(controller.settings_widget)
    _add_history_tab(window, controller)
    window.set_send_handler(lambda: _send_document(window, controller))
    controller.message.connect(window.show_status)
    _add_history_banner(window, controller)
    environment_problems.install(window, controller)
    _clear_status_when_done(window, controller)
    # Drafting warnings for what History shows as already ordered at the address in use.
    window.document.problems.bought_for = controller.bought_for
    controller.bought_changed.connect(window.document.problems_changed)
    controller.busy_changed.connect(lambda busy: window.window_actions.send.setEnabled(not busy))

    menu = window.window_actions.order_menu
    send_drafts = QAction("Send &Drafts…", window.widget())
    send_drafts.setStatusTip("Review and send several saved drafts, one after another")
    send_drafts.triggered.connect(lambda: _send_draft_files(window, controller))
    menu.addAction(send_drafts)
    practice = QAction("&Practice Mode", window.widget())
    practice.setCheckable(True)
    practice.setStatusTip("Send to a practice server on this computer: nothing is bought")
    controller.practice.changed.connect(practice.setChecked)
    menu.addAction(practice)
    window.set_practice_action(practice)
    switch = _add_environment_switch(window, controller)
    # Every way the operator leaves for Production asks first.
    practice.toggled.connect(lambda on: _set_practice(window, controller, on))
    controller.settings_widget.practice_toggled.disconnect(controller.set_practice)
    controller.settings_widget.practice_toggled.connect(
        lambda on: _set_practice(window, controller, on)
    )
    window.practice_banner.leave_requested.connect(
        lambda: _choose(window, controller, Environment.PRODUCTION)
    )

    window.widget().installEventFilter(_WaitForSendOnClose(controller))
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(controller.shutdown)
    practice_mode = controller.practice
    # A plain function, not a slot of an object dying with the window.
    window.widget().destroyed.connect(lambda: practice_mode.stop())
    # --practice wins; else a new window starts where the last choice left off.
    first = Environment.PRACTICE if window.practice else last_used(window.settings.store)
    if first is not Environment.PRODUCTION:
        # A practice server starts after the first frame, or as soon as a send needs it.
        controller.set_environment(first, start_later=True)
        _AfterFirstFrame(window.widget(), controller.practice.start_pending)
        switch.show(controller.environment)
    if controller.environment is Environment.PRODUCTION:
        window.practice_banner.show_production()
    return controller


def _add_environment_switch(window: SendingHost, controller: SendController) -> EnvironmentSwitch:
    """Order ▸ Environment and the toolbar's combo box, both following the controller."""
    switch = EnvironmentSwitch(window.settings.store, window.toolbar, controller)
    switch.add_menu(window.window_actions.order_menu, window.widget())
    window.toolbar.insertWidget(window.window_actions.send, switch.combo)
    window.set_environment_switch(switch)
    switch.chosen.connect(lambda environment: _choose(window, controller, environment))

    def show(environment: Environment) -> None:
        switch.show(environment)
        window.set_practice_mode(environment is Environment.PRACTICE)
        sandbox = environment is Environment.SANDBOX
        window.practice_banner.show_sandbox(sandbox)
        if sandbox:
            window.practice_banner.show()
            window.set_title_mark(environment.label)
        elif environment is Environment.PRODUCTION:
            window.practice_banner.show_production()

    controller.environment_changed.connect(show)
    # A practice server that cannot start leaves the choice where it was.
    controller.practice.failed.connect(lambda _text: switch.show(controller.environment))
    return switch


def _choose(window: SendingHost, controller: SendController, environment: Environment) -> None:
    """The operator chose ``environment``: Production only once they said so."""
    leaving = controller.environment
    switch = window.environment_switch
    if (
        environment is Environment.PRODUCTION
        and leaving is not Environment.PRODUCTION
        and switch is not None
        and not switch.confirm_production(leaving)
    ):
        _show_unchanged(window, controller)
        return
    controller.set_environment(environment)


def _set_practice(window: SendingHost, controller: SendController, on: bool) -> None:
    """Practice Mode (the menu's or the settings' switch) turned on or off."""
    if on or controller.environment is not Environment.PRACTICE:
        controller.set_practice(on)
    else:
        _choose(window, controller, Environment.PRODUCTION)


def _show_unchanged(window: SendingHost, controller: SendController) -> None:
    """Put every switch back on the environment in use, after a change was refused."""
    environment = controller.environment
    if window.environment_switch is not None:
        window.environment_switch.show(environment)
    if window.practice_action is not None:
        blocked = window.practice_action.blockSignals(True)
        window.practice_action.setChecked(environment is Environment.PRACTICE)
        window.practice_action.blockSignals(blocked)
    controller.settings_widget.show_environment(environment, controller.key_store_of(environment))


def _clear_status_when_done(window: SendingHost, controller: SendController) -> None:
    """A "…" message in the status bar goes when the work it announced has ended."""

    def when_idle(starting: str) -> Callable[[bool], None]:
        def clear(busy: bool) -> None:
            if not busy:
                window.clear_status(starting)

        return clear

    controller.key_calls.busy_changed.connect(when_idle(KEYRING_WAIT))
    controller.status_checks.busy_changed.connect(when_idle(ASKING_STATUS))


class _AfterFirstFrame(QObject):
    """Runs ``then`` once ``window`` has drawn its first frame (at once if it is up already)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then = then
        if window.isVisible():
            QTimer.singleShot(0, self, self._run)
        else:
            window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.parent():
            watched.removeEventFilter(self)
            # Queued behind the rest of this paint: the frame is on screen when it runs.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        self._then()
        self.deleteLater()


class _PanePlaceholder(QWidget):
    """Holds a tab's place until its pane is built; shown, it says so (``shown()``)."""

    shown = Signal()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit()


def _add_history_tab(window: SendingHost, controller: SendController) -> None:
    """The History tab, whose pane is built when first needed (not before the first frame)."""
    placeholder = _PanePlaceholder()
    placeholder.setObjectName("historyPlaceholder")
    window.add_pane("History", placeholder, lambda: controller.history_pane)
    controller.history_pane_built.connect(lambda pane: window.replace_pane(placeholder, pane))
    # The tab chosen: built on the next turn, not while the tabs are switching.
    placeholder.shown.connect(
        lambda: QTimer.singleShot(0, controller, lambda: controller.history_pane)
    )


def _add_history_banner(window: SendingHost, controller: SendController) -> None:
    """A banner across the window when History cannot be used (damaged, locked, read-only)."""
    from desktop_app.ui.common.message_banner import MessageBanner

    banner = MessageBanner()
    banner.setObjectName("historyBanner")
    banner.hide()
    window.add_banner(banner)
    controller.history_failed.connect(lambda text: banner.show_message(text, True))
    controller.history_failed.connect(lambda text: controller.history_pane.show_problem(text))
    # After the window is up and drawn: History (and sqlite3) is not needed to draw it.
    QTimer.singleShot(HISTORY_CHECK_DELAY_MS, controller.check_history)


def _send_document(window: SendingHost, controller: SendController) -> None:
    document = window.document
    # The review must see every picture checked: one still unchecked is checked now.
    document.finish_picture_checks()
    path = str(document.path) if document.path else ""
    controller.send_orders([(document.display_name(), document.order, path)])


def _send_draft_files(window: SendingHost, controller: SendController) -> None:
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.draft import draft_file

    names, _ = QFileDialog.getOpenFileNames(
        window.widget(), "Send Drafts", window.settings.last_folder(), "Order drafts (*.cmrorder)"
    )
    orders = []
    for name in names:
        try:
            orders.append((Path(name).name, draft_file.load(name), name))
        except draft_file.DraftError as exc:
            window.files.fail("Cannot Open Draft", str(exc))
            return
    if orders:
        controller.send_orders(orders)
