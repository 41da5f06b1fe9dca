"""Pictures from strangers: nothing runs, nothing after the image is sent, no bomb is decoded."""

from __future__ import annotations

import json
import os
import struct
import zlib

import pytest
from cli_support import order_desk
from factories import make_jpeg, make_png, write_zip

from desktop_app.draft import draft_file
from desktop_app.draft.picture_folder import read_named_pictures
from desktop_app.order.avatars import (
    MAX_DECODED_PIXELS,
    AvatarError,
    avatar_from_bytes,
    normalise,
    normalised_shape,
)
from desktop_app.order.model import Order
from desktop_app.order.validation import Severity, Table, validate
from desktop_app.practice.server import PracticeServer

# A real PostScript file: Pillow's EPS reader hands it to Ghostscript to draw.
EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 16 16\n%%EndComments\n"
    b"(PostScript ran) print flush\n0 0 moveto 16 16 lineto stroke\nshowpage\n%%EOF\n"
)
MAILBOX = "ann@a.com"


def eps_draft(path):
    document = {
        "domains": [{"domain": "a.com"}],
        "mailboxes": {"a.com": [{"username": "ann", "firstName": "Ann", "lastName": "Lee"}]},
        "avatars": {MAILBOX: "avatars/x.png"},
    }
    return write_zip(path, {"order.json": json.dumps(document), "avatars/x.png": EPS})


def run_cli(*args, env_extra=None):
    return order_desk(*args, env={**os.environ, **(env_extra or {})})


def test_postscript_under_a_picture_name_never_runs_ghostscript_on_open(tmp_path, ghostscript):
    order = draft_file.load(eps_draft(tmp_path / "d.cmrorder"))
    avatar = order.mailboxes[0].avatar
    assert avatar.problem and "PNG, JPEG" in avatar.problem
    [problem] = [p for p in validate(order) if p.table is Table.AVATARS]
    assert problem.severity is Severity.ERROR and MAILBOX in problem.message
    assert not ghostscript.exists()


def test_postscript_never_runs_ghostscript_in_validate_curl_or_send(tmp_path, ghostscript):
    path = eps_draft(tmp_path / "d.cmrorder")
    checked = run_cli("validate", path)
    assert checked.returncode == 1 and MAILBOX in checked.stdout
    curl = run_cli("curl", path, "--avatars-dir", tmp_path / "out")
    assert curl.returncode == 1 and "Traceback" not in curl.stderr
    with PracticeServer(key="k" * 32) as server:
        sent = run_cli(
            "send",
            path,
            "--base-url",
            server.base_url,
            "--yes",
            env_extra={"CMR_API_KEY": "k" * 32},
        )
    assert sent.returncode == 1 and "Traceback" not in sent.stderr + sent.stdout
    assert "PostScript ran" not in checked.stdout + curl.stdout + sent.stdout
    assert not ghostscript.exists()


def test_postscript_in_a_picture_folder_never_runs_ghostscript(tmp_path, ghostscript):
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / f"{MAILBOX}.png").write_bytes(EPS)
    order = Order()
    pictures = read_named_pictures([folder], set())
    pictures.attach_to(order)
    messages = pictures.report_lines()
    assert len(messages) == 1 and f"{MAILBOX}.png" in messages[0]
    with pytest.raises(AvatarError, match="PNG, JPEG"):
        avatar_from_bytes(EPS, MAILBOX)
    assert not ghostscript.exists()


# --- what is sent ends where the image ends -------------------------------------------------


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_of(width: int, height: int, data: bytes, colour: int = 0) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def one_picture_draft(path, picture: bytes, member: str = "avatars/x.png"):
    document = {
        "domains": [{"domain": "a.com"}],
        "mailboxes": {"a.com": [{"username": "ann", "firstName": "Ann", "lastName": "Lee"}]},
        "avatars": {MAILBOX: member},
    }
    return write_zip(path, {"order.json": json.dumps(document), member: picture})


