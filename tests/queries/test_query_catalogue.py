"""The catalogue itself: documentation, header checks, parameter binding, injection safety,
the `kg queries` / `kg query NAME` commands, and every query on all bundled data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli.main import main
from kg.store import OxigraphStore
from kg.terms import IRI, Literal
from queries import CatalogueError, ParameterError, UnknownQueryError, load_catalogue
from queries.catalogue import QUERY_DIR, parse_query_file

XSD = "http://www.w3.org/2001/XMLSchema#"
CATALOGUE = load_catalogue()
# a value for every required parameter (only full-text-search has one)
REQUIRED = {"full-text-search": {"q": "NOOTS"}}


# -- documentation ---------------------------------------------------------------------------


def test_at_least_25_queries() -> None:
    assert len(CATALOGUE) >= 25


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_query_and_parameters_are_documented(name: str) -> None:
    q = CATALOGUE.get(name)
    assert q.title_de.strip() and q.title_en.strip() and q.title_de != q.title_en
    assert len(q.description) >= 60, "a description says what the query answers, in de and en"
    assert " / " in q.description, "description in German / English"
    assert q.tags
    assert q.example.startswith(f"kg query {name}")
    for p in q.params:
        assert len(p.description) >= 10, f"parameter {p.name} lacks a description"
        assert " / " in p.description, f"parameter {p.name}: description in German / English"
        assert f"--param {p.name}=" in q.example or not p.required
    # the file is self-contained for the query page: every prefix it uses is declared
    declared = set(re.findall(r"^PREFIX\s+(\w+):", q.text, re.M))
    body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
    used = set(re.findall(r"(?<![\w?$<\"'])([a-z]+):[A-Za-z_]", body)) - {"http", "https"}
    assert used <= declared, f"undeclared prefixes {used - declared}"


def test_metadata_for_the_api() -> None:
    listing = CATALOGUE.list()
    assert [m["name"] for m in listing] == CATALOGUE.names()
    meta = next(m for m in listing if m["name"] == "mandates-due-in-quarter")
    quarter = next(p for p in meta["params"] if p["name"] == "quarter")  # type: ignore[union-attr]
    assert quarter == {"name": "quarter", "type": "integer", "default": "3", "required": False,
                       "description": "Quartal 1–4 / quarter 1–4",
                       "expected": "an integer from 1 to 4", "min": 1, "max": 4}
    json.dumps(listing)  # serialisable as it is


# -- header checks ---------------------------------------------------------------------------

GOOD_HEADER = """#+ title_de: Test
#+ title_en: Test query
#+ description: Ein Test / a test
#+ tags: [test]
#+ params:
#+   - name: session
#+     type: integer
#+     default: 48
#+     description: Sitzung / session
#+ example: kg query bad
"""


@pytest.mark.parametrize(("text", "message"), [
    # a ?_ variable in the query that the header does not declare (line 12)
    (GOOD_HEADER + "PREFIX bg: <x:>\nSELECT ?_session ?_year WHERE { ?s bg:n ?_session ;\n"
     " bg:y ?_year }\n", r"bad\.rq:12: variable \?_year .* no parameter 'year'"),
    # a declared parameter the query never uses (declared on line 6)
    (GOOD_HEADER + "SELECT ?s WHERE { ?s ?p ?o }\n",
     r"bad\.rq:6: parameter 'session' is declared but the query never uses \?_session"),
    # a parameter that only appears in a comment is not used either
    (GOOD_HEADER + "SELECT ?s WHERE { ?s ?p ?o } # ?_session\n",
     r"bad\.rq:6: parameter 'session' is declared but the query never uses"),
    # used but not projected: the results would not show what they answer
    (GOOD_HEADER + "SELECT ?s WHERE { ?s ?p ?_session }\n",
     r"bad\.rq:6: parameter 'session': the top-level SELECT must project \?_session"),
    # the query gives its parameter a value (line 12): the value comes from the caller
    (GOOD_HEADER + "SELECT ?_session WHERE {\n  BIND(48 AS ?_session) }\n",
     r"bad\.rq:12: the query assigns a value to its parameter \?_session"),
    # … or lists values for it
    (GOOD_HEADER + "SELECT ?_session WHERE {\n  VALUES ?_session { 48 } }\n",
     r"bad\.rq:12: the query assigns a value to its parameter \?_session"),
    # unknown parameter type
    (GOOD_HEADER.replace("type: integer", "type: number") + "SELECT ?_session {}\n",
     r"bad\.rq:6: parameter 'session' has type 'number'"),
    # default that does not fit the type (line 8)
    (GOOD_HEADER.replace("default: 48", "default: x") + "SELECT ?_session {}\n",
     r"bad\.rq:8: default of 'session' does not fit its type"),
    # a parameter without description
    (GOOD_HEADER.replace("#+     description: Sitzung / session\n", "") + "SELECT ?_session {}\n",
     r"bad\.rq:6: parameter 'session' lacks a description"),
    # no English title
    (GOOD_HEADER.replace("#+ title_en: Test query\n", "") + "SELECT ?_session {}\n",
     r"bad\.rq:\d+: the header lacks 'title_en'"),
    # a misspelt key (line 3)
    (GOOD_HEADER.replace("description: Ein", "descripton: Ein") + "SELECT ?_session {}\n",
     r"bad\.rq:3: expected one of title_de, .* got 'descripton: Ein"),
])
def test_header_and_query_must_agree(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        parse_query_file(path)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(tmp_path)


def test_good_header_parses(tmp_path: Path) -> None:
    path = tmp_path / "good.rq"
    path.write_text(GOOD_HEADER + "# ?_other in a comment is ignored\n"
                    "SELECT ?s ?_session WHERE { ?s <x:n> ?_session ; <x:iri> <x:a#b> }\n",
                    encoding="utf-8")
    q = parse_query_file(path)
    assert (q.name, q.tags, q.ordered) == ("good", ("test",), False)
    assert q.params[0].default == "48" and q.params[0].line == 6


def test_bundled_files_are_the_catalogue() -> None:
    assert sorted(p.stem for p in QUERY_DIR.glob("*.rq")) == CATALOGUE.names()


# -- parameter binding ----------------------------------------------------------------------


def test_bind_converts_by_type_and_fills_defaults() -> None:
    q = CATALOGUE.get("mandates-due-in-quarter")
    assert q.bind({"year": "2025", "quarter": "4"}) == {
        "_assignee": Literal("FITKO"),
        "_year": Literal("2025", XSD + "integer"),
        "_quarter": Literal("4", XSD + "integer"),
    }
    assert CATALOGUE.get("in-force-on-date").bind({"date": "2026-04-01"}) == {
        "_date": Literal("2026-04-01", XSD + "date"), "_all": Literal("false", XSD + "boolean")}


@pytest.mark.parametrize(("name", "params", "param", "expected"), [
    ("mandates-due-in-quarter", {"quarter": "5"}, "quarter", "an integer from 1 to 4"),
    ("mandates-due-in-quarter", {"quarter": "drei"}, "quarter", "an integer from 1 to 4"),
    ("mandates-due-in-quarter", {"year": "26"}, "year", "a year as YYYY"),
    ("in-force-on-date", {"date": "1.4.2026"}, "date", "a date as YYYY-MM-DD"),
    # the right form, but February has no 30th: said so, not "expected YYYY-MM-DD"
    ("in-force-on-date", {"date": "2026-02-30"}, "date", "'2026-02-30' is no day of the calendar"),
    ("resolution-text", {"resolution": "33/2025"}, "resolution", "a resolution number"),
    ("full-text-search", {}, "q", "required"),
    ("full-text-search", {"q": "  "}, "q", "a search term that is not empty"),
    ("resolutions-of-session", {"sessoin": "48"}, "sessoin", "expected one of: session"),
    ("sessions-overview", {"x": "1"}, "x", "takes no parameters"),
])
def test_bad_parameters_are_refused(name: str, params: dict[str, str], param: str,
                                    expected: str) -> None:
    with pytest.raises(ParameterError) as info:
        CATALOGUE.get(name).bind(params)
    assert info.value.param == param
    assert expected in info.value.message


def test_other_parameter_types(tmp_path: Path) -> None:
    (tmp_path / "types.rq").write_text(
        "#+ title_de: Typen\n#+ title_en: Types\n#+ description: Typen / types\n"
        "#+ params:\n"
        "#+   - name: flag\n#+     type: boolean\n#+     default: ja\n"
        "#+     description: Schalter / switch\n"
        "#+   - name: thing\n#+     type: iri\n#+     description: Ding / thing\n"
        "SELECT ?_flag ?_thing {}\n", encoding="utf-8")
    q = load_catalogue(tmp_path).get("types")
    assert q.bind({"thing": "bg:Adopted"}) == {
        "_flag": Literal("true", XSD + "boolean"),
        "_thing": IRI("https://w3id.org/beschlussgraph/ontology#Adopted")}
    assert q.bind({"flag": "false", "thing": "<https://example.org/a>"})["_thing"] == IRI(
        "https://example.org/a")
    for bad in ("not an iri", "https://example.org/a> } DROP ALL {", "bg"):
        with pytest.raises(ParameterError, match="thing"):
            q.bind({"thing": bad})
    with pytest.raises(ParameterError, match="true or false"):
        q.bind({"thing": "bg:x", "flag": "vielleicht"})


def test_unknown_query_suggests_close_names() -> None:
    with pytest.raises(UnknownQueryError) as info:
        CATALOGUE.get("mandates")
    assert "mandates-open-on-date" in info.value.suggestions
    assert "kg queries" in str(info.value)


# -- parameters are bound, never formatted into the text -------------------------------------

HOSTILE = ['> } DROP ALL #', '" } ; DELETE WHERE { ?s ?p ?o } #', "') || true || ('",
           "NOOTS\" . } UNION { ?x ?y ?z"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_match_nothing_and_change_nothing(seed_store: OxigraphStore,
                                                          value: str) -> None:
    before = seed_store.count_quads()
    for name, param in [("full-text-search", "q"), ("mandates-open-on-date", "assignee"),
                        ("protocol-notes-by-author", "author"), ("land-roles", "land"),
                        ("resolutions-by-eurovoc-subject", "subject")]:
        q = CATALOGUE.get(name)
        assert value not in q.text
        rows = seed_store.select(q.bound_text(q.bind({param: value})))
        assert rows == [], f"{name}: {rows[:1]}"
    assert seed_store.count_quads() == before


def test_the_search_term_is_text_not_a_pattern(seed_store: OxigraphStore) -> None:
    q = CATALOGUE.get("full-text-search")
    # "." would match everything as a regular expression; as text it is a full stop
    dots = seed_store.select(q.bound_text(q.bind({"q": "IT-PLR."})))
    assert dots == []
    hits = seed_store.select(q.bound_text(q.bind({"q": "noots"})))
    assert len(hits) == 13  # case-insensitive, as for "NOOTS"


# -- every query on all bundled data ---------------------------------------------------------


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_runs_on_all_bundled_data(bundled_store: OxigraphStore, name: str) -> None:
    q = CATALOGUE.get(name)
    result = bundled_store.query(q.bound_text(q.bind(REQUIRED.get(name, {}))))
    assert result.form == "select"
    # the bound parameters come back as columns: a row says what it answered
    assert {p.variable for p in q.params} <= set(result.variables)
    for row in result.rows:
        assert all(row[p.variable] is not None for p in q.params)


def test_a_resolution_in_two_documents_is_not_doubled(bundled_store: OxigraphStore) -> None:
    """The register describes the 48th session's resolutions too: one row each all the same."""
    def rows(name: str, **params: str) -> list[dict[str, object]]:
        q = CATALOGUE.get(name)
        return bundled_store.select(q.bound_text(q.bind(params)))

    session = rows("resolutions-of-session")
    assert len(session) == 22 and len({r["id"] for r in session}) == 22
    assert {r["identifier"] for r in session if r["id"] == "2025/33"} == {"B-2025/33-IT"}
    assert [r["number"] for r in rows("resolution-text")] == ["1", "2", "3", "4", "5"]
    # each document states the reference with its own evidence and lines (references are
    # minted per document); the partial repeal names the point it repeals
    refs = rows("references-outgoing")
    seen = {(str(r["document"]).rsplit("/", 1)[1], str(r["relation"]).rsplit("#", 1)[1],
             r["targetId"], r["targetPoint"], r["lineStart"]) for r in refs}
    assert ("itplr-48-2025-11-26-protokoll", "repealsPartOf", "2025/02", "3", 436) in seen
    assert any(k[:4] == ("itplr-register", "repealsPartOf", "2025/02", "3") for k in seen)
    assert len(refs) == len(seen)


