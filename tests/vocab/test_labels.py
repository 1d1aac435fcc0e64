"""Every node a resolution refers to has a kind and a human label in German and English
(issue 12, item 7), on the bundled data (protocol of the 48th session and the register).

Before: the cited Art. 3 of Regulation (EU) 2024/903 was a German "law" labelled "oj" in the
dependency graph, unloaded resolutions and other bodies' decisions had no label at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.analysis.projection import project
from kg.citations import (
    eu_act_labels,
    external_decision_labels,
    law_labels,
    point_labels,
    resolution_labels,
)
from kg.settings import SAMPLES_DIR, Settings
from kg.store import OxigraphStore, StoreDirectory

BASE = "https://w3id.org/beschlussgraph/id/"
BG = "https://w3id.org/beschlussgraph/ontology#"
ART_3 = "http://data.europa.eu/eli/reg/2024/903/art_3/oj"
PREFIXES = f"""PREFIX bg: <{BG}> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
REFERENCE_PROPERTIES = ("eli:cites eli:repeals eli:amends eli:changes bg:implements bg:continues "
                        "bg:replaces bg:basedOn bg:extends bg:repealsPartOf bg:amendsPartOf "
                        "bg:cited bg:targetPoint bg:source")
KINDS = {BG + k for k in ("Resolution", "ResolutionPoint", "ExternalDecision", "EUAct",
                          "EUActArticle", "GermanLaw", "RulesOfProcedure")}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    from kg.loading import load_paths

    root = tmp_path_factory.mktemp("labels-store")
    report = load_paths([SAMPLES_DIR], Settings(store=root, base_iri=BASE))
    assert report.ok, report.failed
    store = StoreDirectory(root).open_read_only()
    yield store
    store.close()


def _v(term: object) -> str:
    return str(getattr(term, "value", term))


