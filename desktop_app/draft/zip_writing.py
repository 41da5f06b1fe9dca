"""Writing a draft's ZIP quickly, the same bytes ``zipfile`` writes, and reading it back.

A draft of 20,000 pictures is 20,000 small members: ``zipfile``'s work per
member (seeks, a header written twice, the index parsed again on reopening)
is most of a save that is not copying bytes.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import BinaryIO


def write_stored(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, crc: int | None = None
) -> None:
    """``archive.writestr(info, data)`` for an uncompressed member, the same bytes written.

    ``writestr`` writes a member's header, its data, then seeks back to write
    the header again with the CRC it now knows: three writes and two seeks
    for each of 20,000 small pictures.  Here the CRC is known first, so the
    header is written once.  Only for what that shortcut covers (a seekable
    file, no ZIP64 member); anything else goes through ``writestr``.
    ``crc`` is the CRC-32 of ``data`` when already known.
    """
    size = len(data)
    if (
        info.compress_type != zipfile.ZIP_STORED
        or size * 1.05 > zipfile.ZIP64_LIMIT
        or not getattr(archive, "_seekable", False)
        or getattr(archive, "_writing", True)
        or not hasattr(archive, "start_dir")
    ):
        archive.writestr(info, data)
        return
    with archive._lock:  # type: ignore[attr-defined]
        stream = archive.fp
        assert stream is not None
        info.file_size = info.compress_size = size
        info.CRC = zlib.crc32(data) if crc is None else crc
        info.flag_bits = 0
        if not info.external_attr:
            info.external_attr = 0o600 << 16
        stream.seek(archive.start_dir)
        info.header_offset = stream.tell()
        archive._writecheck(info)  # type: ignore[attr-defined]
        archive._didModify = True  # type: ignore[attr-defined]
        stream.write(info.FileHeader(False))
        stream.write(data)
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive.start_dir = stream.tell()


class WrittenZip(zipfile.ZipFile):
    """A ZIP this process has just written, read with the index it wrote.

    Every read still checks the member's local header (its name) and its
    CRC, so a file that is not the one written fails as a damaged one does.
    """

    def __init__(self, file: BinaryIO, index: list[zipfile.ZipInfo]) -> None:
        self._written_index = index
        super().__init__(file)

    def _RealGetContents(self) -> None:  # zipfile's own name: reading the index
        for info in self._written_index:
            self.filelist.append(info)
            self.NameToInfo[info.filename] = info
