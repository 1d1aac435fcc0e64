"""`kg export --format turtle|trig` reads well (issue 12, item 10): the project prefixes
(kg.namespaces.PREFIXES) declared once at the top and used in the triples, and the same
dataset as the N-Quads export."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cli.main import main
from kg.namespaces import PREFIXES

R33 = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33"
PROTOCOL_GRAPH = "https://w3id.org/beschlussgraph/id/graph/itplr-48-2025-11-26-protokoll"


def _export(store: Path, tmp_path: Path, fmt: str, *extra: str) -> bytes:
    out = tmp_path / f"dump.{fmt}"
    assert main(["--store", str(store), "export", "--format", fmt, "-o", str(out), *extra]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_prefixes_declared_and_used(seed_store: Path, tmp_path: Path, fmt: str) -> None:
    text = _export(seed_store, tmp_path, fmt).decode()
    head = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert sorted(head) == sorted(f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items())
    # the title of B-2025/33-IT, as the protocol states it, with prefixed names
    assert f'<{R33}> eli:title "Portfoliosteuerung des IT-Planungsrats"@de' in text or (
        'eli:title "Portfoliosteuerung des IT-Planungsrats"@de' in text)
    assert "a bg:CouncilResolution" in text or "a bg:Resolution" in text
    assert "<http://data.europa.eu/eli/ontology#title>" not in text
    assert "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" not in text


def test_trig_is_the_same_dataset_as_nquads(seed_store: Path, tmp_path: Path) -> None:
    trig = _export(seed_store, tmp_path, "trig")
    nquads = _export(seed_store, tmp_path, "nquads")
    assert set(ox.parse(trig, format=ox.RdfFormat.TRIG)) == set(
        ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert f"\n<{PROTOCOL_GRAPH}> {{\n".encode() in trig


def test_turtle_is_the_union_once(seed_store: Path, tmp_path: Path) -> None:
    turtle = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(
        _export(seed_store, tmp_path, "turtle"), format=ox.RdfFormat.TURTLE)}
    nquads = ox.parse(_export(seed_store, tmp_path, "nquads"), format=ox.RdfFormat.N_QUADS)
    assert turtle == {ox.Triple(q.subject, q.predicate, q.object) for q in nquads}


def test_one_graph_as_trig(seed_store: Path, tmp_path: Path) -> None:
    data = _export(seed_store, tmp_path, "trig", "--graph", PROTOCOL_GRAPH)
    graphs = {q.graph_name for q in ox.parse(data, format=ox.RdfFormat.TRIG)}
    assert graphs == {ox.NamedNode(PROTOCOL_GRAPH)}
    assert b"@prefix bg: <https://w3id.org/beschlussgraph/ontology#> ." in data
