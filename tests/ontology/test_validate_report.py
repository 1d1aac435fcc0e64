"""kg.validate on real on-disk stores: which graphs are validated, the conflict-check hook,
and errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import validate as validation
from kg.namespaces import DEFAULT_BASE
from kg.store import OxigraphStore
from kg.validate import Finding, ValidationSetupError, validate_file, validate_store
from tests.ontology.conftest import (
    DOC_GRAPH,
    SHAPES,
    StoreFactory,
    mutate,
    open_store,
    parse_dataset,
)

R = DEFAULT_BASE + "eli/itplr/beschluss/2025/31"
BAD_ID = ('DELETE { ?r eli:id_local ?i } INSERT { ?r eli:id_local "2025/3x" } '
          "WHERE { ?r eli:id_local ?i FILTER (?i = \"2025/31\") }")


# -- conflict checks used through the CHECKS hook ("module:function") ----------------------

def check_flags_resolution(store: OxigraphStore) -> list[Finding]:
    """A check that finds every loaded resolution with a date (all of them in the fixture)."""
    rows = store.select("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                        "SELECT ?r WHERE { ?r eli:date_document ?d }")
    return [Finding("Violation", "resolution dated twice in two documents", str(r["r"]))
            for r in rows]


def check_warns(store: OxigraphStore) -> list[Finding]:
    return [Finding("Warning", "a conflict worth a look", None)]


def check_bad_severity(store: OxigraphStore) -> list[Finding]:
    return [Finding("Fatal", "no such severity", None)]  # type: ignore[arg-type]


HERE = __name__


def test_valid_store_conforms(make_store: StoreFactory) -> None:
    report = validate_store(open_store(make_store({DOC_GRAPH: parse_dataset()})), [SHAPES], [])
    assert report.conforms is True
    assert report.violations == []
    assert report.data_triples == len(parse_dataset())


def test_union_of_graphs_is_validated(make_store: StoreFactory) -> None:
    # the agenda item's session lives in another graph: found through the union
    data = parse_dataset()
    session = [t for t in data if str(t[0]) == DEFAULT_BASE + "sitzung/itplr/48"]
    rest = data - session  # type: ignore[operator]
    other = parse_dataset("")
    for t in session:
        other.add(t)
    store = open_store(make_store({DOC_GRAPH: rest, DEFAULT_BASE + "graph/other": other}))
    report = validate_store(store, [SHAPES], [])
    assert report.conforms is True


def test_vocabulary_and_shapes_graphs_are_not_validated(make_store: StoreFactory,
                                                        tmp_path: Path) -> None:
    # the same broken data in a urn:vocab: graph and in a graph holding shapes is ignored
    broken = mutate(BAD_ID)
    shapes_graph = mutate(BAD_ID)
    shapes_graph.parse(SHAPES, format="turtle")
    shapes_file = tmp_path / "shapes-and-data.ttl"
    shapes_graph.serialize(shapes_file, format="turtle")
    store = open_store(make_store({
        DOC_GRAPH: parse_dataset(),
        "urn:vocab:test": broken,
        DEFAULT_BASE + "graph/shapes": shapes_file,
    }))
    assert validation.data_graphs(store) == [DOC_GRAPH]
    assert validate_store(store, [SHAPES], []).conforms is True


def test_broken_data_graph_reports_focus_path_shape(make_store: StoreFactory) -> None:
    store = open_store(make_store({DOC_GRAPH: mutate(BAD_ID)}))
    report = validate_store(store, [SHAPES], [])
    assert report.conforms is False
    assert [(v.focus, v.path, v.constraint, v.source_shape, v.value) for v in report.violations] \
        == [(R, "eli:id_local", "Pattern", "bgsh:Resolution-id", "2025/3x")]
    assert report.counts == {"Violation": 1, "Warning": 0, "Info": 0}


def test_checks_add_findings_and_break_conformance(make_store: StoreFactory) -> None:
    store = open_store(make_store({DOC_GRAPH: parse_dataset()}))
    report = validate_store(store, [SHAPES], [f"{HERE}:check_flags_resolution"])
    assert report.conforms is False
    assert report.findings == [Finding("Violation", "resolution dated twice in two documents", R,
                                       f"{HERE}:check_flags_resolution")]
    assert report.checks == [f"{HERE}:check_flags_resolution"]


def test_warning_findings_keep_conformance(make_store: StoreFactory) -> None:
    store = open_store(make_store({DOC_GRAPH: parse_dataset()}))
    report = validate_store(store, [SHAPES], [f"{HERE}:check_warns"])
    assert report.conforms is True
    assert report.counts["Warning"] == 1


def test_registered_checks_run_by_default(make_store: StoreFactory,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "CHECKS", [f"{HERE}:check_warns"])
    store = open_store(make_store({DOC_GRAPH: parse_dataset()}))
    assert [f.check for f in validate_store(store, [SHAPES]).findings] == [f"{HERE}:check_warns"]


@pytest.mark.parametrize(("check", "error"), [
    # a module that does not exist
    ("tests.ontology.no_such_module:check", "cannot be loaded"),
    # a function that does not exist
    (f"{HERE}:no_such_check", "cannot be loaded"),
    # a finding with a severity outside Violation/Warning/Info
    (f"{HERE}:check_bad_severity", "returned severity 'Fatal'"),
])
def test_broken_checks_are_setup_errors(make_store: StoreFactory, check: str, error: str) -> None:
    store = open_store(make_store({DOC_GRAPH: parse_dataset()}))
    with pytest.raises(ValidationSetupError, match=error) as info:
        validate_store(store, [SHAPES], [check])
    assert check.split(":")[0] in str(info.value)


def test_shapes_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "shapes-bad.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:path <b\n",
                   encoding="utf-8")
    with pytest.raises(ValidationSetupError) as info:
        validation.validate_graph(parse_dataset(), [SHAPES, bad])
    assert str(bad) in str(info.value)
    assert "line 3" in str(info.value)


def test_invalid_shape_is_blamed_on_its_file(tmp_path: Path) -> None:
    # SHACL-SPARQL forbids VALUES; pyshacl refuses the shape, the message names the file
    bad = tmp_path / "shapes-values.ttl"
    bad.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:x:S> a sh:NodeShape ; sh:targetNode <urn:x:n> ;
    sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
""", encoding="utf-8")
    with pytest.raises(ValidationSetupError, match="VALUES") as info:
        validation.validate_graph(parse_dataset(), [SHAPES, bad])
    assert str(info.value).startswith(str(bad))


