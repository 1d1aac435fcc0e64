"""Chains say what they are (issue 12, item 5): `kg chains`, /analysis/chains and bg:Chain
name a group without arrows, give every relation with its date, and show a succession (→)
only for a replacement or a repeal of the whole resolution.

Evidence: register references.csv "2024/01,amends,2022/43", "2025/01,amends,2022/43",
"2025/01,amends,2024/19"; seed protocol l. 1088-1092, B-2025/39-IT (26.11.2025): "… und hebt
damit den Beschluss 2022/43 auf"."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from kg.settings import Settings
from kg.store import StoreDirectory

from .conftest import r

PREFIX = "PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>\n" \
         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def test_kg_chains_text(bundled_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chains", "2022/43", "--store", str(bundled_settings.store)]) == 0
    text = capsys.readouterr().out
    assert "Verbundene Beschlüsse 2022/43, 2024/01, 2024/19, 2025/01, 2025/39" in text
    assert "Nachfolge: 2022/43 → 2025/39" in text
    assert "2024/01 ändert 2022/43 Ziffer 1" in text
    assert "2025/01 ändert 2024/19 Ziffer 1, 2" in text
    assert "26.11.2025: 2025/39 hebt auf 2022/43" in text
    assert text.count("→") == 1  # the one succession


def test_kg_chains_json(bundled_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chains", "2022/43", "--json", "--store", str(bundled_settings.store)]) == 0
    [chain] = json.loads(capsys.readouterr().out)
    assert chain["successions"] == [["2022/43", "2025/39"]]
    assert [(lk["source"], lk["relation"], lk["target"], lk["succession"])
            for lk in chain["links"]] == [
        ("2024/01", "amends", "2022/43", False), ("2025/01", "amends", "2022/43", False),
        ("2025/01", "amends", "2024/19", False), ("2025/39", "repeals", "2022/43", True)]
    assert chain["links"][-1]["date"] == "2025-11-26"


def test_chain_in_the_analysis_graph(bundled_settings: Settings) -> None:
    store = StoreDirectory(bundled_settings.store).open_read_only()
    chain = r("2022/43") + "/kette"
    rows = store.select(PREFIX + f"SELECT ?p ?o WHERE {{ GRAPH ?g {{ <{chain}> ?p ?o }} }}")
    got = {(row["p"].value.rsplit("#", 1)[-1], str(row["o"].value if hasattr(row["o"], "value")
                                                    else row["o"])) for row in rows}
    assert ("label", "Verbundene Beschlüsse 2022/43, 2024/01, 2024/19, 2025/01, 2025/39") in got
    assert ("succession", "2022/43 → 2025/39") in got
    assert not any(p == "label" and "→" in o for p, o in got)
    rows = store.select(PREFIX + "SELECT ?a ?b WHERE { ?a bg:succeededBy ?b }")
    pairs = {(row["a"].value, row["b"].value) for row in rows}
    assert (r("2022/43"), r("2025/39")) in pairs
    assert not any(r("2024/19") in pair or r("2024/01") in pair for pair in pairs)
    assert not store.select(PREFIX + "SELECT ?x WHERE { ?x bg:chainPosition ?n } LIMIT 1")

