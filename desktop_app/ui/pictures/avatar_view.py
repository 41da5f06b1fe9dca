"""The avatar slots: one per mailbox, painted by a delegate, and a drop target.

The view only decodes what is dropped into ``(keys, paths)`` or
``(keys, bytes)`` and emits it; the avatar controller loads, checks and
applies.  Thousands of slots cost nothing: it is one list view over the
mailbox model's picture column, and only visible slots are painted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QWidget,
)

from desktop_app.ui.common.pyside_fixes import keep_viewport
from desktop_app.ui.pictures.captions import domain_caption, shared_ends
from desktop_app.ui.tables.columns import AvatarState, Role
from desktop_app.ui.tables.table_model import OrderTableModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

AnyIndex = QModelIndex | QPersistentModelIndex
SLOT = QSize(112, 128)
PICTURE_SIDE = 76


class AvatarSlotView(QListView):
    """A grid of avatar slots that accepts dropped pictures.

    Signals:
        paths_dropped(list, list): slot keys (empty for the area itself) and dropped paths.
        image_dropped(list, object, str): slot keys, picture bytes and a name for messages.
        drop_refused(str): a sentence saying why a drop cannot be used.
    """

    paths_dropped = Signal(list, list)
    image_dropped = Signal(list, object, str)
    drop_refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._viewport = keep_viewport(self)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setWrapping(True)
        self.setGridSize(SLOT)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        # A static icon-mode list switches drops off on its viewport; the slots need them.
        self.viewport().setAcceptDrops(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(AvatarSlotDelegate(self))
        self.drop_target = QPersistentModelIndex()
        self.placeholder = "Each mailbox gets a slot here for its profile picture."

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(16, 16, -16, -16)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder
            )
            painter.end()

    def keys_at(self, index: AnyIndex) -> list[str]:
        """The slots a drop on ``index`` goes to: the whole selection when it is part of it."""
        if not index.isValid():
            return []
        selection = self.selectionModel()
        if selection is not None and selection.isSelected(index):
            return [str(i.data(Role.KEY)) for i in selection.selectedIndexes()]
        return [str(index.data(Role.KEY))]

    def selected_keys(self) -> list[str]:
        selection = self.selectionModel()
        if selection is None:
            return []
        keys = [str(i.data(Role.KEY)) for i in selection.selectedIndexes()]
        if not keys and self.currentIndex().isValid():
            keys = [str(self.currentIndex().data(Role.KEY))]
        return keys

    # --- drops -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _may_hold_pictures(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not _may_hold_pictures(event.mimeData()):
            event.ignore()
            return
        self._set_drop_target(self.indexAt(event.position().toPoint()))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_target(QModelIndex())
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drop_target(QModelIndex())
        mime = event.mimeData()
        keys = self.keys_at(self.indexAt(event.position().toPoint()))
        event.acceptProposedAction()
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if paths:
            self.paths_dropped.emit(keys, paths)
            return
        data = _picture_bytes(mime)
        if data is not None:
            self.image_dropped.emit(keys, data, "The dropped picture")
        elif mime.hasUrls():
            self.drop_refused.emit(
                "That picture is on the web: save it to a file first, then drop the file here."
            )
        else:
            self.drop_refused.emit("Nothing in that drop is a picture; nothing was changed.")

    def _set_drop_target(self, index: AnyIndex) -> None:
        if QPersistentModelIndex(index) != self.drop_target:
            self.drop_target = QPersistentModelIndex(index)
            self.viewport().update()


def _may_hold_pictures(mime: QMimeData) -> bool:
    return mime.hasUrls() or mime.hasImage() or any(f.startswith("image/") for f in mime.formats())


def _picture_bytes(mime: QMimeData) -> bytes | None:
    """Picture data carried in the drop itself (a browser or an image editor), if any."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QImage, QImageWriter

    for name in mime.formats():
        if name.startswith("image/"):
            data = bytes(mime.data(name).data())
            if data:
                return data
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QPixmap):
            image = image.toImage()
        if isinstance(image, QImage) and not image.isNull():
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            # A writer, not QImage.save: PySide 6.11's save() refuses the format as bytes.
            QImageWriter(buffer, b"PNG").write(image)
            return bytes(buffer.data().data())
    return None


