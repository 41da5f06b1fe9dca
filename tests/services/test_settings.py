"""The settings store: declared options, Qt's INI flavour both ways, migrations, bad values."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from desktop_app.order.request_limits import MAX_MAILBOXES_PER_REQUEST
from desktop_app.services.environments import Environment
from desktop_app.services.settings import (
    BASE_URL,
    ENVIRONMENT,
    LAST_FOLDER,
    MAILBOXES_PER_REQUEST,
    OPTIONS,
    RECENT_FILES,
    SANDBOX_BASE_URL,
    VERSION,
    Settings,
)

# Written by the window before the store existed (its QSettings code, run on a real
# window with a folder and two recent drafts whose names hold a comma, quotes, "="
# and "ü", two addresses and 250 mailboxes per request, then closed).
V1_FILE = Path(__file__).parent / "data" / "settings_v1_by_qsettings.ini"
V1_HOME = "/tmp/tmp.33K8zada4b"


class Said(list[str]):
    """A reporter that keeps what it is told."""

    def __call__(self, sentence: str) -> None:
        self.append(sentence)


def store_in(home: Path) -> tuple[Settings, Said]:
    said = Said()
    return Settings(home, report=said), said


def qsettings(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_without_a_file_every_option_is_its_default_and_nothing_is_written(app_home):
    store, said = store_in(app_home)
    assert [store.get(o) for o in OPTIONS] == [o.default for o in OPTIONS]
    assert store.get(MAILBOXES_PER_REQUEST) == MAX_MAILBOXES_PER_REQUEST
    assert store.get(ENVIRONMENT) is Environment.PRODUCTION
    assert said == [] and list(app_home.iterdir()) == []


def test_a_file_the_window_wrote_with_qsettings_is_read_as_it_was_meant(app_home):
    shutil.copy(V1_FILE, app_home / "settings.ini")
    store, said = store_in(app_home)
    assert store.get(BASE_URL) == "https://api.example.com/v1"
    assert store.get(SANDBOX_BASE_URL) == "https://sandbox.example.com"
    assert store.get(MAILBOXES_PER_REQUEST) == 250
    assert store.get(LAST_FOLDER) == f"{V1_HOME}/My Drafts ü"
    assert store.get(RECENT_FILES) == (
        f"{V1_HOME}/x=y.cmrorder",
        f'{V1_HOME}/My Drafts ü/a, b; "c".cmrorder',
    )
    assert said == []


TRICKY_TEXTS = [
    "https://api.example.com/v1",
    "  spaces at both ends  ",
    "a, b; c = d",
    'quotes " and \\ backslashes',
    "@at the start",
    "@ByteArray(looks typed)",
    "tab\there, line\nbreak, bell\a",
    "Bücher, Ωmega, 日本, 🙂",
    "\x01" + "abc",  # a control character followed by hex digits
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_what_qsettings_writes_the_store_reads(app_home, text):
    written = qsettings(app_home / "settings.ini")
    written.setValue(LAST_FOLDER.key, text)
    written.setValue(MAILBOXES_PER_REQUEST.key, 17)
    written.sync()
    store, said = store_in(app_home)
    assert store.get(LAST_FOLDER) == text
    assert store.get(MAILBOXES_PER_REQUEST) == 17
    assert said == []


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_what_the_store_writes_qsettings_reads(app_home, text):
    store, _ = store_in(app_home)
    assert store.set(LAST_FOLDER, text)
    assert store.set(MAILBOXES_PER_REQUEST, 17)
    assert store.set(RECENT_FILES, (f"/drafts/{text}.cmrorder",))
    read = qsettings(app_home / "settings.ini")
    assert read.value(LAST_FOLDER.key) == text
    assert int(read.value(MAILBOXES_PER_REQUEST.key)) == 17
    assert read.value("version") == str(VERSION)
    assert Settings(app_home).get(RECENT_FILES) == (f"/drafts/{text}.cmrorder",)


def test_the_first_migration_moves_the_window_state_to_its_own_file(app_home):
    shutil.copy(V1_FILE, app_home / "settings.ini")
    before = qsettings(V1_FILE)
    store, said = store_in(app_home)
    assert said == [] and store.version() == VERSION == 2
    text = (app_home / "settings.ini").read_text(encoding="utf-8")
    assert "[window]" not in text and "[splitters]" not in text and "@ByteArray" not in text
    state = qsettings(app_home / "window-state.ini")
    for key in ("window/geometry", "splitters/main", "splitters/tables", "splitters/columns"):
        assert isinstance(state.value(key), QByteArray)
        assert state.value(key) == before.value(key)
    # Everything else is as it was, and reading again changes nothing.
    assert store.get(MAILBOXES_PER_REQUEST) == 250
    assert store.get(LAST_FOLDER) == f"{V1_HOME}/My Drafts ü"
    migrated = (app_home / "settings.ini").read_bytes()
    Settings(app_home).get(BASE_URL)
    assert (app_home / "settings.ini").read_bytes() == migrated


def test_a_window_state_file_already_there_is_newer_and_stays(app_home):
    shutil.copy(V1_FILE, app_home / "settings.ini")
    newer = qsettings(app_home / "window-state.ini")
    newer.setValue("window/geometry", QByteArray(b"newer"))
    newer.sync()
    Settings(app_home).get(BASE_URL)
    assert qsettings(app_home / "window-state.ini").value("window/geometry") == b"newer"
    assert "[window]" not in (app_home / "settings.ini").read_text(encoding="utf-8")


def test_a_file_without_a_version_is_read_as_version_one(app_home):
    (app_home / "settings.ini").write_text('[sending]\nbase_url="http://127.0.0.1:9"\n')
    store, said = store_in(app_home)
    assert store.get(BASE_URL) == "http://127.0.0.1:9" and said == []
    assert qsettings(app_home / "settings.ini").value("version") == str(VERSION)


def test_a_file_from_a_newer_version_is_read_and_keeps_its_version(app_home):
    (app_home / "settings.ini").write_text(
        "[General]\nversion=7\n\n[sending]\nmax_mailboxes=40\nnew_thing=kept\n"
    )
    store, said = store_in(app_home)
    assert store.get(MAILBOXES_PER_REQUEST) == 40
    assert len(said) == 1 and "newer Order Desk" in said[0]
    assert store.set(ENVIRONMENT, Environment.SANDBOX)
    read = qsettings(app_home / "settings.ini")
    assert read.value("version") == "7" and read.value("sending/new_thing") == "kept"


@pytest.mark.parametrize(
    ("line", "option", "why"),
    [
        ("max_mailboxes=lots", MAILBOXES_PER_REQUEST, "is not a whole number from 1 to 992"),
        ("max_mailboxes=0", MAILBOXES_PER_REQUEST, "is not a whole number from 1 to 992"),
        ("max_mailboxes=5000", MAILBOXES_PER_REQUEST, "is not a whole number from 1 to 992"),
        ("max_mailboxes=@Variant(\\0\\0\\0\\x7f)", MAILBOXES_PER_REQUEST, "not as text"),
        ("environment=moon", ENVIRONMENT, "is not one of practice, sandbox, production"),
        ("sandbox_base_url=@ByteArray(abc)", SANDBOX_BASE_URL, "stored as ByteArray"),
    ],
)
def test_a_bad_value_is_its_default_in_one_sentence_and_nothing_else_is_lost(
    app_home, line, option, why
):
    content = f"[General]\nversion=2\n\n[sending]\nbase_url=https://a.example.com\n{line}\n"
    (app_home / "settings.ini").write_text(content)
    store, said = store_in(app_home)
    assert store.get(option) == option.default
    assert store.get(option) == option.default  # said once, not at every read
    assert len(said) == 1 and why in said[0] and option.key in said[0]
    assert said[0].endswith("is used instead.") and "\n" not in said[0]
    assert store.get(BASE_URL) == "https://a.example.com"
    assert (app_home / "settings.ini").read_text() == content  # reading never rewrites it


def test_a_line_that_is_not_utf8_loses_only_its_own_setting(app_home):
    (app_home / "settings.ini").write_bytes(
        b"[General]\nversion=2\n\n[files]\nlast_folder=/home/ops/B\xfccher\n\n"
        b"[sending]\nmax_mailboxes=300\n"
    )
    store, said = store_in(app_home)
    assert store.get(LAST_FOLDER) == "" and store.get(MAILBOXES_PER_REQUEST) == 300
    assert len(said) == 1 and "files/last_folder" in said[0] and "not UTF-8" in said[0]
    assert store.set(MAILBOXES_PER_REQUEST, 301)
    assert b"last_folder=/home/ops/B\xfccher" in (app_home / "settings.ini").read_bytes()


def test_recent_files_that_are_not_a_list_are_none(app_home):
    written = qsettings(app_home / "settings.ini")
    written.setValue(RECENT_FILES.key, "{not json")
    written.sync()
    store, said = store_in(app_home)
    assert store.get(RECENT_FILES) == () and "is not a list of files" in said[0]


@pytest.mark.parametrize("kind", ["utf-16", "folder"])
def test_a_file_that_cannot_be_read_is_never_written_over(app_home, kind):
    target = app_home / "settings.ini"
    if kind == "folder":
        target.mkdir()
        (target / "inside").write_text("mine")
    else:
        target.write_bytes("[sending]\nmax_mailboxes=12\n".encode("utf-16"))
    before = None if kind == "folder" else target.read_bytes()
    store, said = store_in(app_home)
    assert store.get(MAILBOXES_PER_REQUEST) == MAX_MAILBOXES_PER_REQUEST
    assert len(said) == 1 and str(target) in said[0] and "default settings are used" in said[0]
    assert store.set(MAILBOXES_PER_REQUEST, 50) is False
    assert store.get(MAILBOXES_PER_REQUEST) == 50  # kept while the app runs
    assert len(said) == 2 and "until Order Desk closes" in said[1]
    if kind == "folder":
        assert (target / "inside").read_text() == "mine"
    else:
        assert target.read_bytes() == before


@pytest.fixture
def read_only_home(tmp_path):
    """A home on a file system mounted read-only (root writes anywhere else)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        (folder / "settings.ini").write_text("[General]\nversion=2\n\n[sending]\nmax_mailboxes=9\n")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_home_is_read_and_a_change_lasts_until_closing(read_only_home):
    store, said = store_in(read_only_home)
    assert store.get(MAILBOXES_PER_REQUEST) == 9 and said == []
    assert store.set(MAILBOXES_PER_REQUEST, 10) is False
    assert len(said) == 1 and "could not be saved" in said[0]
    assert "read-only" in said[0] and "until Order Desk closes" in said[0]
    assert store.get(MAILBOXES_PER_REQUEST) == 10
    assert store.get(ENVIRONMENT) is Environment.PRODUCTION