def _without_lines(row: dict[str, object]) -> tuple:
    return tuple((k, str(v)) for k, v in row.items() if k not in ("lineStart", "lineEnd"))


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_no_row_repeats_for_another_document_line(bundled_store: OxigraphStore,
                                                   name: str) -> None:
    """2025/03 is stated by a text and by a saved page, at other lines: a query's rows must
    not repeat a mandate or an amount once per line (a row per document names the document)."""
    q = CATALOGUE.get(name)
    rows = bundled_store.select(q.bound_text(q.bind(REQUIRED.get(name, {}))))
    assert len({_without_lines(r) for r in rows}) == len(rows)


def test_mandates_of_a_resolution_in_two_documents(bundled_store: OxigraphStore) -> None:
    q = CATALOGUE.get("mandates-of-resolution")
    rows = bundled_store.select(q.bound_text(q.bind({"resolution": "2025/03"})))
    # data/record/beschluss-2025-03.txt L9 (Ziffer 3: Skizzen einholen) and L15 (Ziffer 6:
    # "bis zur 48. Sitzung"); the saved page states both again at L29 and L35
    assert [(r["point"], r["lineStart"], str(r["document"]).rsplit("/", 1)[1])
            for r in rows] == [("3", 9, "beschluss-2025-03"), ("6", 15, "beschluss-2025-03")]
    q = CATALOGUE.get("amounts-decided")
    rows = [r for r in bundled_store.select(q.bound_text(q.bind({"year": "2025"})))
            if r["resolutionId"] == "2025/03"]
    # beschluss-2025-03.txt L5: "15 Mio. Euro" (once, not once per document)
    assert [(r["value"], r["lineStart"]) for r in rows] == [(15000000, 5)]


