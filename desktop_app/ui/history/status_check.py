"""Check status and Refresh all: asking the API about created orders, off the GUI thread.

One background task asks about one order (Check status) or, one after
another, about every order created in the last 24 hours (Refresh all).
Where each question goes, with which key, and what History keeps of the
answer is :class:`desktop_app.services.order_status.StatusAsker`'s, as for
``order-desk status``: this module only runs it and shows what it said.
Where to ask is worked out on the GUI thread (it reads the settings store);
the keyring and the network are asked on the task's thread.  Refresh all
asks about an order at most once every 10 seconds and stops at the first
refused key or "too many requests".
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from desktop_app.services import crash_log
from desktop_app.services.destinations import Destination, DestinationRefused
from desktop_app.services.history import HistoryError
from desktop_app.ui.common.tasks import Task, TaskContext, run_task

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from desktop_app.services.environments import Environment
    from desktop_app.services.history import Attempt, History
    from desktop_app.services.keystore import KeyStore
    from desktop_app.services.order_status import StatusAnswer, StatusAsker
    from desktop_app.services.settings import Settings
    from desktop_app.ui.history.history_pane import HistoryPane
    from desktop_app.ui.history.status_dialog import StatusDialog

REFRESH_HOURS = 24
MIN_SECONDS_BETWEEN_ASKS = 10.0  # per order, for Refresh all
BUSY = "Statuses are being fetched already; wait for them."

# What the task reports for each order it asked about.
Answered = tuple["Attempt", "StatusAnswer"]
# Each order to ask about, with where to ask or why it cannot be asked.
Question = tuple["Attempt", "Destination | str"]


class RunningPractice(Protocol):
    """Practice mode as status checks see it: the address of its server ("" when off)."""

    @property
    def base_url(self) -> str: ...


class StatusHost(Protocol):
    """What status checks need of the window's sending half (``SendController`` is one)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def history(self) -> History: ...

    @property
    def history_pane(self) -> HistoryPane: ...

    @property
    def practice(self) -> RunningPractice: ...

    @property
    def key_stores(self) -> Mapping[Environment, KeyStore]: ...

    @property
    def parent_widget(self) -> QWidget: ...

    @property
    def message(self) -> SignalInstance: ...

    def warn(self, title: str, text: str) -> None: ...


