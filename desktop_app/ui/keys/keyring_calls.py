"""Key-store calls made from the window: off the GUI thread, answered on the GUI thread.

A keyring can take seconds to answer (D-Bus waking a daemon, an unlock
prompt) or never answer at all; the key store gives up after its deadline,
and this makes sure the window is never the one waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.services.keystore import KeyringUnavailable
from desktop_app.ui.common.tasks import TaskContext, run_task

# The key store's own sentences (a refused key is a ValueError): not faults of ours.
KEY_STORE_ERRORS = (KeyringUnavailable, ValueError)


class KeyringCalls(QObject):
    """Runs key-store calls off the GUI thread; each answer goes to its callback on the GUI thread.

    :meth:`run` takes ``call`` and ``done(result, error)``: exactly one of the
    two is None (``error`` is the exception ``call`` raised).  Answers to an
    object already deleted are dropped.  Signals: ``busy_changed(busy)``
    when the first call starts or the last one ends.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._next = 0
        self._waiting: set[int] = set()  # the numbers of the calls not answered yet

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def run(
        self, call: Callable[[], Any], done: Callable[[Any, BaseException | None], None]
    ) -> None:
        self._next += 1
        number = self._next

        def ask(_task: TaskContext[None]) -> Any:
            return call()

        # Detached: a keyring stuck until the key store's deadline must not keep
        # the window waiting when it closes, nor the app when it quits.
        run_task(
            self,
            ask,
            on_result=lambda result: self._answered(number, done, result, None),
            on_error=lambda error: self._answered(number, done, None, error),
            name="keyring-call",
            expected=KEY_STORE_ERRORS,
            detached=True,
        )
        self._waiting.add(number)
        if len(self._waiting) == 1:
            self.busy_changed.emit(True)

    def _answered(
        self,
        number: int,
        done: Callable[[Any, BaseException | None], None],
        result: Any,
        error: BaseException | None,
    ) -> None:
        self._waiting.discard(number)
        if not self._waiting:
            self.busy_changed.emit(False)
        done(result, error)
