"""The seed's RDF compared as a graph (isomorphism) with a reviewed golden file.

Run `pytest tests/kg/test_golden_rdf.py --update-golden` after an intended change and review
the diff of tests/golden/itplr-48.nq before committing it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from kg.build import build_protocol
from kg.iris import Minter
from kg.terms import to_nquads
from loaders.protocol import parse_protocol
from loaders.read import read_source
from tests.conftest import SEED

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "itplr-48.nq"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def seed_nquads() -> str:
    source = read_source(SEED)
    _, quads = build_protocol(parse_protocol(source), Minter("https://w3id.org/beschlussgraph/id/"),
                              sha256=source.sha256, stem=SEED.stem, loaded_at=FIXED)
    return "".join(sorted(to_nquads(quads).splitlines(keepends=True)))


def as_graph(nquads: str) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(data=nquads, format="nquads")
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def test_seed_graph_matches_golden(update_golden: bool):
    current = seed_nquads()
    if update_golden or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(current, encoding="utf-8")
    expected = to_isomorphic(as_graph(GOLDEN.read_text(encoding="utf-8")))
    actual = to_isomorphic(as_graph(current))
    if actual != expected:
        _, only_actual, only_expected = graph_diff(actual, expected)
        extra = sorted(str(t) for t in only_actual)[:10]
        missing = sorted(str(t) for t in only_expected)[:10]
        raise AssertionError(f"RDF differs from {GOLDEN.name}\nnew: {extra}\nmissing: {missing}")


def test_golden_states_the_contract():
    """Spot checks on the reviewed golden file itself, so a careless --update-golden that
    breaks the contract still fails."""
    g = as_graph(GOLDEN.read_text(encoding="utf-8"))
    base = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/"
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    r33 = rdflib.URIRef(base + "2025/33")
    assert (r33, eli.repeals, rdflib.URIRef(base + "2025/02/ziffer/3")) in g
    assert (r33, eli.id_local, rdflib.Literal("2025/33")) in g
    assert (rdflib.URIRef(base + "2025/39"), eli.repeals, rdflib.URIRef(base + "2022/43")) in g
    p21 = rdflib.URIRef(base + "2025/46/ziffer/2.1")
    assert (p21, eli.number, rdflib.Literal("2.1")) in g
    assert (p21, eli.is_part_of, rdflib.URIRef(base + "2025/46")) in g
    al = rdflib.URIRef("https://w3id.org/beschlussgraph/id/eli/itplr-al/beschluss/2025/09")
    assert (al, eli.id_local, rdflib.Literal("2025/09-AL")) in g
    fu = rdflib.URIRef("https://w3id.org/beschlussgraph/id/eli/itplr/follow-up/2025/03")
    assert (fu, eli.id_local, rdflib.Literal("F-2025/03")) in g
    eu = rdflib.URIRef("http://data.europa.eu/eli/reg/2024/903/oj")
    assert (rdflib.URIRef(base + "2025/42"), eli.cites, eu) in g
