"""The one rule for pictures named ``username@domain.<ext>``, for every face of the app.

``order-desk import --avatars`` and a folder (or several files) dropped on the
window both read pictures through :func:`read_named_pictures` and apply the
result with :meth:`NamedPictures.placements`, so they give the same pictures
to the same mailboxes and say the same things.  The rule loses nothing:

- Files are taken sorted by name, case-sensitively (by code point, as
  Python's ``sorted`` orders text), so every computer agrees on "first";
  files of several folders are merged into that one order.
- Two or more files for one mailbox (``Ann@x.com.png`` and ``ann@x.com.jpg``,
  or ``user@bücher.de`` and ``user@xn--bcher-kva.de``: the same mailbox once
  its key is made canonical) are one picture: the first that can be used
  wins, and each other one is a warning naming it.
- A picture named for no mailbox of the order is kept as unassigned (the
  draft keeps it, validation reports it) and said so.
- Hidden files (a name starting with ``.``, or Windows' hidden attribute) and
  sub-folders are passed over silently; files that are not pictures (by their
  extension) are counted in one line.  Pipes, sockets and devices (reading one
  would block) and links pointing out of the folder (they could read any file
  of this computer) are a warning each, and never opened.
- A picture that cannot be used is one sentence naming the file; the rest
  still go in.

Files given by name rather than inside a folder were chosen by the person,
so they are taken even when hidden.  The normalising itself runs in the
picture pool (worker processes, one per core).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.draft.picture_pool import ProgressCallback, normalise_files
from desktop_app.order.avatars import IMAGE_SUFFIXES, Avatar, not_a_file
from desktop_app.order.model import Mailbox, Order, canonical_key_of

PROGRESS_EVERY_SECONDS = 0.04  # progress at most this often: each report is work for the window


@dataclass(frozen=True)
class NamedPicture:
    """One picture that goes into the order: its file's name, its key as named, the picture."""

    file: str
    key: str  # ``username@domain`` as the file is named (its name without the extension)
    avatar: Avatar

    @property
    def canonical_key(self) -> str:
        return canonical_key_of(self.key)


@dataclass
class NamedPictures:
    """What :func:`read_named_pictures` found: the one result every face renders.

    ``assigned`` are pictures named for a mailbox of the order, ``unassigned``
    those named for none (kept as unassigned pictures), both in file order and
    at most one per mailbox.  ``warnings`` holds one sentence (ending in a full
    stop) per file that was passed over or could not be used, in file order,
    ``skipped`` counts the files that are not pictures, and ``found`` the
    picture files listed.  ``unreadable`` holds a sentence for each folder (or
    file given) that could not be read at all; it is among the warnings too.
    """

    assigned: list[NamedPicture] = field(default_factory=list)
    unassigned: list[NamedPicture] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    found: int = 0
    unreadable: list[str] = field(default_factory=list)
    cancelled: bool = False

    def skipped_line(self) -> str | None:
        """The one line for the files that are not pictures, or None when there were none."""
        if not self.skipped:
            return None
        if self.skipped == 1:
            return "Skipped 1 file that is not a picture."
        return f"Skipped {self.skipped:,} files that are not pictures."

    def unassigned_lines(self) -> list[str]:
        return [
            f"{p.file} matches no mailbox in the order; kept as an unassigned picture."
            for p in self.unassigned
        ]

    def report_lines(self) -> list[str]:
        """Every sentence to tell: the warnings, then the unassigned pictures, then the skipped."""
        skipped = self.skipped_line()
        return [*self.warnings, *self.unassigned_lines(), *([skipped] if skipped else [])]

    def placements(self, order: Order) -> Placements:
        """What these pictures change in ``order``, by its mailboxes as they are now.

        Each picture goes to every mailbox with its key (the window's table may
        have changed while the pictures loaded, so the split into assigned and
        unassigned is made again here); one whose mailbox is gone is kept as
        unassigned, replacing an unassigned picture of the same mailbox.
        """
        by_key: dict[str, list[Mailbox]] = {}
        for mailbox in order.mailboxes:
            by_key.setdefault(mailbox.key, []).append(mailbox)
        avatars: list[tuple[Mailbox, Avatar]] = []
        unassigned = dict(order.unassigned_avatars)
        kept: list[NamedPicture] = []
        for picture in [*self.assigned, *self.unassigned]:
            targets = by_key.get(picture.canonical_key, [])
            if targets:
                avatars += [(mailbox, picture.avatar) for mailbox in targets]
                continue
            wanted = picture.canonical_key
            for key in [k for k in unassigned if canonical_key_of(k) == wanted]:
                del unassigned[key]
            unassigned[picture.key] = picture.avatar
            kept.append(picture)
        return Placements(avatars, unassigned, kept)

    def attach_to(self, order: Order) -> Placements:
        """Apply :meth:`placements` to ``order`` directly (the command line: no undo)."""
        placed = self.placements(order)
        for mailbox, avatar in placed.avatars:
            mailbox.avatar = avatar
        order.unassigned_avatars.clear()
        order.unassigned_avatars.update(placed.unassigned)
        return placed


