"""CSV import and export."""

from __future__ import annotations

import pytest
from factories import make_png, sample_order

from desktop_app.draft.csv_io import (
    CsvError,
    read_domains,
    read_mailboxes,
    write_domains,
    write_mailboxes,
)
from desktop_app.order.model import DomainEntry, Mailbox


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --- domains ----------------------------------------------------------------------------


def test_domains_with_every_column(tmp_path):
    path = write(
        tmp_path / "d.csv",
        "domain,years,forwardTo,maskForwarding\n"
        "a.com,2,https://a.org,true\n"
        "b.com,,,\n"
        "\n"
        "c.com,ten,,no\n",
    )
    assert read_domains(path) == [
        DomainEntry("a.com", 2, "https://a.org", True),
        DomainEntry("b.com", 1, "", False),  # years defaults to 1
        DomainEntry("c.com", "ten", "", False),  # kept as typed: validation reports it
    ]


def test_only_the_domain_column_is_required(tmp_path):
    assert read_domains(write(tmp_path / "d.csv", "Domain\nbücher.de\n")) == [
        DomainEntry("bücher.de")
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("true", True),
        ("YES", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("", False),
    ],
)
def test_mask_forwarding_spellings(tmp_path, cell, expected):
    path = write(tmp_path / "d.csv", f"domain,forwardTo,maskForwarding\na.com,b.com,{cell}\n")
    assert read_domains(path)[0].mask_forwarding is expected


def test_a_mask_forwarding_that_is_no_answer_names_file_and_line(tmp_path):
    path = write(tmp_path / "d.csv", "domain,maskForwarding\na.com,true\nb.com,maybe\n")
    with pytest.raises(
        CsvError, match=r'^d\.csv line 3: maskForwarding should be true or false, not "maybe"\.$'
    ):
        read_domains(path)


def test_semicolons_and_a_byte_order_mark_as_european_spreadsheets_write(tmp_path):
    text = "\ufeffDomain;Years;Forward To;Mask_Forwarding\r\nmüller.de;3;https://x.de/a,b;ja\r\n"
    path = write(tmp_path / "d.csv", text.replace("ja", "yes"))
    assert read_domains(path) == [DomainEntry("müller.de", 3, "https://x.de/a,b", True)]


def test_tab_separated(tmp_path):
    path = write(tmp_path / "d.csv", "domain\tyears\na.com\t4\n")
    assert read_domains(path) == [DomainEntry("a.com", 4)]


def test_utf16_unicode_text_from_a_spreadsheet(tmp_path):
    path = write(tmp_path / "d.csv", "domain\tyears\nпример.рф\t2\n", "utf-16")
    assert read_domains(path) == [DomainEntry("пример.рф", 2)]


def test_windows_western_code_page(tmp_path):
    path = write(tmp_path / "m.csv", "email;first name;last name\nann@a.com;Zoë;Müller\n", "cp1252")
    assert read_mailboxes(path) == [Mailbox("a.com", "ann", "Zoë", "Müller")]


def test_an_unknown_column_names_file_line_and_column(tmp_path):
    path = write(tmp_path / "d.csv", "domain,price\na.com,3\n")
    with pytest.raises(CsvError, match=r'^d\.csv line 1: unknown column "price"; .*\.$'):
        read_domains(path)


def test_a_file_without_a_header_is_explained(tmp_path):
    with pytest.raises(CsvError, match=r'line 1: unknown column "a\.com"'):
        read_domains(write(tmp_path / "d.csv", "a.com,1\n"))


def test_a_value_under_no_header_is_an_error(tmp_path):
    path = write(tmp_path / "d.csv", "domain,years\na.com,1,surprise\n")
    with pytest.raises(CsvError, match=r"^d\.csv line 2: .*column without a header\.$"):
        read_domains(path)


def test_trailing_empty_cells_as_spreadsheets_add_them_are_fine(tmp_path):
    path = write(tmp_path / "d.csv", "domain,years,,\na.com,1,,\n")
    assert read_domains(path) == [DomainEntry("a.com", 1)]


def test_quoted_cells_keep_delimiters_and_line_breaks(tmp_path):
    path = write(
        tmp_path / "m.csv",
        'email,firstName,lastName\nann@a.com,"Ann, Jr.","Lee\nSmith"\nbo@a.com,Bo,Ng\n',
    )
    assert read_mailboxes(path) == [
        Mailbox("a.com", "ann", "Ann, Jr.", "Lee\nSmith"),
        Mailbox("a.com", "bo", "Bo", "Ng"),
    ]


