"""Sending from the window: review, send on a worker thread, show the outcome, keep history.

Everything that talks to the outside (the key store, the history database,
the practice server) is passed in or made here, never inside the widgets.
The flow never blocks the event loop: each dialog is opened and its answer
arrives as a signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.services.destinations import (
    PRACTICE,
    PRODUCTION,
    SANDBOX,
    Destination,
    DestinationRefused,
    resolve,
)
from desktop_app.services.environments import Environment, key_store_for
from desktop_app.services.history import History
from desktop_app.services.keystore import KeyStore
from desktop_app.services.send_flow import BoughtLookup, Job
from desktop_app.services.settings import Settings
from desktop_app.ui.environments.practice_mode import PracticeMode
from desktop_app.ui.history.status_check import StatusChecks
from desktop_app.ui.keys.keyring_calls import KeyringCalls
from desktop_app.ui.send.sending_settings import SendingSettingsWidget
from desktop_app.ui.send.worker import SendRunner, SendWorker

if TYPE_CHECKING:
    from collections.abc import Mapping

    from PySide6.QtWidgets import QMessageBox

    from desktop_app.api.exchange import Timeouts
    from desktop_app.order.model import Order
    from desktop_app.order.purchases import Repeat
    from desktop_app.services.send_flow import PartOutcome
    from desktop_app.ui.history.history_pane import HistoryPane
    from desktop_app.ui.send.progress_dialog import SendProgressDialog
    from desktop_app.ui.send.result_dialog import SendResultDialog
    from desktop_app.ui.send.review_dialog import SendReviewDialog

NO_KEY = (
    "No API key is set. Paste it in Settings → API key, or turn on Practice mode "
    "to try sending without an account."
)
KEYRING_WAIT = "Reading the API key from the system keyring…"


class SendController(QObject):
    """Owns the sending half of the window: settings widget, History pane, dialogs, worker.

    Signals: ``busy_changed(busy)``; ``sent(outcomes)`` when a send is over,
    with one :class:`PartOutcome` per request; ``message(text)`` for the
    status bar; ``bought_changed()`` when what History shows as bought (at
    the address in use) may differ: after a send, or another address;
    ``history_failed(text)`` when History cannot be read or written (then
    nothing can be sent: History is what stops a second order);
    ``environment_changed(environment)`` when orders go to another environment;
    ``history_pane_built(pane)`` once, when the History pane is first needed.
    """

    busy_changed = Signal(bool)
    sent = Signal(list)
    message = Signal(str)
    bought_changed = Signal()
    history_failed = Signal(str)
    environment_changed = Signal(object)
    history_pane_built = Signal(object)

    def __init__(
        self,
        parent_widget: QWidget,
        settings: Settings,
        key_store: KeyStore | None = None,
        history: History | None = None,
        timeouts: Timeouts | None = None,
        sandbox_key_store: KeyStore | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self.parent_widget = self._parent_widget = parent_widget
        self.key_store = key_store or KeyStore()
        # The sandbox has a key of its own; practice needs none.
        self.sandbox_key_store = sandbox_key_store or key_store_for(SANDBOX)
        self.environment = PRODUCTION
        self.settings = settings
        self.history = history or History()
        self.timeouts = timeouts
        self.practice = PracticeMode(self)
        self.settings_widget = SendingSettingsWidget(self.key_store, settings)
        self._history_pane: HistoryPane | None = None  # built when first needed
        self.status_checks = StatusChecks(self)
        self.bought = BoughtLookup(self.history)
        self.runner = SendRunner(self)
        self.key_calls = KeyringCalls(self)
        self.review_dialog: SendReviewDialog | None = None
        self.progress_dialog: SendProgressDialog | None = None
        self.result_dialog: SendResultDialog | None = None
        self.warning_box: QMessageBox | None = None
        self._sent_to = PRODUCTION  # the environment of the send in progress
        self._orders: list[tuple[str, Order, str]] = []  # what the open review or send is of

        self.settings_widget.practice_toggled.connect(self.set_practice)
        self.practice.changed.connect(self._on_practice_changed)
        self.practice.failed.connect(self._on_practice_failed)
        self.practice.started.connect(self._on_practice_started)
        self.runner.progress.connect(self._on_runner_progress)
        self.runner.finished.connect(self._on_runner_finished)
        self.settings_widget.base_url_changed.connect(self.bought_changed)
        self.settings_widget.sandbox_url_changed.connect(self.bought_changed)

    @property
    def history_pane(self) -> HistoryPane:
        """The History pane, built the first time anything needs it (not before the first frame)."""
        if self._history_pane is None:
            from desktop_app.ui.history.history_pane import HistoryPane

            self._history_pane = HistoryPane(self.history)
            self.status_checks.attach(self._history_pane)
            self.history_pane_built.emit(self._history_pane)
        return self._history_pane

    # --- destination -------------------------------------------------------------------

    def destination(self) -> Destination:
        """Where orders go now, by the settings store; DestinationRefused says why nowhere."""
        # The environment asked for, read before the practice server is (maybe) started
        # now: one that cannot start leaves practice, and this send goes nowhere.
        environment = self.environment
        return resolve(environment, self.settings, practice_url=self.practice.base_url)

    def key_store_of(self, environment: Environment) -> KeyStore | None:
        """The key store of ``environment``'s key (None for practice: it needs none)."""
        if environment is PRACTICE:
            return None
        return self.sandbox_key_store if environment is SANDBOX else self.key_store

    @property
    def key_stores(self) -> dict[Environment, KeyStore]:
        """The key store of each environment that needs a key."""
        return {PRODUCTION: self.key_store, SANDBOX: self.sandbox_key_store}

    def set_environment(self, environment: Environment, *, start_later: bool = False) -> None:
        """Send to ``environment`` from now on (practice starts the practice server:
        with ``start_later``, after the first frame or when its address is first needed)."""
        if environment is PRACTICE:
            self.practice.set_on(True, later=start_later)  # ``changed`` says the rest
            return
        previous, self.environment = self.environment, environment
        if self.practice.on:
            self.practice.set_on(False)  # ``changed(False)`` announces the new environment
        elif previous is not environment:
            self._announce()

    def bought_for(self, user_id: str) -> Mapping[str, Repeat]:
        """What History shows as bought at the address in use for ``user_id`` (cached)."""
        if self.practice.starting:  # asked again once its server is up (``bought_changed``)
            return {}
        try:
            destination = self.destination()
        except DestinationRefused:  # sending says why; nothing can be bought there
            return {}
        return self.bought.lookup(destination, user_id)

    def check_history(self) -> None:
        """Find out, off the GUI thread, whether History works; ``history_failed`` if not.

        A History locked by another program can take seconds to answer: the
        window never waits for it, not even when it closes (the task is detached).
        """
        from desktop_app.services.history import HistoryError
        from desktop_app.ui.common.tasks import TaskContext, run_task

        history = self.history

        def check(_task: TaskContext[None]) -> None:
            history.check()

        def failed(error: BaseException) -> None:
            if isinstance(error, HistoryError):
                self.history_failed.emit(f"{error} Sending is off until it can be used.")
            else:  # a fault of ours, in the crash log: History cannot be vouched for
                reason = type(error).__name__
                self.history_failed.emit(
                    f"The send history could not be checked ({reason}). "
                    "Sending is off until it can be used."
                )

        run_task(
            self,
            check,
            on_result=lambda _none: None,
            on_error=failed,
            name="history-check",
            expected=(HistoryError,),
            detached=True,
        )

    def set_practice(self, on: bool) -> None:
        """Practice mode on, or off (back to production, as the practice switch always did).

        Off is ignored once another environment has taken over from practice.
        """
        if on:
            self.practice.set_on(True)
        elif self.practice.on:
            self.set_environment(PRODUCTION)

    def _on_practice_changed(self, on: bool) -> None:
        if on:
            self.environment = PRACTICE
        elif self.environment is PRACTICE:
            self.environment = PRODUCTION
        self._announce()

    def _announce(self) -> None:
        environment = self.environment
        self.settings_widget.show_environment(environment, self.key_store_of(environment))
        self.bought_changed.emit()
        self.environment_changed.emit(environment)
        if environment is PRACTICE:
            if not self.practice.starting:  # else said once the server is up
                self._say_practice_address(self.practice.base_url)
            return
        if environment is SANDBOX:
            text = "CMR sandbox: orders go to CMR's test environment; no money moves."
        else:
            text = "Production: orders go to CMR and cost money."
        self.message.emit(text)

    def _on_practice_started(self, address: str) -> None:
        self.bought_changed.emit()  # the drafting warnings, now that the address is known
        self._say_practice_address(address)

    def _say_practice_address(self, address: str) -> None:
        self.message.emit(f"Practice mode: orders go to {address}; nothing is bought.")

    def _on_practice_failed(self, text: str) -> None:
        self._warn("Practice Mode", text)

    # --- the flow -----------------------------------------------------------------------------

    def send_orders(
        self, orders: list[tuple[str, Order, str]], notice: str = ""
    ) -> SendReviewDialog | None:
        """Open the review of ``(label, order, draft_path)`` items; accepting it sends them.

        Returns the review when it opens at once (practice mode).  For real
        orders the key is first read from the key store off the GUI thread:
        None is returned and the review (or a warning) opens when it answers
        (``review_dialog``, ``warning_box``).  ``notice`` is said at the top
        of the review.
        """
        if self.runner.busy:
            self.message.emit("A send is already running.")
            return None
        unsaved = self.settings_widget.unsaved_address_problem(self.environment)
        if unsaved:
            self._warn("Cannot Send", unsaved)
            return None
        try:
            destination = self.destination()
        except DestinationRefused as exc:
            self._warn("Cannot Send", f"{exc} Nothing was sent.")
            return None
        if destination.practice:
            return self._review(orders, destination, self.practice.key, notice)
        if self.key_calls.busy:
            self.message.emit(KEYRING_WAIT)
            return None
        # The keyring may take seconds, or never answer: ask it off the GUI
        # thread, and open the review (or say why not) when it has answered.
        self.message.emit(KEYRING_WAIT)
        store = self.key_stores[destination.environment]
        self.key_calls.run(
            store.get,
            lambda key, error: self._on_key_read(orders, destination, key, error, notice),
        )
        return None

    def _on_key_read(
        self,
        orders: list[tuple[str, Order, str]],
        destination: Destination,
        key: str | None,
        error: BaseException | None,
        notice: str,
    ) -> None:
        if error is not None:  # locked, or no answer: one sentence, never "no key"
            self._warn("Cannot Send", f"{error} Nothing was sent.")
            return
        try:
            now = self.destination()
        except DestinationRefused:
            now = None
        if self.runner.busy or now != destination:  # things moved on meanwhile
            return
        self._review(orders, destination, key, notice)

    def _review(
        self,
        orders: list[tuple[str, Order, str]],
        destination: Destination,
        key: str | None,
        notice: str,
    ) -> SendReviewDialog | None:
        from desktop_app.services import send_flow
        from desktop_app.services.history import HISTORY_GUARDS_SENDS, HistoryError
        from desktop_app.ui.send.review_dialog import SendReviewDialog

        if not key:
            self._warn("Cannot Send", NO_KEY)
            return None
        per_request = self.settings_widget.mailboxes_per_request()
        per_domain = self.settings_widget.mailboxes_per_domain()
        try:
            plans = [
                send_flow.plan(
                    label, order, path, destination, self.history, per_request, per_domain
                )
                for label, order, path in orders
            ]
        except HistoryError as exc:
            self.history_failed.emit(f"{exc} Sending is off until it can be used.")
            self._warn("Cannot Send", f"{exc} {HISTORY_GUARDS_SENDS}")
            return None
        self._orders = list(orders)
        dialog = SendReviewDialog(
            plans,
            destination.base_url,
            destination.practice,
            self._parent_widget,
            notice,
            environment=destination.environment,
        )
        dialog.accepted.connect(lambda: self._on_review_accepted(dialog, key))
        dialog.rejected.connect(dialog.deleteLater)
        self.review_dialog = dialog
        dialog.open()
        return dialog

    def _on_review_accepted(self, dialog: SendReviewDialog, key: str) -> None:
        jobs = dialog.selected_jobs()
        dialog.deleteLater()
        if jobs:
            self.start(jobs, key)

    def start(self, jobs: list[Job], key: str) -> None:
        """Send ``jobs`` now (after a review), showing progress and then the outcome."""
        from desktop_app.api.exchange import Timeouts
        from desktop_app.ui.send.progress_dialog import SendProgressDialog

        self._sent_to = jobs[0].plan.destination.environment if jobs else PRODUCTION
        progress = SendProgressDialog(self._parent_widget)
        progress.cancel_requested.connect(self.runner.cancel)
        # So the dialog can say how long it will still wait for an answer.
        progress.set_answer_timeout((self.timeouts or Timeouts()).answer)
        self.progress_dialog = progress
        worker = SendWorker(jobs, key, self.history, self.timeouts)
        self.runner.start(worker)
        self.busy_changed.emit(True)
        progress.open()

    def cancel(self) -> None:
        self.runner.cancel()

    def _on_runner_progress(self, sent: int, total: int, label: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.set_progress(sent, total, label)

    def _on_runner_finished(self, outcomes: list[PartOutcome]) -> None:
        from desktop_app.ui.send.result_dialog import SendResultDialog

        if self.progress_dialog is not None:
            self.progress_dialog.finish()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.busy_changed.emit(False)
        self.history_pane.refresh()
        self.bought.forget()
        self.bought_changed.emit()
        dialog = SendResultDialog(
            outcomes,
            self._parent_widget,
            practice=self._sent_to is PRACTICE,
            environment=self._sent_to,
        )
        dialog.copied.connect(lambda text: self.message.emit(f"Copied {text}."))
        dialog.finished.connect(dialog.deleteLater)
        stale = {o.label for o in outcomes if o.new_repeats}
        if stale:
            # Something was sent meanwhile (another window, the command line): the
            # review is shown again with the new facts once this result is read.
            again = [item for item in self._orders if item[0] in stale]
            dialog.finished.connect(lambda _code: self._review_again(again))
        self.result_dialog = dialog
        dialog.open()
        self.sent.emit(outcomes)

    def _review_again(self, orders: list[tuple[str, Order, str]]) -> None:
        self.send_orders(
            orders,
            notice="Since the review was opened, some of this was ordered elsewhere (another "
            "window, the command line, or a draft earlier in the same send). Here is the "
            "review again, with what History shows now.",
        )

    def warn(self, title: str, text: str) -> None:
        """A warning box over the window, with ``text`` shown as plain text."""
        self._warn(title, text)

    def _warn(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.ui.common.plain_text import message_box

        box = message_box(  # the text may hold a server's, the history's or the keyring's words
            QMessageBox.Icon.Warning,
            title,
            text,
            QMessageBox.StandardButton.Ok,
            self._parent_widget,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.warning_box = box
        box.open()

    # --- the end ----------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Cancel and wait for a send in progress, and stop the practice server."""
        if self.runner.busy:
            self.runner.wait()
            if self.progress_dialog is not None:
                self.progress_dialog.finish()
                self.progress_dialog = None
            self.busy_changed.emit(False)
        self.status_checks.shutdown()
        self.practice.stop()