def test_bundled_register_adds_to_the_picture(bundled_store: OxigraphStore,
                                              seed_store: OxigraphStore) -> None:
    """With the decision register loaded, fewer references point at unloaded resolutions."""
    q = CATALOGUE.get("unloaded-references")
    seed = {r["id"] for r in seed_store.select(q.text)}
    bundled = {r["id"] for r in bundled_store.select(q.text)}
    assert bundled != seed


# -- command line ----------------------------------------------------------------------------


def test_kg_queries_lists_every_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in listed] == CATALOGUE.names()
    assert main(["queries", "in-force-on-date", "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["name"] == "in-force-on-date" and "SELECT" in one["text"]
    assert main(["queries", "--tag", "fitko", "--json"]) == 0
    assert [m["name"] for m in json.loads(capsys.readouterr().out)] == [
        "mandates-due-in-quarter"]


def test_kg_query_runs_a_named_query(seed_store_path: Path,
                                     capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["--store", str(seed_store_path), "query", "mandates-due-in-quarter",
                 "--param", "year=2025", "--param", "quarter=4", "--format", "json"])
    out = capfd.readouterr().out
    assert code == 0
    rows = json.loads(out)["results"]["bindings"]
    assert [r["deadlineText"]["value"] for r in rows] == ["bis zum 15.12.2025"]


@pytest.mark.parametrize(("args", "message"), [
    (["query", "resolutions-of-sesion"], "did you mean: resolutions-of-session"),
    (["query", "in-force-on-date", "-p", "date=gestern"],
     "parameter 'date': expected a date as YYYY-MM-DD"),
    (["query", "resolutions-of-session", "-p", "session"], "expects KEY=VALUE"),
    (["query", "resolutions-of-session", "-p", "session=1", "-p", "session=2"], "given twice"),
    (["queries", "no-such-query"], "no named query 'no-such-query'"),
])
def test_kg_query_errors_exit_2(seed_store_path: Path, capfd: pytest.CaptureFixture[str],
                                args: list[str], message: str) -> None:
    assert main(["--store", str(seed_store_path), *args]) == 2
    err = " ".join(capfd.readouterr().err.split())
    assert message in err
