"""Issue 12 item 8: text kept whole. A list inside a point belongs to that point; a protocol
note split by a page break is one note."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.protocol import parse_protocol
from loaders.read import read_source
from loaders.records import Protocol

from .conftest import SEED, resolution


@pytest.mark.parametrize(("number", "starts", "ends", "lines"), [
    # l. 1088-1092 B-2025/39-IT Ziffer 1 "… und hebt damit den Beschluss 2022/43 auf:" and
    # l. 1094-1121 the 15 conferences with their Länder, one row per line
    ("1", "Der IT-Planungsrat ernennt und bestätigt",
     "15. Wirtschaftsministerkonferenz: Hamburg", (1088, 1121)),
    # l. 1125-1127 Ziffer 2 unchanged
    ("2", "Die fachpolitischen Sprecher berichten",
     "mit den jeweiligen Fachministerkonferenzen.", (1125, 1127)),
])
def test_point_keeps_its_list(seed: Protocol, number: str, starts: str, ends: str,
                              lines: tuple[int, int]) -> None:
    point = next(p for p in resolution(seed, "2025/39").points if p.number == number)
    assert point.text.startswith(starts) and point.text.endswith(ends)
    assert (point.span.line_start, point.span.line_end) == lines


@pytest.mark.parametrize(("row", "text"), [
    # l. 1090-1094: the sentence and the first row, on lines of their own
    (0, "Der IT-Planungsrat ernennt und bestätigt aus seinem Mitgliederkreis folgende "
        "fachpolitische Sprecher für die Fachministerkonferenzen und hebt damit den "
        "Beschluss 2022/43 auf:"),
    (1, "1. Agrarministerkonferenz: Baden-Württemberg"),  # l. 1094
    (3, "3. Bauministerkonferenz: Nordrhein-Westfalen"),  # l. 1097 (no blank line before)
    (10, "10. Jugend- und Familienministerkonferenz: Bremen"),  # l. 1111
    (15, "15. Wirtschaftsministerkonferenz: Hamburg"),  # l. 1121
])
def test_list_rows(seed: Protocol, row: int, text: str) -> None:
    point = next(p for p in resolution(seed, "2025/39").points if p.number == "1")
    assert point.text.split("\n")[row] == text
    assert len(point.text.split("\n")) == 16


def test_appointments_kept(seed: Protocol) -> None:
    # the 15 rows stay modelled as spokesperson appointments (l. 1094-1121)
    res = resolution(seed, "2025/39")
    assert [a.position for a in res.spokespersons] == list(range(1, 16))
    assert res.spokespersons[0].spokesperson.key == "BW"  # "Agrarministerkonferenz: BW"
    # and the repeal stays where it is said, in Ziffer 1 (l. 1090-1092)
    assert [(r.relation, r.target_id, r.in_point) for r in res.references] == [
        ("repeals", "2022/43", "1")]


@pytest.mark.parametrize(("top", "notes"), [
    # l. 794 "PN", page break (l. 795 repeated table header, redacted lines), l. 815 "PN"
    # again: one redacted note of TOP 23
    ("23", [(None, True, 794, 815)]),
    # l. 1412-1422 TOP 21: one note by Bayern, not split
    ("21", [("Bayern", False, 1412, 1422)]),
])
def test_notes_across_page_breaks(seed: Protocol, top: str,
                                  notes: list[tuple[str | None, bool, int, int]]) -> None:
    item = next(i for i in seed.items if i.number == top)
    assert [(n.author_label, n.redacted, n.span.line_start, n.span.line_end)
            for n in item.notes] == notes


def test_note_text_continues_after_a_page_break(tmp_path: Path) -> None:
    # the note of TOP 21 (l. 1412-1422) with a page break in the middle, its label repeated on
    # the new page: one note with the whole text
    lines = SEED.read_text(encoding="utf-8").split("\n")
    at = lines.index("Schlüsseln ermöglicht. Der Bund wird gebeten, die vollständige "
                     "Dokumentation der 1.500 ")
    lines[at:at] = [" TOP Thema Ziel Quelle BE ", "", "PN Protokollnotiz (Bayern) ", ""]
    path = tmp_path / "itplr-48-2025-11-26-protokoll.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    item = next(i for i in parse_protocol(read_source(path)).items if i.number == "21")
    (note,) = item.notes
    assert note.author_label == "Bayern"
    assert note.text.startswith("Für die effektive Umsetzung von Beschlussvorschlag Nr. 1")
    assert note.text.endswith("zeitnah zur weiteren Bearbeitung bereitzustellen.")
    assert "PN" not in note.text.split()
