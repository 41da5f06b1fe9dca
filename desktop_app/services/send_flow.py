"""The one way an order is sent: review, claim, send, record.

The command line, the window's worker and the self-test all go through here,
so the never-twice guard is written once:

1. :func:`plan` works out what the review shows: the problems, the requests
   the order goes out as (several when it is too big for one), and what
   History says was already bought of it (or may have been).
2. The operator chooses (:class:`Choice`): send it, leave out what was
   already bought, or send it all again anyway.
3. :func:`send` claims each request in History immediately before it goes
   out (one write transaction: :meth:`History.claim`); an attempt that
   appeared since the review stops it, and the operator is asked again.
   Each part is sent and its outcome recorded; sending stops at the first
   part that is not "created".
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.order.model import Order
from desktop_app.order.purchases import Repeat, domain_key, mailbox_key, summarise
from desktop_app.order.request_limits import MAX_FIELD_BYTES, MAX_MAILBOXES_PER_REQUEST, MAX_PARTS
from desktop_app.order.validation import Problem, Severity, validate
from desktop_app.services.destinations import Destination
from desktop_app.services.environments import Environment
from desktop_app.services.history import History, SendPart

if TYPE_CHECKING:
    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.payload import OrderRequest
    from desktop_app.api.sender import OrderSender, Progress, Timeouts
    from desktop_app.order.operator_warnings import MailboxesPerDomain

__all__ = [
    "Choice",
    "Destination",
    "Job",
    "PartOutcome",
    "Plan",
    "overall",
    "plan",
    "send",
    "send_with_key",
]

PRACTICE = Environment.PRACTICE
SANDBOX = Environment.SANDBOX
PRODUCTION = Environment.PRODUCTION


class Choice(enum.Enum):
    """What the operator chose in the review."""

    SEND = "send"  # nothing in it was bought before
    LEAVE_OUT = "leave out"  # send only what was not bought already
    AGAIN = "again"  # send everything again anyway: a second order and a second charge


@dataclass
class Plan:
    """One draft as the review shows it."""

    label: str
    order: Order
    draft_path: str
    destination: Destination
    problems: list[Problem]
    parts: list[OrderRequest] = field(default_factory=list)  # empty while it has errors
    repeats: list[Repeat] = field(default_factory=list)
    remaining: list[OrderRequest] = field(default_factory=list)  # parts without what repeats
    blocked: str = ""  # why it cannot be sent at all (errors), in a sentence

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def sendable(self) -> bool:
        return bool(self.parts)

    @property
    def missing_avatars(self) -> int:
        return sum(1 for mailbox in self.order.mailboxes if mailbox.avatar is None)

    def repeat_lines(self, limit: int = 8) -> list[str]:
        return summarise(self.repeats, limit)

    def requests_for(self, choice: Choice) -> list[OrderRequest]:
        if choice is Choice.LEAVE_OUT:
            return self.remaining
        return self.parts


@dataclass(frozen=True)
class Job:
    """A plan and the operator's choice; ``again_whatever`` is ``--again``: repeat anything."""

    plan: Plan
    choice: Choice
    again_whatever: bool = False

    @property
    def requests(self) -> list[OrderRequest]:
        return self.plan.requests_for(self.choice)

    @property
    def accepted(self) -> frozenset[int] | None:
        """The earlier attempts the operator agreed to repeat (None: any)."""
        if self.again_whatever:
            return None
        if self.choice is Choice.AGAIN:
            return frozenset(r.attempt_id for r in self.plan.repeats)
        return frozenset()


@dataclass(frozen=True)
class PartOutcome:
    """What became of one request of a job.  ``sent`` is False for a part never sent."""

    label: str
    part: int
    parts: int
    result: SendResult
    request: OrderRequest | None = None
    sent: bool = True
    new_repeats: tuple[Repeat, ...] = ()  # what appeared in History since the review
    unrecorded: str = ""  # why History could not record this outcome, when it could not

    @property
    def name(self) -> str:
        return part_name(self.label, self.part, self.parts)


def part_name(label: str, part: int, parts: int) -> str:
    """``june.cmrorder, part 2 of 6`` (just the label when the order is one request)."""
    return f"{label}, part {part} of {parts}" if parts > 1 else label


