"""Pasted spreadsheet text: reading it, writing it back, and mapping it onto a table."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.order import table_text
from desktop_app.order.table_text import DOMAIN_FIELDS, plan_paste

MAILBOX_TABLE = ("username", "domain", "firstName", "lastName", "")
DOMAIN_TABLE = DOMAIN_FIELDS


def test_tab_separated_rows_from_a_spreadsheet():
    text = "a.com\t2\r\nb.com\t3\r\n"
    assert table_text.parse(text) == [["a.com", "2"], ["b.com", "3"]]


def test_comma_and_semicolon_separated_rows():
    assert table_text.parse("a.com,2\nb.com,3") == [["a.com", "2"], ["b.com", "3"]]
    assert table_text.parse("a.com;2\nb.com;3\n") == [["a.com", "2"], ["b.com", "3"]]


def test_quoted_cells_keep_separators_and_line_breaks():
    text = '"Smith, Jr."\tJohn\n"two\nlines"\tx\n'
    assert table_text.parse(text) == [["Smith, Jr.", "John"], ["two\nlines", "x"]]


def test_single_column_and_blank_lines():
    assert table_text.parse("a.com\n\n  b.com  \n") == [["a.com"], ["b.com"]]
    assert table_text.parse("   \n") == []


def test_ragged_rows_are_padded():
    assert table_text.parse("a\tb\tc\nd\n") == [["a", "b", "c"], ["d", "", ""]]


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).map(str.strip)


def _lines(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n")


@given(st.lists(st.lists(cells, min_size=2, max_size=4), min_size=1, max_size=5))
def test_copy_then_paste_gives_back_the_same_cells(rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    # parse() trims cells, makes every line break a "\n" and drops blank rows.
    expected = [[_lines(c).strip() for c in r] for r in rows]
    expected = [r for r in expected if any(r)]
    assert table_text.parse(table_text.format_rows(rows)) == expected


def test_header_row_maps_columns_by_name():
    grid = [["Email", "First Name", "last_name"], ["john@a.com", "John", "Smith"]]
    plan = plan_paste(grid, MAILBOX_TABLE, start_column=3)
    assert plan.by_header
    assert plan.records == [
        {"username": "john", "domain": "a.com", "firstName": "John", "lastName": "Smith"}
    ]


def test_a_row_that_is_not_all_field_names_is_data():
    grid = [["domain", "John"], ["x.com", "Jane"]]
    plan = plan_paste(grid, MAILBOX_TABLE, start_column=1)
    assert not plan.by_header
    assert plan.records[0] == {"domain": "domain", "firstName": "John"}


def test_email_column_on_username_splits_and_the_rest_follows():
    grid = [["john@a.com", "John", "Smith"], ["jane@b.com", "Jane", "Doe"]]
    plan = plan_paste(grid, MAILBOX_TABLE, start_column=0)
    assert plan.records == [
        {"username": "john", "domain": "a.com", "firstName": "John", "lastName": "Smith"},
        {"username": "jane", "domain": "b.com", "firstName": "Jane", "lastName": "Doe"},
    ]


def test_positional_paste_from_a_later_column_and_overflow_is_dropped():
    grid = [["John", "Smith", "extra", "more"]]
    plan = plan_paste(grid, MAILBOX_TABLE, start_column=2)
    assert plan.records == [{"firstName": "John", "lastName": "Smith"}]


def test_emails_are_not_split_in_a_table_without_usernames():
    plan = plan_paste([["a@b.com", "2"]], DOMAIN_TABLE, start_column=0)
    assert plan.records == [{"domain": "a@b.com", "years": "2"}]


def test_domains_header():
    grid = [["Domain", "Years", "Forward to", "Mask"], ["a.com", "2", "b.com", "yes"]]
    plan = plan_paste(grid, DOMAIN_TABLE, start_column=0)
    assert plan.records == [
        {"domain": "a.com", "years": "2", "forwardTo": "b.com", "maskForwarding": "yes"}
    ]


def test_split_email():
    assert table_text.split_email(" mailto:John.Smith@Example.com ") == (
        "John.Smith",
        "Example.com",
    )
    assert table_text.split_email("nobody") == ("nobody", "")
    assert table_text.split_email("a@b@c.com") == ("a@b", "c.com")


def test_parse_bool_and_years():
    assert table_text.parse_bool("Yes") is True
    assert table_text.parse_bool("✓") is True
    assert table_text.parse_bool("") is False
    assert table_text.parse_bool("maybe") is None
    assert table_text.parse_years(" 3 ") == 3
    assert table_text.parse_years("ten") == "ten"
