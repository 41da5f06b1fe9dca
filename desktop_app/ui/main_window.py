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
- ``MainWindow.actions.order_menu`` takes further order actions (a practice switch).
- ``MainWindow.document`` is the open draft (``.order``, ``.path``, ``.problems``,
  ``.edited`` signal); ``MainWindow.practice`` says whether practice mode was asked for
  (then, once sending is plugged in, whether it is on).
- ``MainWindow.set_practice_mode(on: bool) -> None`` shows or hides the practice banner
  and the "— Practice" mark in the title; the banner's ``leave_requested`` signal
  (``MainWindow.practice_banner``) asks to leave practice mode.
- ``MainWindow.show_status(text)`` shows a sentence in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME, __version__
from desktop_app.core.validation import Problem, Table
from desktop_app.ui.autosave import AutosaveController, Orphan, find_orphans
from desktop_app.ui.avatar_controller import AvatarController
from desktop_app.ui.avatar_pane import AvatarPane
from desktop_app.ui.columns import DOMAIN_SPECS, MAILBOX_SPECS, MailboxColumn
from desktop_app.ui.document import OrderDocument
from desktop_app.ui.domains_pane import DomainsPane
from desktop_app.ui.draft_files import DraftFiles
from desktop_app.ui.mailboxes_pane import MailboxesPane
from desktop_app.ui.menus import build_menus
from desktop_app.ui.plain_text import plain_label
from desktop_app.ui.practice_banner import PracticeBanner
from desktop_app.ui.problems_pane import ProblemsPane, summary_text
from desktop_app.ui.settings_pane import SettingsPane
from desktop_app.ui.toolbar import build_toolbar
from desktop_app.ui.window_settings import WindowSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