class StatusChecks(QObject):
    """Asks about orders in the background for ``controller``'s window.

    Listens to the History pane's Check status and Refresh all; a single
    check opens :class:`StatusDialog` (``dialog``), a sentence that it cannot
    start goes to a message box, Refresh all's end to the status bar.
    Signals: ``busy_changed(busy)``; ``answered(attempt, answer)`` for each
    order asked about (a :class:`StatusAnswer`, History already updated);
    ``refreshed(sentence)`` when a Refresh all is over, saying how it went.
    """

    busy_changed = Signal(bool)
    answered = Signal(object, object)
    refreshed = Signal(str)

    def __init__(self, controller: StatusHost) -> None:
        super().__init__(controller if isinstance(controller, QObject) else None)
        # Weakly: a child holding its parent makes a cycle whose collection crashes PySide.
        self._controller_ref = weakref.ref(controller)
        self._task: Task[Answered, str] | None = None
        self._skipped = 0  # orders Refresh all left out
        self._refreshing = False
        self.dialog: StatusDialog | None = None
        self.refreshed.connect(controller.message)

    def attach(self, pane: HistoryPane) -> None:
        """Listen to ``pane``'s Check status and Refresh all (it is built when first needed)."""
        pane.check_requested.connect(self._on_pane_check_requested)
        pane.refresh_requested.connect(self._on_pane_refresh_requested)
        self.busy_changed.connect(pane.set_checking)
        pane.set_checking(self.busy)

    def _on_pane_check_requested(self, attempt: Attempt) -> None:
        problem = self.check(attempt)
        if problem:
            self._controller.warn("Check Status", problem)
        else:
            self._controller.history_pane.last_asked[attempt.order_id] = time.monotonic()
            self._controller.message.emit(f"Asking the status of order {attempt.order_id}…")

    def _on_pane_refresh_requested(self) -> None:
        problem = self.refresh_all(self._controller.history_pane.last_asked)
        if problem:
            self._controller.message.emit(problem)

    @property
    def _controller(self) -> StatusHost:
        controller = self._controller_ref()
        if controller is None:  # only while the window is being torn down
            raise RuntimeError("the window is gone")
        return controller

    @property
    def busy(self) -> bool:
        return self._task is not None

    def check(self, attempt: Attempt) -> str | None:
        """Ask about ``attempt``'s order; a sentence instead when that cannot start."""
        if self.busy:
            return BUSY
        if not attempt.order_id:
            return "This attempt created no order: there is no status to check."
        asker = self._asker()
        try:
            where = asker.where_to_ask(attempt)
        except DestinationRefused as exc:
            asker.close()
            return str(exc)
        self._start(asker, [(attempt, where)], refresh=False, skipped=0)
        return None

    def refresh_all(self, last_asked: dict[str, float]) -> str | None:
        """Ask about the orders of the last 24 hours; ``last_asked`` is kept up to date."""
        if self.busy:
            return BUSY
        try:
            attempts = self._controller.history.created_since(REFRESH_HOURS)
        except HistoryError as exc:
            return str(exc)
        now = time.monotonic()
        asked: list[Attempt] = []
        skipped = 0
        for attempt in attempts:
            recent = now - last_asked.get(attempt.order_id, -MIN_SECONDS_BETWEEN_ASKS * 2)
            if recent < MIN_SECONDS_BETWEEN_ASKS:
                skipped += 1
                continue
            if attempt.order_id not in {a.order_id for a in asked}:
                asked.append(attempt)
        if not asked:
            if skipped:
                return (
                    f"Nothing to refresh: {skipped:,} order(s) were asked about less than "
                    f"{MIN_SECONDS_BETWEEN_ASKS:g} s ago."
                )
            return f"No orders were created in the last {REFRESH_HOURS} hours."
        asker = self._asker()
        questions: list[Question] = []
        for attempt in asked:
            last_asked[attempt.order_id] = now
            try:
                questions.append((attempt, asker.where_to_ask(attempt)))
            except DestinationRefused as exc:  # said for that order, the others are asked
                questions.append((attempt, str(exc)))
        self._start(asker, questions, refresh=True, skipped=skipped)
        return None

    def _asker(self) -> StatusAsker:
        """The shared status use case, with this window's keys, settings and practice server."""
        # Imported when first asked: it brings the HTTP client (ssl, sockets) with it.
        from desktop_app.services.order_status import StatusAsker

        controller = self._controller
        return StatusAsker(
            controller.settings,
            controller.history,
            controller.key_stores,
            practice_url=controller.practice.base_url,
        )

    def _start(
        self, asker: StatusAsker, questions: list[Question], refresh: bool, skipped: int
    ) -> None:
        self._skipped = skipped
        self._refreshing = refresh

        def ask_each(task: TaskContext[Answered]) -> str:
            with asker:
                return _ask_each(asker, questions, task, refresh)

        self._task = run_task(
            self,
            ask_each,
            on_progress=self._on_task_progress,
            on_result=self._on_task_result,
            on_error=self._on_task_error,
            name="order-status",
        )
        self.busy_changed.emit(True)

    def _on_task_progress(self, answered: Answered) -> None:
        from desktop_app.ui.history.status_dialog import StatusDialog

        attempt, answer = answered
        self._controller.history_pane.refresh()
        if not self._refreshing:
            if self.dialog is not None:
                self.dialog.close()
            dialog = StatusDialog(attempt, answer, self._controller.parent_widget)
            dialog.finished.connect(dialog.deleteLater)
            self.dialog = dialog
            dialog.open()
        self.answered.emit(attempt, answer)

    def _on_task_result(self, summary: str) -> None:
        self._task = None
        self.busy_changed.emit(False)
        if summary:
            if self._skipped:
                summary += (
                    f" {self._skipped:,} left out (asked less than "
                    f"{MIN_SECONDS_BETWEEN_ASKS:g} s ago)."
                )
            self.refreshed.emit(summary)

    def _on_task_error(self, error: BaseException) -> None:
        # A fault of ours outside any one order (those are answers): in the crash log.
        reason = type(error).__name__
        if self._refreshing:
            self._on_task_result(f"Refresh all stopped: the statuses were not fetched ({reason}).")
        else:
            self._on_task_result("")
            self._controller.warn("Check Status", f"The status was not fetched ({reason}).")

    def shutdown(self) -> None:
        """Cancel the question in flight and wait for it to end (the window is closing)."""
        task, self._task = self._task, None
        if task is not None:
            task.stop()


def _ask_each(
    asker: StatusAsker, questions: list[Question], task: TaskContext[Answered], refresh: bool
) -> str:
    """The task: ask about each order in turn; say how it went at the end."""
    from desktop_app.services.order_status import StatusAnswer  # loaded by _asker already

    done = answered = 0
    stop = failed = ""
    for attempt, where in questions:
        if task.cancelled:
            break
        if isinstance(where, str):  # it could not be asked: the reason is its answer
            answer = StatusAnswer(False, where)
        else:
            try:
                answer = asker.ask(
                    attempt.order_id, attempt=attempt, destination=where, cancel=task.token
                ).answer
            except Exception as exc:  # a fault of ours: a sentence, the details in the crash log
                crash_log.record(exc, f"asking the status of order {attempt.order_id}")
                fault = type(exc).__name__
                answer = StatusAnswer(False, f"The status was not fetched ({fault}).")
        done += 1
        if answer.ok:
            answered += 1
        else:
            failed = failed or answer.message
        task.report((attempt, answer))
        if refresh and (answer.key_problem or answer.rate_limited):
            stop = f"Refresh all stopped: {answer.message}"
            break
    if not refresh:
        return ""
    if stop:
        return stop
    if answered == done:
        return f"Refreshed the status of {done:,} order(s)."
    return f"Refreshed the status of {answered:,} of {done:,} order(s). {failed}"
