"""Cancel: the flag the operator's Cancel sets, and what waits on it.

Every wait and every background task (a send, a status question, a picture
folder, the keyring) is handed one of these; the network code registers a
callback to cut a connection at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class CancelToken:
    """A flag the operator's Cancel sets, and the waits and callbacks it wakes."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        """Set the flag and run the registered callbacks (from the calling thread)."""
        with self._lock:
            self._event.set()
            callbacks = list(self._callbacks)
        for callback in callbacks:
            callback()

    def wait(self, seconds: float) -> bool:
        """Wait ``seconds`` unless cancelled first.  True when cancelled."""
        return self._event.wait(max(0.0, seconds))

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` on cancel (at once if already cancelled); returns the undo."""
        with self._lock:
            already = self._event.is_set()
            if not already:
                self._callbacks.append(callback)
        if already:
            callback()

        def remove() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return remove