DEFAULT_SIZE = QSize(1280, 800)
SPLITTERS = {"main": [570, 160], "columns": [300, 620, 360], "tables": [230, 340]}
STATUS_SECONDS = 6


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
        self.practice = practice
        self._practice_shown = False
        self._remember = remember
        self._send_handler: Callable[[], None] | None = None
        self.settings = WindowSettings()
        self.document = OrderDocument(self)
        self.files = DraftFiles(self.document, self.settings, self)
        self.avatars = AvatarController(self.document, self)
        self.avatars.last_folder = self.settings.last_folder()
        self.autosave = AutosaveController(self.document)

        self.domains_pane = DomainsPane(self.document.domains)
        self.mailboxes_pane = MailboxesPane(self.document.mailboxes)
        self.avatar_pane = AvatarPane(self.document.mailboxes, self.avatars)
        self.settings_pane = SettingsPane(self.document)
        self.problems_pane = ProblemsPane(self.document)
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.setDocumentMode(True)
        self.bottom_tabs.addTab(self.problems_pane, "Problems")
        self.practice_banner = PracticeBanner()
        self.splitters = self._lay_out()
        self.actions = build_menus(self)
        self.toolbar = build_toolbar(self, self.actions)
        self._build_status_bar()
        self._connect()
        self._restore_state()
        self._on_document_path_changed()
        self._update_counts()

    # --- hooks -------------------------------------------------------------------------

    def set_send_handler(self, handler: Callable[[], None] | None) -> None:
        self._send_handler = handler
        self.actions.send.setEnabled(handler is not None)

    def request_send(self) -> None:
        if self._send_handler is not None:
            self.send_requested.emit()
            self._send_handler()

    def add_pane(self, title: str, widget: QWidget) -> int:
        return self.bottom_tabs.addTab(widget, title)

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_SECONDS * 1000)

    def set_practice_mode(self, on: bool) -> None:
        """Say, in the title and a banner, whether orders go to the practice server."""
        self.practice = on
        self._practice_shown = on
        self.practice_banner.setVisible(on)
        self._on_document_path_changed()

    # --- layout --------------------------------------------------------------------------

    def _lay_out(self) -> dict[str, QSplitter]:
        tables = QSplitter(Qt.Orientation.Vertical)
        tables.addWidget(self.domains_pane)
        tables.addWidget(self.mailboxes_pane)
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(self.settings_pane)
        columns.addWidget(tables)
        columns.addWidget(self.avatar_pane)
        columns.setStretchFactor(1, 1)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(columns)
        main.addWidget(self.bottom_tabs)
        main.setStretchFactor(0, 1)
        splitters = {"main": main, "columns": columns, "tables": tables}
        for name, splitter in splitters.items():
            splitter.setObjectName(f"{name}Splitter")
            splitter.setChildrenCollapsible(False)
            splitter.setSizes(SPLITTERS[name])
        central = QWidget()
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.practice_banner)
        layout.addWidget(main, 1)
        self.setCentralWidget(central)
        return splitters

    def _build_status_bar(self) -> None:
        self.counts_label = plain_label()
        self.counts_label.setAccessibleName("Row counts")
        self.problems_label = plain_label()
        self.problems_label.setAccessibleName("Problem summary")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.problems_label)

    def _connect(self) -> None:
        document = self.document
        document.pathChanged.connect(self._on_document_path_changed)
        document.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        document.replaced.connect(self._on_document_replaced)
        for pane in (self.domains_pane, self.mailboxes_pane):
            pane.countsChanged.connect(self._update_counts)
            pane.message.connect(self.show_status)
        document.edited.connect(self._update_counts)
        self.mailboxes_pane.generateRequested.connect(self.open_generator)
        self.problems_pane.problemActivated.connect(self._on_problems_pane_problem_activated)
        self.problems_pane.summaryChanged.connect(self._on_problems_pane_summary_changed)
        self.files.message.connect(self.show_status)
        self.files.recentChanged.connect(self._fill_recent_menu)
        self.avatars.message.connect(lambda text, _warning: self.show_status(text))
        self.avatars.folderChosen.connect(self._on_avatars_folder_chosen)
        self.autosave.failed.connect(self.show_status)
        self._fill_recent_menu()
        self._on_problems_pane_summary_changed(summary_text(*self.problems_pane.counts()))

    def _restore_state(self) -> None:
        self.resize(DEFAULT_SIZE)
        if not self._remember:
            return
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                available = screen.availableGeometry().size()
                self.resize(DEFAULT_SIZE.boundedTo(available * 0.95))
        for name, splitter in self.splitters.items():
            state = self.settings.splitter(name)
            if state is not None:
                splitter.restoreState(state)

    def _save_state(self) -> None:
        if not self._remember:
            return
        self.settings.set_geometry(self.saveGeometry())
        for name, splitter in self.splitters.items():
            self.settings.set_splitter(name, splitter.saveState())
        self.settings.sync()

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
            "&Domains": lambda: self.domains_pane.view.setFocus(),
            "&Mailboxes": lambda: self.mailboxes_pane.view.setFocus(),
            "&Pictures": lambda: self.avatar_pane.view.setFocus(),
            "&Settings": lambda: self.settings_pane.provider.google.setFocus(),
            "P&roblems": self._focus_problems,
        }

    def _focus_problems(self) -> None:
        self.bottom_tabs.setCurrentWidget(self.problems_pane)
        self.problems_pane.view.setFocus()

    def open_generator(self) -> None:
        from desktop_app.ui.generator_dialog import GeneratorDialog

        chosen = [
            e.domain.strip() for e in self.domains_pane.selected_domains() if e.domain.strip()
        ]
        domains = chosen or [
            e.domain.strip() for e in self.document.order.domains if e.domain.strip()
        ]
        dialog = GeneratorDialog(self.document, list(dict.fromkeys(domains)), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_status(dialog.outcome))
        self.generator_dialog = dialog
        dialog.open()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Draft, check and send ColdMailReseller orders.",
        )

    # --- restoring after a crash --------------------------------------------------------------

    def offer_restore(self) -> QMessageBox | None:
        """Offer the newest autosave a crashed window left behind (non-blocking)."""
        damaged: list[str] = []
        orphans = find_orphans(self.autosave.folder, damaged)
        if damaged:
            self.show_status(damaged[0])
        if not orphans:
            return None
        orphan, others = orphans[0], orphans[1:]
        for other in others:
            other.release()  # offered at the next start
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.ui.plain_text import message_box

        box = message_box(  # the autosave is described by its draft's name: plain text
            QMessageBox.Icon.Question,
            "Restore Unsaved Changes?",
            f"{APP_NAME} closed without saving {orphan.describe()}.",
            QMessageBox.StandardButton.NoButton,
            self,
            informative="Restore it now? If you discard it, those changes are gone.",
        )
        restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.finished.connect(
            lambda _result: self._on_restore_answered(orphan, box, restore, discard)
        )
        self.restore_prompt = box
        box.open()
        return box

    def _on_restore_answered(
        self, orphan: Orphan, box: QMessageBox, restore: object, discard: object
    ) -> None:
        clicked = box.clickedButton()
        if clicked is restore:
            self.restore(orphan)
        elif clicked is discard:
            orphan.discard()
        else:
            orphan.release()

    def restore(self, orphan: Orphan) -> bool:
        from desktop_app.core import draft_file

        try:
            order = draft_file.load(orphan.draft)
        except draft_file.DraftError as exc:
            orphan.release()
            self.files.fail("Cannot Restore", str(exc))
            return False
        self.document.replace(order, orphan.original, modified=True)
        self.autosave.adopt(orphan)  # from now on this window's autosave is that file
        self.show_status("Restored the unsaved changes. Save to keep them.")
        return True

    # --- reactions ------------------------------------------------------------------------------

    def _on_document_path_changed(self) -> None:
        practice = " — Practice" if self._practice_shown else ""
        self.setWindowTitle(f"{self.document.display_name()}[*] — {APP_NAME}{practice}")
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
            self.domains_pane.select_cell(problem.row, columns.get(problem.column, 0))
        elif problem.table is Table.MAILBOXES:
            columns = {spec.field: int(c) for c, spec in MAILBOX_SPECS.items() if spec.field}
            self.mailboxes_pane.select_cell(problem.row, columns.get(problem.column, 0))
        else:
            self.avatar_pane.select_row(problem.row)
            self.mailboxes_pane.select_cell(problem.row, int(MailboxColumn.AVATAR))

    def _on_avatars_folder_chosen(self, folder: str) -> None:
        self.settings.set_last_folder(folder)
        self.avatars.last_folder = folder

    def _fill_recent_menu(self) -> None:
        menu = self.actions.recent_menu if hasattr(self, "actions") else None
        if menu is None:
            return
        menu.clear()
        recent = self.settings.recent_files()
        for number, path in enumerate(recent, start=1):
            action = menu.addAction(f"&{number} {path.name}")
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
        menu.setEnabled(bool(recent))

    def _open_recent(self, path: Path) -> None:
        self.files.open_path(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.confirm_discard():
            event.ignore()
            return
        self._save_state()
        self.avatars.shutdown()
        self.autosave.shutdown()
        event.accept()
