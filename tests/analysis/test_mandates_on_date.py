"""Issue 12 item 3: mandates on a date. A mandate with several cut-offs keeps all of them,
each with its wording (bg:Deadline per cut-off, bg:hasDeadline; bg:deadline stays the first);
open / due / overdue are computed for the date asked, and the word is explained where shown.

Evidence: seed protocol l. 1212-1216, B-2025/41-IT Ziffer 3: "Die Länder werden gebeten, ihre
jeweiligen Erfüllungsaufwände nach Maßgabe des Konzepts nach Ziffer 1 zum Stichtag 01.01.2026,
01.01.2028, 01.01.2030 an die FITKO zu übermitteln."
"""

from __future__ import annotations

import datetime as dt

import pytest

from cli.main import main
from kg.analysis.mandates import mandate_states, state_meaning
from kg.analysis.projection import Projection
from kg.namespaces import BG
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreDirectory
from loaders.deadlines import find_deadlines

from .conftest import load, r, read_projection

D = dt.date
Z3 = r("2025/41") + "/ziffer/3/auftrag/1"


@pytest.mark.parametrize(("text", "cut_offs"), [
    # l. 1214 B-2025/41-IT Z3: three cut-offs, each with its own wording
    ("zum Stichtag 01.01.2026, 01.01.2028, 01.01.2030 an die FITKO zu übermitteln",
     [("zum Stichtag 01.01.2026", D(2026, 1, 1)), ("01.01.2028", D(2028, 1, 1)),
      ("01.01.2030", D(2030, 1, 1))]),
    # l. 406 B-2025/33-IT Z2: one deadline
    ("bis zum 15.12.2025 vorzulegen", [("bis zum 15.12.2025", D(2025, 12, 15))]),
    # l. 1208 B-2025/41-IT Z2: a session, no date yet
    ("bis zur 49. Sitzung des IT-Planungsrats beauftragt", [
        ("bis zur 49. Sitzung des IT-Planungsrats", None)]),
    # two deadlines of different kinds in one sentence (phrasing of l. 1372 and l. 612)
    ("bis zum 30. Juni 2026 zu erheben und bis Q3/2026 zu berichten",
     [("bis zum 30. Juni 2026", D(2026, 6, 30)), ("bis Q3/2026", D(2026, 9, 30))]),
])
def test_cut_offs_as_written(text: str, cut_offs: list[tuple[str, dt.date | None]]) -> None:
    assert [(d.text, d.date) for d in find_deadlines(text)] == cut_offs


def test_every_cut_off_in_the_graph(bundled_settings: Settings) -> None:
    store = StoreDirectory(bundled_settings.store).open_read_only()
    rows = store.select(f"""
        SELECT ?pos ?date ?text ?kind WHERE {{
          <{Z3}> <{BG}hasDeadline> ?c . ?c a <{BG}Deadline> ; <{BG}position> ?pos ;
             <{BG}deadline> ?date ; <{BG}deadlineText> ?text ; <{BG}deadlineKind> ?kind }}
        ORDER BY ?pos""")
    assert [(str(x["date"]), x["text"], x["kind"]) for x in rows] == [
        ("2026-01-01", "zum Stichtag 01.01.2026", "date"),
        ("2028-01-01", "01.01.2028", "date"),
        ("2030-01-01", "01.01.2030", "date"),
    ]
    # compatibility: the mandate's own bg:deadline is the first cut-off, its text the whole
    first = store.select(f"SELECT ?d ?t WHERE {{ <{Z3}> <{BG}deadline> ?d ; "
                         f"<{BG}deadlineText> ?t }}")
    assert [(str(x["d"]), x["t"]) for x in first] == [
        ("2026-01-01", "zum Stichtag 01.01.2026, 01.01.2028, 01.01.2030")]


