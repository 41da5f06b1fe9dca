"""Measurements of the core (no window), each run in a fresh process and printed as JSON.

    python -m benchmarks.core_child validate DRAFT
    python -m benchmarks.core_child save DRAFT FOLDER
    python -m benchmarks.core_child send DRAFT BASE_URL
    python -m benchmarks.core_child body DRAFT BODY_FILE
    python -m benchmarks.core_child hostile DRAFT

A fresh process per measurement keeps one's memory out of another's figures.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.harness import measure_memory, repeat, rss_bytes, timed
from desktop_app.draft import draft_file
from desktop_app.order.model import Order

REPEATS = 7


def read_every_member(path: Path) -> int:
    """The floor of opening a draft: the bytes of every member of its ZIP, read once."""
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            total += len(archive.read(info))
    return total


def touch_every_field(order: Order) -> int:
    """The floor of checking an order: one look at every field of every row."""
    seen = 0
    for entry in order.domains:
        seen += bool(entry.domain.strip()) + bool(str(entry.years)) + bool(entry.forward_to)
    for mailbox in order.mailboxes:
        seen += bool(mailbox.domain.strip()) + bool(mailbox.username.strip())
        seen += bool(mailbox.first_name.strip()) + bool(mailbox.last_name.strip())
        seen += mailbox.avatar is not None
    return seen


def cmd_validate(draft: Path) -> dict[str, Any]:
    from desktop_app.order.validation import validate

    load_seconds = repeat(lambda: draft_file.load(draft), 3)
    read_seconds = repeat(lambda: read_every_member(draft), 3)
    order = draft_file.load(draft)
    problems = validate(order)
    return {
        "mailboxes": len(order.mailboxes),
        "problems": len(problems),
        "validate": repeat(lambda: validate(order), REPEATS),
        "touch_fields": repeat(lambda: touch_every_field(order), REPEATS),
        "load": load_seconds,
        "read_members": read_seconds,
    }


def _copy_synced(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb+") as stream:
        os.fsync(stream.fileno())


def cmd_save(draft: Path, folder: Path) -> dict[str, Any]:
    order = draft_file.load(draft)
    folder.mkdir(parents=True, exist_ok=True)
    runs = []
    for number in range(3):
        target = folder / f"saved-{number}.cmrorder"
        runs.append(measure_memory(lambda target=target: draft_file.save(order, target)))
    copies = [timed(lambda: _copy_synced(draft, folder / "copy.cmrorder")) for _ in range(3)]
    return {
        "mailboxes": len(order.mailboxes),
        "draft_bytes": draft.stat().st_size,
        "saves": runs,
        "copies": copies,
    }


def cmd_send(draft: Path, base_url: str) -> dict[str, Any]:
    """The whole send flow, as ``order-desk send --yes`` runs it: review, then every part.

    In an app home of its own, so History starts empty and nothing repeats.
    """
    import os
    import tempfile

    os.environ["ORDER_DESK_HOME"] = tempfile.mkdtemp(prefix="order-desk-bench-")
    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.sender import OrderSender
    from desktop_app.practice.server import PRACTICE_KEY
    from desktop_app.services import send_flow
    from desktop_app.services.history import History

    order = draft_file.load(draft)
    history = History()
    planned = send_flow.plan(
        draft.name, order, str(draft), send_flow.Destination(base_url), history
    )
    job = send_flow.Job(planned, send_flow.Choice.SEND)
    outcomes: list[Any] = []
    with OrderSender(PRACTICE_KEY) as sender:
        measured = measure_memory(
            lambda: outcomes.extend(send_flow.send([job], sender, history, CancelToken()))
        )
    overall = send_flow.overall(outcomes)
    return {
        **measured,
        "outcome": overall.value,
        "parts": len(outcomes),
        "order_ids": [o.result.order_id for o in outcomes],
        "message": "; ".join(o.result.message for o in outcomes if o.result.message),
        "body_bytes": sum(_body(o.request).content_length for o in outcomes if o.request),
        "rss_after": rss_bytes(),
    }


def _body(request: Any, boundary: str | None = None) -> Any:
    from desktop_app.api.multipart import MultipartBody

    return MultipartBody(request.fields, request.files, boundary)


def cmd_body(draft: Path, target: Path) -> dict[str, Any]:
    """Write the exact bodies the sender streams (same boundary length), one file a part."""
    from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST
    from desktop_app.services.send_flow import build_parts

    requests = build_parts(draft_file.load(draft), "http://127.0.0.1", MAX_MAILBOXES_PER_REQUEST)
    parts = []
    for index, request in enumerate(requests, start=1):
        body = _body(request, "OrderDesk-" + "0" * 32)
        path = target.with_name(f"{target.stem}-{index}{target.suffix}")
        with open(path, "wb") as stream:
            for chunk in body.iter_chunks():
                stream.write(chunk)
        parts.append(
            {
                "content_type": body.content_type,
                "bytes": body.content_length,
                "path": str(path),
                "query": request.url.split("?", 1)[1],
            }
        )
    return {"parts": parts, "bytes": sum(p["bytes"] for p in parts)}


def cmd_hostile(draft: Path) -> dict[str, Any]:
    """Open a draft made to hurt, several times: each open's time and peak memory."""
    from desktop_app.order.validation import Table, validate

    opens = [measure_memory(lambda: draft_file.load(draft)) for _ in range(3)]
    problems = validate(draft_file.load(draft))
    return {
        "opens": opens,
        "read_members": repeat(lambda: read_every_member(draft), 3),
        "refused": sum(
            1 for p in problems if p.table is Table.AVATARS and "megapixels" in p.message
        ),
    }


COMMANDS = {
    "validate": cmd_validate,
    "save": cmd_save,
    "send": cmd_send,
    "body": cmd_body,
    "hostile": cmd_hostile,
}


def main(argv: list[str]) -> int:
    name, draft, *rest = argv
    args: list[Any] = [Path(draft)]
    if name in ("save", "body"):
        args.append(Path(rest[0]))
    elif name == "send":
        args.append(rest[0])
    print(json.dumps(COMMANDS[name](*args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
