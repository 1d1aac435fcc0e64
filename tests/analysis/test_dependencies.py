"""Chains, impact, cycles, most-cited, references to repealed parts and to resolutions not
loaded (kg/analysis/dependencies.py), and mandates on a date (kg/analysis/mandates.py)."""

from __future__ import annotations

import datetime as dt

from kg.analysis import dependencies as deps
from kg.analysis.mandates import by_assignee, mandate_states
from kg.analysis.projection import Projection

from .conftest import r

D = dt.date


def labels(proj: Projection, iris: list[str]) -> list[str]:
    return [proj.label(i) for i in iris]


def links(proj: Projection, chain: deps.Chain) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(proj.label(lk.source), lk.relation, proj.label(lk.target), lk.points)
            for lk in chain.links]


def test_chain_of_2022_43(bundled: Projection) -> None:
    chain = deps.chain_of(bundled, r("2022/43"))
    assert chain is not None
    assert labels(bundled, chain.members) == ["2022/43", "2024/01", "2024/19", "2025/01",
                                              "2025/39"]
    assert links(bundled, chain) == [
        ("2024/01", "amends", "2022/43", ("1",)),
        ("2025/01", "amends", "2022/43", ("1", "2")),
        ("2025/01", "amends", "2024/19", ("1", "2")),
        ("2025/39", "repeals", "2022/43", ()),
    ]
    assert chain.kinds == ["amendment", "repeal"]


def test_all_chains_of_seed_and_register(bundled: Projection) -> None:
    found = {tuple(labels(bundled, c.members)) for c in deps.chains(bundled)}
    assert found == {
        ("2022/43", "2024/01", "2024/19", "2025/01", "2025/39"),
        ("2022/42", "2023/42", "2024/02"),  # extensions (register)
        ("2022/14", "2022/37"),
        ("2022/06", "2023/22"),
        ("2023/44", "2025/03"),
        ("2023/35", "2023/43"),
        ("2025/02", "2025/33"),
    }
    repeal_only = deps.chains(bundled, {"repeal"})
    assert {labels(bundled, c.members)[0] for c in repeal_only} == {"2022/43", "2022/14",
                                                                    "2023/44", "2025/02"}


def test_long_chain_of_the_test_protocols(chained: Projection) -> None:
    chain = deps.chain_of(chained, r("2025/33"))
    assert chain is not None
    assert labels(chained, chain.members) == ["2025/02", "2025/33", "2026/01", "2026/10",
                                              "2026/11", "2026/13"]
    assert links(chained, chain) == [
        ("2025/33", "repeals", "2025/02", ("3",)),
        ("2026/01", "repeals", "2025/33", ("2", "4")),
        ("2026/10", "replaces", "2026/01", ()),
        ("2026/11", "continues", "2025/33", ()),
        ("2026/13", "amends", "2025/33", ("4",)),
    ]
    assert chain.kinds == ["amendment", "continuation", "repeal", "replacement"]
    other = deps.chain_of(chained, r("2026/02"))
    assert other is not None and links(chained, other) == [
        ("2026/02", "continues", "2025/40", ()), ("2026/12", "amends", "2026/02", ("1",))]


def test_impact_of_repealing(chained: Projection) -> None:
    result = deps.impact(chained, r("2025/33"))
    assert [(chained.label(d.iri), d.depth, d.relation) for d in result.dependents] == [
        ("2026/11", 1, "continues"), ("2026/13", 1, "amends")]
    # 2026/01 repeals part of 2025/33: it changes 2025/33 and does not depend on it
    assert r("2026/01") not in {d.iri for d in result.dependents}
    assert len(result.points) == 5
    assert len(result.mandates) == 4
    assert [(chained.label(lk.target), lk.points) for lk in result.changes] == [
        ("2025/02", ("3",))]


def test_impact_is_transitive(bundled: Projection) -> None:
    result = deps.impact(bundled, r("2021/05"))
    assert [(bundled.label(d.iri), d.depth, bundled.label(d.via)) for d in result.dependents] \
        == [("2021/25", 1, "2021/05"), ("2021/35", 2, "2021/25")]
    assert deps.impact(bundled, r("2021/05"), max_depth=1).dependents[0].iri == r("2021/25")
    assert len(deps.impact(bundled, r("2021/05"), max_depth=1).dependents) == 1


def test_cycles(handmade: Projection, bundled: Projection) -> None:
    found = deps.cycles(handmade)
    assert len(found) == 1
    assert labels(handmade, found[0].members) == ["2030/10", "2030/11"]
    assert {(handmade.label(u), rel) for u, _, rel in found[0].links} == {
        ("2030/10", "cites"), ("2030/11", "based_on")}
    assert deps.cycles(bundled) == []


def test_most_cited(bundled: Projection) -> None:
    top = deps.most_cited(bundled, 3)
    assert (bundled.label(top[0].iri), top[0].count) == ("2022/43", 3)
    assert labels(bundled, top[0].citing) == ["2024/01", "2025/01", "2025/39"]
    assert (bundled.label(top[1].iri), top[1].count) == ("2023/35", 2)


