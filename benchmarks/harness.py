"""What every benchmark uses: figures with their baselines and targets, timing, processes, memory.

A :class:`Figure` is one measured value beside the baseline measured in the
same run, and the target it is held to: either a limit on the value itself
(``< 1 s``) or on its ratio to the baseline (``≤ 1.5× the bare window``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECONDS, BYTES, COUNT = "s", "B", "count"


@dataclass(frozen=True)
class Target:
    """A limit on a figure's ``value`` (``kind="value"``) or on its ``ratio`` to the baseline."""

    kind: str
    limit: float
    text: str

    @classmethod
    def at_most(cls, limit: float, unit: str) -> Target:
        return cls("value", limit, f"≤ {format_value(limit, unit)}")

    @classmethod
    def ratio(cls, limit: float) -> Target:
        return cls("ratio", limit, f"≤ {limit:g}× baseline")


@dataclass
class Figure:
    """One result: a value, the baseline beside it, and the target it must meet."""

    key: str
    title: str
    value: float
    unit: str
    baseline_title: str
    baseline: float | None
    target: Target | None = None
    notes: str = ""
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.target.kind == "ratio":
            return None if self.ratio is None else self.ratio <= self.target.limit
        return self.value <= self.target.limit

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["met"] = self.met
        return data


def format_value(value: float, unit: str) -> str:
    """A value as people read it: ``840 ms``, ``1.32 s``, ``48.2 MB``, ``3``."""
    if unit == SECONDS:
        if value < 0.001:
            return f"{value * 1e6:.0f} µs"
        if value < 1:
            return f"{value * 1000:.3g} ms" if value < 0.01 else f"{value * 1000:.0f} ms"
        return f"{value:.2f} s"
    if unit == BYTES:  # decimal megabytes, as the targets are written
        return f"{value / 1e6:.3g} MB" if value < 1e9 else f"{value / 1e9:.3g} GB"
    return f"{value:g}"


# --- timing -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def repeat(action: Callable[[], object], times: int) -> list[float]:
    return [timed(action) for _ in range(times)]


# --- processes ----------------------------------------------------------------------


def bench_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment children run in: offscreen Qt, a private app home, no API key."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ORDER_DESK_HOME": str(home),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("CMR_API_KEY", None)
    env.update(extra or {})
    return env


def time_until_line(
    command: Sequence[str], marker: str, env: dict[str, str], timeout: float = 120
) -> float:
    """Seconds from starting ``command`` to it printing a line equal to ``marker``.

    The process must then exit 0; anything else is an error naming what it printed.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    assert process.stdout is not None
    elapsed = None
    lines = []
    deadline = start + timeout
    for line in process.stdout:
        lines.append(line)
        if line.strip() == marker and elapsed is None:
            elapsed = time.perf_counter() - start
        if time.perf_counter() > deadline:
            break
    try:
        _out, err = process.communicate(timeout=max(1.0, deadline - time.perf_counter()))
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    if elapsed is None or process.returncode != 0:
        raise BenchmarkError(
            f"{Path(command[0]).name} {' '.join(command[1:])} exited {process.returncode} "
            f"without printing {marker!r}: {''.join(lines)[-500:]}{err[-1500:]}"
        )
    return elapsed


def time_until_exit(
    command: Sequence[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 120
) -> float:
    """Seconds from starting ``command`` (in ``cwd``) to it having exited 0.

    Any other exit is an error naming what the command printed.
    """
    start = time.perf_counter()
    try:
        result = subprocess.run(
            list(command), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise BenchmarkError(
            f"{Path(command[0]).name} {' '.join(command[1:])} took over {timeout:g} s"
        ) from None
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchmarkError(
            f"{Path(command[0]).name} {' '.join(command[1:])} exited {result.returncode}: "
            f"{result.stdout[-500:]}{result.stderr[-1500:]}"
        )
    return elapsed


def run_child(args: Sequence[str], env: dict[str, str], timeout: float = 600) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> args`` and return the JSON it prints last."""
    command = [sys.executable, *args]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise BenchmarkError(
            f"{' '.join(args)} exited {result.returncode}: "
            f"{result.stdout[-800:]}{result.stderr[-2000:]}"
        )
    return dict(json.loads(lines[-1]))


class BenchmarkError(RuntimeError):
    """A benchmark could not run; the message says what happened."""


# --- memory -------------------------------------------------------------------------


def rss_bytes() -> int:
    """This process's resident memory now."""
    try:
        with open("/proc/self/statm") as stream:
            return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _max_rss()


def _max_rss() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class PeakMemory:
    """The highest resident memory of this process since :meth:`reset`.

    On Linux the kernel's own high-water mark is reset (``/proc/self/clear_refs``)
    and read back (``VmHWM``): exact, and free while the work runs.  Elsewhere
    it falls back to the lifetime peak, which is at least as high: the figure
    can only be pessimistic.
    """

    def __init__(self) -> None:
        self.method = "lifetime peak (getrusage)"

    def reset(self) -> None:
        try:
            with open("/proc/self/clear_refs", "w") as stream:
                stream.write("5")
            self.method = "kernel high-water mark (VmHWM, reset before the work)"
        except OSError:
            self.method = "lifetime peak (getrusage)"

    def peak(self) -> int:
        if self.method.startswith("kernel"):
            with open("/proc/self/status") as stream:
                for line in stream:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        return _max_rss()


def measure_memory(action: Callable[[], object]) -> dict[str, Any]:
    """Run ``action``; its wall time, and the peak resident memory above the moment before."""
    import gc

    gc.collect()
    tracker = PeakMemory()
    idle = rss_bytes()
    tracker.reset()
    seconds = timed(action)
    peak = tracker.peak()
    return {
        "seconds": seconds,
        "idle_rss": idle,
        "peak_rss": peak,
        "peak_above_idle": max(0, peak - idle),
        "memory_method": tracker.method,
    }
