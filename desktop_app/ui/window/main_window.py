"""The order window: the panes side by side, the menus, and the document's life.

Hooks for sending, which is plugged in from outside this package:

- ``MainWindow.set_send_handler(handler: Callable[[], None] | None) -> None``
  enables Send Order… (Order menu, Ctrl+Return, toolbar) and calls ``handler`` when
  it is chosen; ``None`` disables it again.  The ``send_requested`` signal is emitted too.
- ``MainWindow.settings_pane.set_api_key_widget(widget: QWidget) -> None`` puts the
  key controls in the "API key" group of the settings column
  (``MainWindow.settings_pane.api_key_group`` is the group itself).
- ``MainWindow.add_pane(title: str, widget: QWidget) -> int`` adds a tab (such as
  History) beside Problems in the bottom area; returns its index.
- ``MainWindow.window_actions.order_menu`` takes further order actions (a practice switch).
- ``MainWindow.document`` is the open draft (``.order``, ``.path``, ``.problems``,
  ``.edited`` signal); ``MainWindow.practice`` says whether practice mode was asked for
  (then, once sending is plugged in, whether it is on).
- ``MainWindow.set_practice_mode(on: bool) -> None`` shows or hides the practice banner
  and the "— Practice" mark in the title; the banner's ``leave_requested`` signal
  (``MainWindow.practice_banner``) asks to leave practice mode.
  ``MainWindow.set_title_mark(mark: str) -> None`` puts another environment's name
  there ("CMR sandbox"; "" for none).
- ``MainWindow.show_status(text)`` shows a sentence in the status bar.
- ``MainWindow.confirm_banner`` follows the order's "Process at once" by itself;
  ``MainWindow.reset_layout()`` is View ▸ Reset Layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.order.validation import Problem, Table
from desktop_app.ui.common.plain_text import plain_label
from desktop_app.ui.common.window_fit import (
    DEFAULT_SIZE,
    fitting_size,
)
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.files.autosave import AutosaveController, Orphan
from desktop_app.ui.files.draft_files import DraftFiles
from desktop_app.ui.files.window_settings import WindowSettings
from desktop_app.ui.order_options.settings_pane import SettingsPane
from desktop_app.ui.pictures.avatar_controller import AvatarController
from desktop_app.ui.pictures.avatar_pane import AvatarPane
from desktop_app.ui.tables.columns import DOMAIN_SPECS, MAILBOX_SPECS, MailboxColumn
from desktop_app.ui.tables.domains_pane import DomainsPane
from desktop_app.ui.tables.mailboxes_pane import MailboxesPane
from desktop_app.ui.window import pane_layout
from desktop_app.ui.window.menus import build_menus, fill_recent_menu
from desktop_app.ui.window.practice_banner import ConfirmBanner, PracticeBanner
from desktop_app.ui.window.problems_pane import ProblemsPane, summary_text
from desktop_app.ui.window.toolbar import apply_icons, build_toolbar

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.environments.switch import EnvironmentSwitch
    from desktop_app.ui.send.controller import SendController
    from desktop_app.ui.tables.table_pane import TablePane

STATUS_GAP = 12  # px between a status message and the counts
STATUS_SECONDS = 6
PaneMaker = Callable[[], QWidget]  # builds a pane (or returns it, once built)
COMPACT_PICTURES = 40  # the pictures' least height in a short window, a strip of slots


class MainWindow(QMainWindow):
    """The order window (see the module docstring for the hooks sending uses).

    Signals:
        send_requested(): Send Order… was chosen (only while a send handler is set).
    """

    send_requested = Signal()

    def __init__(
        self, practice: bool = False, remember: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from desktop_app.ui.common import accessibility

        accessibility.install()
        self.practice = practice
        self._title_mark = ""  # the environment named in the title ("Practice", …)
        self.remember = remember  # False: neither restore nor save the layout
        self._send_handler: Callable[[], None] | None = None
        # What the send plug-in (desktop_app.ui.send.integration) adds once it is installed.
        self.sending: SendController | None = None
        self.practice_action: QAction | None = None
        self.environment_switch: EnvironmentSwitch | None = None
        self.history_banner: QWidget | None = None
        self.settings = WindowSettings()
        self._apply_theme()
        self.document = OrderDocument(self)
        self.files = DraftFiles(self.document, self.settings, self)
        self.avatars = AvatarController(self.document, self)
        self.avatars.last_folder = self.settings.last_folder()
        self.autosave = AutosaveController(self.document)

        self.domains_pane = DomainsPane(self.document.domains)
        self.mailboxes_pane = MailboxesPane(self.document.mailboxes)
        self.avatar_pane = AvatarPane(self.document.mailboxes, self.avatars)
        self.settings_pane = SettingsPane(self.document, self.settings.store)
        self.problems_pane = ProblemsPane(self.document)
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.setDocumentMode(True)
        self.bottom_tabs.setAccessibleName("Problems and history")
        self.bottom_tabs.addTab(self.problems_pane, "Problems")
        self.practice_banner = PracticeBanner()
        self.confirm_banner = ConfirmBanner(self.document)
        central, self.splitters, self.table_area = pane_layout.lay_out(self)
        self.setCentralWidget(central)
        self.confirm_banner.refresh()
        self.window_actions, self.help_menu = build_menus(self)
        self.toolbar = build_toolbar(self, self.window_actions)
        self._build_status_bar()
        self._connect()
        self.settings.store.set_reporter(self.show_status)  # a setting replaced by its default
        self._panes_sized = False
        pane_layout.restore_state(self)
        self._on_document_path_changed()
        self._update_counts()
        # The work, not a banner's button, has the focus first: one stray key must not
        # leave practice mode.
        self.domains_pane.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_theme(self) -> None:
        from desktop_app.services.settings import THEME

        chosen = self.settings.store.get(THEME)
        if chosen != "system":  # the system's colours are there already
            from desktop_app.ui.common import theme

            theme.apply(chosen)

    # --- hooks -------------------------------------------------------------------------

    def set_send_handler(self, handler: Callable[[], None] | None) -> None:
        self._send_handler = handler
        self.window_actions.send.setEnabled(handler is not None)

    def request_send(self) -> None:
        if self._send_handler is not None:
            self.send_requested.emit()
            self._send_handler()

    def add_pane(self, title: str, widget: QWidget, pane: PaneMaker | None = None) -> int:
        """A tab beside Problems, with View ▸ ``title`` (Alt+the next number) going to it.

        ``widget`` may hold the place of a pane built later by ``pane()``.
        """
        index = self.bottom_tabs.addTab(widget, title)
        from desktop_app.ui.window.menus import add_pane_action

        def focus() -> None:
            page = pane() if pane is not None else widget
            self.bottom_tabs.setCurrentWidget(page)
            pane_layout.show_bottom_rows(self)
            (page.focusProxy() or page).setFocus(Qt.FocusReason.ShortcutFocusReason)

        add_pane_action(self, self.window_actions, title, focus)
        return index

    def replace_pane(self, placeholder: QWidget, pane: QWidget) -> None:
        """Put ``pane`` in the tab ``placeholder`` held, still chosen and focused if it was."""
        pane_layout.replace_bottom_pane(self, placeholder, pane)

    def widget(self) -> QWidget:
        """The window as the parent of what a plug-in opens."""
        return self

    def add_banner(self, banner: QWidget) -> None:
        """A banner across the window, under the practice banner."""
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, banner)
        self.history_banner = banner

    def set_practice_action(self, action: QAction) -> None:
        self.practice_action = action

    def set_environment_switch(self, switch: EnvironmentSwitch) -> None:
        self.environment_switch = switch

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_SECONDS * 1000)

    def clear_status(self, starting: str) -> None:
        """Take the status bar's message away if it starts with ``starting`` (its work ended)."""
        if self.statusBar().currentMessage().startswith(starting):
            self.statusBar().clearMessage()

    def set_practice_mode(self, on: bool) -> None:
        """Say, in the title and a banner, whether orders go to the practice server."""
        self.practice = on
        self.practice_banner.setVisible(on)
        self.set_title_mark("Practice" if on else "")

    def set_title_mark(self, mark: str) -> None:
        """Name the environment orders go to after the app's name in the title ("" for none)."""
        self._title_mark = mark
        self._on_document_path_changed()

    # --- layout --------------------------------------------------------------------------

    def reset_layout(self) -> None:
        """View ▸ Reset Layout: the default window size (as far as the screen allows) and panes."""
        self.setWindowState(Qt.WindowState.WindowNoState)
        self.resize(fitting_size(self, DEFAULT_SIZE))
        pane_layout.size_panes(self, remembered=False)
        self.show_status("Layout reset.")

    def _build_status_bar(self) -> None:
        self.counts_label = plain_label()
        self.counts_label.setAccessibleName("Row counts")
        self.problems_label = plain_label()
        self.problems_label.setAccessibleName("Problem summary")
        # Never squeezed under a long message: the message gives way, not the counts.
        for label in (self.counts_label, self.problems_label):
            label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
            label.setContentsMargins(STATUS_GAP, 0, 0, 0)  # a long message never runs into them
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.problems_label)

    def _connect(self) -> None:
        document = self.document
        document.path_changed.connect(self._on_document_path_changed)
        document.fields_changed.connect(self._on_document_path_changed)  # the order's name
        document.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        document.replaced.connect(self._on_document_replaced)
        for pane in (self.domains_pane, self.mailboxes_pane):
            pane.counts_changed.connect(self._update_counts)
            pane.message.connect(self.show_status)
        document.edited.connect(self._update_counts)
        self.mailboxes_pane.generate_requested.connect(self.open_generator)
        self.bottom_tabs.currentChanged.connect(lambda _index: pane_layout.show_bottom_rows(self))
        self.table_area.tabbed_changed.connect(self._on_table_area_tabbed_changed)
        self.problems_pane.problem_activated.connect(self._on_problems_pane_problem_activated)
        self.problems_pane.summary_changed.connect(self._on_problems_pane_summary_changed)
        self.files.message.connect(self.show_status)
        self.files.recent_changed.connect(self._fill_recent_menu)
        self.avatars.message.connect(lambda text, _warning: self.show_status(text))
        self.avatars.folder_chosen.connect(self._on_avatars_folder_chosen)
        self.autosave.failed.connect(self.show_status)
        self._fill_recent_menu()
        self._on_problems_pane_summary_changed(summary_text(*self.problems_pane.counts()))

    def showEvent(self, event: QShowEvent) -> None:
        # Pane sizes are set once the window has its real size: the defaults are
        # then shared out in proportion (a short window keeps its tables).
        if not self._panes_sized:
            self._panes_sized = True
            pane_layout.size_panes(self, remembered=True)
        super().showEvent(event)

    # --- editing routed to the pane with the focus ------------------------------------------

    def edit_in_pane(self, operation: str) -> None:
        """Run ``copy``/``paste``/``delete``/… on whichever pane has the keyboard focus."""
        for pane in (self.domains_pane, self.mailboxes_pane, self.avatar_pane):
            if pane.has_focus_within():
                method = getattr(pane, operation, None)
                if method is not None:
                    method()
                return
        if operation == "paste":
            self.show_status("Click a cell of the Domains or Mailboxes table, then paste.")

    def focus_targets(self) -> dict[str, Callable[[], None]]:
        return {
            "&Domains": lambda: self.focus_table(self.domains_pane),
            "&Mailboxes": lambda: self.focus_table(self.mailboxes_pane),
            "&Pictures": lambda: self.avatar_pane.view.setFocus(),
            "&Settings": lambda: self.settings_pane.provider.google.setFocus(),
            "P&roblems": self._focus_problems,
        }

    def show_table(self, pane: TablePane) -> None:
        """Show ``pane``'s table (the chosen tab when the window is too short to stack them)."""
        self.table_area.show_pane(pane)

    def focus_table(self, pane: TablePane) -> None:
        """View ▸ Domains / Mailboxes: the table shown, with its rows, and the focus in it."""
        self.show_table(pane)
        pane_layout.show_table_rows(self, pane)
        pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_row_in(self, pane: TablePane) -> None:
        """Order ▸ Add Domain / Add Mailbox: a row at the end of ``pane``'s table, shown."""
        self.show_table(pane)
        pane.add_row()

    def _focus_problems(self) -> None:
        self.bottom_tabs.setCurrentWidget(self.problems_pane)
        pane_layout.show_bottom_rows(self)
        self.problems_pane.view.setFocus()

    def open_generator(self) -> None:
        from desktop_app.ui.window.generator_dialog import GeneratorDialog, domain_choices

        dialog = GeneratorDialog(self.document, *domain_choices(self.domains_pane), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_status(dialog.outcome))
        dialog.accepted.connect(lambda: self.show_table(self.mailboxes_pane))
        self.generator_dialog = dialog
        dialog.open()

    # --- restoring after a crash (see restore_prompt) ------------------------------------

    def offer_restore(self) -> QMessageBox | None:
        """Offer the newest autosave a crashed window left behind (non-blocking)."""
        from desktop_app.ui.files.restore_prompt import offer_restore

        box = offer_restore(self)
        if box is not None:
            self.restore_prompt = box
        return box

    def restore(self, orphan: Orphan) -> bool:
        from desktop_app.ui.files.restore_prompt import restore

        return restore(self, orphan)

    # --- reactions ------------------------------------------------------------------------------

    def _on_document_path_changed(self) -> None:
        mark = f" — {self._title_mark}" if self._title_mark else ""
        self.setWindowTitle(f"{self.document.display_name()}[*] — {APP_NAME}{mark}")
        self.setWindowFilePath(str(self.document.path) if self.document.path else "")
        self.setWindowModified(self.document.is_modified())

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _on_document_replaced(self) -> None:
        self._on_document_path_changed()
        for pane in (self.domains_pane, self.mailboxes_pane):
            pane.clear_filter()
        self.avatar_pane.filter_edit.clear()
        self.avatar_pane.hide_message()
        self._update_counts()

    def _update_counts(self) -> None:
        order = self.document.order
        domains, mailboxes = len(order.domains), len(order.mailboxes)
        pictures = order.avatar_count()
        self.counts_label.setText(
            f"{self.domains_pane.count_text()} · {self.mailboxes_pane.count_text()} · "
            f"{pictures:,} of {mailboxes:,} pictures"
            if domains or mailboxes
            else "Empty draft"
        )

    def _on_problems_pane_summary_changed(self, text: str) -> None:
        self.problems_label.setText(text)
        errors, warnings = self.problems_pane.counts()
        title = f"Problems ({errors + warnings:,})" if errors or warnings else "Problems"
        self.bottom_tabs.setTabText(self.bottom_tabs.indexOf(self.problems_pane), title)

    def _on_problems_pane_problem_activated(self, problem: Problem) -> None:
        """Go to where a problem is: its cell, its picture slot, or its setting."""
        if problem.table is Table.SETTINGS:
            if not self.settings_pane.focus_setting(problem.column):
                self.show_status(problem.message)
            return
        if problem.row is None:
            self.show_status(problem.message)
            return
        if problem.table is Table.DOMAINS:
            columns = {spec.field: int(c) for c, spec in DOMAIN_SPECS.items()}
            self.show_table(self.domains_pane)
            self.domains_pane.select_cell(problem.row, columns.get(problem.column, 0))
        elif problem.table is Table.MAILBOXES:
            columns = {spec.field: int(c) for c, spec in MAILBOX_SPECS.items() if spec.field}
            self.show_table(self.mailboxes_pane)
            self.mailboxes_pane.select_cell(problem.row, columns.get(problem.column, 0))
        else:
            self.avatar_pane.select_row(problem.row)
            self.show_table(self.mailboxes_pane)
            self.mailboxes_pane.select_cell(problem.row, int(MailboxColumn.AVATAR))

    def _on_table_area_tabbed_changed(self, tabbed: bool) -> None:
        """A short window keeps its room for rows: the pictures give way to History.

        The drop hint goes (the guide says the same) and the slots may shrink to a
        strip, so History, when chosen, can have its four rows (0: Qt's own minimum).
        """
        self.avatar_pane.hint.setHidden(tabbed)
        self.avatar_pane.view.setMinimumHeight(COMPACT_PICTURES if tabbed else 0)

    def _on_avatars_folder_chosen(self, folder: str) -> None:
        self.settings.set_last_folder(folder)
        self.avatars.last_folder = folder

    def _fill_recent_menu(self) -> None:
        if hasattr(self, "window_actions"):
            fill_recent_menu(self, self.window_actions.recent_menu)

    def changeEvent(self, event: QEvent) -> None:
        # A dark theme switched on (or off) while the window is open: icons follow.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and hasattr(
            self, "toolbar"
        ):
            apply_icons(self, self.window_actions)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.confirm_discard():
            event.ignore()
            return
        pane_layout.save_state(self)
        self.avatars.shutdown()
        self.autosave.shutdown()
        event.accept()
