"""Normalising many picture files at once: one worker process per core.

A folder of phone photos takes about 40 ms a picture to normalise, all of it
decoding and resizing: thousands of them are minutes on one core.  This runs
:func:`~desktop_app.order.avatars.avatar_from_file` (the same rules, pixel
budget, formats and sentences) in a pool of worker processes, reports
progress, and stops when asked.  The window and ``order-desk import
--avatars`` both call :func:`normalise_files`.

Workers are started with "spawn" on every system: forking a process that
runs Qt's threads can deadlock, and spawn is what Windows, macOS and the
frozen bundle use anyway (the bundle's entry point calls
``multiprocessing.freeze_support()``).  What a worker runs is a top-level
function taking and returning plain data, so it pickles under spawn.

Paths handed over must already be regular files (the callers list folders
with :func:`~desktop_app.order.avatars.not_a_file`); ``avatar_from_file``
checks again, without blocking, in the worker.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.order.avatars import Avatar, AvatarError, avatar_from_file

if TYPE_CHECKING:
    import queue
    from concurrent.futures import Future

# Starting a worker costs about a third of a second (a fresh interpreter that
# imports Pillow): this many pictures or fewer are quicker in this process.
IN_PROCESS_UP_TO = 4
# How often the waiting loop looks at the cancel flag while no picture finishes.
CANCEL_POLL_SECONDS = 0.05
WORKER_STOPPED = "a picture worker stopped unexpectedly"
# Workers behind a window run this much nicer than it: on a machine with few
# cores the window (and the operator's other programs) get the processor first.
BACKGROUND_NICENESS = 5


@dataclass(frozen=True)
class PictureResult:
    """One file's outcome: a normalised avatar, or a sentence saying why not."""

    path: Path
    avatar: Avatar | None
    problem: str | None = None


@dataclass(frozen=True)
class PoolOutcome:
    """What :func:`normalise_files` did.

    ``results`` follow the order of the paths given; after a cancel they hold
    only the files that were finished (``cancelled`` is then True).
    """

    results: list[PictureResult]
    cancelled: bool = False


ProgressCallback = Callable[[int, int], None]  # (files done, files in all)


def worker_count(files: int) -> int:
    """Processes worth starting for ``files`` pictures: one per usable core, at most one each."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files))


def normalise_file(path: str) -> PictureResult:
    """Normalise one picture file; never raises for the file (runs in a worker process)."""
    file = Path(path)
    try:
        return PictureResult(file, avatar_from_file(file))
    except AvatarError as exc:
        return PictureResult(file, None, str(exc))
    except Exception:  # a picture library can fail in unforeseen ways on odd files
        return PictureResult(file, None, f"{file.name} cannot be used as a picture")


def normalise_files(
    paths: Sequence[Path],
    *,
    on_progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    processes: int | None = None,
    background: bool = False,
) -> PoolOutcome:
    """Normalise every file of ``paths``, in worker processes when that is quicker.

    ``on_progress(done, total)`` is called after each file (from the calling
    thread); ``cancelled()`` is asked between files and while waiting, and
    when it says True no further file is started and what was finished is
    returned.  ``processes`` forces a pool of that many workers (0: this
    process); by default small jobs stay here and large ones get a worker per
    core.  ``background`` runs the workers at a lower priority (for a window
    that must stay responsive).  A worker that dies (killed, out of memory)
    costs the files it had not finished, each with one sentence, never an
    exception.
    """
    total = len(paths)
    if processes is None:
        processes = 0 if total <= IN_PROCESS_UP_TO else worker_count(total)
    if processes <= 0 or not paths:
        return _in_process(paths, on_progress, cancelled)
    return _in_pool(paths, processes, on_progress, cancelled, background)


def _in_process(
    paths: Sequence[Path],
    on_progress: ProgressCallback | None,
    cancelled: Callable[[], bool] | None,
) -> PoolOutcome:
    results: list[PictureResult] = []
    for path in paths:
        if cancelled is not None and cancelled():
            return PoolOutcome(results, cancelled=True)
        results.append(normalise_file(str(path)))
        if on_progress is not None:
            on_progress(len(results), len(paths))
    return PoolOutcome(results)


def _in_pool(
    paths: Sequence[Path],
    processes: int,
    on_progress: ProgressCallback | None,
    cancelled: Callable[[], bool] | None,
    background: bool,
) -> PoolOutcome:
    import multiprocessing
    import queue
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial

    # Finished futures are announced on a queue: waiting on thousands of
    # futures at once would cost time for every one of them at each wake-up.
    finished: queue.SimpleQueue[tuple[int, Future[PictureResult]]] = queue.SimpleQueue()
    done: dict[int, PictureResult] = {}
    pool = ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_lower_priority if background else None,
    )
    stopped_early = False
    try:
        try:
            for index, path in enumerate(paths):
                future = pool.submit(normalise_file, str(path))
                future.add_done_callback(partial(_announce, finished, index))
        except (BrokenProcessPool, OSError):
            if not done and index == 0:  # no worker could start: do the work here instead
                pool.shutdown(wait=True, cancel_futures=True)
                return _in_process(paths, on_progress, cancelled)
            # A worker died while files were still being handed out: those were not loaded.
            for late in range(index, len(paths)):
                done[late] = _stopped(paths[late])
        while len(done) < len(paths):
            if cancelled is not None and cancelled():
                stopped_early = True
                break
            try:
                index, future = finished.get(timeout=CANCEL_POLL_SECONDS)
            except queue.Empty:
                continue
            done[index] = _result_of(future, paths[index])
            if on_progress is not None:
                on_progress(len(done), len(paths))
    finally:
        # Pictures not started are dropped; the few being decoded finish first.
        pool.shutdown(wait=True, cancel_futures=True)
    ordered = [done[index] for index in sorted(done)]
    return PoolOutcome(ordered, cancelled=stopped_early)


def _lower_priority() -> None:
    """Run in each worker as it starts: make room for the window (where the system allows)."""
    # Windows has no nice(); a refusal costs only priority.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(BACKGROUND_NICENESS)


def _announce(
    finished: queue.SimpleQueue[tuple[int, Future[PictureResult]]],
    index: int,
    future: Future[PictureResult],
) -> None:
    finished.put((index, future))


def _stopped(path: Path) -> PictureResult:
    return PictureResult(path, None, f"{path.name} was not loaded: {WORKER_STOPPED}")


def _result_of(future: Future[PictureResult], path: Path) -> PictureResult:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return _stopped(path)
    except Exception:  # a result that could not travel back (pickling, memory)
        return PictureResult(path, None, f"{path.name} cannot be used as a picture")