def test_references_to_repealed_points(chained: Projection) -> None:
    stale = deps.stale_references(chained, D(2026, 7, 1))
    first = stale[0]
    # B-2026/13-IT amends point 4 of 2025/33 three months after B-2026/01-IT repealed it
    assert (chained.label(first.citing), chained.label(first.target), first.relation,
            first.target_state, labels(chained, first.ended_by), first.ended_on,
            first.after_end) == ("2026/13", "2025/33 Z. 4", "amends", "repealed", ["2026/01"],
                                 D(2026, 3, 25), True)
    earlier = {(chained.label(s.citing), chained.label(s.target)) for s in stale[1:]}
    assert ("2024/01", "2022/43 Z. 1") in earlier  # amended before 2025/39 repealed 2022/43
    assert all(not s.after_end for s in stale[1:])


def test_references_to_resolutions_not_loaded(bundled: Projection) -> None:
    unloaded = {bundled.label(u.iri): [(bundled.label(a), rel) for a, rel in u.citing]
                for u in deps.unloaded_references(bundled)}
    assert unloaded["2022/43"] == [("2024/01", "amends"), ("2025/01", "amends"),
                                   ("2025/39", "repeals")]
    assert unloaded["2023/44"] == [("2025/03", "repeals")]
    assert unloaded["2020/58"] == [("2025/33", "based_on")]
    assert unloaded["2025/06"] == [("2025/44", "implements")]
    assert "2025/33" not in unloaded and "2025/02" not in unloaded  # both in the register


def test_mandates_on_a_date(chained: Projection) -> None:
    states = {(chained.label(m.mandate.resolution), m.mandate.point.rsplit("/", 1)[1]
               if m.mandate.point else None): m for m in mandate_states(chained, D(2026, 7, 1))}
    # points 2 and 4 of 2025/33 are repealed: their mandates lapsed
    assert states[("2025/33", "2")].state == "lapsed"
    assert states[("2025/33", "4")].state == "lapsed"
    # 2026/01 was replaced on 24.06.2026
    assert states[("2026/01", "2")].state == "lapsed"
    assert states[("2026/03", "2")].state == "overdue"  # "bis zum 31.05.2026"
    assert states[("2026/03", "2")].deadline == D(2026, 5, 31)
    assert states[("2026/10", "1")].state == "open"  # "bis zum 31.12.2026"
    due = {k: m.state for k, m in ((k, m) for k, m in states.items())
           if m.state == "due"}
    assert due == {}  # nothing falls due in July 2026
    june = {(chained.label(m.mandate.resolution), m.state)
            for m in mandate_states(chained, D(2026, 6, 10))}
    assert ("2026/02", "due") in june  # RegMo-Koordinatoren report by 30.06.2026
    assert ("2026/10", "not_yet_issued") in june


def test_mandates_per_assignee(handmade: Projection) -> None:
    grouped = by_assignee(handmade, mandate_states(handmade, D(2030, 8, 1)))
    assert {k: sorted(v) for k, v in grouped.items()} == {"fitko": ["due", "lapsed"]}
    later = by_assignee(handmade, mandate_states(handmade, D(2030, 9, 1)))
    assert sorted(later["fitko"]) == ["lapsed", "overdue"]
    before = mandate_states(handmade, D(2030, 6, 1))
    assert sorted(m.state for m in before) == ["lapsed", "not_yet_issued"]


def test_group_of_2022_43_is_no_succession(bundled: Projection) -> None:
    """Issue 12, item 5: the group 2022/43, 2024/01, 2024/19, 2025/01, 2025/39 is no sequence.
    Register references.csv: "2024/01,amends,2022/43,Nummer 1 (Nummer 13 angefügt)",
    "2025/01,amends,2022/43,Nummer 1, Nummer 2 neu gefasst", "2025/01,amends,2024/19,…";
    seed protocol l. 1088-1092: B-2025/39-IT "ernennt und bestätigt … fachpolitische Sprecher …
    und hebt damit den Beschluss 2022/43 auf" (26.11.2025). Only the last is a succession."""
    chain = deps.chain_of(bundled, r("2022/43"))
    assert chain is not None
    assert chain.successions == [[r("2022/43"), r("2025/39")]]
    assert [deps.succession_label(bundled, line) for line in chain.successions] == [
        "2022/43 → 2025/39"]
    assert deps.group_label(bundled, chain) == \
        "Verbundene Beschlüsse 2022/43, 2024/01, 2024/19, 2025/01, 2025/39"
    assert [deps.is_succession(lk) for lk in chain.links] == [False, False, False, True]
    assert deps.link_text(bundled, chain.links[-1]) == "26.11.2025: 2025/39 hebt auf 2022/43"
    # 2024/19 is a resolution of its own that 2025/01 amends: no line leads through it
    assert all(r("2024/19") not in line for line in chain.successions)


def test_successions_of_the_test_protocols(chained: Projection) -> None:
    # itplr-50: "Der Beschluss 2026/01 wird durch diesen Beschluss ersetzt." (B-2026/10-IT);
    # the repeals of 2025/02 Ziffer 3 and 2025/33 Ziffer 2, 4 are partial: no succession
    chain = deps.chain_of(chained, r("2025/33"))
    assert chain is not None
    assert [deps.succession_label(chained, line) for line in chain.successions] == [
        "2026/01 → 2026/10"]