def test_a_full_disk_leaves_the_file_as_it_was(small_disk):
    (small_disk / "settings.ini").write_text("[General]\nversion=2\n")
    store, said = store_in(small_disk)
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as stream, pytest.raises(OSError):
        while True:
            stream.write(b"\0" * 65536)
    assert store.set(LAST_FOLDER, "x" * 200_000) is False
    assert "could not be saved" in said[0]
    assert (small_disk / "settings.ini").read_text() == "[General]\nversion=2\n"
    assert [p.name for p in small_disk.iterdir() if p.name.endswith(".tmp")] == []
    assert store.get(LAST_FOLDER) == "x" * 200_000  # kept while the app runs


def test_keys_and_lines_it_does_not_know_survive_a_save(app_home):
    content = (
        "[General]\nversion=2\nsomeone_else=1\n\n[sending]\nmax_mailboxes=20\n"
        'a line without an equals sign\nfuture\\nested="x, y"\n\n[plugins]\nz=@Variant(\\0)\n'
    )
    (app_home / "settings.ini").write_text(content)
    store, _ = store_in(app_home)
    assert store.set(MAILBOXES_PER_REQUEST, 21)
    assert store.set(LAST_FOLDER, "/drafts")
    text = (app_home / "settings.ini").read_text()
    assert text == content.replace("max_mailboxes=20", "max_mailboxes=21") + (
        "\n[files]\nlast_folder=/drafts\n"
    )


