"""Status as dated facts (issue 12, item 2): the analysis graph states one bg:StatusEvent per
change, and the named query `in-force-on-date` reads the standing on ANY date from those
events, equal to `kg status --on` for every resolution of the chain store."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli.main import main
from kg.analysis.events import all_events
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.analysis.vocab import STATE_IRIS
from kg.settings import Settings
from kg.store import StoreDirectory
from kg.terms import IRI
from queries.catalogue import load_catalogue

from .conftest import r

# before the register's first decisions, the 48th session (26.11.2025), between sessions 49
# (25.03.2026) and 50 (24.06.2026), after 2026/11's term (30.06.2027), load day
DATES = [dt.date(2010, 1, 1), dt.date(2024, 1, 1), dt.date(2025, 11, 26), dt.date(2026, 1, 1),
         dt.date(2026, 4, 1), dt.date(2027, 1, 1), dt.date(2027, 7, 1), dt.date.today()]
PREFIX = "PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>\n"


def _query_states(store: object, on: dt.date) -> dict[str, str]:
    query = load_catalogue().get("in-force-on-date")
    rows = store.select(  # type: ignore[attr-defined]
        query.bound_text(query.bind({"date": on.isoformat(), "all": "true"})))
    states: dict[str, str] = {}
    for row in rows:
        assert states.setdefault(row["resolution"].value, row["state"].value) == \
            row["state"].value, row  # one state per resolution
    return states


@pytest.mark.parametrize("on", DATES, ids=str)
def test_named_query_equals_kg_status_for_every_resolution(
        chained: Projection, chain_settings: Settings, on: dt.date) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    got = _query_states(store, on)
    index = StatusIndex(chained)
    expected = {iri: STATE_IRIS[index.resolution(iri, on).state].value
                for iri in chained.resolutions()}
    assert len(expected) >= 130
    assert got == expected


@pytest.mark.parametrize(("rid", "on", "state"), [
    # tests/analysis/protocols/itplr-50: "Der Beschluss 2026/01 wird durch diesen Beschluss
    # ersetzt." (B-2026/10-IT, 24.06.2026)
    ("2026/01", dt.date(2026, 6, 23), "in_force"),
    ("2026/01", dt.date(2026, 6, 24), "replaced"),
    # itplr-50: "In Fortführung des Beschlusses 2025/33 setzt der erweiterte Steuerungskreis
    # seine Arbeit bis maximal zum 30.06.2027 fort." (B-2026/11-IT): in force through that day
    ("2026/11", dt.date(2027, 6, 30), "in_force"),
    ("2026/11", dt.date(2027, 7, 1), "expired"),
    # seed protocol line 1092: B-2025/39-IT "hebt damit den Beschluss 2022/43 auf" (26.11.2025)
    ("2022/43", dt.date(2025, 11, 25), "amended"),
    ("2022/43", dt.date(2025, 11, 26), "repealed"),
    ("2025/39", dt.date(2025, 11, 25), "not_yet_in_force"),
])
def test_kg_status_on_dates(chain_settings: Settings, capsys: pytest.CaptureFixture[str],
                            rid: str, on: dt.date, state: str) -> None:
    assert main(["status", rid, "--on", on.isoformat(), "--json",
                 "--store", str(chain_settings.store)]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == state
    store = StoreDirectory(chain_settings.store).open_read_only()
    assert _query_states(store, on)[r(rid)] == STATE_IRIS[state].value  # type: ignore[index]


def test_events_in_the_analysis_graph(chain_settings: Settings) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    rows = store.select(PREFIX + """
        SELECT ?kind ?date ?by ?x WHERE { GRAPH ?g {
          ?e a bg:StatusEvent ; bg:affects ?x ; bg:eventKind ?kind ; bg:eventDate ?date .
          OPTIONAL { ?e bg:actingResolution ?by } } }""", substitutions={"x": _iri(r("2026/01"))})
    got = {(row["kind"].value.rsplit("#")[-1], str(row["date"]),
            row["by"].value if row["by"] else None) for row in rows}
    # itplr-49 (25.03.2026) adopts 2026/01; itplr-50 (24.06.2026): 2026/10 replaces it
    assert got == {("Adoption", "2026-03-25", None),
                   ("Replacement", "2026-06-24", r("2026/10"))}
    # the point-level event: 2026/01 repeals points 2 and 4 of 2025/33 (itplr-49)
    rows = store.select(PREFIX + """
        SELECT ?x ?by WHERE { ?e a bg:StatusEvent ; bg:eventKind bg:Repeal ; bg:affects ?x ;
                             bg:actingResolution ?by }""", substitutions={"by": _iri(r("2026/01"))})
    assert {row["x"].value for row in rows} == {r("2025/33") + "/ziffer/2",
                                                r("2025/33") + "/ziffer/4"}


def test_expiry_event_is_the_day_after_the_term(chained: Projection) -> None:
    # itplr-50: "bis maximal zum 30.06.2027" -> expired from 01.07.2027
    expiry = [e for e in all_events(chained) if e.affects == r("2026/11") and e.kind == "expiry"]
    assert [e.date for e in expiry] == [dt.date(2027, 7, 1)]


def _iri(value: str) -> IRI:
    return IRI(value)