@pytest.mark.parametrize(("on", "state", "deadline", "reason"), [
    # before the first cut-off (l. 1214 "01.01.2026"): open, measured against it
    (D(2025, 11, 26), "open", D(2026, 1, 1), "Frist 01.01.2026"),
    # within 30 days of it: due
    (D(2025, 12, 15), "due", D(2026, 1, 1), "fällig am 01.01.2026"),
    # on the cut-off day itself: still due, not yet passed
    (D(2026, 1, 1), "due", D(2026, 1, 1), "fällig am 01.01.2026"),
    # after the first: overdue (no completion known), the next one named
    (D(2026, 4, 1), "overdue", D(2026, 1, 1),
     "Frist 01.01.2026 verstrichen, keine Erledigung im Graphen bekannt; "
     "nächste Frist 01.01.2028"),
    # after the second: measured against the last one passed, the third named
    (D(2029, 1, 1), "overdue", D(2028, 1, 1),
     "Frist 01.01.2028 verstrichen, keine Erledigung im Graphen bekannt; "
     "nächste Frist 01.01.2030"),
    # after the last: no next one
    (D(2031, 1, 1), "overdue", D(2030, 1, 1),
     "Frist 01.01.2030 verstrichen, keine Erledigung im Graphen bekannt"),
])
def test_state_on_a_date(bundled: Projection, on: dt.date, state: str, deadline: dt.date,
                         reason: str) -> None:
    (s,) = [s for s in mandate_states(bundled, on) if s.mandate.iri == Z3]
    assert (s.state, s.deadline, s.reason) == (state, deadline, reason)
    assert [c[:2] for c in s.mandate.cut_offs] == [
        (D(2026, 1, 1), "zum Stichtag 01.01.2026"), (D(2028, 1, 1), "01.01.2028"),
        (D(2030, 1, 1), "01.01.2030")]


@pytest.mark.parametrize(("state", "lang", "meaning"), [
    ("overdue", "en", "overdue: deadline passed, no completion known to the graph"),
    ("overdue", "de", "überfällig: Frist verstrichen, keine Erledigung im Graphen bekannt"),
    ("due", "en", "due: deadline within the next 30 days"),
    ("open", "en", "open: deadline not yet reached, or no deadline"),
])
def test_state_words_explained(state: str, lang: str, meaning: str) -> None:
    assert state_meaning(state, lang) == meaning


def test_cli_explains_the_words(bundled_settings: Settings,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--store", str(bundled_settings.store), "mandates", "--on", "2026-04-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert "überfällig: Frist verstrichen, keine Erledigung im Graphen bekannt" in out
    code = main(["--store", str(bundled_settings.store), "mandates", "--on", "2026-04-01",
                 "--json"])
    out = capsys.readouterr().out
    assert '"state_meaning": "overdue: deadline passed, no completion known to the graph"' in out
    assert '"text": "01.01.2028"' in out


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Projection:
    """The bundled data with data/record: B-2025/03-IT as a saved page."""
    settings = load(tmp_path_factory.mktemp("mandates-record") / "store", SAMPLES_DIR,
                    SAMPLES_DIR.parent / "record" / "beschluss-2025-03.txt")
    return read_projection(settings)


@pytest.mark.parametrize(("on", "point", "state", "reason"), [
    # beschluss-2025-03.txt L15, Ziffer 6: FITKO "bis zur 48. Sitzung"; on its eve it is due
    (D(2025, 11, 25), "6", "due", "fällig am 26.11.2025"),
    # the 48th session's TOP 09 names "Quelle: B-2025/03-IT" (seed L369-376): B-2025/33-IT
    # is based on 2025/03, so the mandate is taken up from 26.11.2025, not overdue
    (D(2026, 1, 15), "6", "taken_up",
     "aufgegriffen durch 2025/33 am 26.11.2025 (Quelle: 2025/03)"),
    # L9, Ziffer 3 (FITKO: Skizzen einholen, no deadline): open before, taken up after
    (D(2025, 6, 1), "3", "open", "ohne Frist"),
    (D(2026, 1, 15), "3", "taken_up",
     "aufgegriffen durch 2025/33 am 26.11.2025 (Quelle: 2025/03)"),
])
def test_a_mandate_taken_up_by_a_later_resolution(recorded: Projection, on: dt.date,
                                                  point: str, state: str, reason: str) -> None:
    wanted = r("2025/03") + f"/ziffer/{point}/auftrag/1"
    [found] = [s for s in mandate_states(recorded, on) if s.mandate.iri == wanted]
    assert (found.state, found.reason) == (state, reason)