def _labels(store: OxigraphStore, iri: str) -> dict[str, set[str]]:
    rows = store.select(PREFIXES + "SELECT DISTINCT ?l (LANG(?l) AS ?lang) WHERE { "
                        f"<{iri}> rdfs:label ?l }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(_v(row["lang"]), set()).add(_v(row["l"]))
    return found


def test_every_reference_target_has_a_kind_and_one_label_per_language(
        samples: OxigraphStore) -> None:
    rows = samples.select(PREFIXES + f"""
        SELECT DISTINCT ?o WHERE {{ VALUES ?p {{ {REFERENCE_PROPERTIES} }} ?s ?p ?o }}""")
    targets = sorted(_v(row["o"]) for row in rows)
    assert len(targets) == 56
    problems = []
    for target in targets:
        types = {_v(r["t"]) for r in samples.select(f"SELECT ?t WHERE {{ <{target}> a ?t }}")}
        labels = _labels(samples, target)
        if not types & KINDS:
            problems.append(f"{target}: no known kind ({sorted(types)})")
        for lang in ("de", "en"):
            if len(labels.get(lang, ())) != 1:
                problems.append(f"{target}: {lang} labels {sorted(labels.get(lang, ()))}")
    assert problems == []


@pytest.mark.parametrize(("iri", "kind", "de", "en"), [
    # protocol: "… gemäß Verordnung (EU) 2024/903, Art. 3 …" (B-2025/34-IT)
    (ART_3, "EUActArticle", "Verordnung (EU) 2024/903, Art. 3",
     "Regulation (EU) 2024/903, Art. 3"),
    ("http://data.europa.eu/eli/reg/2024/903/oj", "EUAct", "Verordnung (EU) 2024/903",
     "Regulation (EU) 2024/903"),
    # register title "Umsetzung der Richtlinie 2014/55/EU" (before 2015: "Directive 2014/55/EU")
    ("http://data.europa.eu/eli/dir/2014/55/oj", "EUAct", "Richtlinie 2014/55/EU",
     "Directive 2014/55/EU"),
    # protocol L1349: "In Umsetzung des Beschlusses von Digitalministerkonferenz (DMK 2024/10/15)"
    (BASE + "beschluss/dmk/2024-10-15", "ExternalDecision",
     "Beschluss der Digitalministerkonferenz (DMK 2024/10/15)",
     "Decision of the Conference of Digital Ministers (DMK 2024/10/15)"),
    (BASE + "gesetz/ozg", "GermanLaw", "Onlinezugangsgesetz (OZG)", "Online Access Act (OZG)"),
    (BASE + "gesetz/hwo", "GermanLaw", "Handwerksordnung (HwO)", "Crafts Code (HwO)"),
    (BASE + "gesetz/go-it-plr", "RulesOfProcedure",
     "Geschäftsordnung des IT-Planungsrats (GO IT-PLR)",
     "Rules of Procedure of the IT Planning Council (GO IT-PLR)"),
    # cited, never loaded: labelled by number
    (BASE + "eli/itplr/beschluss/2015/02", "CouncilResolution", "Beschluss 2015/02",
     "Resolution 2015/02"),
    (BASE + "eli/itplr-al/beschluss/2025/09", "ALRundeDecision",
     "Beschluss der AL-Runde 2025/09-AL", "AL-Runde decision 2025/09-AL"),
    # loaded from the register: the German label keeps "id: title"
    (BASE + "eli/itplr/beschluss/2021/05", "CouncilResolution",
     "2021/05: Registermodernisierung", "Resolution 2021/05"),
    # B-2025/39-IT repeals 2022/43; its points are cited point by point
    (BASE + "eli/itplr/beschluss/2022/14/ziffer/5", "ResolutionPoint", "2022/14 Ziffer 5",
     "2022/14 point 5"),
])
def test_labels_of_the_bundled_data(samples: OxigraphStore, iri: str, kind: str, de: str,
                                    en: str) -> None:
    assert samples.ask(f"ASK {{ <{iri}> a <{BG}{kind}> }}")
    assert _labels(samples, iri) == {"de": {de}, "en": {en}}


def test_the_article_is_no_law_in_the_dependency_graph(samples: OxigraphStore) -> None:
    graph = project(samples).graph
    article = graph.nodes[ART_3]
    assert (article["kind"], article["label"]) == ("eu_act", "Verordnung (EU) 2024/903, Art. 3")
    laws = sorted(d["label"] for _, d in graph.nodes(data=True) if d["kind"] == "law")
    assert "oj" not in laws
    assert all(not n.startswith("http://data.europa.eu/") for n, d in graph.nodes(data=True)
               if d["kind"] == "law")


def test_citation_forms() -> None:
    assert eu_act_labels("reg", 2014, "910") == ("Verordnung (EU) Nr. 910/2014",
                                                 "Regulation (EU) No 910/2014")
    assert eu_act_labels("dir", 2022, "2555") == ("Richtlinie (EU) 2022/2555",
                                                  "Directive (EU) 2022/2555")
    assert law_labels("IT-Staatsvertrag") == ("IT-Staatsvertrag",
                                              "IT State Treaty (IT-Staatsvertrag)")
    assert law_labels("XYZG") == ("XYZG", "XYZG")  # unknown: the abbreviation as cited
    assert external_decision_labels("IMK 2024/12") == ("Beschluss IMK 2024/12",
                                                       "Decision IMK 2024/12")
    assert resolution_labels("F-2025/03") == ("Follow-up F-2025/03", "Follow-up F-2025/03")
    assert point_labels("2025/02", "3") == ("2025/02 Ziffer 3", "2025/02 point 3")


def test_a_resolution_loaded_later_loses_the_label_by_number(tmp_path: Path) -> None:
    """The links graph labels only what no document describes: load the protocol (which cites
    2021/05 without describing it), then the register (which describes it)."""
    from kg.loading import load_paths

    settings = Settings(store=tmp_path / "store", base_iri=BASE)
    cited = BASE + "eli/itplr/beschluss/2023/22"
    assert load_paths([SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"], settings).ok
    store = StoreDirectory(settings.store).open_read_only()
    before = _labels(store, cited)
    store.close()
    assert load_paths([SAMPLES_DIR / "itplr-register"], settings).ok
    store = StoreDirectory(settings.store).open_read_only()
    after = _labels(store, cited)
    store.close()
    assert before == {"de": {"Beschluss 2023/22"}, "en": {"Resolution 2023/22"}}
    assert after == {"de": {"2023/22: Registermodernisierung"}, "en": {"Resolution 2023/22"}}
