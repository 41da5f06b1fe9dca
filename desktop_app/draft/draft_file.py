"""Draft files (``.cmrorder``): an order and its pictures in one ZIP.

The ZIP holds ``order.json`` (the API's own field names, plus a name and
notes) and ``avatars/<sha256[:20]>.<ext>``: a picture is named by its content,
so identical pictures are stored once.  Pictures are stored as they are
(already compressed); ``order.json`` is deflated.

Drafts travel between colleagues, so :func:`load` treats every file as a
stranger's: anything wrong with it is a :class:`DraftError` of one sentence,
memory stays bounded and nothing is ever extracted to disk.  :func:`save`
writes aside and replaces, so a failed save leaves the old file whole, and it
refuses to write what :func:`load` would refuse (the same limits).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import weakref
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from desktop_app.draft import indented_json
from desktop_app.draft.atomic_files import atomic_file
from desktop_app.draft.draft_json import (
    FORMAT,
    MAX_ROWS,
    VERSION,
    DraftError,
    assign_avatars,
    avatar_member,
    avatar_paths,
    order_from_json,
    order_to_json,
)
from desktop_app.draft.unique_json import DuplicateKey, loads_unique
from desktop_app.draft.zip_writing import WrittenZip, write_stored
from desktop_app.order.avatars import (
    MAX_INPUT_BYTES,
    ArchiveSource,
    Avatar,
    AvatarError,
    DraftArchive,
    avatar_from_archive,
)
from desktop_app.order.model import Order

__all__ = [
    "FORMAT",
    "VERSION",
    "DraftError",
    "atomic_file",
    "avatar_member",
    "limits_problem",
    "load",
    "order_from_json",
    "order_to_json",
    "save",
    "write_stored",
]

ORDER_MEMBER = "order.json"
MAX_JSON_BYTES = 50 * 1024 * 1024
# Pictures are stored uncompressed, so a real draft barely inflates; a ZIP bomb does.
MAX_INFLATION = 1024 * 1024 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same order saves to the same bytes


class _OpenArchive(DraftArchive):
    """A draft archive opened here, remembered so a save on Windows can let go of it.

    ``written`` is the index of a file this process has just written and its
    size: the index is taken as it is rather than read back (20,000 entries
    take ~0.1 s to parse), unless the file opened is not that size.
    """

    def __init__(
        self, path: Path, written: tuple[list[zipfile.ZipInfo], int] | None = None
    ) -> None:
        self._written = written
        super().__init__(path)
        _open_archives.add(self)

    def _open_zip(self, file: BinaryIO) -> zipfile.ZipFile:
        if self._written is not None:
            index, size = self._written
            if os.fstat(file.fileno()).st_size == size:
                return WrittenZip(file, index)
        return super()._open_zip(file)

    def duplicate_member(self) -> str | None:
        """A member name the archive holds more than once, or None."""
        with self._lock:
            names = self._zip.namelist() if self._zip is not None else []
        seen: set[str] = set()
        for member in names:
            if member in seen:
                return member
            seen.add(member)
        return None

    def info(self, member: str) -> zipfile.ZipInfo | None:
        with self._lock:
            if self._zip is None:
                return None
            return self._zip.NameToInfo.get(member)

    def load_into_memory(self) -> None:
        """Keep serving reads from a copy in memory and close the file itself.

        Windows cannot replace a file that is open, and avatars held by undo
        history may still read from the old draft: copying it into memory
        first keeps them working.
        """
        with self._lock:
            if self._file is None or self._zip is None or isinstance(self._file, io.BytesIO):
                return
            self._file.seek(0)
            copy = io.BytesIO(self._file.read())
            self._zip.close()
            self._file.close()
            self._file, self._zip = copy, zipfile.ZipFile(copy)


_open_archives: weakref.WeakSet[_OpenArchive] = weakref.WeakSet()


# --- loading --------------------------------------------------------------------


def load(path: Path | str, pixels_later: bool = False) -> Order:
    """The order in the draft at ``path``; raises :class:`DraftError` (one sentence).

    With ``pixels_later`` the image data of PNG pictures is left to check
    (``Avatar.pixels``): the caller checks it in the background, and
    ``avatars.finish_checks`` runs what is left before anything is sent.
    """
    path = Path(path)
    name = path.name
    try:
        archive = _OpenArchive(path)
    except FileNotFoundError:
        raise DraftError(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise DraftError(f"{name} is a folder, not a draft file.") from None
    except OSError as exc:
        raise DraftError(f"{name} cannot be opened ({exc.strerror or exc}).") from None
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise DraftError(f"{name} is not an Order Desk draft (it is not a ZIP file).") from None
    try:
        twice = archive.duplicate_member()
        if twice is not None:
            # zipfile reads the last of two same-named members, unzip the first:
            # the draft would say different things to different tools.
            raise DraftError(
                f"{name} cannot be opened: it holds two files named {_shown(twice)}, "
                "so other tools could read a different draft from it."
            )
        document = _read_document(archive, name)
        order = order_from_json(document, name)
        paths = avatar_paths(document, name)
        _check_inflation(archive, paths.values(), name)
        made: dict[str, Avatar] = {}  # one Avatar per member, however many keys share it
        avatars: dict[str, Avatar] = {}
        for key, member in paths.items():
            if member not in made:
                made[member] = avatar_from_archive(archive, member, pixels_later)
            avatars[key] = made[member]
        assign_avatars(order, avatars)
    except BaseException:
        archive.close()
        raise
    if not made:
        archive.close()
    return order


def _read_document(archive: _OpenArchive, name: str) -> object:
    if archive.info(ORDER_MEMBER) is None:
        raise DraftError(f"{name} is not an Order Desk draft (it has no {ORDER_MEMBER}).")
    try:
        raw = archive.read(ORDER_MEMBER, MAX_JSON_BYTES)
    except AvatarError:
        raise DraftError(
            f"{name} cannot be opened: its {ORDER_MEMBER} is larger than "
            f"{MAX_JSON_BYTES // (1024 * 1024)} MB."
        ) from None
    except NotImplementedError:  # before RuntimeError, its base class
        raise DraftError(
            f"{name} cannot be opened: its {ORDER_MEMBER} uses an unknown kind of compression."
        ) from None
    except RuntimeError:  # zipfile's word for an encrypted member
        raise DraftError(f"{name} cannot be opened: it is password-protected.") from None
    except Exception:  # corrupt deflate, bzip2 or LZMA data each raise their own kind
        raise DraftError(f"{name} is damaged: its {ORDER_MEMBER} cannot be read.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftError(f"{name} is damaged: its {ORDER_MEMBER} is not UTF-8 text.") from None
    try:
        return loads_unique(text)
    except DuplicateKey as exc:
        raise DraftError(
            f"{name} cannot be opened: its {ORDER_MEMBER} names the key {exc.path} twice, "
            "so other tools could read a different order from it."
        ) from None
    except RecursionError:
        raise DraftError(
            f"{name} cannot be opened: its {ORDER_MEMBER} is nested too deeply."
        ) from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise DraftError(
            f"{name} is damaged: its {ORDER_MEMBER} is not valid JSON{where}."
        ) from None


def _check_inflation(archive: _OpenArchive, members: Iterable[str], name: str) -> None:
    """Refuse ZIP bombs before reading any picture.

    Pictures over the per-picture limit are never read (they get a problem of
    their own).  The rest may not claim more stored bytes than the file has
    (entries overlapping to be read many times) nor inflate much beyond it.
    """
    stored = inflated = 0
    for member in set(members):
        info = archive.info(member)
        if info is None or info.file_size > MAX_INPUT_BYTES:
            continue
        stored += info.compress_size
        inflated += max(0, info.file_size - info.compress_size)
    try:
        file_size = archive.path.stat().st_size
    except OSError:
        file_size = 0
    if stored > file_size or inflated > MAX_INFLATION:
        raise DraftError(
            f"{name} cannot be opened: its pictures would unpack to far more data than the file "
            "holds, which only a deliberately harmful file does."
        )


# --- saving ---------------------------------------------------------------------


def save(order: Order, path: Path | str) -> None:
    """Write ``order`` to ``path`` atomically; raises :class:`DraftError` (one sentence).

    Afterwards every avatar of the order reads from the saved file, so the
    pictures' bytes leave memory and the next save copies them from disk.
    """
    target = Path(path)
    with _cycle_collection_paused():
        _save(order, target)


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cycle collection while a save makes its ~100,000 short-lived objects (no cycles).

    Each collection of the oldest generation walks every object of a 20,000-mailbox draft:
    ~0.1 s a save.  The window already collects only from a timer on its own thread
    (``ui/common/gui_collector.py``), where collection is off and this changes nothing.
    """
    was_on = gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _save(order: Order, target: Path) -> None:
    document = order_to_json(order)
    members = _members_of(order)
    pictures = _pictures_to_write(members, document["avatars"])
    payload = _encoded(document)
    problem = limits_problem(order, len(payload))
    if problem is not None:
        raise DraftError(f"{target.name} was not saved: {problem}.")
    try:
        with atomic_file(target) as stream:
            with zipfile.ZipFile(stream, "w") as archive:
                archive.writestr(_entry(ORDER_MEMBER, zipfile.ZIP_DEFLATED), payload)
                for member, (avatar, label) in pictures.items():
                    data, crc = _picture_bytes(avatar, label, target)
                    write_stored(archive, _entry(member, zipfile.ZIP_STORED), data, crc)
            written = (archive.infolist(), stream.tell())
            if os.name == "nt":
                _release_archives_of(target)
    except OSError as exc:
        raise DraftError(f"{target.name} cannot be saved ({exc.strerror or exc}).") from None
    _rebind_avatars(order, target, pictures, members, written)


