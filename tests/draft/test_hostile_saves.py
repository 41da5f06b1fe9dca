"""Draft files that tools would read differently, limits shared by import and open, no debris."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest
from cli_support import order_desk
from factories import make_png, sample_order

from desktop_app.draft import draft_file
from desktop_app.draft.atomic_files import STALE_TEMPORARY_SECONDS, remove_stale_temporaries
from desktop_app.draft.draft_file import DraftError, load, save
from desktop_app.draft.draft_json import MAX_ROWS
from desktop_app.order.avatars import PNG, Avatar, MemorySource
from desktop_app.order.model import DomainEntry, Mailbox, Order

DOCUMENT = {
    "domains": [{"domain": "a.com"}],
    "mailboxes": {"a.com": [{"username": "ann", "firstName": "Ann", "lastName": "Lee"}]},
    "avatars": {"ann@a.com": "avatars/x.png"},
}


def zip_with(path, members: list[tuple[str, bytes]]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "members",
    [
        [("order.json", json.dumps(DOCUMENT).encode()), ("order.json", b'{"domains": []}')],
        [
            ("order.json", json.dumps(DOCUMENT).encode()),
            ("avatars/x.png", make_png((1, 1, 1))),
            ("avatars/x.png", make_png((250, 250, 250))),
        ],
    ],
    ids=["order.json", "picture"],
)
def test_a_draft_with_two_members_of_one_name_is_refused(tmp_path, members):
    import warnings

    path = tmp_path / "twice.cmrorder"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name" warning
        zip_with(path, members)
    with pytest.raises(DraftError) as caught:
        load(path)
    message = str(caught.value)
    assert "twice.cmrorder" in message and members[-1][0] in message and "two files" in message
    assert message.count(". ") == 0 and message.endswith(".")


# --- the limits of open are the limits of import and save -------------------------------


def test_saving_more_mailboxes_than_open_accepts_is_refused(tmp_path):
    order = Order(
        domains=[DomainEntry("a.com")],
        mailboxes=[Mailbox("a.com", f"u{i}", "A", "B") for i in range(MAX_ROWS + 1)],
    )
    with pytest.raises(DraftError, match="100,000"):
        save(order, tmp_path / "big.cmrorder")
    assert not (tmp_path / "big.cmrorder").exists() and temporaries(tmp_path) == []


def test_saving_text_larger_than_open_accepts_is_refused(tmp_path):
    order = Order(notes="x" * (draft_file.MAX_JSON_BYTES + 1))
    with pytest.raises(DraftError, match="50 MB"):
        save(order, tmp_path / "long.cmrorder")
    assert not (tmp_path / "long.cmrorder").exists() and temporaries(tmp_path) == []


def test_import_refuses_what_open_would_refuse_and_writes_nothing(tmp_path):
    (tmp_path / "d.csv").write_text("domain\na.com\n")
    rows = "".join(f"u{i}@a.com,A,B\n" for i in range(MAX_ROWS + 1))
    (tmp_path / "m.csv").write_text("email,firstName,lastName\n" + rows)
    output = tmp_path / "out.cmrorder"
    result = order_desk(
        "import",
        "--domains",
        tmp_path / "d.csv",
        "--mailboxes",
        tmp_path / "m.csv",
        "-o",
        output,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "100,000" in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()


# --- temporary files -------------------------------------------------------------------------


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def noise_avatar(size: int) -> Avatar:
    data = os.urandom(size)
    import hashlib

    return Avatar(MemorySource(data), PNG, len(data), hashlib.sha256(data).hexdigest(), 64)


def test_a_save_that_fills_the_disk_leaves_no_temporary_file(small_disk):
    order = sample_order(1, 3, with_avatars=False)
    for mailbox in order.mailboxes:
        mailbox.avatar = noise_avatar(400_000)  # 1.2 MB in all: more than the disk holds
    with pytest.raises(DraftError) as caught:
        save(order, small_disk / "full.cmrorder")
    assert "full.cmrorder cannot be saved" in str(caught.value)
    assert os.listdir(small_disk) == []


def test_a_save_into_a_read_only_folder_is_one_sentence_and_leaves_nothing(small_disk):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(DraftError, match="cannot be saved"):
        save(sample_order(1, 1), small_disk / "d.cmrorder")
    assert os.listdir(small_disk) == []


STALLING_SAVE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from desktop_app.draft import draft_file
    from desktop_app.order.avatars import PNG, Avatar
    from desktop_app.order.model import DomainEntry, Mailbox, Order

    class Stalling:
        def open(self):
            print("writing", flush=True)
            time.sleep(600)

    order = Order(domains=[DomainEntry("a.com")])
    avatar = Avatar(Stalling(), PNG, 9, "ab" * 32, 9)
    order.mailboxes.append(Mailbox("a.com", "ann", "A", "B", avatar))
    order.notes = "x" * 200_000  # some bytes already written when the picture stalls
    draft_file.save(order, Path(sys.argv[1]))
    """
)


def start_stalled_save(target):
    """A real process in the middle of saving ``target`` (it stops at the first picture)."""
    child = subprocess.Popen(
        [sys.executable, "-c", STALLING_SAVE, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "writing"
    return child


def age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_next_save_removes_what_a_killed_save_left(tmp_path):
    child = start_stalled_save(tmp_path / "d.cmrorder")
    child.send_signal(signal.SIGKILL)
    child.wait()
    [left] = temporaries(tmp_path)
    assert left.startswith(".d.cmrorder.order-desk-")
    save(sample_order(1, 1), tmp_path / "other.cmrorder")
    assert temporaries(tmp_path) == [left]  # too recent to be sure: it stays a while
    age(tmp_path / left, STALE_TEMPORARY_SECONDS + 60)
    save(sample_order(1, 1), tmp_path / "other.cmrorder")
    assert temporaries(tmp_path) == []
    assert load(tmp_path / "other.cmrorder").mailboxes


def test_a_save_in_progress_in_another_process_is_never_disturbed(tmp_path):
    child = start_stalled_save(tmp_path / "d.cmrorder")
    try:
        [busy] = temporaries(tmp_path)
        age(tmp_path / busy, STALE_TEMPORARY_SECONDS * 10)  # old, but its save is alive
        save(sample_order(1, 1), tmp_path / "other.cmrorder")
        assert remove_stale_temporaries(tmp_path) == []
        assert temporaries(tmp_path) == [busy]
    finally:
        child.kill()
        child.wait()
    remove_stale_temporaries(tmp_path)
    assert temporaries(tmp_path) == []


def test_only_files_of_the_apps_own_naming_are_removed(tmp_path):
    others = [".notes.txt.tmp", ".d.cmrorder.0123456789ab.tmp", "d.cmrorder.order-desk-x.tmp"]
    for name in others:
        (tmp_path / name).write_text("someone else's")
        age(tmp_path / name, 3600)
    assert remove_stale_temporaries(tmp_path) == []
    assert temporaries(tmp_path) == sorted(others)
