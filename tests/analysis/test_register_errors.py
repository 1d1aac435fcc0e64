"""Bad rows in the decision register (issue 9 item 5): each is a `LoaderError` with file and
line in `Register.errors`, the row is skipped and the rest of the register loads. Every
fixture is the bundled register with one line altered."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.main import main
from kg.build_register import build_register
from kg.iris import Minter
from kg.namespaces import DCT
from kg.settings import SAMPLES_DIR
from kg.store import OxigraphStore, StoreDirectory
from loaders.limits import InputLimits
from loaders.records import LoaderError
from loaders.register import iri_problem, parse_register
from tests.loaders_read.fifo_guard import unblocking

from .conftest import BASE

REGISTER = SAMPLES_DIR / "itplr-register"
FULL = parse_register(REGISTER)
ALL_IDS = {d.canonical_id for d in FULL.decisions}
# (source, target, line in references.csv) of every reference between decisions
ALL_REFS = {(d.canonical_id, x.target_id, x.span.line_start) for d in FULL.decisions
            for x in d.references if x.target_kind == "resolution"}
NOT_AN_ID = "is not a decision id (expected YYYY/NN, e.g. 2024/03, B-2024/03-IT or 2025/02-AL " \
            "for the AL-Runde); row skipped"


def altered(tmp_path: Path, file: str, line: int, edit: Callable[[str], str]) -> Path:
    """A copy of the bundled register with `edit` applied to one line (its CRLF kept)."""
    folder = tmp_path / "itplr-register"
    shutil.copytree(REGISTER, folder)
    path = folder / file
    lines = path.read_bytes().splitlines(keepends=True)
    raw = lines[line - 1]
    body = raw.rstrip(b"\r\n")
    lines[line - 1] = edit(body.decode("utf-8")).encode("utf-8") + raw[len(body):]
    path.write_bytes(b"".join(lines))
    return folder


def new_id(value: str) -> Callable[[str], str]:
    return lambda line: value + line[line.index(","):]


# (file, line, edit of that line, decision ids no longer loaded, references no longer loaded
#  as (source, target, references.csv line), the one error message)
RowCase = tuple[str, int, Callable[[str], str], set[str], set[tuple[str, str, int]], str]
ROW_CASES: dict[str, RowCase] = {
    # a space in source_url: Oxigraph refused the IRI and the whole batch died in a traceback
    "url-space": ("decisions.csv", 17, lambda s: s.replace("beschluss-2015-44",
                                                           "beschluss 2015-44"),
                  {"2015/44"}, set(),
                  'decisions.csv:17: source_url "https://it-planungsrat.de/beschluss/beschluss '
                  '2015-44" is not a valid IRI (space at column 126); row skipped'),
    # a '>' in source_url (would end the IRI in N-Quads)
    "url-angle": ("decisions.csv", 50, lambda s: s.replace("beschluss-2021-14",
                                                           "beschluss-2021-14>"),
                  {"2021/14"}, set(),
                  'decisions.csv:50: source_url "https://www.it-planungsrat.de/beschluss/'
                  "beschluss-2021-14>\" is not a valid IRI ('>' at column 137); row skipped"),
    # a broken percent escape; the decision's reference (references.csv:5) goes with it
    "url-percent": ("decisions.csv", 66, lambda s: s.replace("beschluss-2022-37",
                                                             "beschluss%2-2022-37"),
                    {"2022/37"}, {("2022/37", "2022/14", 5)},
                    'decisions.csv:66: source_url "https://it-planungsrat.de/beschluss/'
                    "beschluss%2-2022-37\" is not a valid IRI ('%' not followed by two hex "
                    "digits at column 111); row skipped"),
    # a no-break space pasted from a web page: legal in RFC 3987, invisible, refused
    "url-nbsp": ("decisions.csv", 73, lambda s: s.replace("beschluss-2023-22",
                                                          "beschluss\u00a02023-22"),
                 {"2023/22"}, {("2023/22", "2022/06", 6)},
                 'decisions.csv:73: source_url "https://it-planungsrat.de/beschluss/beschluss'
                 '\u00a02023-22" is not a valid IRI (invisible character U+00A0 at column '
                 "116); row skipped"),
    # a port that is not a number: every character is allowed, the structure is not
    "url-port": ("decisions.csv", 50, lambda s: s.replace("https://www.it-planungsrat.de",
                                                          "https://www.it-planungsrat.de:443x"),
                 {"2021/14"}, set(),
                 'decisions.csv:50: source_url "https://www.it-planungsrat.de:443x/beschluss/'
                 'beschluss-2021-14" is not a valid IRI (malformed: expected '
                 "http(s)://host[:port]/path[?query][#fragment]); row skipped"),
    # an unterminated quote in a title: the csv module swallowed lines 88-93 (5 decisions
    # lost, exit 0); now only the line where the quote opened is lost
    "quote-title": ("decisions.csv", 88, lambda s: s.replace(",Wirtschaftsplan",
                                                             ',"Wirtschaftsplan'),
                    {"2025/04"}, set(),
                    "decisions.csv:88: unterminated quote: the quote at column 46 is never "
                    "closed (a register row is one line); row skipped"),
    # an unterminated quote in the last field of the last line: the field runs to end of file
    "quote-eof": ("decisions.csv", 93, lambda s: s.replace(",https://", ',"https://'),
                  {"2025/42"}, set(),
                  "decisions.csv:93: unterminated quote: the quote at column 95 is never "
                  "closed (a register row is one line); row skipped"),
    # text after a closing quote: the csv module would silently glue it to the field
    "quote-trailing": ("decisions.csv", 30, lambda s: s.replace("Standardisierungsagenda:",
                                                                '"Standardisierungsagenda:"'),
                       {"2017/37"}, set(),
                       "decisions.csv:30: malformed CSV: ',' expected after '\"'; row skipped"),
    # a malformed id (placeholder left in)
    "id-malformed": ("decisions.csv", 21, new_id("B-2025/XX-IT"), {"2016/28"}, set(),
                     f"decisions.csv:21: id 'B-2025/XX-IT' {NOT_AN_ID}"),
    # the id of line 30 again on line 31: the second row is the error, both lines named
    "id-duplicate": ("decisions.csv", 31, new_id("2017/37"), {"2017/39"}, set(),
                     "decisions.csv:31: duplicate id '2017/37', first at line 30; row skipped"),
    # the same decision spelled another way (2025/33 is on line 92)
    "id-duplicate-spelling": ("decisions.csv", 93, new_id("B-2025/33-IT"), {"2025/42"}, set(),
                              "decisions.csv:93: duplicate id 'B-2025/33-IT' (= 2025/33), "
                              "first at line 92; row skipped"),
    # one cell too many
    "cells": ("decisions.csv", 50, lambda s: s + ",extra", {"2021/14"}, set(),
              "decisions.csv:50: 9 cells, the header has 8; row skipped"),
    # a German date
    "date": ("decisions.csv", 50, lambda s: s.replace("2021-03-17", "17.03.2021"),
             {"2021/14"}, set(),
             "decisions.csv:50: date '17.03.2021' is not YYYY-MM-DD; row skipped"),
    # references.csv: a space in its source_url (only evidence text, checked all the same)
    "ref-url-space": ("references.csv", 5, lambda s: s.replace("beschluss-2022-37",
                                                               "beschluss 2022-37"),
                      set(), {("2022/37", "2022/14", 5)},
                      'references.csv:5: source_url "https://it-planungsrat.de/beschluss/'
                      'beschluss 2022-37" is not a valid IRI (space at column 114); row '
                      "skipped"),
    # references.csv: an unterminated quote in `part`
    "ref-quote": ("references.csv", 6, lambda s: s.replace(",Programmplanung",
                                                           ',"Programmplanung'),
                  set(), {("2023/22", "2022/06", 6)},
                  "references.csv:6: unterminated quote: the quote at column 26 is never "
                  "closed (a register row is one line); row skipped"),
    # references.csv: a malformed target id
    "ref-id": ("references.csv", 9, lambda s: s.replace("2022/43", "2022/4x"),
               set(), {("2024/01", "2022/43", 9)},
               f"references.csv:9: target_id '2022/4x' {NOT_AN_ID}"),
}


@pytest.mark.parametrize("case", ROW_CASES.values(), ids=ROW_CASES.keys())
def test_bad_row_is_an_error_and_the_rest_loads(tmp_path: Path, case: RowCase) -> None:
    file, line, edit, lost_ids, lost_refs, message = case
    reg = parse_register(altered(tmp_path, file, line, edit))
    assert [str(e) for e in reg.errors] == [message]
    assert (reg.errors[0].document, reg.errors[0].line) == (file, line)
    loaded = {d.canonical_id for d in reg.decisions}
    assert loaded == ALL_IDS - lost_ids  # e.g. 91 of 92
    refs = {(d.canonical_id, x.target_id, x.span.line_start) for d in reg.decisions
            for x in d.references if x.target_kind == "resolution"}
    assert refs == ALL_REFS - lost_refs
    assert reg.reference_count == FULL.reference_count - len(lost_refs)


def test_reference_of_a_rejected_decision_is_a_warning_naming_its_row(tmp_path: Path) -> None:
    # decisions.csv:66 (2022/37) rejected → references.csv:5, which hangs off it, is skipped
    reg = parse_register(altered(tmp_path, *ROW_CASES["url-percent"][:3]))
    assert [(w.span.document, w.span.line_start, w.message) for w in reg.warnings] == [
        ("references.csv", 5, "source_id 2022/37: its row decisions.csv:66 was rejected; "
                              "reference skipped")]


def test_several_bad_rows_are_all_reported_in_line_order(tmp_path: Path) -> None:
    folder = altered(tmp_path, *ROW_CASES["url-space"][:3])
    path = folder / "decisions.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[87] = lines[87].replace(",Wirtschaftsplan", ',"Wirtschaftsplan')  # line 88
    lines[20] = "B-2025/XX-IT" + lines[20][lines[20].index(","):]  # line 21
    path.write_text("\n".join(lines), encoding="utf-8")
    reg = parse_register(folder)
    assert [(e.document, e.line) for e in reg.errors] == [
        ("decisions.csv", 17), ("decisions.csv", 21), ("decisions.csv", 88)]
    assert {d.canonical_id for d in reg.decisions} == ALL_IDS - {"2015/44", "2016/28",
                                                                 "2025/04"}


def test_no_bad_row_reaches_the_quads(tmp_path: Path) -> None:
    """The batch that died with 'Invalid IRI code point' now builds and stores."""
    reg = parse_register(altered(tmp_path, *ROW_CASES["url-space"][:3]))
    graph, quads, counts = build_register(reg, Minter(BASE),
                                          loaded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert counts["resolutions"] == 91
    sources = {o.value for _, p, o, _ in quads if p.value == DCT + "source"}
    assert not any(" " in s for s in sources) and len(sources) > 1
    store = OxigraphStore.in_memory()
    store.replace_graph(graph, quads)  # raised ValueError (Invalid IRI code point) before


@pytest.mark.parametrize(("file", "make", "words"), [
    # decisions.csv as a named pipe: reading it would block until a writer turns up
    ("decisions.csv", os.mkfifo, "decisions.csv: a named pipe (FIFO), not a regular file"),
    # references.csv as a named pipe
    ("references.csv", os.mkfifo, "references.csv: a named pipe (FIFO), not a regular file"),
    # decisions.csv as a directory
    ("decisions.csv", os.mkdir, "decisions.csv: a directory, not a regular file"),
])
def test_register_files_must_be_regular(tmp_path: Path, file: str,
                                        make: Callable[[Path], None], words: str) -> None:
    folder = tmp_path / "itplr-register"
    shutil.copytree(REGISTER, folder)
    (folder / file).unlink()
    make(folder / file)
    with unblocking(folder / file), pytest.raises(LoaderError) as caught:
        parse_register(folder)
    assert str(caught.value).startswith(words)
    assert caught.value.document == file


def test_register_file_size_and_line_caps(tmp_path: Path) -> None:
    # a decisions.csv above max_file_bytes: the whole register is refused (a file error)
    with pytest.raises(LoaderError, match=r"^decisions\.csv: the file is too large: "
                                          r"[\d,]+ bytes; the limit is 1,000 bytes"):
        parse_register(REGISTER, InputLimits(max_file_bytes=1_000))
    # one line above max_line_chars: that row only
    folder = altered(tmp_path, "decisions.csv", 50, lambda s: s.replace(
        "Formalisierung", "Formalisierung " + "x" * 300))
    reg = parse_register(folder, InputLimits(max_line_chars=300))
    assert [str(e) for e in reg.errors] == [
        "decisions.csv:50: line too long: 437 characters; the limit is 300 "
        "(KG_MAX_LINE_CHARS); row skipped"]
    assert len(reg.decisions) == 91


def test_bundled_source_urls_are_valid_iris() -> None:
    assert all(d.source_url and iri_problem(d.source_url) is None for d in FULL.decisions)


# characters around the edges of RFC 3987 and Oxigraph's IRI parser
IRI_ALPHABET = list("ab09/:?#@[]%F.-_~!$&'()*+,;= <>\"{}|\\^`\t") + [
    "\u00a0", "\u200b", "\u202e", "ü", "\ue000", "\ufffe", "\U0001f600", "\x7f", "\x85"]


@given(prefix=st.sampled_from(["https://", "http://", "https://a.de", "https://a.de/",
                               "https://[::1]", "http://u@h:8"]),
       tail=st.text(alphabet=st.sampled_from(IRI_ALPHABET), max_size=12))
def test_an_accepted_source_url_is_an_iri_oxigraph_accepts(prefix: str, tail: str) -> None:
    """The register's check may be stricter than Oxigraph, never laxer."""
    url = prefix + tail
    if iri_problem(url) is None:
        ox.NamedNode(url)  # raises ValueError for an invalid IRI


def test_cli_load_bad_register_exits_1_and_keeps_the_good_rows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kg load` of a register with a bad row: the message with file and line, exit 1, and
    the 91 good decisions in the store."""
    folder = altered(tmp_path, *ROW_CASES["url-space"][:3])
    store = tmp_path / "store"
    code = main(["--store", str(store), "load", str(folder)])
    printed = capsys.readouterr()
    rows = StoreDirectory(store).open_read_only().select(f"""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?id WHERE {{ ?r prov:wasDerivedFrom <{BASE}graph/itplr-register> ;
                            eli:id_local ?id }}""")
    ids = {str(r["id"]) for r in rows}
    assert len(ids) == 91
    assert "2015/44" not in ids and "2015/46" in ids
    assert 'decisions.csv:17: source_url "https://it-planungsrat.de/beschluss/beschluss ' \
           '2015-44" is not a valid IRI (space at column 126)' in " ".join(
               (printed.out + printed.err).split())
    assert code == 1
