"""The trie regex of a name table matches exactly where the flat alternation it replaced
(longest name first) matched, with the same text: the gazetteer and the legal-act gate rely
on it for identical parses."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.patterns import trie_alternation

BOUNDED = r"(?<![\w-])({})(?![\w-])"


def flat(words: set[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(BOUNDED.format(alternation), re.IGNORECASE)


def trie(words: set[str]) -> re.Pattern[str]:
    return re.compile(BOUNDED.format(trie_alternation(words)), re.IGNORECASE)


CASES = [
    # a name and its longer form: the longer one wins where both fit
    ({"ozg", "ozg 2.0"}, "nach dem OZG 2.0 und dem OZG", ["OZG 2.0", "OZG"]),
    # the longer form is cut off by the boundary: back to the shorter one
    ({"bund", "bundesamt"}, "Bundesamts Bund", ["Bund"]),
    # names sharing a prefix, none a prefix of the other
    ({"ag infosic", "ag rabe"}, "die AG RaBe und die AG InfoSic", ["AG RaBe", "AG InfoSic"]),
    # regex metacharacters in names are literal
    ({"it-plr (neu)", "a.b"}, "IT-PLR (neu) und axb", ["IT-PLR (neu)"]),
    # umlauts and ß, matched case-insensitively
    ({"länder", "grüne liste"}, "LÄNDER der Grüne Liste", ["LÄNDER", "Grüne Liste"]),
    # an empty table matches nothing
    (set(), "Bund und Länder", []),
]


@pytest.mark.parametrize(("words", "text", "expected"), CASES)
def test_trie_matches_like_the_sorted_alternation(words: set[str], text: str,
                                                  expected: list[str]) -> None:
    got = [m.group(1) for m in trie(words).finditer(text)] if words else []
    assert got == expected
    if words:
        assert [m.span(1) for m in trie(words).finditer(text)] == [
            m.span(1) for m in flat(words).finditer(text)]


NAME = st.text(alphabet="abBü -.", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(words=st.sets(NAME, min_size=1, max_size=8),
       text=st.text(alphabet="abBü -.x", max_size=40))
def test_trie_equals_flat_alternation_on_any_table(words: set[str], text: str) -> None:
    assert [m.span(1) for m in trie(words).finditer(text)] == [
        m.span(1) for m in flat(words).finditer(text)]
