"""The Pictures pane: every mailbox's avatar slot, with drop, choose and clear."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.common.message_banner import MessageBanner
from desktop_app.ui.pictures.avatar_controller import AvatarController
from desktop_app.ui.pictures.avatar_view import AvatarSlotView
from desktop_app.ui.tables.columns import AvatarState, MailboxColumn
from desktop_app.ui.tables.table_model import MARK_ROLES
from desktop_app.ui.tables.table_models import MailboxTableModel, avatar_state
from desktop_app.ui.tables.table_view import RowFilterProxy

_MARK_ROLES = frozenset(MARK_ROLES)

HINT = (
    "Drop a picture on a slot or a selection, or a folder of username@domain.jpg files "
    "anywhere here."
)


class AvatarPane(QWidget):
    """The avatar slots of all mailboxes (no signals: messages go through the controller)."""

    def __init__(
        self, model: MailboxTableModel, controller: AvatarController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("picturesPane")
        self.model = model
        self.controller = controller
        self.proxy = RowFilterProxy(model, self)
        self.proxy.setDynamicSortFilter(False)  # slots stay put while pictures change

        self.count_label = QLabel()
        self.count_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter pictures")
        self.filter_edit.textChanged.connect(self.proxy.set_filter_text)
        self.missing_only = QCheckBox("Missing only")
        self.missing_only.setToolTip("Show only mailboxes without a usable picture")
        self.missing_only.toggled.connect(self._on_missing_only_toggled)

        self.view = AvatarSlotView()
        self.view.setModel(self.proxy)
        self.view.setModelColumn(int(MailboxColumn.AVATAR))
        self.view.setAccessibleName("Picture slots")
        self.view.paths_dropped.connect(controller.set_from_paths)
        self.view.image_dropped.connect(controller.set_from_bytes)
        self.view.drop_refused.connect(lambda text: self.show_message(text, True))
        self.view.activated.connect(self._on_view_activated)
        controller.message.connect(self.show_message)

        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        # A role, not a colour: the hint follows the palette when the theme changes.
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.banner = MessageBanner()
        self.banner.setAccessibleName("Pictures message")

        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setToolTip("Choose a picture file for the selected slots")
        self.choose_button.clicked.connect(
            lambda: controller.choose_file(self.view.selected_keys())
        )
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setToolTip("Remove the pictures of the selected slots")
        self.clear_button.clicked.connect(self.delete)
        self.folder_button = QPushButton("From Fol&der…")
        self.folder_button.setToolTip("Load every username@domain picture in a folder")
        self.folder_button.clicked.connect(controller.choose_folder)

        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Pictures</b>"))
        top.addWidget(self.count_label)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.missing_only)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.banner.hide()

        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._on_model_changed)
        model.dataChanged.connect(self._on_data_changed)
        self._on_model_changed()

    def show_message(self, text: str, warning: bool = False) -> None:
        self.banner.show_message(text, warning)

    def hide_message(self) -> None:
        self.banner.hide()

    def message_text(self) -> str:
        return self.banner.text.text()

    def delete(self) -> None:
        self.controller.clear(self.view.selected_keys())

    def select_all(self) -> None:
        self.view.selectAll()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def has_focus_within(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def select_row(self, source_row: int) -> bool:
        """Show and select the slot of the mailbox at ``source_row``."""
        if not 0 <= source_row < self.model.rowCount():
            return False
        column = int(MailboxColumn.AVATAR)
        index = self.proxy.mapFromSource(self.model.index(source_row, column))
        if not index.isValid():
            self.filter_edit.clear()
            self.missing_only.setChecked(False)
            index = self.proxy.mapFromSource(self.model.index(source_row, column))
        self.view.setCurrentIndex(index)
        self.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        return True

    def _on_view_activated(self, _index: Any) -> None:
        self.controller.choose_file(self.view.selected_keys())

    def _on_missing_only_toggled(self, checked: bool) -> None:
        mailboxes = self.model.items
        self.proxy.set_extra_filter(
            (lambda row: avatar_state(mailboxes()[row]) is not AvatarState.SET) if checked else None
        )

    def _on_data_changed(self, _first: Any, _last: Any, roles: list[int]) -> None:
        # A problem's marks repainted (an edit elsewhere) set no picture: no recount
        # of 20,000 rows for it.
        if roles and set(roles) <= _MARK_ROLES:
            return
        self._on_model_changed()

    def _on_model_changed(self, *_args: Any) -> None:
        mailboxes = self.model.items()
        total = len(mailboxes)
        with_picture = sum(1 for m in mailboxes if m.avatar is not None)
        self.count_label.setText(f"{with_picture:,} of {total:,} set" if total else "")
