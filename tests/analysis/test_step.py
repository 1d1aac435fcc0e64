"""The derived graph <base>graph/analyse (kg/analysis/step.py), recomputed after every load,
and the commands `kg status`, `kg impact`, `kg chains`, `kg findings`, `kg mandates`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli.main import main
from kg.analysis.projection import Projection
from kg.analysis.step import analysis_quads
from kg.iris import Minter
from kg.namespaces import BG, RDFS
from kg.pipeline import POST_LOAD_STEPS
from kg.settings import Settings
from kg.store import OxigraphStore, StoreDirectory
from kg.terms import IRI

from .conftest import BASE, TODAY, r

ANALYSE = BASE + "graph/analyse"
PREFIXES = """
PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def test_step_is_registered_after_the_derived_graph() -> None:
    steps = POST_LOAD_STEPS
    assert steps.index("kg.analysis.step:refresh_analysis") > steps.index(
        "kg.derived:refresh_derived_graph")


def test_graph_after_load(bundled_settings: Settings) -> None:
    store = StoreDirectory(bundled_settings.store).open_read_only()
    assert ANALYSE in store.named_graphs()
    rows = store.select(PREFIXES + """
        SELECT ?on WHERE { GRAPH ?g { ?g bg:assessedOn ?on } }""", default_graphs=[ANALYSE],
                        named_graphs=[ANALYSE])
    assert rows and rows[0]["on"] == TODAY.isoformat()
    if TODAY < dt.date(2025, 11, 26):
        pytest.skip("the clock says 2022/43 is not repealed yet")
    rows = store.select(PREFIXES + """
        SELECT ?r ?a ?status ?label ?text ?by WHERE {
          GRAPH ?a { ?r bg:status ?status ; bg:statusExplanation ?text ;
                        bg:statusReason ?reason . ?reason bg:actingResolution ?by .
                     ?status skos:prefLabel ?label FILTER(lang(?label) = "de")
                     FILTER(lang(?text) = "de") } }""",
                        substitutions={"r": IRI(r("2022/43")), "a": IRI(ANALYSE)})
    assert [(str(x["status"]), x["label"], str(x["by"])) for x in rows] == [
        (BG + "Repealed", "aufgehoben", r("2025/39"))]
    assert "aufgehoben durch 2025/39 am 26.11.2025" in rows[0]["text"]


def test_quads_for_a_fixed_date(chained: Projection) -> None:
    minter = Minter(BASE)
    quads = analysis_quads(chained, minter, dt.date(2026, 7, 1))
    assert {q[3].value for q in quads} == {ANALYSE}
    triples = {(s.value, p.value, o.value) for s, p, o, _ in quads}
    assert (r("2026/01"), BG + "status", BG + "Replaced") in triples
    assert (r("2025/33"), BG + "status", BG + "PartiallyRepealed") in triples
    assert (r("2025/33") + "/ziffer/4", BG + "status", BG + "Repealed") in triples
    assert (r("2025/33") + "/ziffer/1", BG + "status", BG + "InForce") in triples
    assert (r("2022/43"), BG + "citedByCount", "3") in triples
    chain = r("2025/02") + "/kette"
    assert (chain, BG + "chainMember", r("2026/10")) in triples
    assert (r("2026/13"), BG + "inChain", chain) in triples
    assert (chain, BG + "chainKind", "replacement") in triples
    stale = r("2026/13") + "/veralteter-verweis/1"
    assert (stale, BG + "cited", r("2025/33") + "/ziffer/4") in triples
    assert (stale, BG + "afterEnd", "true") in triples
    lapsed = r("2025/33") + "/ziffer/2/auftrag/1"
    assert (lapsed, BG + "mandateState", BG + "MandateLapsed") in triples
    labels = {(s, o) for s, p, o in triples if p == RDFS + "comment"}
    reason = r("2025/33") + "/statusgrund/1"
    assert (reason, "Ziffer 2 aufgehoben durch 2026/01 am 25.03.2026") in labels


