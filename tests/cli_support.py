"""``order-desk`` run as a real process, the way a terminal or a script runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ORDER_DESK = [sys.executable, "-m", "desktop_app"]


def order_desk(
    *args: object,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``order-desk ARGS`` with its output captured as text; ``env`` replaces the environment
    (default: this process's), and Python writes no bytecode into the checkout."""
    environment = {**(os.environ if env is None else env), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [*ORDER_DESK, *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=timeout,
    )