@pytest.mark.parametrize(
    ("picture", "end"),
    [(make_png((9, 99, 9, 128), 64), b"IEND\xaeB`\x82"), (make_jpeg(size=64), b"\xff\xd9")],
    ids=["png", "jpeg"],
)
def test_bytes_after_the_image_are_never_sent(tmp_path, picture, end):
    assert normalised_shape(picture) is not None
    # Ends like an image does, so a check of the last bytes alone is fooled.
    hidden = b"hidden words " + os.urandom(64) + end
    order = draft_file.load(one_picture_draft(tmp_path / "d.cmrorder", picture + hidden))
    avatar = order.mailboxes[0].avatar
    assert avatar.problem is None
    sent = avatar.read()
    assert sent.endswith(end) and b"hidden words" not in sent
    assert normalised_shape(sent) is not None


def test_a_png_whose_image_data_is_garbage_is_not_taken_as_normalised(tmp_path):
    garbage = png_of(64, 64, os.urandom(3000))
    assert normalised_shape(garbage) is None
    order = draft_file.load(one_picture_draft(tmp_path / "d.cmrorder", garbage))
    assert order.mailboxes[0].avatar.problem
    assert any(MAILBOX in p.message for p in validate(order) if p.table is Table.AVATARS)


def test_a_png_with_too_few_scanlines_or_a_bad_filter_is_not_normalised():
    row = b"\x00" + bytes(64)
    assert normalised_shape(png_of(64, 64, zlib.compress(row * 64))) is not None
    assert normalised_shape(png_of(64, 64, zlib.compress(row * 63))) is None
    assert normalised_shape(png_of(64, 64, zlib.compress(b"\x09" + bytes(64) + row * 63))) is None


def test_a_jpeg_without_its_decoding_tables_is_decoded_and_written_again():
    picture = make_jpeg(size=64)
    start = picture.index(b"\xff\xc4")
    length = struct.unpack(">H", picture[start + 2 : start + 4])[0]
    without_table = picture[:start] + picture[start + 2 + length :]
    assert normalised_shape(without_table) is None
    data, _ = normalise(without_table, MAILBOX)  # libjpeg falls back on the standard tables
    assert normalised_shape(data) is not None


# --- the pixel budget -------------------------------------------------------------------------


def big_grey_png(side: int) -> bytes:
    """A valid ``side``×``side`` grey PNG of a few tens of KB: it is all zeros."""
    compressor = zlib.compressobj(9)
    row = bytes(side + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return png_of(side, side, data)


@pytest.fixture(scope="module")
def huge_png():
    return big_grey_png(9000)


def test_a_picture_over_the_pixel_budget_is_refused_from_its_header(huge_png):
    assert MAX_DECODED_PIXELS < 9000 * 9000
    with pytest.raises(AvatarError) as caught:
        normalise(huge_png, MAILBOX)
    assert MAILBOX in str(caught.value) and "9000×9000" in str(caught.value)


def test_a_draft_of_huge_pictures_opens_with_each_one_a_problem(tmp_path, huge_png):
    document = {
        "domains": [{"domain": "a.com"}],
        "mailboxes": {
            "a.com": [{"username": f"u{i}", "firstName": "A", "lastName": "B"} for i in range(6)]
        },
        "avatars": {f"u{i}@a.com": f"avatars/{i}.png" for i in range(6)},
    }
    members = {f"avatars/{i}.png": huge_png for i in range(6)}
    path = write_zip(tmp_path / "huge.cmrorder", {"order.json": json.dumps(document), **members})
    order = draft_file.load(path)
    problems = [p for p in validate(order) if p.table is Table.AVATARS]
    assert len(problems) == 6
    assert all("megapixels" in p.message and "@a.com" in p.message for p in problems)


def test_a_large_jpeg_is_decoded_reduced_within_the_budget():
    from factories import make_image_bytes

    photo = make_image_bytes((10, 200, 30), (7000, 6000), "JPEG", quality=50)  # 42 megapixels
    data, _ = normalise(photo, MAILBOX)
    assert normalised_shape(data) is not None


def test_every_image_open_in_the_app_names_the_formats_it_accepts():
    import re
    from pathlib import Path

    import desktop_app

    package = Path(desktop_app.__file__).parent
    calls = []
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        calls += [(source.name, m.group()) for m in re.finditer(r"Image\.open\(.*", text)]
    assert calls, "no Image.open found: the search itself is broken"
    assert [c for c in calls if "formats=" not in c[1]] == []
