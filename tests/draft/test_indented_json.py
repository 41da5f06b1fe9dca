"""The draft's faster ``order.json`` text is ``json.dumps(indent=2)``'s, character for character."""

from __future__ import annotations

import json
from enum import IntEnum

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.draft.indented_json import dumps

# Any text, lone surrogates and control characters included.
text = st.text(st.characters(blacklist_categories=()), max_size=10)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), text)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=30,
)


@given(documents, st.booleans())
def test_the_same_text_as_the_standard_library(document, ensure_ascii):
    assert dumps(document, ensure_ascii) == json.dumps(
        document, ensure_ascii=ensure_ascii, indent=2
    )


class Years(IntEnum):
    ONE = 1


def test_what_it_does_not_know_is_left_to_the_standard_library():
    # Tuples, keys that are not text and subclasses of int are written as json.dumps writes them.
    document = {"a": (1, 2), "b": {1: True, None: [Years.ONE]}, "c": [{}, []]}
    assert dumps(document, False) == json.dumps(document, indent=2)


def test_a_draft_document_keeps_its_text():
    document = {
        "format": "cmrorder",
        "name": "Zoë's order \u2028",
        "domains": [{"domain": "bücher.de", "years": 1, "maskForwarding": False}],
        "mailboxes": {"bücher.de": [{"username": "ann", "firstName": "Ann", "lastName": ""}]},
        "avatars": {},
        "notes": "",
    }
    for ensure_ascii in (False, True):
        assert dumps(document, ensure_ascii) == json.dumps(
            document, ensure_ascii=ensure_ascii, indent=2
        )
