"""What the window remembers between runs, in one INI file under the app's home.

Declared in one place with defaults; ``version`` lets a later release migrate.
Never holds a secret: the API key lives in the OS keyring.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from desktop_app.services.paths import app_home

VERSION = 1
MAX_RECENT = 10


class WindowSettings:
    """Window geometry, splitter positions, the last folder and recent files."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or app_home() / "settings.ini"
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self._settings.value("version") is None:
            self._settings.setValue("version", VERSION)

    def geometry(self) -> QByteArray | None:
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    def splitter(self, name: str) -> QByteArray | None:
        value = self._settings.value(f"splitters/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_splitter(self, name: str, state: QByteArray) -> None:
        self._settings.setValue(f"splitters/{name}", state)

    def last_folder(self) -> str:
        value = self._settings.value("files/last_folder", "")
        folder = str(value or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | Path) -> None:
        self._settings.setValue("files/last_folder", str(folder))

    def recent_files(self) -> list[Path]:
        try:
            names = json.loads(str(self._settings.value("files/recent", "[]") or "[]"))
        except ValueError:
            return []
        return [Path(n) for n in names if isinstance(n, str)] if isinstance(names, list) else []

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        recent = [p for p in self.recent_files() if p != path]
        self._store_recent([path, *recent][:MAX_RECENT])

    def remove_recent(self, path: Path) -> None:
        path = path.resolve()
        self._store_recent([p for p in self.recent_files() if p != path])

    def _store_recent(self, paths: list[Path]) -> None:
        self._settings.setValue("files/recent", json.dumps([str(p) for p in paths]))

    def sync(self) -> None:
        self._settings.sync()
