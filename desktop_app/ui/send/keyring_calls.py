"""Key-store calls made from the window: on a thread of their own, answered on the GUI thread.

A keyring can take seconds to answer (D-Bus waking a daemon, an unlock
prompt) or never answer at all; the key store gives up after its deadline,
and this makes sure the window is never the one waiting.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class KeyringCalls(QObject):
    """Runs callables off the GUI thread; each answer goes to its callback on the GUI thread.

    :meth:`run` takes ``call`` and ``done(result, error)``: exactly one of the
    two is None (``error`` is the exception ``call`` raised).  Answers to an
    object already deleted are dropped.  Signals: ``busy_changed(busy)``
    when the first call starts or the last one ends.
    """

    busy_changed = Signal(bool)
    _answered = Signal(int, object, object)  # (call number, result, error), from the thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._next = 0
        self._waiting: dict[int, Callable[[Any, BaseException | None], None]] = {}
        self._answered.connect(self._on_answered)

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def run(
        self, call: Callable[[], Any], done: Callable[[Any, BaseException | None], None]
    ) -> None:
        self._next += 1
        number = self._next
        self._waiting[number] = done
        if len(self._waiting) == 1:
            self.busy_changed.emit(True)
        # A daemon thread: a keyring stuck past the key store's deadline must not
        # keep the app from quitting.
        threading.Thread(
            target=self._call, args=(number, call), name="keyring-call", daemon=True
        ).start()

    def _call(self, number: int, call: Callable[[], Any]) -> None:
        try:
            result, error = call(), None
        except Exception as exc:  # handed to the GUI thread, which says it in a sentence
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            self._answered.emit(number, result, error)

    def _on_answered(self, number: int, result: Any, error: BaseException | None) -> None:
        done = self._waiting.pop(number, None)
        if not self._waiting:
            self.busy_changed.emit(False)
        if done is not None:
            done(result, error)
