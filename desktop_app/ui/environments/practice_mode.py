"""Practice mode: a practice server, in-process, as the place orders go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from desktop_app.services.practice_env import RunningPractice


class PracticeMode(QObject):
    """Starts and stops the in-process practice server.

    While on, :attr:`base_url` is the server's address and :attr:`key` its
    key, so a new user can send without an account.  Signals:
    ``changed(on)``; ``failed(message)`` when the server cannot start.
    """

    changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server: RunningPractice | None = None

    @property
    def on(self) -> bool:
        return self.server is not None

    @property
    def base_url(self) -> str:
        return self.server.base_url if self.server is not None else ""

    @property
    def key(self) -> str:
        from desktop_app.services.destinations import practice_key

        return practice_key()

    def set_on(self, on: bool) -> None:
        if on == self.on:
            return
        if on:
            # Imported here: the HTTP server (http.server, email, ssl) would slow every start-up.
            from desktop_app.services import practice_env

            try:
                self.server = practice_env.start_server()
            except OSError as exc:
                self.failed.emit(f"The practice server cannot start: {exc.strerror or exc}.")
                self.changed.emit(False)
                return
        else:
            self.stop()
        self.changed.emit(self.on)

    def stop(self) -> None:
        """Stop the server (joins its threads); safe to call when off."""
        server, self.server = self.server, None
        if server is not None:
            server.stop()