def limits_problem(order: Order, json_bytes: int = 0) -> str | None:
    """Why a draft of ``order`` would be refused on opening, or None: the limits :func:`load` has.

    ``json_bytes`` is the size of its ``order.json`` when known.
    """
    avatars = len({m.email for m in order.mailboxes if m.avatar is not None})
    for count, what in (
        (len(order.domains), "domains"),
        (len(order.mailboxes), "mailboxes"),
        (avatars + len(order.unassigned_avatars), "pictures"),
    ):
        if count > MAX_ROWS:
            return f"it has {count:,} {what}, more than the {MAX_ROWS:,} Order Desk opens"
    if json_bytes > MAX_JSON_BYTES:
        return (
            f"its text would take more than {MAX_JSON_BYTES // (1024 * 1024)} MB, "
            "more than Order Desk opens"
        )
    return None


def _shown(text: str) -> str:
    return json.dumps(text if len(text) <= 60 else text[:57] + "...", ensure_ascii=False)


def _encoded(document: dict[str, object]) -> bytes:
    # The text of json.dumps(document, indent=2), made faster (indented_json).
    try:
        return indented_json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # Text holding a lone surrogate (pasted from a broken source) has no
        # UTF-8 form; JSON's escapes keep it exactly.
        return indented_json.dumps(document, ensure_ascii=True).encode("ascii")


