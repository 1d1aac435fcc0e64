"""The synthetic protocols of bench/synth_protocols.py are read by the real loader as planned.

Each generated session is parsed with `loaders.read.read_source` and
`loaders.protocol.parse_protocol`, and compared with the generator's own plan
(manifest.jsonl): if the loader finds what was planted, the generator writes the layout of
the real protocol. No timings here; those belong to bench/scale.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bench import synth_protocols as synth
from loaders.protocol import parse_protocol
from loaders.read import read_source
from loaders.records import Mandate, Protocol

N = 8
SEED = 0
ALL_RELATIONS = {"cites", "repeals", "repeals_part", "amends", "amends_part", "replaces",
                 "continues", "implements"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[dict]]:
    out = tmp_path_factory.mktemp("synth")
    paths = synth.generate(N, SEED, out)
    return paths, synth.read_manifest(out)


@pytest.fixture(scope="module")
def parsed(generated: tuple[list[Path], list[dict]]) -> list[Protocol]:
    paths, _ = generated
    return [parse_protocol(read_source(p)) for p in paths]


def sessions() -> list[int]:
    return list(range(N))


def test_files_and_plan_line_up(generated):
    paths, plans = generated
    assert [p.name for p in paths] == [plan["file"] for plan in plans]
    assert [plan["number"] for plan in plans] == list(range(1, N + 1))
    assert paths[0].name == f"itplr-00001-{plans[0]['date']}-protokoll.txt"


def test_dates_four_sessions_a_year_from_2010(generated):
    _, plans = generated
    dates = [dt.date.fromisoformat(p["date"]) for p in plans]
    assert dates == sorted(dates) and len(set(dates)) == N
    assert [d.year for d in dates] == [2010, 2010, 2010, 2010, 2011, 2011, 2011, 2011]


def test_resolution_ids_count_up_per_year(generated):
    _, plans = generated
    by_year: dict[str, list[int]] = {}
    for plan in plans:
        assert 15 <= len(plan["resolutions"]) <= 25  # like the 22 of the 48th session
        for res in plan["resolutions"]:
            year, number = res["id"].split("/")
            assert res["identifier"] == f"B-{year}/{number}-IT"
            by_year.setdefault(year, []).append(int(number))
    for numbers in by_year.values():
        assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("i", sessions())
def test_session_number_and_date(generated, parsed, i):
    _, plans = generated
    session = parsed[i].session
    assert session.number == plans[i]["number"] == i + 1
    assert session.date == dt.date.fromisoformat(plans[i]["date"])
    assert session.place == plans[i]["place"]
    assert session.chair is not None and session.chair.key == plans[i]["chair"]
    assert parsed[i].warnings == []


@pytest.mark.parametrize("i", sessions())
def test_resolutions_points_and_items(generated, parsed, i):
    _, plans = generated
    planned = plans[i]["resolutions"]
    found = parsed[i].resolutions
    assert len(found) == len(planned)
    assert [r.canonical_id for r in found] == [r["id"] for r in planned]
    items = {it.resolution.canonical_id: it for it in parsed[i].items if it.resolution}
    for res in planned:
        item = items[res["id"]]
        assert item.number == res["top"]
        assert item.section == res["section"]
        assert [p.number for p in item.resolution.points] == res["points"]


@pytest.mark.parametrize("i", sessions())
def test_votes_and_grune_liste(generated, parsed, i):
    _, plans = generated
    found = {r.canonical_id: r for r in parsed[i].resolutions}
    for res in plans[i]["resolutions"]:
        vote = found[res["id"]].vote
        assert vote is not None, res["id"]
        assert (vote.outcome, vote.unanimous, vote.majority) == (
            res["outcome"], res["unanimous"], res["majority"]), res["id"]
        assert sorted(a.key for a in vote.abstained) == sorted(res["abstained"])
        assert sorted(a.key for a in vote.against) == sorted(res["against"])
        assert vote.redacted_abstentions == res["redacted"]
        assert vote.via_consent_agenda == res["consent"]
    off = [r for r in plans[i]["resolutions"] if r["taken_off_green_list"]]
    items = {it.resolution.canonical_id: it for it in parsed[i].items if it.resolution}
    for res in off:
        assert items[res["id"]].removed_from_consent_agenda


def _planned_refs(plan: dict) -> set[tuple]:
    return {(r["source"], r["point"], r["relation"], r["target"], tuple(r["points"]),
             r["target_kind"]) for r in plan["references"]}


def _found_refs(protocol: Protocol) -> set[tuple]:
    return {(r.canonical_id, ref.in_point, ref.relation, ref.target_id, tuple(ref.points),
             ref.target_kind) for r in protocol.resolutions for ref in r.references}


@pytest.mark.parametrize("i", sessions())
def test_planted_references_found_with_their_kind(generated, parsed, i):
    _, plans = generated
    planned = _planned_refs(plans[i])
    found = _found_refs(parsed[i])
    assert planned - found == set()
    # and nothing the generator did not plant reads as a reference to a resolution
    assert {f for f in found if f[5] == "resolution"} == {
        p for p in planned if p[5] == "resolution"}


def test_every_kind_of_reference_is_planted(generated, parsed):
    _, plans = generated
    relations = {r["relation"] for plan in plans for r in plan["references"]}
    assert relations >= ALL_RELATIONS
    partial = [r for plan in plans for r in plan["references"]
               if r["relation"] == "repeals_part"]
    found = set().union(*(_found_refs(p) for p in parsed))
    for ref in partial:  # "Ziffer 2 des Beschlusses 2010/05 wird aufgehoben" names its point
        assert ref["points"] and (ref["source"], ref["point"], "repeals_part", ref["target"],
                                  tuple(ref["points"]), "resolution") in found


def test_references_point_to_earlier_sessions(generated):
    _, plans = generated
    seen: set[str] = set()
    for plan in plans:
        own = {r["id"] for r in plan["resolutions"]}
        for ref in plan["references"]:
            if ref["target_kind"] == "resolution":
                assert ref["target"] in seen and ref["target"] not in own
        for src in plan["sources"]:
            assert src["target"] in seen or src["target"].endswith("-AL")
        seen |= own


@pytest.mark.parametrize("i", sessions())
def test_quelle_column_and_mandates(generated, parsed, i):
    _, plans = generated
    protocol = parsed[i]
    sources = {(it.resolution.canonical_id, s.canonical_id)
               for it in protocol.items if it.resolution for s in it.sources}
    assert sources == {(s["source"], s["target"]) for s in plans[i]["sources"]}
    found = {r.canonical_id: r for r in protocol.resolutions}
    for m in plans[i]["mandates"]:
        candidates = [x for x in found[m["source"]].mandates if x.point == m["point"]]
        assert any(_same_mandate(m, x) for x in candidates), (m, candidates)


def _same_mandate(planned: dict, mandate: Mandate) -> bool:
    d = mandate.deadline
    if planned["assignee"] not in [a.key for a in mandate.assignees] or d is None:
        return False
    if planned["deadline"]["kind"] == "session":
        return d.kind == "session" and d.session == planned["deadline"]["session"]
    return d.date == dt.date.fromisoformat(planned["deadline"]["date"])


def test_layout_of_the_real_protocol(generated):
    paths, _ = generated
    text = paths[3].read_text(encoding="utf-8")
    lines = text.split("\n")
    # double-spaced: a blank line follows every line but the last of a page
    assert all(not lines[k + 1].strip() for k in range(0, 40, 2))
    assert re.search(r"^ \d+\. IT-Planungsratssitzung", text)
    assert "\nTOP Thema Ziel Quelle BE" in text  # the Grüne Liste table
    page_breaks = [k for k, ln in enumerate(lines) if re.match(r" TOP .+ Ziel Quelle BE", ln)
                   and lines[k - 1].strip()]
    assert page_breaks, "the table header repeats after a page break"
    assert re.search(r"^BV Beschluss B-2010/\d{2}-IT $", text, re.M)
    assert "  ☒ Beschluss   ☐ Beschlussempfehlung (IT-PLR)" in text
    assert "Einstimmiger Beschluss über den Vorschlag der Grünen Liste." in " ".join(text.split())


def test_deterministic_and_a_prefix_of_bigger_runs(tmp_path, generated):
    paths, _ = generated
    again = synth.generate(3, SEED, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths[:3]]
    other = synth.generate(1, SEED + 1, tmp_path / "other")
    assert other[0].read_bytes() != paths[0].read_bytes()


def test_cli(tmp_path, capsys):
    assert synth.main(["2", str(tmp_path), "--seed", "5"]) == 0
    assert "2 protocols" in capsys.readouterr().out
    assert len(list(tmp_path.glob("itplr-*-protokoll.txt"))) == 2
    assert len(synth.read_manifest(tmp_path)) == 2
