"""Status of resolutions and points on a date (kg/analysis/status.py), on the seed and the
register, on the test protocols of sessions 49 and 50, and on hand-written facts."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex

from .conftest import r

D = dt.date


def states(proj: Projection, rid: str, on: dt.date) -> tuple[str, dict[str, str]]:
    iri = proj.lookup(rid)
    status = StatusIndex(proj).resolution(iri, on)
    # `kg status` and `kg impact` index only the resolution asked about: the same answer
    assert StatusIndex(proj, only=[iri]).resolution(iri, on).to_dict() == status.to_dict()
    return status.state, {proj.node(p.iri)["number"]: p.state for p in status.points}


# -- seed protocol + register: the chains named in issue 4 --------------------------------------

@pytest.mark.parametrize(("rid", "on", "state"), [
    ("2022/43", D(2023, 6, 1), "unknown"),  # not loaded, nothing has changed it yet
    ("2022/43", D(2024, 6, 1), "amended"),  # point 1 amended by 2024/01 (year only known)
    ("2022/43", D(2025, 6, 1), "amended"),  # and by 2025/01
    ("2022/43", D(2025, 11, 26), "repealed"),  # B-2025/39-IT repeals it on its session day
    ("2023/44", D(2025, 3, 25), "unknown"),  # the day before 2025/03
    ("2023/44", D(2025, 3, 26), "partially_repealed"),  # points 2 and 3 by 2025/03
    ("2025/02", D(2025, 11, 25), "in_force"),
    ("2025/02", D(2025, 11, 26), "partially_repealed"),  # point 3 by B-2025/33-IT
    ("2022/14", D(2023, 1, 1), "partially_repealed"),  # Nr. 5 by 2022/37
    # references.csv l. 6 "2023/22,replaces,2022/06,Programmplanung": a replacement is a
    # replacement (issue 12 item 1), on 2023/22's date 04.07.2023
    ("2022/06", D(2023, 7, 4), "replaced"),
    ("2025/33", D(2025, 11, 25), "not_yet_in_force"),  # decided on 26.11.2025
    ("2025/33", D(2025, 11, 26), "in_force"),
    ("2025/50", D(2026, 12, 31), "in_force"),  # "bis maximal zum 31.12.2026"
    ("2025/50", D(2027, 1, 1), "expired"),
])
def test_seed_and_register(bundled: Projection, rid: str, on: dt.date, state: str) -> None:
    assert states(bundled, rid, on)[0] == state


def test_partial_repeal_names_points_and_resolution(bundled: Projection) -> None:
    status = StatusIndex(bundled).resolution(r("2023/44"), D(2026, 1, 1))
    assert {p.iri.rsplit("/", 1)[1]: p.state for p in status.points} == {
        "2": "repealed", "3": "repealed"}  # 2023/44 is known only through these points
    reason = status.reasons[0]
    assert (reason.relation, reason.by, reason.by_id, reason.date) == (
        "repeals", r("2025/03"), "2025/03", D(2025, 3, 26))
    assert status.explanation("de") == (
        "2023/44: teilweise aufgehoben (Stand 01.01.2026; Ziffer 2 aufgehoben durch 2025/03 am "
        "26.03.2025; Ziffer 3 aufgehoben durch 2025/03 am 26.03.2025)")
    assert status.explanation("en").startswith(
        "2023/44: partially repealed (as of 2026-01-01; point 2 repealed by 2025/03 on 2025-03-26")


def test_point_3_of_2025_02(bundled: Projection) -> None:
    state, points = states(bundled, "2025/02", D(2026, 1, 1))
    assert state == "partially_repealed"
    assert points == {"1": "in_force", "2": "in_force", "3": "repealed", "4": "in_force"}
    point = StatusIndex(bundled).point(r("2025/02") + "/ziffer/3", D(2026, 1, 1))
    assert point.reasons[0].by_id == "2025/33"
    assert "aufgehoben durch 2025/33 am 26.11.2025" in point.explanation("de")


def test_repealed_resolution_takes_its_points_along(bundled: Projection) -> None:
    state, points = states(bundled, "2022/43", D(2026, 1, 1))
    assert state == "repealed"
    assert set(points.values()) == {"repealed"}
    status = StatusIndex(bundled).resolution(r("2022/43"), D(2026, 1, 1))
    assert [x.by_id for x in status.reasons] == ["2025/39"]
    assert "Beschluss 2022/43 auf" in (status.reasons[0].evidence or "")


def test_assumed_date_is_said(bundled: Projection) -> None:
    status = StatusIndex(bundled).resolution(r("2022/43"), D(2024, 6, 1))
    reason = status.reasons[0]
    assert (reason.by_id, reason.date, reason.date_assumed) == ("2024/01", D(2024, 1, 1), True)
    assert "Datum unbekannt" in reason.text("de")


def test_lookup_accepts_the_written_forms(bundled: Projection) -> None:
    assert bundled.lookup("B-2025/33-IT") == r("2025/33")
    assert bundled.lookup("2025/33") == r("2025/33")
    al = "https://w3id.org/beschlussgraph/id/eli/itplr-al/beschluss/2025/02"
    assert bundled.lookup("2025/02-AL") == al
    assert bundled.lookup("2025/02") != al  # council and AL-Runde numbers stay apart
    assert bundled.lookup("2099/99") is None


# -- sessions 49 and 50: A replaces B, B partially repeals C, D continues C ----------------------

@pytest.mark.parametrize(("rid", "on", "state", "points"), [
    # C = 2025/33, before and after B-2026/01-IT repealed its points 2 and 4
    ("2025/33", D(2026, 3, 24), "in_force",
     {"1": "in_force", "2": "in_force", "3": "in_force", "4": "in_force", "5": "in_force"}),
    ("2025/33", D(2026, 3, 25), "partially_repealed",
     {"1": "in_force", "2": "repealed", "3": "in_force", "4": "repealed", "5": "in_force"}),
    # B replaced by A (2026/10) on 24.06.2026: the repeal B made stays (no revival)
    ("2025/33", D(2026, 7, 1), "partially_repealed",
     {"1": "in_force", "2": "repealed", "3": "in_force", "4": "repealed", "5": "in_force"}),
    ("2026/01", D(2026, 3, 24), "not_yet_in_force", {"1": "not_yet_in_force",
                                                     "2": "not_yet_in_force"}),
    ("2026/01", D(2026, 6, 23), "in_force", {"1": "in_force", "2": "in_force"}),
    ("2026/01", D(2026, 6, 24), "replaced", {"1": "replaced", "2": "replaced"}),
    ("2026/10", D(2026, 7, 1), "in_force", {"1": "in_force"}),
    # "Der Beschluss 2025/31 wird durch diesen Beschluss ersetzt" (B-2026/03-IT)
    ("2025/31", D(2026, 3, 25), "replaced", {"1": "replaced", "2": "replaced"}),
    # D continues C "bis maximal zum 30.06.2027"
    ("2026/11", D(2027, 6, 30), "in_force", {}),
    ("2026/11", D(2027, 7, 1), "expired", {}),
    # "Die Ziffer 1 des Beschlusses 2026/02 wird wie folgt geändert" (B-2026/12-IT)
    ("2026/02", D(2026, 6, 24), "amended", {"1": "amended", "2": "in_force"}),
])
def test_test_protocol_chain(chained: Projection, rid: str, on: dt.date, state: str,
                             points: dict[str, str]) -> None:
    assert states(chained, rid, on) == (state, points)


def test_repeal_outranks_a_later_amendment(chained: Projection) -> None:
    # B-2026/13-IT amends point 4 of 2025/33 after B-2026/01-IT had repealed it
    point = StatusIndex(chained).point(r("2025/33") + "/ziffer/4", D(2026, 7, 1))
    assert point.state == "repealed"
    assert [x.by_id for x in point.reasons] == ["2026/01"]


# -- hand-written facts ----------------------------------------------------------------------

@pytest.mark.parametrize(("rid", "on", "state", "points"), [
    ("2030/01", D(2030, 1, 5), "not_yet_in_force", {"1": "not_yet_in_force",
     "2": "not_yet_in_force", "2.1": "not_yet_in_force"}),  # before the decision
    ("2030/01", D(2030, 3, 1), "not_yet_in_force", {"1": "not_yet_in_force",
     "2": "not_yet_in_force", "2.1": "not_yet_in_force"}),  # decided, effective from 1 July
    # 2030/02 repealed point 2 (and so 2.1); the rejected 2030/03 repeals nothing
    ("2030/01", D(2030, 8, 1), "partially_repealed",
     {"1": "in_force", "2": "repealed", "2.1": "repealed"}),
    ("2030/03", D(2030, 8, 1), "rejected", {}),
    ("2030/20", D(2030, 4, 30), "in_force", {"1": "in_force", "2": "in_force"}),
    ("2030/20", D(2030, 5, 1), "repealed", {"1": "repealed", "2": "repealed"}),  # every point
])
def test_handmade(handmade: Projection, rid: str, on: dt.date, state: str,
                  points: dict[str, str]) -> None:
    assert states(handmade, rid, on) == (state, points)


def test_effective_from_reason(handmade: Projection) -> None:
    status = StatusIndex(handmade).resolution(r("2030/01"), D(2030, 3, 1))
    assert status.explanation("de") == (
        "2030/01: noch nicht in Kraft (Stand 01.03.2030; wirksam erst ab 01.07.2030)")
    whole = StatusIndex(handmade).resolution(r("2030/20"), D(2030, 6, 1))
    assert [x.relation for x in whole.reasons][:1] == ["all_points_repealed"]


def test_status_to_dict(bundled: Projection) -> None:
    data = StatusIndex(bundled).resolution(r("2025/02"), D(2026, 1, 1)).to_dict()
    assert data["state"] == "partially_repealed"
    assert data["label_en"] == "partially repealed"
    assert data["reasons"][0]["by_id"] == "2025/33"
    assert data["reasons"][0]["point"] == "3"
    assert len(data["points"]) == 4


def test_the_resolutions_an_act_can_end(chained: Projection) -> None:
    ended = StatusIndex(chained).ended_somewhere()
    assert r("2022/43") in ended  # B-2025/39-IT repeals it (protocol l. 1088-1092)
    assert r("2025/33") in ended  # B-2026/01-IT repeals its points 2 and 4 (itplr-49)
    assert r("2025/31") in ended  # replaced by B-2026/03-IT
    assert r("2025/02") in ended  # point 3 repealed by B-2025/33-IT
    assert r("2026/11") not in ended  # only continues 2025/33
    assert r("2024/01") not in ended  # amends 2022/43; nothing acts on it
