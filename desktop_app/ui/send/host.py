"""What sending needs of the window it plugs into: the window's declared extension points.

The window (``ui.window.main_window.MainWindow``) sits above sending and is
one of these; sending names only this, so it never depends on the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QToolBar, QWidget

    from desktop_app.order.problems import Problem
    from desktop_app.services.settings import Settings
    from desktop_app.ui.document import OrderDocument
    from desktop_app.ui.environments.switch import EnvironmentSwitch


class Banner(Protocol):
    """The banner across the window that names practice or the sandbox."""

    @property
    def leave_requested(self) -> SignalInstance: ...

    def show_sandbox(self, on: bool) -> None: ...

    def show_production(self) -> None: ...

    def show(self) -> None: ...


class HostActions(Protocol):
    @property
    def send(self) -> QAction: ...

    @property
    def order_menu(self) -> QMenu: ...


class HostSettings(Protocol):
    @property
    def store(self) -> Settings: ...

    def last_folder(self) -> str: ...


class HostSettingsPane(Protocol):
    def set_api_key_widget(self, widget: QWidget) -> None: ...

    def ensureWidgetVisible(self, widget: QWidget) -> None: ...


class HostProblems(Protocol):
    """The Problems pane: sending adds what the environment still needs."""

    @property
    def problem_activated(self) -> SignalInstance: ...

    def refresh(self) -> None: ...

    def set_extra_problems(self, source: Callable[[], list[Problem]]) -> None: ...


class HostFiles(Protocol):
    def fail(self, title: str, sentence: str, quiet: bool = False) -> str: ...


class SendingHost(Protocol):
    """A window sending can be installed into.

    ``widget()`` is the window as a widget (the parent of what sending opens);
    the ``add_*`` and ``set_*`` methods are the extension points it offers.
    """

    practice: bool  # opened with --practice

    @property
    def document(self) -> OrderDocument: ...

    @property
    def settings(self) -> HostSettings: ...

    @property
    def settings_pane(self) -> HostSettingsPane: ...

    @property
    def files(self) -> HostFiles: ...

    @property
    def practice_banner(self) -> Banner: ...

    @property
    def window_actions(self) -> HostActions: ...

    @property
    def toolbar(self) -> QToolBar: ...

    @property
    def problems_pane(self) -> HostProblems: ...

    @property
    def practice_action(self) -> QAction | None: ...

    @property
    def environment_switch(self) -> EnvironmentSwitch | None: ...

    def widget(self) -> QWidget: ...

    def add_pane(
        self, title: str, widget: QWidget, pane: Callable[[], QWidget] | None = None
    ) -> int: ...

    def replace_pane(self, placeholder: QWidget, pane: QWidget) -> None: ...

    def add_banner(self, banner: QWidget) -> None: ...

    def set_send_handler(self, handler: Callable[[], None] | None) -> None: ...

    def set_practice_action(self, action: QAction) -> None: ...

    def set_environment_switch(self, switch: EnvironmentSwitch) -> None: ...

    def show_status(self, text: str) -> None: ...

    def clear_status(self, starting: str) -> None: ...

    def set_practice_mode(self, on: bool) -> None: ...

    def set_title_mark(self, mark: str) -> None: ...