@dataclass(frozen=True)
class Placements:
    """Changes to an order: pictures for mailboxes, and its unassigned pictures afterwards.

    ``kept`` are the pictures that went to no mailbox (in file order).
    """

    avatars: list[tuple[Mailbox, Avatar]]
    unassigned: dict[str, Avatar]
    kept: list[NamedPicture]


def read_named_pictures(
    paths: Sequence[Path],
    keys: Collection[str],
    *,
    on_progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    background: bool = False,
) -> NamedPictures:
    """Read the pictures in ``paths`` (folders, or files), matched to ``keys`` (canonical keys).

    ``on_progress(done, total)`` counts the files named ``username@domain``
    being normalised, at most every few hundredths of a second (and for the
    last one); ``cancelled()`` stops the normalising (the result then says
    ``cancelled``).  ``background`` runs the workers at a lower priority.
    Never raises for a file or a folder.
    """
    found = NamedPictures()
    notes = _Notes()
    files = _listed(paths, found, notes)
    named: list[tuple[Path, str]] = []
    for path in files:
        stem = path.name[: -len(path.suffix)]
        if "@" in stem:
            named.append((path, stem))
        else:
            notes.add(path, f"{path.name} is not named username@domain; skipped.")
    found.found = len(files)
    outcome = normalise_files(
        [path for path, _stem in named],
        on_progress=_throttled(on_progress) if on_progress is not None else None,
        cancelled=cancelled,
        background=background,
    )
    if outcome.cancelled:
        found.cancelled = True
        return found
    winners: dict[str, str] = {}  # canonical key -> the file that won it
    for (path, stem), result in zip(named, outcome.results, strict=True):
        canonical = canonical_key_of(stem)
        if canonical in winners:
            notes.add(
                path,
                f"{path.name} is a second picture for {stem} after {winners[canonical]}; skipped.",
            )
        elif result.avatar is None:
            problem = result.problem or f"{path.name} cannot be used as a picture"
            notes.add(path, f"{problem.rstrip('.')}; skipped.")
        else:
            winners[canonical] = path.name
            picture = NamedPicture(path.name, stem, result.avatar)
            (found.assigned if canonical in keys else found.unassigned).append(picture)
    found.warnings = notes.in_file_order()
    return found


def file_order(path: Path) -> tuple[str, str]:
    """The rule's order of files: by name, case-sensitively, then by the folder's path."""
    return (path.name, str(path))


class _Notes:
    """Warnings with the file each names, told in the rule's file order whenever noted."""

    def __init__(self) -> None:
        self._notes: list[tuple[tuple[str, str], str]] = []

    def add(self, path: Path | None, sentence: str) -> None:
        # A folder that cannot be read comes before every file.
        self._notes.append((file_order(path) if path is not None else ("", ""), sentence))

    def in_file_order(self) -> list[str]:
        return [sentence for _order, sentence in sorted(self._notes, key=lambda n: n[0])]


def _throttled(on_progress: ProgressCallback) -> ProgressCallback:
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            on_progress(done, total)

    return report


def _listed(paths: Sequence[Path], found: NamedPictures, notes: _Notes) -> list[Path]:
    """The picture files to read, in the rule's order; notes the rest."""
    files: list[Path] = []
    for path in paths:
        try:
            is_folder = stat.S_ISDIR(path.stat().st_mode)
        except OSError as exc:  # gone since it was dropped, or never there
            _unreadable(path, exc, found, notes)
            continue
        if is_folder:
            files += _folder_pictures(path, found, notes)
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            # Given by name: avatar_from_file checks what it is, without blocking.
            files.append(path)
        else:
            found.skipped += 1
    return sorted(files, key=file_order)


def _folder_pictures(folder: Path, found: NamedPictures, notes: _Notes) -> list[Path]:
    try:
        inside = folder.resolve()
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as exc:
        _unreadable(folder, exc, found, notes)
        return []
    pictures = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                if not entry.is_dir():
                    found.skipped += 1
                continue
            if entry.is_symlink() and not path.resolve(strict=True).is_relative_to(inside):
                notes.add(path, f"{entry.name} is a link to outside the folder; skipped.")
                continue
            status = entry.stat()  # follows a link inside the folder; never opens the file
        except (OSError, RuntimeError):  # a broken or looping link
            notes.add(path, f"{entry.name} is a link to nothing that can be read; skipped.")
            continue
        if is_hidden(entry.name, status):
            continue
        kind = not_a_file(status.st_mode)
        if kind == "a folder":
            continue
        if kind is not None:
            notes.add(path, f"{entry.name} is {kind}, not a picture file; skipped.")
            continue
        pictures.append(path)
    return pictures


def _unreadable(path: Path, exc: OSError, found: NamedPictures, notes: _Notes) -> None:
    sentence = f"{path.name} cannot be read ({exc.strerror or exc})."
    notes.add(None, sentence)
    found.unreadable.append(sentence)


def is_hidden(name: str, status: os.stat_result) -> bool:
    """Whether a file is hidden: its name starts with ``.``, or Windows marks it hidden."""
    attributes = getattr(status, "st_file_attributes", 0)  # only Windows has it
    return name.startswith(".") or bool(attributes & stat.FILE_ATTRIBUTE_HIDDEN)
