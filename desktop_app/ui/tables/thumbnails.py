"""Small pictures of avatars, made on demand, a few at a time, and remembered.

A 5,000-mailbox draft must open at once, so nothing is decoded up front: a
view asks for the thumbnails of the slots it shows, those not yet made are
queued, and a zero-delay timer makes them in slices of a few milliseconds so
the window keeps responding.  The most recently used ones are kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap

from desktop_app.order.avatars import JPEG, PNG, Avatar

THUMBNAIL_SIDE = 96
SLICE_SECONDS = 0.012  # less than a frame: scrolling stays smooth while thumbnails load
_QT_FORMATS = {PNG: b"png", JPEG: b"jpeg"}


class ThumbnailCache(QObject):
    """Thumbnails of avatars, keyed by their pictures' digest.

    By digest, not by object: saving a draft replaces every avatar object (they
    then read from the new file), and the same picture must not be decoded again.

    :meth:`get` returns a pixmap, a null pixmap when the picture cannot be
    shown, or None while it is still being made.

    Signals:
        ready(list): thumbnails asked for earlier are now available (avatars with the
            digests concerned: any avatar of the same picture has its thumbnail too).
    """

    ready = Signal(list)

    def __init__(
        self, side: int = THUMBNAIL_SIDE, capacity: int = 1500, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._side = side
        self._capacity = capacity
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: dict[str, Avatar] = {}
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._on_timer_timeout)

    def get(self, avatar: Avatar) -> QPixmap | None:
        pixmap = self._cache.get(avatar.digest)
        if pixmap is not None:
            self._cache.move_to_end(avatar.digest)
            return pixmap
        if avatar.digest not in self._pending:
            self._pending[avatar.digest] = avatar
            if not self._timer.isActive():
                self._timer.start()
        return None

    def pending(self) -> int:
        return len(self._pending)

    def clear(self) -> None:
        self._cache.clear()
        self._pending.clear()

    def _on_timer_timeout(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        made = []
        while self._pending and time.perf_counter() < deadline:
            digest = next(iter(self._pending))
            avatar = self._pending.pop(digest)
            self._cache[digest] = self._make(avatar)
            made.append(avatar)
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        if self._pending:
            self._timer.start()
        self.ready.emit(made)

    def _make(self, avatar: Avatar) -> QPixmap:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QImageReader

        if avatar.problem is not None:
            return QPixmap()  # never decode a picture known to be broken
        try:
            data = avatar.read()
        except Exception:  # a vanished or damaged draft file: show the slot as unusable
            return QPixmap()
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        # Only the format the picture was checked to be: Qt never guesses from its bytes.
        reader = QImageReader(buffer, _QT_FORMATS.get(avatar.content_type, b"png"))
        reader.setAutoDetectImageFormat(False)
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > self._side:
            reader.setScaledSize(
                size.scaled(QSize(self._side, self._side), Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        return QPixmap.fromImage(image) if not image.isNull() else QPixmap()
