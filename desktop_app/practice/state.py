"""What the practice server knows: its key, the faults to play, the requests it received."""

from __future__ import annotations

import enum
import socket
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.api.multipart import ReceivedFile
from desktop_app.api.payload import API_KEY_HEADER
from desktop_app.practice.status import PracticeOrders

PRACTICE_KEY = "practice-key"
ORDER_ID_ALPHABET = string.ascii_uppercase + string.digits
ORDER_ID_LENGTH = 28
MAX_BODY_BYTES = 512 * 1024 * 1024


class Fault(str, enum.Enum):
    """How the next request goes wrong.

    The stalls and drops happen while the request arrives; the others once
    its key and contract checks have passed.
    """

    SERVER_ERROR = "500"  # nothing created
    RATE_LIMIT = "429"  # nothing created; Retry-After sent
    DROP_BEFORE_BODY = "drop-before-body"  # connection reset before reading the body
    STALL_UPLOAD = "stall-upload"  # stops reading the body for ``slow_seconds``
    DROP_AFTER_BODY = "drop-after-body"  # order created, then the connection is reset
    SLOW = "slow"  # order created, the answer waits ``slow_seconds``
    NOT_JSON = "not-json"  # order created, a 2xx HTML page answers


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server saw it (the key itself is not kept)."""

    user_id: str | None
    key_accepted: bool
    fields: dict[str, str]
    files: dict[str, ReceivedFile]
    status: int  # 0: no answer was sent (dropped, or the upload never finished)
    order_id: str = ""
    fault: Fault | None = None
    key_headers: tuple[str, ...] = ()  # which of the key headers the request carried


@dataclass(frozen=True)
class ReceivedStatusRequest:
    """One status question as the server saw it (the key itself is not kept)."""

    order_id: str
    user_id: str
    key_accepted: bool
    status: int
    key_headers: tuple[str, ...] = ()  # which of the key headers the question carried


@dataclass
class PracticeState:
    key: str
    faults: list[Fault | None] = field(default_factory=list)
    requests: list[ReceivedRequest] = field(default_factory=list)
    status_requests: list[ReceivedStatusRequest] = field(default_factory=list)
    unavailable_domains: set[str] = field(default_factory=set)
    slow_seconds: float = 30.0
    retry_after: str = "1"
    lock: threading.Condition = field(default_factory=threading.Condition)
    release: threading.Event = field(default_factory=threading.Event)
    idle_connections: set[socket.socket] = field(default_factory=set)
    stopping: bool = False
    log: Callable[[str], None] | None = None
    orders: PracticeOrders = field(default_factory=PracticeOrders)


# Production's key header, and the CMR sandbox's (environments.Environment.key_header).
KEY_HEADERS = (API_KEY_HEADER, "cmr-x-sandbox-api-key")

# The limits a typical Node backend (NestJS over multer and busboy) applies by
# default; the practice server refuses the same, so practice shows the split.
SERVER_MAX_PARTS = 1000
SERVER_MAX_FIELD_BYTES = 1024 * 1024


def over_server_limits(fields: dict[str, str], files: dict[str, ReceivedFile]) -> str | None:
    if len(fields) + len(files) > SERVER_MAX_PARTS:
        return "Too many parts"
    if any(len(value.encode("utf-8")) > SERVER_MAX_FIELD_BYTES for value in fields.values()):
        return "Field value too long"
    return None
