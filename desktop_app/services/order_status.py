"""Asking what became of an order, for both faces: where to ask, with which key, what to keep.

``order-desk status`` and the window's Check status and Refresh all all go
through :class:`StatusAsker`:

- The environment is the one the operator names, else the one History
  recorded.  An attempt recorded before environments existed is practice when
  it went over plain http to this computer (and gets the practice key, never
  a real one); else it is production or the CMR sandbox when its address is
  the one configured for it; else nothing is asked.
- The question goes to the address that environment is configured with now,
  never to an address read from History: when the order went elsewhere,
  nothing is sent and the operator is told both addresses and how to ask the
  other one (``--base-url``).
- Only an answer about the order (a 2xx, or a 404 "not known") becomes its
  status in History; a refused key, "too many requests", a network or
  certificate failure is reported and not kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.api.order_status import (
    MAX_DEPTH,
    STATUS_TIMEOUT,
    StatusAnswer,
    scalar_text,
    table_columns,
    tree_lines,
)
from desktop_app.services.destinations import (
    PRACTICE,
    PRODUCTION,
    SANDBOX,
    Destination,
    DestinationRefused,
    configured_address,
    printable,
    read_key,
    resolve,
    same_address,
)
from desktop_app.services.environments import Environment

if TYPE_CHECKING:
    from desktop_app.api.cancel import CancelToken
    from desktop_app.practice.server import PracticeServer
    from desktop_app.services.history import Attempt, History
    from desktop_app.services.keystore import KeyStore
    from desktop_app.services.settings import Settings

__all__ = [
    "MAX_DEPTH",
    "STATUS_TIMEOUT",
    "StatusAnswer",
    "StatusAsker",
    "StatusReply",
    "environment_of",
    "scalar_text",
    "table_columns",
    "tree_lines",
]


@dataclass(frozen=True)
class StatusReply:
    """What became of one question: the answer, and what History kept of it."""

    answer: StatusAnswer
    attempt: Attempt | None = None  # History's attempt for the order, when it has one
    destination: Destination | None = None  # None: nothing was asked
    recorded: bool = False
    note: str = ""  # a sentence about History (could not be read, or not written)

    @property
    def asked(self) -> bool:
        return self.destination is not None


def is_about_the_order(answer: StatusAnswer) -> bool:
    """True for an answer that is the order's status: a 2xx, or the API not knowing it."""
    status = answer.http_status
    return status is not None and (200 <= status < 300 or status == 404)


def environment_of(attempt: Attempt, settings: Settings) -> Environment:
    """The environment ``attempt`` was sent in; DestinationRefused when that cannot be told."""
    from desktop_app.api.endpoints import is_loopback_host

    try:
        return Environment(attempt.environment)
    except ValueError:
        pass
    if attempt.environment:
        raise DestinationRefused(
            f"History says order {printable(attempt.order_id)} was sent in an unknown "
            f"environment ({printable(attempt.environment)}): nothing was asked."
        )
    # Recorded before environments existed: told apart by where it went.
    from urllib.parse import urlsplit

    parts = urlsplit(attempt.base_url)
    if parts.scheme.lower() == "http" and is_loopback_host(parts.hostname or ""):
        return PRACTICE
    for environment in (PRODUCTION, SANDBOX):
        address = configured_address(environment, settings)
        if address and same_address(address, attempt.base_url):
            return environment
    raise DestinationRefused(
        f"Order {printable(attempt.order_id)} was recorded before environments existed, at "
        f"{printable(attempt.base_url)}, which is neither the production nor the CMR sandbox "
        "address configured now: nothing was asked. To ask that address, run "
        f"`order-desk status {printable(attempt.order_id)} --env production --base-url "
        f"{printable(attempt.base_url)}`."
    )


MAX_ORDER_ID = 64  # longer or stranger is no order ID this app has seen


def question_problem(order_id: str, user_id: str) -> None:
    """DestinationRefused when ``order_id`` or ``user_id`` cannot be asked about at all."""
    from desktop_app.order.validation import user_id_problem

    wanted = order_id.strip()
    if not wanted:
        raise DestinationRefused("Give the order ID to ask about; nothing was asked.")
    if len(wanted) > MAX_ORDER_ID or not all("!" <= char <= "~" for char in wanted):
        raise DestinationRefused(
            f"{printable(order_id, 80)} is not an order ID (printable letters and digits, at "
            f"most {MAX_ORDER_ID}); nothing was asked."
        )
    problem = user_id_problem(user_id.strip())
    if problem:
        raise DestinationRefused(f"{problem} Nothing was asked.")