def test_a_change_saved_by_another_window_is_seen(app_home):
    first, _ = store_in(app_home)
    assert first.get(ENVIRONMENT) is Environment.PRODUCTION
    second, _ = store_in(app_home)
    assert second.set(ENVIRONMENT, Environment.SANDBOX)
    assert first.get(ENVIRONMENT) is Environment.SANDBOX
    assert first.set(MAILBOXES_PER_REQUEST, 5)  # merged into the file, not over it
    assert Settings(app_home).get(ENVIRONMENT) is Environment.SANDBOX


def test_a_value_an_option_does_not_accept_is_refused_before_anything_is_written(app_home):
    store, _ = store_in(app_home)
    with pytest.raises(ValueError, match="is not a whole number from 1 to 992"):
        store.set(MAILBOXES_PER_REQUEST, 993)
    with pytest.raises(ValueError, match="plain http"):
        store.set(SANDBOX_BASE_URL, "http://sandbox.example.com")
    assert not (app_home / "settings.ini").exists()


_SAVER = """
import sys
from pathlib import Path
from desktop_app.services.settings import BASE_URL, SANDBOX_BASE_URL, Settings
option = {"a": BASE_URL, "b": SANDBOX_BASE_URL}[sys.argv[2]]
last = ""
for n in range(int(sys.argv[3])):
    store = Settings(Path(sys.argv[1]))
    # Only this process writes this option: anything else is the other's save undoing it.
    if store.get(option) != last:
        sys.exit(f"lost: {last!r} became {store.get(option)!r}")
    last = f"https://{sys.argv[2]}.example.com/{n}"
    assert store.set(option, last)
"""


