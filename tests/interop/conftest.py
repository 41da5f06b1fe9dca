"""The real Node backends (Express 5 + multer, NestJS) as a session fixture.

``python3 -m desktop_app.bootstrap test`` installs them with ``npm ci`` from the
committed ``package-lock.json``.  Without node or ``node_modules`` the tests
that use them skip, saying why; under CI (``CI=true``) they fail instead, so a
broken set-up can never pass unnoticed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

INTEROP = Path(__file__).resolve().parent
SCRIPT = INTEROP / "backends.mjs"
STACKS = ("express", "nestjs")
MIN_NODE_MAJOR = 20  # NestJS 11 and newer
START_TIMEOUT = 60.0  # seconds; a cold start on a busy 2-core machine takes a few


@dataclass(frozen=True)
class NodeBackends:
    """Both stacks, running in one ``node`` process for the whole test session.

    - ``base_url(name)``: ``http://127.0.0.1:<port>`` of ``"express"`` or
      ``"nestjs"``; an order goes to ``base_url(name) + ORDERS_PATH``, which is
      what :func:`desktop_app.api.payload.build_request` makes of it.
    - ``records(name)``: every order request that stack's handler received this
      session, oldest first.  A request a stack refused (a limit, a parse error)
      never reaches its handler, so it leaves no record.
    - ``record_of(name, order_id)``: the record of the order answered with
      ``order_id`` (``SendResult.order_id``).

    A record is what the handler saw, as JavaScript reads it::

        {"orderId": "...", "userAgent": "OrderDesk/...",
         "fields": {"confirm": {"value": "", "boolean": false}, ...},
         "google": {"clientId": "<String(JSON.parse(google).clientId)>",
                    "typeof": "string"},
         "files": [{"fieldname": "ann@xn--bcher-kva.de", "originalname": "...",
                    "mimetype": "image/png", "size": 1234, "sha256": "<hex>"}]}

    Both stacks keep their default limits (NestJS 1,000 parts, multer/busboy
    1 MiB per text field); a request over a limit gets the stack's own error
    answer (NestJS: 400 "Too many parts" or "Field value too long"; Express:
    its default 500 error page).
    """

    urls: dict[str, str]

    def base_url(self, name: str) -> str:
        return self.urls[name]

    def records(self, name: str) -> list[dict[str, Any]]:
        response = httpx.get(f"{self.urls[name]}/_records", timeout=30)
        response.raise_for_status()
        records: list[dict[str, Any]] = response.json()
        return records

    def record_of(self, name: str, order_id: str) -> dict[str, Any]:
        found = [r for r in self.records(name) if r["orderId"] == order_id]
        assert len(found) == 1, f"{name} has {len(found)} records of order {order_id!r}"
        return found[0]


def _missing() -> str | None:
    """Why the Node backends cannot run here, or None when they can."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed (Debian/Ubuntu: apt-get install nodejs npm)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = version.lstrip("v").split(".", 1)[0]
    if not major.isdigit() or int(major) < MIN_NODE_MAJOR:
        return f"node {version or '?'} is too old for NestJS: {MIN_NODE_MAJOR} or newer is needed"
    modules = INTEROP / "node_modules"
    if not (modules / "@nestjs" / "core").is_dir() or not (modules / "multer").is_dir():
        return f"the Node packages are not installed: run `npm ci` in {INTEROP}"
    return None


def _read_ports(process: subprocess.Popen[str], timeout: float) -> dict[str, int] | None:
    """The ports line the script prints once both stacks listen (None if it never comes)."""
    found: list[dict[str, int]] = []

    def read() -> None:
        for line in process.stdout or ():
            try:
                value = json.loads(line)
            except ValueError:
                continue  # not ours: a warning printed by a dependency
            if isinstance(value, dict) and set(STACKS) <= set(value):
                found.append(value)
                return

    # A daemon thread: reading a pipe cannot be given a timeout on every platform.
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0] if found else None


@pytest.fixture(scope="session")
def node_backends() -> Iterator[NodeBackends]:
    """Express 5 + multer and NestJS on 127.0.0.1 ephemeral ports (see :class:`NodeBackends`)."""
    why = _missing()
    if why is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"The real Node backends are required under CI: {why}.")
        pytest.skip(why)
    with tempfile.TemporaryFile("w+") as errors:
        # stdin stays open: the script ends when it closes, so it never outlives pytest.
        process = subprocess.Popen(
            ["node", str(SCRIPT)],
            cwd=INTEROP,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            ports = _read_ports(process, START_TIMEOUT)
            if ports is None:
                process.kill()
                process.wait()
                errors.seek(0)
                pytest.fail(f"The Node backends did not start: {errors.read()[-2000:]}")
            yield NodeBackends({name: f"http://127.0.0.1:{ports[name]}" for name in STACKS})
        finally:
            if process.stdin:
                process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()
