"""Properties of drafts and CSV files over generated orders, typed values of every kind."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from factories import make_jpeg, make_png, write_zip
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.draft.csv_io import read_domains, read_mailboxes, write_domains, write_mailboxes
from desktop_app.draft.draft_file import DraftError, load, save
from desktop_app.order.avatars import avatar_from_bytes, broken_avatar
from desktop_app.order.model import DomainEntry, GoogleSettings, Mailbox, Order, Provider

PICTURES = [
    avatar_from_bytes(make_png((200, 10, 10), 24), "red.png"),
    avatar_from_bytes(make_png((10, 200, 10, 128), 24), "green.png"),
    avatar_from_bytes(make_jpeg((10, 10, 200), 24), "blue.jpg"),
    broken_avatar(b"this is not a picture", "not an image", "notes.heic"),
]
DOMAINS = ["shop.com", "Shop.COM", "bücher.de", "xn--bcher-kva.de", "пример.рф", "例え.jp", ""]
USERNAMES = ["ann", "Ann", "bob.smith", "o'neil", "x" * 70, ""]

# Any text a person could type or paste, lone surrogates and control characters included.
anything = st.text(st.characters(blacklist_categories=()), max_size=12)
years = st.one_of(st.integers(-3, 10**15), anything, st.sampled_from(["ten", " 2 ", "1.5"]))


@st.composite
def orders(draw: st.DrawFn) -> Order:
    order = Order(
        name=draw(anything),
        notes=draw(anything),
        user_id=draw(st.one_of(anything, st.just("12345"))),
        provider=draw(st.sampled_from(Provider)),
        google=GoogleSettings(
            draw(anything), draw(st.one_of(anything, st.just("9" * 30))), draw(anything)
        ),
        microsoft_oauth_route=draw(anything),
        confirm=draw(st.booleans()),
        auto_renew=draw(st.booleans()),
    )
    domain = st.one_of(st.sampled_from(DOMAINS), anything)
    for _ in range(draw(st.integers(0, 4))):
        order.domains.append(
            DomainEntry(draw(domain), draw(years), draw(anything), draw(st.booleans()))
        )
    for _ in range(draw(st.integers(0, 8))):
        order.mailboxes.append(
            Mailbox(
                draw(domain),
                draw(st.one_of(st.sampled_from(USERNAMES), anything)),
                draw(anything),
                draw(anything),
                draw(st.one_of(st.none(), st.sampled_from(PICTURES))),
            )
        )
    # Pictures for mailboxes the order does not have (they keep their own keys).
    for index in range(draw(st.integers(0, 2))):
        order.unassigned_avatars[f"orphan{index}@elsewhere.test"] = draw(st.sampled_from(PICTURES))
    return order


def fields(mailbox: Mailbox) -> tuple[str, str, str, str]:
    return (mailbox.domain, mailbox.username, mailbox.first_name, mailbox.last_name)


@settings(max_examples=60, deadline=None)
@given(orders())
def test_save_load_save_is_the_identity(order):
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "first.cmrorder"), Path(folder, "second.cmrorder")
        rows = list(order.mailboxes)  # the table's order, which loading gives back
        pictures = [m.avatar for m in rows]
        typed = Counter(m.email for m in rows)
        save(order, first)
        loaded = load(first)
        save(loaded, second)
        assert first.read_bytes() == second.read_bytes()

        assert loaded.domains == order.domains
        assert [fields(m) for m in loaded.mailboxes] == [fields(m) for m in rows]
        for before, picture, after in zip(rows, pictures, loaded.mailboxes, strict=True):
            if typed[before.email] == 1:  # identical addresses share one picture key
                assert (after.avatar is None) == (picture is None)
                if picture is not None:
                    assert after.avatar.read() == picture.read()
                    assert (after.avatar.problem is None) == (picture.problem is None)
        assert {k: a.read() for k, a in loaded.unassigned_avatars.items()} == {
            k: a.read() for k, a in order.unassigned_avatars.items()
        }
        for attribute in (
            "name",
            "notes",
            "user_id",
            "provider",
            "google",
            "confirm",
            "auto_renew",
        ):
            assert getattr(loaded, attribute) == getattr(order, attribute)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | anything,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(anything, inner, max_size=4),
    max_leaves=20,
)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "version": json_values,
        "domains": st.lists(
            st.dictionaries(st.sampled_from(["domain", "years", "maskForwarding"]), json_values)
        ),
        "mailboxes": st.dictionaries(anything, st.lists(json_values, max_size=3), max_size=3),
        "avatars": st.dictionaries(anything, json_values, max_size=3),
        "google": json_values,
        "confirm": json_values,
        "serviceProvider": json_values,
    },
)


@settings(max_examples=80, deadline=None)
@given(st.one_of(json_values, shaped))
def test_any_json_either_loads_or_is_one_sentence(document):
    with tempfile.TemporaryDirectory() as folder:
        path = write_zip(Path(folder, "x.cmrorder"), {"order.json": json.dumps(document)})
        try:
            order = load(path)
        except DraftError as exc:
            assert str(exc).endswith(".") and "\n" not in str(exc)
        else:
            save(order, Path(folder, "y.cmrorder"))  # whatever loads also saves


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 290))
def test_damaged_zip_files_are_one_sentence(noise, at):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "x.cmrorder")
        good = write_zip(
            path, {"order.json": '{"domains": [{"domain": "a.com"}]}'}, zipfile.ZIP_DEFLATED
        )
        data = good.read_bytes()
        path.write_bytes(data[:at] + noise + data[at + len(noise) :])
        try:
            load(path)
        except DraftError as exc:
            assert str(exc).endswith(".")


# --- CSV -----------------------------------------------------------------------------------

# Cells are trimmed on import, and a file holding NUL is refused as not text.
cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
).map(str.strip)
csv_years = st.one_of(
    st.integers(0, 99_999), cell.filter(lambda t: t != "" and not (t.isascii() and t.isdigit()))
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.builds(DomainEntry, cell, csv_years, cell, st.booleans()), max_size=6),
    st.lists(
        st.builds(Mailbox, cell, cell, cell, cell).filter(lambda m: any(fields(m))), max_size=6
    ),
)
def test_csv_export_then_import_is_the_identity(domains, mailboxes):
    order = Order(domains=domains, mailboxes=mailboxes)
    with tempfile.TemporaryDirectory() as folder:
        write_domains(order, Path(folder, "d.csv"))
        write_mailboxes(order, Path(folder, "m.csv"))
        assert read_domains(Path(folder, "d.csv")) == domains
        assert read_mailboxes(Path(folder, "m.csv")) == mailboxes
