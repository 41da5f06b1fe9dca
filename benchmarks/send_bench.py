"""Sending the big draft to the practice server, against curl posting the same bytes.

The 5,000-mailbox draft is larger than one request may be (servers read at
most 1,000 parts), so it goes out as several requests, one after another,
under the API's 5 requests a second.  The baseline is curl posting the same
requests one after another under the same limit (the sixth request of a
second waits, for curl as for the app); the raw curl time is in the notes.

The practice server runs in its own process (``order-desk sandbox``), so its
memory and work are outside the figures; a fresh one serves each pair of
sends.  The sender runs in a fresh process per send; its peak memory is
measured above the moment the draft was loaded and the request built (the
review step), and its time is the ``send()`` call.

The baseline is curl posting the *exact* body the sender streams (written to a
file with the same boundary length, so the same size), with the same headers,
to the same server, in the same run.  curl's own ``time_total`` is used: it
starts after curl has read the whole file into memory, so the baseline gets
its body for free while the app reads every picture from the draft as it
goes.  That makes the comparison strict, never flattering.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    BYTES,
    ROOT,
    SECONDS,
    BenchmarkError,
    Figure,
    Target,
    median,
    run_child,
)
from desktop_app.api.payload import ORDERS_PATH, user_agent

SEND_RATIO = 1.25
MEMORY_LIMIT = 100_000_000  # "under 100 MB"
_LISTENING = re.compile(r"listening on (http://\S+)")


class PracticeServerProcess:
    """``order-desk sandbox`` in a process of its own, stopped with Ctrl+C as a person would."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "sandbox", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        self.base_url = ""
        for line in self.process.stdout:
            found = _LISTENING.search(line)
            if found:
                self.base_url = found.group(1)
                break
        if not self.base_url:
            self.stop()
            raise BenchmarkError("the practice server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> PracticeServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def curl_post(url: str, body: dict[str, Any]) -> float:
    """curl's ``time_total`` for posting the body file; fails unless the order was created."""
    command = [
        "curl",
        "--silent",
        "--show-error",
        "--output",
        "/dev/null",
        "--write-out",
        "%{http_code} %{time_total}",
        "--header",
        f"Content-Type: {body['content_type']}",
        "--header",
        "Accept: application/json",
        "--header",
        "cmr-x-api-key: practice-key",
        "--user-agent",
        user_agent(),
        "--data-binary",
        f"@{body['path']}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    status, _, seconds = result.stdout.partition(" ")
    if result.returncode != 0 or status != "201":
        raise BenchmarkError(f"curl did not create the order (HTTP {status}): {result.stderr}")
    return float(seconds)


def app_send(draft: Path, base_url: str, env: dict[str, str]) -> dict[str, Any]:
    """The sender's figures for one send, in a fresh process; fails unless the order was created."""
    sent = run_child(["-m", "benchmarks.core_child", "send", str(draft), base_url], env)
    if sent["outcome"] != "created":
        raise BenchmarkError(f"the sender did not create the order: {sent['message']}")
    return sent


def curl_posts(base_url: str, bodies: list[dict[str, Any]]) -> tuple[float, float]:
    """Every body posted by curl in turn under the API's rate limit: (elapsed, curl's own sum)."""
    import time

    from desktop_app.api.cancel import CancelToken
    from desktop_app.api.ratelimit import RateLimiter

    limiter = RateLimiter()
    never = CancelToken()
    started = time.monotonic()
    curl_total = 0.0
    for body in bodies:
        limiter.wait(never)
        began = time.monotonic()
        own = curl_post(f"{base_url}{ORDERS_PATH}?{body['query']}", body)
        curl_total += own
        # curl's time_total leaves out its own start-up: count only that, as if
        # curl had been started ahead of time, so the baseline never flatters the app.
        started += (time.monotonic() - began) - own
    return time.monotonic() - started, curl_total


def send_figures(draft: Path, work: Path, env: dict[str, str], runs: int) -> list[Figure]:
    if shutil.which("curl") is None:
        raise BenchmarkError("curl is not installed: the send baseline needs it")
    work.mkdir(parents=True, exist_ok=True)
    body_file = work / "body.bin"
    bodies = run_child(["-m", "benchmarks.core_child", "body", str(draft), str(body_file)], env)
    app_runs: list[dict[str, Any]] = []
    curl_runs: list[float] = []
    curl_own: list[float] = []
    for number in range(runs + 1):
        # A fresh server for each pair (it keeps every order it receives), and
        # the two take turns going first.
        with PracticeServerProcess(env) as server:
            if number % 2:
                curl_time, own = curl_posts(server.base_url, bodies["parts"])
                sent = app_send(draft, server.base_url, env)
            else:
                sent = app_send(draft, server.base_url, env)
                curl_time, own = curl_posts(server.base_url, bodies["parts"])
        if number:  # the first pair only warms the caches
            curl_runs.append(curl_time)
            curl_own.append(own)
            app_runs.append(sent)
    for part in bodies["parts"]:
        Path(part["path"]).unlink(missing_ok=True)
    seconds = [r["seconds"] for r in app_runs]
    memory = [r["peak_above_idle"] for r in app_runs]
    parts = len(bodies["parts"])
    return [
        Figure(
            "send.time",
            f"Send 5,000 avatars to the practice server ({parts} orders)",
            median(seconds),
            SECONDS,
            "curl posting the same requests in turn, same rate limit",
            median(curl_runs),
            Target.ratio(SEND_RATIO),
            samples=seconds,
            baseline_samples=curl_runs,
            notes=(
                f"{parts} requests, {bodies['bytes']:,} bytes; median of {runs} sends each; "
                f"curl's own time without the rate limit {median(curl_own):.3f} s"
            ),
        ),
        Figure(
            "send.memory",
            "Send: peak memory above idle",
            max(memory),
            BYTES,
            "the whole body",
            bodies["bytes"],
            Target.at_most(MEMORY_LIMIT, BYTES),
            samples=memory,
            notes=f"worst of {runs} sends; {app_runs[0]['memory_method']}",
        ),
    ]