def test_missing_shapes_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationSetupError, match="cannot read") as info:
        validation.validate_graph(parse_dataset(), [tmp_path / "nope.ttl"])
    assert "nope.ttl" in str(info.value)


def test_default_shapes_are_every_shapes_file_in_ontology() -> None:
    names = [p.name for p in validation.default_shapes_files()]
    assert "shapes.ttl" in names
    assert all(n.startswith("shapes") and n.endswith(".ttl") for n in names)


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".nq"])
def test_validate_file_formats(tmp_path: Path, suffix: str) -> None:
    graph = mutate(BAD_ID)
    path = tmp_path / f"data{suffix}"
    if suffix in (".trig", ".nq"):
        import rdflib

        dataset = rdflib.Dataset()
        named = dataset.graph(rdflib.URIRef(DOC_GRAPH))
        for t in graph:
            named.add(t)
        dataset.serialize(path, format="trig" if suffix == ".trig" else "nquads")
    else:
        graph.serialize(path, format="turtle" if suffix == ".ttl" else "nt")
    report = validate_file(path, [SHAPES], [])
    assert [(v.focus, v.path) for v in report.violations] == [(R, "eli:id_local")]


def test_validate_file_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ValidationSetupError, match="unknown RDF file type"):
        validate_file(path, [SHAPES], [])


def test_report_is_json_serialisable(make_store: StoreFactory) -> None:
    store = open_store(make_store({DOC_GRAPH: mutate(BAD_ID)}))
    data = json.loads(json.dumps(validate_store(store, [SHAPES], []).to_dict()))
    assert data["conforms"] is False
    assert data["violations"][0]["message"].startswith("A resolution needs exactly one canonical")
    assert data["violations"][0]["message_de"].startswith("Ein Beschluss braucht genau eine")


def test_reversed_ranges_are_found_graph_by_graph(make_store: StoreFactory) -> None:
    # the vote's lines are reversed in its own document; the resolution is described by a
    # second document whose lines (3-4) lie before the protocol's (60-85): no finding for it
    vote = R + "/abstimmung"
    protocol = mutate(f"DELETE {{ <{vote}> bg:lineStart ?s ; bg:pageStart ?p }} "
                      f"INSERT {{ <{vote}> bg:lineStart 99 }} WHERE {{ <{vote}> bg:lineStart ?s }}")
    register = parse_dataset(f"""
        <graph/register> a bg:SourceDocument , prov:Entity ; dct:title "decisions.csv" ;
            bg:sha256 "{"ab" * 32}" ; bg:loaderVersion "0.1.0" ; bg:documentKind "register" ;
            bg:loadedAt "2026-01-12T10:00:00"^^xsd:dateTime .
        <{R}> prov:wasDerivedFrom <graph/register> ; bg:lineStart 3 ; bg:lineEnd 4 .
        <{R}/ziffer/1> prov:wasDerivedFrom <graph/register> ; bg:pageStart 2 ; bg:pageEnd 1 .
    """)
    store = open_store(make_store({DOC_GRAPH: protocol,
                                   DEFAULT_BASE + "graph/register": register}))
    findings = validation.source_ranges_per_document(store)
    assert [(f.focus, f.message) for f in findings] == [
        (vote, f"bg:lineStart 99 is greater than bg:lineEnd 85 (graph {DOC_GRAPH})"),
        (R + "/ziffer/1", "bg:pageStart 2 is greater than bg:pageEnd 1 "
                          f"(graph {DEFAULT_BASE}graph/register)"),
    ]
    report = validate_store(store, [SHAPES], ["kg.validate:source_ranges_per_document"])
    assert report.violations == []
    assert report.conforms is False