def test_two_processes_saving_at_once_lose_neither_change(app_home):
    rounds = 60
    savers = [
        subprocess.Popen([sys.executable, "-c", _SAVER, str(app_home), which, str(rounds)])
        for which in ("a", "b")
    ]
    assert [saver.wait(timeout=120) for saver in savers] == [0, 0]
    store, said = store_in(app_home)
    assert store.get(BASE_URL) == f"https://a.example.com/{rounds - 1}"
    assert store.get(SANDBOX_BASE_URL) == f"https://b.example.com/{rounds - 1}"
    assert said == []
    leftovers = [p.name for p in app_home.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [] and os.listdir(app_home)


def test_a_file_another_program_made_unreadable_meanwhile_is_not_written_over(app_home):
    store, said = store_in(app_home)
    assert store.set(MAILBOXES_PER_REQUEST, 30)
    (app_home / "settings.ini").write_bytes("[sending]\nmax_mailboxes=31\n".encode("utf-16"))
    before = (app_home / "settings.ini").read_bytes()
    assert store.set(ENVIRONMENT, Environment.SANDBOX) is False
    assert (app_home / "settings.ini").read_bytes() == before
    assert store.get(ENVIRONMENT) is Environment.SANDBOX
    assert any("not a text file" in sentence for sentence in said)


def test_recent_files_nested_past_pythons_stack_are_none_in_one_sentence(app_home):
    (app_home / "settings.ini").write_text("[files]\nrecent=" + "[" * 300_000 + "\n")
    store, said = store_in(app_home)
    assert store.get(RECENT_FILES) == ()
    assert len(said) == 1 and "files/recent" in said[0] and "is not a list of files" in said[0]
