"""The one-scan-per-rule matcher of the text links finds exactly what searching every rule in
every text finds, on the texts of the seed and the register, for both curated rule files."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.document_index import DocumentIndex
from kg.ingest import build_document
from kg.iris import Minter
from kg.links import (
    LINKS_DIR,
    _matches,
    _necessary_words,
    _resolution_texts,
    read_curated_rules,
)
from kg.settings import SAMPLES_DIR

from .conftest import BASE, SEED


@pytest.mark.parametrize("document", [SEED, SAMPLES_DIR / "itplr-register"])
@pytest.mark.parametrize(("rules_file", "column"), [("eurovoc_mapping.csv", "concept_uri"),
                                                   ("eif_cues.csv", "eif_id")])
def test_matches_equal_a_search_of_every_rule_in_every_text(document, rules_file, column):
    built = build_document(document, Minter(BASE), dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    texts = _resolution_texts(DocumentIndex(built.quads))
    rules = read_curated_rules(LINKS_DIR / rules_file, column)
    naive = [(i, k, m.group(0)) for i, field in enumerate(texts)
             for k, rule in enumerate(rules) if (m := rule.pattern.search(field.text))]
    assert _matches(texts, rules) == naive
    assert len(naive) >= 2  # both documents name subjects and EIF principles


@pytest.mark.parametrize(("pattern", "words"), [
    # one word per alternative
    (r"\bozg\b|onlinezugang\w*", ("ozg", "onlinezugang")),
    # the engine factors a common prefix out of the alternatives: that prefix is the word
    (r"informationsfreiheit\w*|informationszugang\w*", ("informations",)),
    # a prefix too short to filter with: the words of the alternatives after it
    (r"länderverwaltung\w*|landesverwaltung\w*", ("änderverwaltung", "andesverwaltung")),
    # the longest run of plain characters; a character class ends a run
    (r"open[- ]source\w*", ("source",)),
    # a group the pattern cannot match without
    (r"\bkommun(en|al\w*)\b", ("kommun",)),
    # an alternative with no word of three characters: every text is searched
    (r"\bki\b|künstliche\w* intelligenz", None),
    # an optional group gives no word (the pattern matches without it)
    (r"\b(foo)?ab\b", None),
])
def test_necessary_words(pattern: str, words: tuple[str, ...] | None) -> None:
    assert _necessary_words(pattern) == words