def test_recompute_does_not_read_its_own_output(chained: Projection) -> None:
    store = OxigraphStore.in_memory()
    minter = Minter(BASE)
    quads = analysis_quads(chained, minter, dt.date(2026, 7, 1))
    store.replace_graph(IRI(ANALYSE), quads)
    from kg.analysis.projection import project

    # what kg.analysis.projection.project relies on to read the union with this graph in it
    assert project(store).graph.number_of_nodes() == 0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_cli_status_json(chain_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--store", str(chain_settings.store), "status", "B-2025/33-IT",
                    "--on", "01.07.2026", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["id"], data["state"], data["on"]) == ("2025/33", "partially_repealed",
                                                       "2026-07-01")
    assert [p["state"] for p in data["points"]] == ["in_force", "repealed", "in_force",
                                                    "repealed", "in_force"]


def test_cli_status_text(chain_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--store", str(chain_settings.store), "status", "2026/01",
                    "--on", "2026-07-01")
    assert code == 0
    assert "ersetzt (Stand 01.07.2026)" in out  # the state on the asked date
    assert "ersetzt durch 2026/10 am 24.06.2026" in out


def test_cli_unknown_id(chain_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--store", str(chain_settings.store), "status", "2099/01"])
    assert code == 1
    assert "no resolution '2099/01'" in capsys.readouterr().err


def test_cli_impact_and_chains(chain_settings: Settings,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--store", str(chain_settings.store), "impact", "2025/33", "--json")
    assert code == 0
    assert [d["id"] for d in json.loads(out)["dependents"]] == ["2026/11", "2026/13"]
    code, out = run(capsys, "--store", str(chain_settings.store), "chains", "--kind",
                    "replacement", "--json")
    assert code == 0
    chains = json.loads(out)
    # register references.csv l. 6 "2023/22,replaces,2022/06": a replacement (issue 12 item 1)
    assert [c["members"][0] for c in chains] == ["2025/02", "2022/06", "2025/31"]
    assert chains[1]["successions"] == [["2022/06", "2023/22"]]
    # itplr-49 l. 67-75: B-2026/03-IT "Der Beschluss 2025/31 wird durch diesen Beschluss
    # ersetzt." ... "einstimmig angenommen": a replacement, so a succession
    assert chains[2]["links"] == [{"source": "2026/03", "relation": "replaces",
                                   "target": "2025/31", "points": [], "date": "2026-03-25",
                                   "date_assumed": False, "succession": True}]
    assert chains[2]["successions"] == [["2025/31", "2026/03"]]


def test_cli_findings_and_mandates(chain_settings: Settings,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--store", str(chain_settings.store), "findings", "--on",
                    "2026-07-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["cycles"] == []
    assert data["stale_references"][0]["citing"] == "2026/13"
    cited = {c["id"]: c["count"] for c in data["most_cited"]}
    assert cited["2025/33"] == 3 and cited["2022/43"] == 3  # 2026/01, 2026/11, 2026/13
    code, out = run(capsys, "--store", str(chain_settings.store), "mandates", "--on",
                    "2026-07-01", "--state", "overdue", "--json")
    assert code == 0
    overdue = json.loads(out)["mandates"]
    assert {m["state"] for m in overdue} == {"overdue"}
    assert any(m["resolution_id"] == "2026/03" and m["deadline"] == "2026-05-31"
               for m in overdue)


def test_cli_impact_of_an_already_repealed_resolution(bundled_settings: Settings,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    # 2022/43 was repealed by B-2025/39-IT (protocol l. 1088-1092): no "if it were repealed"
    code, out = run(capsys, "--store", str(bundled_settings.store), "impact", "2022/43")
    assert code == 0
    assert out.startswith("2022/43 ist aufgehoben; was darauf aufbaute")
    code, out = run(capsys, "--store", str(bundled_settings.store), "impact", "2025/33")
    assert out.startswith("Wenn 2025/33 aufgehoben würde")
