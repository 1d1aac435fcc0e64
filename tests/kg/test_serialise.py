"""The N-Quads the parsing processes write as text read back as the very terms they were
written from: escapes, language tags, datatypes, duplicates; and what is not an IRI is
refused as before the writer produced text."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from kg.store import OxigraphStore, serialise_quads, triple_lines
from kg.store.convert import to_ox
from kg.terms import IRI, Literal, de, lit

G = IRI("https://w3id.org/beschlussgraph/id/graph/itplr-48")
R = IRI("https://w3id.org/beschlussgraph/id/beschluss/2025/33")
P = IRI("https://w3id.org/beschlussgraph/ontology#text")

QUADS = [
    # quotes, a backslash, a line break and a tab inside a protocol text
    (R, P, Literal('Der IT-Planungsrat "beschließt"\\ a\nb\tc'), G),
    # a control character that must be written as \u0001
    (R, P, Literal("x\x01y"), G),
    # German text with a language tag
    (R, P, de("Länder und Kommunen"), G),
    # typed values
    (R, P, lit(dt.date(2025, 11, 26)), G),
    (R, P, lit(33), G),
    # the same quad twice is written once
    (R, P, lit(33), G),
    # an IRI object
    (R, IRI("http://data.europa.eu/eli/ontology#cites"),
     IRI("https://w3id.org/beschlussgraph/id/beschluss/2022/43"), G),
]


def test_text_reads_back_as_the_terms_it_was_written_from() -> None:
    nquads, union, count = serialise_quads(QUADS)
    expected = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g.value))
                for s, p, o, g in QUADS}
    assert set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)) == expected
    assert count == 6 == nquads.count(b"\n")
    assert {q.triple for q in ox.parse(union, format=ox.RdfFormat.N_TRIPLES)} \
        == {q.triple for q in expected}
    assert b'\\"beschlie\xc3\x9ft\\"\\\\ a\\nb\\tc' in nquads
    assert b"x\\u0001y" in nquads


def test_what_is_not_an_iri_is_refused() -> None:
    with pytest.raises(ValueError):
        serialise_quads([(R, P, IRI("not an iri"), G)])


def test_a_graph_written_as_lines_holds_the_same_triples_as_one_written_as_quads() -> None:
    lines = triple_lines(QUADS, G)
    assert len(lines) == 6  # the quad given twice is one line
    by_lines, by_quads = OxigraphStore.in_memory(), OxigraphStore.in_memory()
    by_lines.replace_graph_lines(G, lines)
    by_quads.replace_graph(G, QUADS)
    assert set(by_lines.graph_quads(G)) == set(by_quads.graph_quads(G))
    assert len(by_lines.graph_quads(G)) == 6


@pytest.mark.parametrize(("quad", "message"), [
    # a quad of another graph
    ((R, P, lit(1), IRI("https://w3id.org/beschlussgraph/id/graph/other")),
     "1 quads are not in graph"),
    # an object that is not an IRI, refused before anything is written
    ((R, P, IRI("not an iri"), G), "not an iri"),
])
def test_lines_are_refused_for_what_cannot_be_written(quad: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        triple_lines([*QUADS, quad], G)


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 12, 4, 22, 47, 17, tzinfo=dt.UTC),  # UTC: written "Z", as the engine does
    dt.datetime(2026, 12, 4, 22, 47, 17, 120000, tzinfo=dt.UTC),  # fraction without trailing 0
    dt.datetime(2026, 12, 4, 22, 47, 17, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # offset
    dt.datetime(2026, 12, 4, 22, 47, 17),  # no time zone
    dt.date(2025, 11, 26),
    dt.time(9, 30),
    33,
    True,
])
def test_a_typed_value_is_written_as_the_engine_writes_it_back(value: object) -> None:
    store = OxigraphStore.in_memory()
    store.replace_graph(G, [(R, P, lit(value), G)])
    target = ox.NamedNode(G.value)
    assert store._lines_of(store._inner.quads_for_pattern(None, None, None, target), target) \
        == triple_lines([(R, P, lit(value), G)], G)


def test_a_graph_rewritten_with_the_same_instant_changes_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = OxigraphStore.in_memory()
    quads = [(R, P, lit(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)), G), *QUADS[2:4]]
    store.replace_graph(G, quads)
    differences: list[tuple[int, int]] = []
    real = OxigraphStore._apply_difference

    def spy(self: OxigraphStore, graph: IRI, gone: set[str], added: set[str]) -> None:
        differences.append((len(gone), len(added)))
        real(self, graph, gone, added)

    monkeypatch.setattr(OxigraphStore, "_apply_difference", spy)
    store.replace_graph(G, quads)
    assert differences == [(0, 0)]