class StatusAsker:
    """Asks about orders with the keys and addresses of their environments.

    ``key_stores`` maps an environment to its key store (the window passes
    its own; by default each environment's usual one).  ``practice_url`` is
    the practice server running now; without one, a practice server is
    started for the questions and stopped by :meth:`close`.  Keys are read
    once per environment.  Use as a context manager.
    """

    def __init__(
        self,
        settings: Settings,
        history: History,
        key_stores: Mapping[Environment, KeyStore] | None = None,
        practice_url: str = "",
        timeout: float = STATUS_TIMEOUT,
    ) -> None:
        self._settings = settings
        self._history = history
        self._stores = dict(key_stores) if key_stores is not None else None
        self._practice_url = practice_url
        self._practice_server: PracticeServer | None = None
        self._keys: dict[Environment, str] = {}
        self.timeout = timeout

    def __enter__(self) -> StatusAsker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        server, self._practice_server = self._practice_server, None
        if server is not None:
            server.stop()

    def find(self, order_id: str) -> tuple[Attempt | None, str]:
        """History's attempt for ``order_id`` (None when it has none) and a note on trouble."""
        from desktop_app.services.history import HistoryError

        try:
            return self._history.find_order(order_id), ""
        except HistoryError as exc:
            return None, f"{exc} Asking without it."

    def ask(
        self,
        order_id: str,
        *,
        attempt: Attempt | None = None,
        environment: Environment | None = None,
        base_url: str | None = None,
        user_id: str | None = None,
        destination: Destination | None = None,
        cancel: CancelToken | None = None,
        note: str = "",
    ) -> StatusReply:
        """Ask about ``order_id`` (``attempt`` is History's row for it, when there is one).

        ``environment`` and ``base_url`` are what the operator named
        (``--env``, ``--base-url``); ``user_id`` likewise.  ``destination`` is
        :meth:`where_to_ask`'s answer when it was worked out already (the
        window does so on its own thread).  Never raises for network, server,
        keyring or History trouble: the reply says it.
        """
        from desktop_app.api.order_status import fetch_status

        asked_for = user_id if user_id is not None else (attempt.user_id if attempt else "")
        try:
            question_problem(order_id, asked_for)
            where = destination or self.where_to_ask(attempt, environment, base_url)
            key = self._key_for(where)
        except DestinationRefused as exc:
            return StatusReply(StatusAnswer(False, str(exc)), attempt, note=note)
        answer = fetch_status(where, key, order_id, asked_for, timeout=self.timeout, cancel=cancel)
        recorded = False
        if attempt is not None and is_about_the_order(answer):
            recorded, note = self._record(attempt, answer, note)
        return StatusReply(answer, attempt, where, recorded, note)

    def where_to_ask(
        self,
        attempt: Attempt | None,
        environment: Environment | None = None,
        base_url: str | None = None,
    ) -> Destination:
        """Where a question about ``attempt``'s order goes; DestinationRefused says why not."""
        if environment is None:
            environment = environment_of(attempt, self._settings) if attempt else PRODUCTION
        if base_url:  # the operator named the address: it is theirs to choose
            return resolve(environment, self._settings, base_url)
        if environment is PRACTICE:
            return resolve(PRACTICE, self._settings, practice_url=self._practice_address())
        where = resolve(environment, self._settings)
        if attempt is not None and not same_address(attempt.base_url, where.base_url):
            order = printable(attempt.order_id)
            raise DestinationRefused(
                f"Order {order} was sent to {printable(attempt.base_url)}, but "
                f"{environment.label}'s address is {printable(where.base_url)} now: nothing "
                f"was sent, so the {environment.label} key goes only to its own address. To "
                f"ask the other one, run `order-desk status {order} --env {environment.value} "
                f"--base-url {printable(attempt.base_url)}`."
            )
        return where

    def _practice_address(self) -> str:
        if self._practice_url:
            return self._practice_url
        if self._practice_server is None:
            from desktop_app.services import practice_env

            try:
                self._practice_server = practice_env.start_server()
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise DestinationRefused(f"The practice server cannot start: {reason}.") from None
        return self._practice_server.base_url

    def _key_for(self, where: Destination) -> str:
        if where.environment not in self._keys:
            from desktop_app.api.api_key import key_problem
            from desktop_app.services.destinations import key_store

            stores = self._stores
            store = stores.get(where.environment) if stores is not None else None
            key = read_key(where, store or key_store(where.environment))
            problem = key_problem(key)  # the sender's rule: never a key it would refuse
            if problem:
                raise DestinationRefused(f"{problem} Nothing was asked.")
            self._keys[where.environment] = key
        return self._keys[where.environment]

    def _record(self, attempt: Attempt, answer: StatusAnswer, note: str) -> tuple[bool, str]:
        from desktop_app.services.history import HistoryError

        try:
            self._history.record_status(attempt.id, answer.headline, answer.raw)
        except HistoryError as exc:
            return False, f"{exc} The status is not kept in History."
        return True, note
