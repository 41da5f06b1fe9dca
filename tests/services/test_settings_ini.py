"""Qt's INI flavour without Qt: what one side writes, the other reads back unchanged."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from desktop_app.services.settings_ini import IniDocument, logical_lines, read_text, write_text

_names = itertools.count()


def _qsettings(folder, data: bytes) -> QSettings:
    # A new name each time: QSettings keeps the files it has read in a cache of its own.
    path = folder / f"file{next(_names)}.ini"
    path.write_bytes(data)
    return QSettings(str(path), QSettings.Format.IniFormat)


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_any_text_written_reads_back_the_same_here_and_in_qt(tmp_path_factory, text):
    document = IniDocument()
    document.set("group/key", write_text(text))
    data = document.to_bytes()
    assert read_text(IniDocument(data).raw("group/key") or b"") == text
    assert _qsettings(tmp_path_factory.mktemp("ini"), data).value("group/key") == text


@settings(max_examples=200, deadline=None)
@given(text=st.text().filter(lambda t: "," not in t))  # Qt reads an unquoted "a,b" as a list
def test_any_text_qt_writes_reads_back_the_same(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("qt") / "written.ini"
    written = QSettings(str(path), QSettings.Format.IniFormat)
    written.setValue("group/key", text)
    written.sync()
    assert read_text(IniDocument(path.read_bytes()).raw("group/key") or b"") == text


def test_lines_are_split_as_qt_splits_them():
    data = b'; a comment\n[g]\na = "two\nlines" ; said\nb=1\\\n2\n\n  c=3\n'
    assert [line for line, _ in logical_lines(data)] == [
        b"[g]",
        b'a = "two\nlines" ',
        b"b=1\\\n2",
        b"c=3",
    ]
    document = IniDocument(data)
    assert read_text(document.raw("g/a") or b"") == "two\nlines"
    assert read_text(document.raw("g/b") or b"") == "12"


def test_keys_outside_a_group_and_in_general_are_the_same_keys():
    document = IniDocument(b"top=1\n[General]\nsending\\base_url=x\n[%General]\nk=2\n")
    assert document.raw("top") == b"1"
    assert document.raw("sending/base_url") == b"x"
    assert document.raw("General/k") == b"2"
    document.set("sending/base_url", b"y")  # changed where it was written
    assert b"sending\\base_url=y" in document.to_bytes()
    assert b"[sending]" not in document.to_bytes()


def test_the_last_of_two_same_keys_is_the_one_read_and_changed():
    document = IniDocument(b"[s]\nk=1\n[s]\nk=2\n")
    assert document.raw("s/k") == b"2"
    document.set("s/k", b"3")
    assert document.to_bytes().replace(b"\r\n", b"\n") == b"[s]\nk=1\n\n[s]\nk=3\n"
