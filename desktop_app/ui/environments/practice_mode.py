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
    ``changed(on)``; ``failed(message)`` when the server cannot start;
    ``started(address)`` when a server left to start later (``set_on(True, later=True)``)
    is serving.
    """

    changed = Signal(bool)
    failed = Signal(str)
    started = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server: RunningPractice | None = None
        self._later = False  # on, with its server to start (start_pending, or when asked for)

    @property
    def on(self) -> bool:
        return self._server is not None or self._later

    @property
    def starting(self) -> bool:
        """On, with the server not started yet: asking for it (or its address) starts it."""
        return self._later

    @property
    def server(self) -> RunningPractice | None:
        """The running server (started now if it was to start later); None when off."""
        self.start_pending()
        return self._server

    @property
    def base_url(self) -> str:
        server = self.server
        return server.base_url if server is not None else ""

    @property
    def key(self) -> str:
        from desktop_app.services.destinations import practice_key

        return practice_key()

    def set_on(self, on: bool, *, later: bool = False) -> None:
        """Practice mode on or off; ``later``: on at once, its server started by
        :meth:`start_pending` (after the window's first frame) or when its address is asked for."""
        if on == self.on:
            return
        if on and later:
            self._later = True
        elif on:
            if not self._start():
                return
        else:
            self.stop()
        self.changed.emit(self.on)

    def stop(self) -> None:
        """Stop the server (joins its threads); safe to call when off."""
        self._later = False
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def _start(self) -> bool:
        # Imported here: the HTTP server (http.server, email, ssl) would slow every start-up.
        from desktop_app.services import practice_env

        try:
            self._server = practice_env.start_server()
        except OSError as exc:
            self.failed.emit(f"The practice server cannot start: {exc.strerror or exc}.")
            self.changed.emit(False)
            return False
        return True

    def start_pending(self) -> None:
        """Start the server left to start later; nothing if there is none (started, or off)."""
        if not self._later:
            return
        self._later = False
        if self._start() and self._server is not None:
            self.started.emit(self._server.base_url)
