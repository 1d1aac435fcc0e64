"""Which nodes and edges a graph view holds (kg/graphs/views.py)."""

from __future__ import annotations

from kg.analysis.projection import Projection
from kg.graphs.views import all_view, chain_view, neighbourhood, session_view, timeline_view

from .conftest import BASE, RES


def ids(proj: Projection, nodes: list[str], kind: str) -> set[str]:
    return {proj.label(n) for n in nodes if proj.node(n).get("kind") == kind}


def test_neighbourhood_one_hop(proj: Projection) -> None:
    view = neighbourhood(proj, RES + "2022/43", 1)
    assert ids(proj, view.nodes, "resolution") == {"2022/43", "2024/01", "2025/01", "2025/39"}
    assert ids(proj, view.nodes, "session") == {"48. Sitzung"}  # 2025/39's session, a leaf
    # the IT-Planungsrat passes everything: it is not drawn as a hub
    assert BASE + "gremium/it-planungsrat" not in view.nodes
    edges = {(proj.label(e.source), e.relation, proj.label(e.target)) for e in view.edges}
    assert ("2025/39", "repeals", "2022/43") in edges
    assert ("2024/01", "amends", "2022/43 Z. 1") in edges
    # eli:cites is materialised for every reference: never drawn next to the specific arrow
    assert not any(rel == "cites" and s in ("2024/01", "2025/01", "2025/39")
                   for s, rel, _ in edges)


def test_neighbourhood_two_hops_reaches_further(proj: Projection) -> None:
    one = set(neighbourhood(proj, RES + "2022/43", 1).nodes)
    two = neighbourhood(proj, RES + "2022/43", 2)
    assert one < set(two.nodes)
    assert "2024/19" in ids(proj, two.nodes, "resolution")  # via 2025/01


def test_points_folded_when_not_shown(proj: Projection) -> None:
    view = neighbourhood(proj, RES + "2025/02", 1, points=False)
    edge = next(e for e in view.edges if proj.label(e.source) == "2025/33"
                and e.relation == "repeals")
    assert (proj.label(edge.target), edge.points) == ("2025/02", ("3",))


def test_session_view(proj: Projection) -> None:
    view = session_view(proj, 48)
    resolutions = ids(proj, view.nodes, "resolution")
    assert {f"2025/{n}" for n in range(31, 53)} <= resolutions  # its 22 resolutions
    assert "2020/58" in resolutions  # a target of its references
    assert sum(1 for e in view.edges if e.relation == "session") == 22


def test_chain_view_is_layered(proj: Projection) -> None:
    view = chain_view(proj, RES + "2026/10")
    assert view.layout == "layered"
    assert ids(proj, view.nodes, "resolution") == {"2025/02", "2025/33", "2026/01", "2026/10",
                                                   "2026/11", "2026/13"}
    assert {e.relation for e in view.edges} >= {"repeals", "replaces", "continues", "amends"}


def test_all_and_timeline(proj: Projection) -> None:
    view = all_view(proj)
    assert len(ids(proj, view.nodes, "resolution")) == len(proj.resolutions())
    points = {proj.label(n) for n in view.nodes if proj.node(n).get("kind") == "point"}
    assert {"2023/44 Z. 2", "2023/44 Z. 3", "2025/02 Z. 3"} <= points  # only changed points
    timeline = timeline_view(proj)
    assert timeline.layout == "timeline"
    assert {e.relation for e in timeline.edges} <= {"replaces", "repeals", "amends",
                                                    "continues", "extends"}