class AvatarSlotDelegate(QStyledItemDelegate):
    """Paints a slot: the thumbnail (or an empty frame), and the mailbox's address under it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._domains: tuple[str, ...] = ()  # the draft's domains the ends were measured among
        self._shared: dict[str, tuple[int, int]] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return SLOT

    def domain_line(self, index: AnyIndex, domain: str, metrics: QFontMetrics, width: int) -> str:
        """``@domain`` as the slot shows it: cut where it does not tell it from the others."""
        return domain_caption(
            domain,
            self._shared_ends(index, domain),
            lambda text: metrics.horizontalAdvance(text) <= width,
        )

    def _shared_ends(self, index: AnyIndex, domain: str) -> tuple[int, int]:
        """What ``domain`` shares with the draft's other domains (the Domains table's)."""
        model = index.model()
        while isinstance(model, QSortFilterProxyModel):
            model = model.sourceModel()
        if not isinstance(model, OrderTableModel):
            return 0, 0
        domains = tuple(entry.domain for entry in model.document.order.domains)
        if domains != self._domains:  # the Domains table changed: measure again
            self._domains, self._shared = domains, {}
        if domain not in self._shared:
            self._shared[domain] = shared_ends(domain, domains)
        return self._shared[domain]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        palette = option.palette
        area = option.rect.adjusted(3, 3, -3, -3)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.brush(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(area, 6, 6)
        view = self.parent()
        if isinstance(view, AvatarSlotView) and view.drop_target == QPersistentModelIndex(index):
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(area.adjusted(1, 1, -1, -1), 6, 6)

        picture = QRect(0, 0, PICTURE_SIDE, PICTURE_SIDE)
        picture.moveCenter(area.center())
        picture.moveTop(area.top() + 6)
        state = AvatarState(int(index.data(Role.AVATAR_STATE) or 0))
        thumbnail = index.data(Role.THUMBNAIL)
        decoration = index.data(Qt.ItemDataRole.DecorationRole)
        placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
        if state is AvatarState.SET and isinstance(thumbnail, QPixmap) and not thumbnail.isNull():
            painter.drawPixmap(picture, thumbnail)
        else:
            painter.setPen(QPen(placeholder, 1.5, Qt.PenStyle.DashLine))
            tint = (
                index.data(Qt.ItemDataRole.BackgroundRole)
                if state is AvatarState.UNUSABLE
                else None
            )
            painter.setBrush(tint if tint is not None else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(picture.adjusted(1, 1, -1, -1), 6, 6)
            if state is AvatarState.UNUSABLE and isinstance(decoration, QIcon):
                decoration.paint(painter, picture.adjusted(22, 14, -22, -30))
            words = {AvatarState.MISSING: "No picture", AvatarState.UNUSABLE: "Unusable"}.get(
                state, "Loading…"
            )
            painter.setPen(placeholder)
            painter.drawText(
                picture.adjusted(4, 4, -4, -6),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                words,
            )

        label = QRect(
            area.left() + 2,
            picture.bottom() + 6,
            area.width() - 4,
            area.bottom() - picture.bottom() - 6,
        )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(text_role))
        email = str(index.data(Role.EMAIL) or "")
        username, _, domain = email.rpartition("@")
        metrics = option.fontMetrics
        first = metrics.elidedText(
            username or "(no username)", Qt.TextElideMode.ElideRight, label.width()
        )
        painter.drawText(label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, first)
        small = QFont(option.font)
        if option.font.pointSizeF() > 0:
            small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        else:  # a font sized in pixels
            small.setPixelSize(max(8, round(option.font.pixelSize() * 0.85)))
        painter.setFont(small)
        if not selected:
            painter.setPen(placeholder)
        below = label.adjusted(0, metrics.height(), 0, 0)
        second = self.domain_line(index, domain, QFontMetrics(small), label.width())
        painter.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, second)
        painter.restore()