def _members_of(order: Order) -> dict[int, tuple[Avatar, str | None]]:
    """Every avatar of ``order`` (by ``id``, in order) and its member: worked out once a save."""
    avatars = [m.avatar for m in order.mailboxes if m.avatar is not None]
    members: dict[int, tuple[Avatar, str | None]] = {}
    for avatar in [*avatars, *order.unassigned_avatars.values()]:
        if id(avatar) not in members:
            members[id(avatar)] = (avatar, avatar_member(avatar))
    return members


def _pictures_to_write(
    members: dict[int, tuple[Avatar, str | None]], referenced: dict[str, str]
) -> dict[str, tuple[Avatar, str]]:
    """Each member ``order.json`` refers to, in its order, with an avatar holding its bytes."""
    by_member: dict[str | None, Avatar] = {}
    for avatar, member in members.values():
        by_member.setdefault(member, avatar)
    pictures: dict[str, tuple[Avatar, str]] = {}
    for key, member in referenced.items():
        pictures.setdefault(member, (by_member[member], key))
    return pictures


def _entry(member: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(member, _FIXED_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _picture_bytes(avatar: Avatar, label: str, target: Path) -> tuple[bytes, int | None]:
    """The picture's bytes, as they are (normalised when they entered the draft), and their CRC.

    A picture read from a draft was checked against its CRC there: it is not
    worked out again (20,000 pictures, 180 MB).
    """
    try:
        source = avatar.source
        if isinstance(source, ArchiveSource):
            return source.archive.read(source.member), source.archive.crc(source.member)
        return avatar.read(), None
    except Exception as exc:  # any source failure must abort the save, not half-write it
        reason = str(exc).strip() or type(exc).__name__
        raise DraftError(
            f"{target.name} was not saved: the picture for {label} cannot be read ({reason})."
        ) from None


def _release_archives_of(target: Path) -> None:
    wanted = os.path.normcase(os.path.abspath(target))
    for archive in list(_open_archives):
        if os.path.normcase(os.path.abspath(archive.path)) == wanted:
            archive.load_into_memory()


def _rebind_avatars(
    order: Order,
    target: Path,
    pictures: dict[str, tuple[Avatar, str]],
    members: dict[int, tuple[Avatar, str | None]],
    written: tuple[list[zipfile.ZipInfo], int],
) -> None:
    if not pictures:
        return
    try:
        archive = _OpenArchive(target, written)
    except (OSError, zipfile.BadZipFile):
        return  # the save succeeded; the avatars simply keep their current sources
    rebound: dict[int, Avatar] = {}

    def moved(avatar: Avatar) -> Avatar:
        member = members[id(avatar)][1]
        if member is None or member not in pictures:
            return avatar
        if id(avatar) not in rebound:
            rebound[id(avatar)] = avatar.read_from(ArchiveSource(archive, member))
        return rebound[id(avatar)]

    for mailbox in order.mailboxes:
        if mailbox.avatar is not None:
            mailbox.avatar = moved(mailbox.avatar)
    for key, avatar in order.unassigned_avatars.items():
        order.unassigned_avatars[key] = moved(avatar)
