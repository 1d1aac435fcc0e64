"""Any text yields valid RDF or a typed LoaderError — never a crash, never broken N-Quads."""

from __future__ import annotations

import pyoxigraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import build_protocol
from kg.iris import Minter
from kg.terms import to_nquads
from loaders.protocol import parse_protocol
from loaders.read import SourceText
from loaders.records import LoaderError
from tests.conftest import SEED

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
MINTER = Minter("https://w3id.org/beschlussgraph/id/")


def check(lines: list[str]) -> None:
    source = SourceText("fuzz.txt", SEED, lines, None, "0" * 64, "txt")
    try:
        protocol = parse_protocol(source)
    except LoaderError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    _, quads = build_protocol(protocol, MINTER, sha256="0" * 64, stem="fuzz")
    # pyoxigraph's strict parser is the judge of validity
    parsed = list(pyoxigraph.parse(to_nquads(quads).encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(parsed) == len(quads)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=80), max_size=40))
def test_arbitrary_lines(lines):
    check(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_seed(data):
    """Delete, duplicate and garble lines of the real protocol."""
    lines = list(SEED_LINES)
    for _ in range(data.draw(st.integers(0, 25))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "garble", "truncate"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "garble":
            lines[i] = data.draw(st.text(max_size=60))
        else:
            lines[i] = lines[i][: len(lines[i]) // 2]
    check(lines)
