"""Pictures dropped or chosen for the window, matched to mailboxes by their names.

What was dropped (files, folders) is listed, the files named
``username@domain.<ext>`` for a mailbox of the order are normalised through
the picture pool, and the rest is noted.  All of it runs off the GUI thread
(``ui/picture_import.py``): listing a folder of thousands of photos alone
takes longer than a frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.draft.picture_pool import PoolOutcome, ProgressCallback, normalise_files
from desktop_app.order.avatars import IMAGE_SUFFIXES, not_a_file
from desktop_app.order.model import canonical_key_of

PROGRESS_EVERY_SECONDS = 0.04  # progress at most this often: each report is work for the window


@dataclass
class NamedPictures:
    """What :func:`load_named_pictures` found and loaded.

    ``found`` counts the picture files listed; ``unmatched`` names those
    named for no mailbox; ``skipped`` holds a sentence (ending in a full
    stop) for each file of a folder that was passed over.
    """

    outcome: PoolOutcome
    found: int = 0
    unmatched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_named_pictures(
    paths: Sequence[Path],
    keys: Collection[str],
    *,
    on_progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    background: bool = False,
) -> NamedPictures:
    """List ``paths``, and normalise the pictures named for one of ``keys`` (canonical keys).

    ``on_progress(done, total)`` counts only the matched files, and is called
    at most every few hundredths of a second (and for the last file).
    """
    files, _had_folder, skipped = picture_files(list(paths))
    wanted: list[Path] = []
    unmatched: list[str] = []
    for path in files:
        if "@" in path.stem and canonical_key_of(path.stem) in keys:
            wanted.append(path)
        else:
            unmatched.append(path.name)
    outcome = normalise_files(
        wanted,
        on_progress=_throttled(on_progress) if on_progress is not None else None,
        cancelled=cancelled,
        background=background,
    )
    return NamedPictures(outcome, len(files), unmatched, skipped)


def _throttled(on_progress: ProgressCallback) -> ProgressCallback:
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            on_progress(done, total)

    return report


def picture_files(paths: list[Path]) -> tuple[list[Path], bool, list[str]]:
    """Files to load: the files given, and the pictures inside the folders given.

    Also returns whether a folder was given, and a sentence for each file of
    a folder that was passed over: a pipe, socket or device (reading one
    would freeze the window) or a link pointing out of the folder.
    """
    files: list[Path] = []
    skipped: list[str] = []
    had_folder = False
    for path in paths:
        if path.is_dir():
            had_folder = True
            files += _folder_pictures(path, skipped)
        else:
            files.append(path)  # one file given by name: avatar_from_file checks what it is
    return files, had_folder, skipped


def _folder_pictures(folder: Path, skipped: list[str]) -> list[Path]:
    try:
        inside = folder.resolve()
        entries = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    except OSError as exc:
        skipped.append(f"{folder.name} cannot be read ({exc.strerror or exc}).")
        return []
    pictures = []
    for entry in entries:
        try:
            if entry.is_symlink() and not entry.resolve(strict=True).is_relative_to(inside):
                skipped.append(f"{entry.name} is a link to outside the folder; skipped.")
                continue
            kind = not_a_file(entry.stat().st_mode)
        except (OSError, RuntimeError):
            skipped.append(f"{entry.name} is a link to nothing that can be read; skipped.")
            continue
        if kind == "a folder":
            continue
        if kind is not None:
            skipped.append(f"{entry.name} is {kind}, not a picture file; skipped.")
            continue
        pictures.append(entry)
    return pictures