def plan(
    label: str,
    order: Order,
    draft_path: str,
    destination: Destination,
    history: History,
    max_mailboxes: int = MAX_MAILBOXES_PER_REQUEST,
    limits: MailboxesPerDomain | None = None,
) -> Plan:
    """What the review of ``order`` shows.  Raises HistoryError when History cannot be read.

    ``limits``: the mailboxes per domain the settings allow (validate's).
    """
    from desktop_app.api.order_parts import OrderTooLarge

    bought = history.bought(destination.base_url, order.user_id, destination.environment)
    problems = validate(order, bought, limits)
    result = Plan(label, order, draft_path, destination, problems)
    if any(p.severity is Severity.ERROR for p in problems):
        noun = "error" if result.errors == 1 else "errors"
        result.blocked = f"Has {result.errors:,} {noun}: it will not be sent."
        return result
    try:
        result.parts = build_parts(order, destination.base_url, max_mailboxes)
    except OrderTooLarge as exc:
        result.blocked = str(exc)
        return result
    repeats: list[Repeat] = []
    for request in result.parts:
        repeats.extend(history.repeats(request, destination.environment))
    result.repeats = repeats
    if repeats:
        rest = without(order, {r.key for r in repeats})
        if rest.domains or rest.mailboxes:
            result.remaining = build_parts(rest, destination.base_url, max_mailboxes)
    else:
        result.remaining = list(result.parts)
    return result


def build_parts(order: Order, base_url: str, max_mailboxes: int) -> list[OrderRequest]:
    """The requests ``order`` goes out as: one, or several on domain boundaries."""
    from desktop_app.api.order_parts import split_order
    from desktop_app.api.payload import build_request

    return [build_request(part, base_url) for part in split_order(order, max_mailboxes)]


def without(order: Order, keys: set[str]) -> Order:
    """``order`` less the domains and mailboxes whose purchase keys are in ``keys``."""
    from dataclasses import replace

    return replace(
        order,
        domains=[d for d in order.domains if domain_key(d.domain) not in keys],
        mailboxes=[m for m in order.mailboxes if mailbox_key(m.username, m.domain) not in keys],
        unassigned_avatars={},
    )


def limits_problem(request: OrderRequest) -> str | None:
    """Why ``request`` is too big for real servers to read, or None (a last check)."""
    parts = len(request.fields) + len(request.files)
    if parts > MAX_PARTS:
        return f"the request has {parts:,} parts; servers read at most {MAX_PARTS:,}"
    for name, value in request.fields:
        if len(value.encode("utf-8")) > MAX_FIELD_BYTES:
            return f"its {name} field is larger than servers read (1 MiB)"
    return None


ProgressHook = Callable[[str, "Progress"], None]
PartHook = Callable[[PartOutcome], None]


def send(
    jobs: list[Job],
    sender: OrderSender,
    history: History,
    cancel: CancelToken,
    on_progress: ProgressHook | None = None,
    on_part: PartHook | None = None,
) -> list[PartOutcome]:
    """Send every request of ``jobs``, one after another; one :class:`PartOutcome` per request.

    A job stops at its first part that is not "created"; the parts after it
    are reported as not sent.  Never raises for network trouble; raises
    HistoryError only before anything of a part went out.
    """
    import uuid

    outcomes: list[PartOutcome] = []

    def report(outcome: PartOutcome) -> None:
        outcomes.append(outcome)
        if on_part is not None:
            on_part(outcome)

    for job in jobs:
        requests = job.requests
        batch = uuid.uuid4().hex if len(requests) > 1 else ""
        stopped: str | None = None
        for index, request in enumerate(requests, start=1):
            label, count = job.plan.label, len(requests)
            if stopped is not None or cancel.cancelled:
                reason = stopped or "cancelled before its turn"
                result = SendResult(
                    Outcome.NOT_CREATED,
                    f"Not sent: {reason}; nothing was created.",
                    cancelled=cancel.cancelled,
                )
                report(PartOutcome(label, index, count, result, request, sent=False))
                continue
            where = SendPart(
                environment=job.plan.destination.environment.value,
                draft_path=job.plan.draft_path,
                batch=batch,
                part=index,
                parts=count,
            )
            outcome = _send_part(job, request, where, sender, history, cancel, on_progress)
            report(outcome)
            if outcome.result.outcome is Outcome.UNKNOWN:
                stopped = f"the outcome of part {index} of {count} is unknown"
            elif outcome.result.outcome is not Outcome.CREATED:
                stopped = f"part {index} of {count} was not created"
    return outcomes