def test_line_numbers_count_physical_lines(tmp_path):
    path = write(
        tmp_path / "d.csv", 'domain,forwardTo,maskForwarding\na.com,"x\ny",true\nb.com,,perhaps\n'
    )
    with pytest.raises(CsvError, match="line 4:"):
        read_domains(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (make_png(), "not a text file"),
        (b"domain\na.com\x00\n", "not a text file"),
        (b"domain\n\x81\x8d\x8f\x90\x9d.com\n", "not readable text"),
        (b"domain\n\x1b[31mred.com\x07\n\xe9\n", "not a text file"),
    ],
)
def test_files_that_are_not_csv_text(tmp_path, content, words):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(CsvError) as caught:
        read_domains(path)
    message = str(caught.value)
    assert message.startswith("in.csv") and words in message and message.endswith(".")


def test_a_missing_file(tmp_path):
    with pytest.raises(CsvError, match=r"^gone\.csv cannot be read \(.+\)\.$"):
        read_domains(tmp_path / "gone.csv")


def test_a_domains_file_needs_a_domain_column(tmp_path):
    with pytest.raises(CsvError, match=r"^d\.csv line 1: it needs a domain column\.$"):
        read_domains(write(tmp_path / "d.csv", "years,forwardTo\n1,a.com\n"))


def test_a_repeated_column_is_an_error(tmp_path):
    with pytest.raises(CsvError, match="appears twice"):
        read_domains(write(tmp_path / "d.csv", "domain,Domain\na.com,b.com\n"))


# --- mailboxes ----------------------------------------------------------------------------


def test_mailboxes_by_email(tmp_path):
    path = write(
        tmp_path / "m.csv", "Email,First Name,last_name\nJohn.Doe@Shop.com,John,Doe\nnoat,No,At\n"
    )
    assert read_mailboxes(path) == [
        Mailbox("Shop.com", "John.Doe", "John", "Doe"),  # as typed
        Mailbox("", "noat", "No", "At"),  # no '@': validation reports the missing domain
    ]


def test_mailboxes_by_domain_and_username(tmp_path):
    path = write(tmp_path / "m.csv", "domain,username,firstName,lastName\na.com,ann,Ann,Lee\n")
    assert read_mailboxes(path) == [Mailbox("a.com", "ann", "Ann", "Lee")]


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("email,domain,firstName", "not both"),
        ("domain,firstName,lastName", "needs an email column"),
        ("firstName,lastName", "needs an email column"),
    ],
)
def test_mailbox_layouts_that_do_not_work(tmp_path, header, words):
    with pytest.raises(CsvError, match=rf"^m\.csv line 1: .*{words}.*\.$"):
        read_mailboxes(write(tmp_path / "m.csv", header + "\n"))


# --- export -------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_rows(tmp_path):
    order = sample_order(3, 2, with_avatars=False)
    order.domains[1] = DomainEntry("bücher.de", "ten", "https://x.org/?a=1,b=2", True)
    order.mailboxes[0] = Mailbox("a;b.com", 'we"ird', "Ann\nMarie", "O'Neil, Jr.")
    write_domains(order, tmp_path / "d.csv")
    write_mailboxes(order, tmp_path / "m.csv")
    assert read_domains(tmp_path / "d.csv") == order.domains
    assert read_mailboxes(tmp_path / "m.csv") == order.mailboxes
    text = (tmp_path / "m.csv").read_bytes().decode("utf-8")
    assert text.startswith("domain,username,firstName,lastName\r\n")
    assert (
        (tmp_path / "d.csv")
        .read_bytes()
        .decode("utf-8")
        .startswith("domain,years,forwardTo,maskForwarding\r\n")
    )


def test_export_is_atomic(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("old")
    with pytest.raises(CsvError, match=r"^d\.csv cannot be written"):
        write_domains(sample_order(1, 1), tmp_path / "missing" / "d.csv")
    (tmp_path / "sub").mkdir()
    with pytest.raises(CsvError):
        write_domains(sample_order(1, 1), tmp_path / "sub")  # a folder is in the way
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "home", "sub"]
    assert list((tmp_path / "sub").iterdir()) == []
