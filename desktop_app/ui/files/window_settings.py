"""What the window remembers between runs: the operator's settings, and Qt's window state.

The settings (the last folder, the recent files) are read and written
through the one settings store, :mod:`desktop_app.services.settings`, as the
command line reads them.  The window's geometry and splitter positions are
Qt's own binary state (``saveGeometry``/``saveState``), meaningful only to
Qt: ``QSettings`` keeps them in a file of their own (``window-state.ini``),
so that it is the only writer of that file and the store the only writer of
``settings.ini``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from desktop_app.services.settings import LAST_FOLDER, MOST_RECENT_FILES, RECENT_FILES, Settings


class WindowSettings:
    """Window geometry, splitter positions, the last folder and recent files."""

    def __init__(self, store: Settings | None = None) -> None:
        self.store = store or Settings()
        self._state = QSettings(str(self.store.window_state_path), QSettings.Format.IniFormat)

    def geometry(self) -> QByteArray | None:
        value = self._state.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, value: QByteArray) -> None:
        self._state.setValue("window/geometry", value)

    def splitter(self, name: str) -> QByteArray | None:
        value = self._state.value(f"splitters/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_splitter(self, name: str, state: QByteArray) -> None:
        self._state.setValue(f"splitters/{name}", state)

    def panes_saved_for(self) -> str:
        """The window size and scale the splitter positions were saved at ("" if unknown)."""
        value = self._state.value("splitters/saved_for")
        return value if isinstance(value, str) else ""

    def set_panes_saved_for(self, where: str) -> None:
        self._state.setValue("splitters/saved_for", where)

    def last_folder(self) -> str:
        folder = self.store.get(LAST_FOLDER)
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | Path) -> None:
        self.store.set(LAST_FOLDER, str(folder))

    def recent_files(self) -> list[Path]:
        return [Path(name) for name in self.store.get(RECENT_FILES)]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        recent = [p for p in self.recent_files() if p != path]
        self._store_recent([path, *recent][:MOST_RECENT_FILES])

    def remove_recent(self, path: Path) -> None:
        path = path.resolve()
        self._store_recent([p for p in self.recent_files() if p != path])

    def _store_recent(self, paths: list[Path]) -> None:
        self.store.set(RECENT_FILES, tuple(str(p) for p in paths))

    def sync(self) -> None:
        self._state.sync()