def send_with_key(
    jobs: list[Job],
    key: str,
    history: History,
    cancel: CancelToken,
    timeouts: Timeouts | None = None,
    on_progress: ProgressHook | None = None,
    on_part: PartHook | None = None,
) -> list[PartOutcome]:
    """:func:`send` through an HTTP sender made here, the only place one is made.

    The key travels in the header of the jobs' environment (the CMR sandbox
    has its own); jobs for two environments are never sent with one key.
    """
    from desktop_app.api.sender import OrderSender

    places = {job.plan.destination for job in jobs}
    if len(places) > 1:
        raise ValueError("one send goes to one destination")
    header = next(iter(places)).key_header if places else PRODUCTION.key_header
    with OrderSender(key, timeouts=timeouts, key_header=header) as sender:
        return send(jobs, sender, history, cancel, on_progress, on_part)


def _send_part(
    job: Job,
    request: OrderRequest,
    where: SendPart,
    sender: OrderSender,
    history: History,
    cancel: CancelToken,
    on_progress: ProgressHook | None,
) -> PartOutcome:
    from desktop_app.services.history import HISTORY_GUARDS_SENDS, HistoryError

    label = job.plan.label
    name = part_name(label, where.part, where.parts)
    too_big = limits_problem(request)
    if too_big:
        result = SendResult(Outcome.NOT_CREATED, f"Not sent: {too_big}; nothing was created.")
        return PartOutcome(label, where.part, where.parts, result, request, sent=False)
    try:
        claim = history.claim(request, where, job.accepted)
    except HistoryError as exc:
        result = SendResult(Outcome.NOT_CREATED, f"{exc} {HISTORY_GUARDS_SENDS}")
        return PartOutcome(label, where.part, where.parts, result, request, sent=False)
    if claim.attempt_id is None:
        lines = "; ".join(summarise(claim.repeats, 4))
        result = SendResult(
            Outcome.NOT_CREATED,
            "Not sent: since the review, History shows some of it as already ordered "
            f"({lines}). Nothing was created; review the order again.",
        )
        return PartOutcome(
            label, where.part, where.parts, result, request, sent=False, new_repeats=claim.repeats
        )

    def progress(step: Progress) -> None:
        if on_progress is not None:
            on_progress(name, step)

    try:
        result = sender.send(request, cancel, progress)
    except Exception as exc:  # a fault of ours: the order may be out, so say unknown
        from desktop_app.api.outcome import unknown

        result = unknown(f"Sending stopped unexpectedly ({type(exc).__name__}).", None, 1)
    unrecorded = ""
    try:
        history.finish(claim.attempt_id, result)
    except HistoryError as exc:  # the outcome still stands: show it, and say this
        from dataclasses import replace

        unrecorded = f"{exc} This outcome is not in the history: keep a note of it."
        result = replace(result, message=f"{result.message} ({unrecorded})")
    return PartOutcome(label, where.part, where.parts, result, request, unrecorded=unrecorded)


def overall(outcomes: list[PartOutcome]) -> Outcome:
    """CREATED when every part was created; UNKNOWN when any is unknown; else NOT_CREATED."""
    if any(o.result.outcome is Outcome.UNKNOWN for o in outcomes):
        return Outcome.UNKNOWN
    if outcomes and all(o.result.outcome is Outcome.CREATED for o in outcomes):
        return Outcome.CREATED
    return Outcome.NOT_CREATED


class BoughtLookup:
    """What History shows as bought, per endpoint and userId, read once and kept.

    The drafting warnings ask on every refresh of the Problems pane; History
    is read again only after :meth:`forget` (a send finished).  A History that
    cannot be read gives no warnings here: sending says why it refuses.
    """

    def __init__(self, history: History) -> None:
        self._history = history
        self._known: dict[tuple[Destination, str], dict[str, Repeat]] = {}

    def lookup(self, destination: Destination, user_id: str) -> dict[str, Repeat]:
        from desktop_app.services.history import HistoryError

        key = (destination, user_id.strip())
        if key not in self._known:
            try:
                self._known[key] = self._history.bought(
                    destination.base_url, user_id, destination.environment
                )
            except HistoryError:
                return {}
        return self._known[key]

    def forget(self) -> None:
        self._known.clear()


def split_summary(requests: list[OrderRequest]) -> str:
    """``This goes out as 6 orders of up to 835 mailboxes.`` (empty for one request)."""
    if len(requests) <= 1:
        return ""
    most = max(r.counts.mailboxes for r in requests)
    return f"This goes out as {len(requests):,} orders of up to {most:,} mailboxes."
