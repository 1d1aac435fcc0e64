"""Validation of the dataset: SHACL shapes plus registered conflict checks.

`validate_store` exports the union of the data graphs (vocabulary graphs `urn:vocab:*`,
ontology and shapes graphs left out) as N-Triples, parses it into an rdflib graph and runs
pyshacl with no inference against every `ontology/shapes*.ttl`. Then it runs the conflict
checks listed in `CHECKS` (other modules add theirs) and merges both into one report.

A result or finding of severity "Violation" makes the dataset non-conformant; warnings and
infos are reported but do not.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal as TypingLiteral

import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Node, URIRef

from kg.namespaces import PREFIXES
from kg.namespaces import SH as SH_NS
from kg.settings import ONTOLOGY_DIR
from kg.store import OxigraphStore
from kg.terms import IRI

Severity = TypingLiteral["Violation", "Warning", "Info"]
SEVERITIES: tuple[Severity, ...] = ("Violation", "Warning", "Info")

SHAPES_GLOB = "shapes*.ttl"
VOCAB_GRAPH_PREFIX = "urn:vocab:"
SHAPES_NS = "https://w3id.org/beschlussgraph/shapes#"

# Conflict checks run after the shapes: "module:function" paths, each function(store) ->
# list[Finding]. Other modules append theirs here (import paths keep this module light).
CHECKS: list[str] = [
    "kg.validate:source_ranges_per_document",
    "kg.analysis.conflicts:find_conflicts",
    "kg.disagreements:find_disagreements",  # one decision, sources that differ
]


class ValidationSetupError(Exception):
    """Validation could not run: an unreadable shapes or data file, a broken check. The
    message names the file (and line where known) or the check."""


@dataclass(frozen=True)
class Finding:
    """One result of a conflict check. `focus` is the IRI the finding is about, if any;
    `check` is filled in by the runner with the check's "module:function" path."""

    severity: Severity
    message: str
    focus: str | None = None
    check: str = ""


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result (whatever its severity)."""

    focus: str
    path: str | None  # compact form, e.g. "eli:is_part_of" or "^eli:has_part"
    message: str  # English message (vocabulary IRIs compacted)
    severity: Severity
    source_shape: str  # "bgsh:ResolutionShape" or "bgsh:ResolutionPointShape/eli:number"
    constraint: str  # constraint component without namespace, e.g. "MinCount"
    value: str | None = None
    message_de: str | None = None


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    findings: list[Finding]
    shapes_files: list[str]
    data_triples: int
    checks: list[str] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for v in self.violations if v.severity == severity) + sum(
            1 for f in self.findings if f.severity == severity
        )

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in SEVERITIES}

    def to_dict(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "counts": self.counts,
            "data_triples": self.data_triples,
            "shapes_files": self.shapes_files,
            "checks": self.checks,
            "violations": [asdict(v) for v in self.violations],
            "findings": [asdict(f) for f in self.findings],
        }


# -- shapes ----------------------------------------------------------------------------------


def default_shapes_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """Every shapes file of the project (`shapes.ttl`, `shapes-links.ttl`, …), sorted."""
    return sorted(directory.glob(SHAPES_GLOB))


def load_shapes(files: Sequence[Path]) -> rdflib.Graph:
    """Parse the shapes files into one graph; a file that cannot be read or parsed raises
    ValidationSetupError naming it."""
    if not files:
        raise ValidationSetupError(
            f"no shapes files: expected {ONTOLOGY_DIR / SHAPES_GLOB} or --shapes FILE"
        )
    shapes = rdflib.Graph()
    for path in files:
        shapes += _parse_shapes_file(path)
    return shapes


def _parse_shapes_file(path: Path) -> rdflib.Graph:
    try:
        stat = path.stat()
    except OSError as exc:
        raise ValidationSetupError(f"{path}: cannot read the shapes file: {exc}") from exc
    return _parse_shapes_cached(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _parse_shapes_cached(path: Path, _mtime_ns: int, _size: int) -> rdflib.Graph:
    """Parsed once per file version (the key carries mtime and size); callers merge copies."""
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except OSError as exc:
        raise ValidationSetupError(f"{path}: cannot read the shapes file: {exc}") from exc
    except SyntaxError as exc:  # rdflib's BadSyntax; its text carries the line number
        raise ValidationSetupError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


# -- data ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _prepare(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return prepareQuery(text, initNs=dict(namespaces))


class _QueryCachingGraph(rdflib.Graph):
    """An rdflib graph that parses each SPARQL text once.

    pyshacl runs a SPARQL constraint once per focus node with the same text ($this is
    pre-bound), and rdflib parses the text every time: on the seed that parsing was 85 % of
    the validation time. Cached (across runs too: the texts come from the shapes), a run over
    the seed takes a second instead of seven."""

    def query(self, query_object, processor="sparql", result="sparql",  # type: ignore[no-untyped-def,override]
              initNs=None, initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        if isinstance(query_object, str) and initNs is None:
            namespaces = tuple((p, str(ns)) for p, ns in self.namespaces())
            query_object = _prepare(_sorted_prefixes(query_object), namespaces)
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


def _sorted_prefixes(text: str) -> str:
    """pyshacl writes the PREFIX lines in set order, which changes between runs; sorted, the
    same constraint gives the same text and hits the cache."""
    lines = text.split("\n")
    n = 0
    while n < len(lines) and lines[n].startswith("PREFIX "):
        n += 1
    return "\n".join(sorted(lines[:n]) + lines[n:])


def _caching(graph: rdflib.Graph) -> _QueryCachingGraph:
    """The same triples (shared store, no copy) behind the caching query method."""
    if isinstance(graph, _QueryCachingGraph):
        return graph
    return _QueryCachingGraph(store=graph.store, identifier=graph.identifier)


_IS_VOCABULARY_GRAPH = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
ASK { GRAPH ?g {
    { ?x a owl:Ontology } UNION { ?x a sh:NodeShape } UNION { ?x a sh:PropertyShape }
} }
"""


def data_graphs(store: OxigraphStore) -> list[str]:
    """The named graphs that hold data: not `urn:vocab:*`, not an ontology or shapes graph."""
    graphs = []
    for graph in store.named_graphs():
        if graph.startswith(VOCAB_GRAPH_PREFIX):
            continue
        if store.ask(_IS_VOCABULARY_GRAPH, substitutions={"g": IRI(graph)}):
            continue
        graphs.append(graph)
    return graphs


def data_graph_from_store(store: OxigraphStore) -> rdflib.Graph:
    """The union of the data graphs as one rdflib graph (exported as N-Triples: the fastest
    way from Oxigraph to rdflib)."""
    graph = _QueryCachingGraph()
    graphs = data_graphs(store)
    if not graphs:
        return graph
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                         default_graphs=graphs, graph_format="ntriples")
    graph.parse(data=result.raw or b"", format="nt")
    return graph


_DATA_FORMATS = {
    ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
    ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml",
}


def load_data_file(path: Path) -> OxigraphStore:
    """An in-memory store holding an RDF file (Turtle, N-Triples, N-Quads, TriG, …), so that a
    file is validated exactly like a store, conflict checks included. Triples outside a named
    graph go to a graph named after the file."""
    fmt = _DATA_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationSetupError(
            f"{path}: unknown RDF file type {path.suffix!r}; "
            f"use one of {', '.join(sorted(_DATA_FORMATS))}"
        )
    dataset = rdflib.Dataset()
    file_graph = URIRef(path.resolve().as_uri())
    try:
        if fmt in ("nquads", "trig"):
            dataset.parse(path, format=fmt)
        else:
            dataset.graph(file_graph).parse(path, format=fmt)
    except OSError as exc:
        raise ValidationSetupError(f"{path}: cannot read the data file: {exc}") from exc
    except SyntaxError as exc:
        raise ValidationSetupError(f"{path}: not valid {fmt}: {exc}") from exc
    lines = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = file_graph if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else g
        lines.append(f"{s.n3()} {p.n3()} {o.n3()} {graph.n3()} .\n")
    store = OxigraphStore.in_memory()
    store.bulk_load_nquads("".join(lines).encode("utf-8"))
    return store


# -- checks ----------------------------------------------------------------------------------

Check = Callable[[OxigraphStore], list[Finding]]


def resolve_check(path: str) -> Check:
    module, _, attr = path.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ValidationSetupError(f"conflict check {path!r} cannot be loaded: {exc}") from exc


def run_checks(store: OxigraphStore, checks: Sequence[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path in checks:
        for finding in resolve_check(path)(store):
            if finding.severity not in SEVERITIES:
                raise ValidationSetupError(
                    f"conflict check {path!r} returned severity {finding.severity!r}; "
                    f"expected one of {', '.join(SEVERITIES)}"
                )
            findings.append(replace(finding, check=finding.check or path))
    return findings


_REVERSED_RANGES = """
PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
SELECT ?s ?g ?what ?start ?end WHERE {
    GRAPH ?g {
        { ?s bg:lineStart ?start ; bg:lineEnd ?end BIND ("bg:lineStart" AS ?what) }
        UNION
        { ?s bg:pageStart ?start ; bg:pageEnd ?end BIND ("bg:pageStart" AS ?what) }
        FILTER (?start > ?end)
    }
}
ORDER BY ?s ?g ?what
"""


def source_ranges_per_document(store: OxigraphStore) -> list[Finding]:
    """Line and page ranges in order (start <= end), graph by graph.

    Not a shape: the shapes see the union of the graphs, where a resource described by two
    documents has two ranges and a start would be compared with the other document's end."""
    findings = []
    for row in store.select(_REVERSED_RANGES):
        end_name = str(row["what"]).replace("Start", "End")
        findings.append(Finding(
            "Violation",
            f"{row['what']} {row['start']} is greater than {end_name} {row['end']} "
            f"(graph {row['g']})",
            str(row["s"]),
        ))
    return findings


# -- validation ------------------------------------------------------------------------------


def validate_graph(
    data: rdflib.Graph, shapes_files: Sequence[Path] | None = None
) -> ValidationReport:
    """Validate an rdflib graph against the shapes (default: every ontology/shapes*.ttl)."""
    files = list(shapes_files) if shapes_files is not None else default_shapes_files()
    shapes = load_shapes(files)
    triples = len(data)
    results = _run_pyshacl(_caching(data), shapes, files)
    violations = sorted(
        (_violation(results, shapes, r) for r in results.subjects(RDF.type, SH.ValidationResult)),
        key=lambda v: (SEVERITIES.index(v.severity), v.source_shape, v.path or "", v.focus),
    )
    return ValidationReport(
        conforms=not any(v.severity == "Violation" for v in violations),
        violations=violations,
        findings=[],
        shapes_files=[str(f) for f in files],
        data_triples=triples,
    )


def validate_store(
    store: OxigraphStore,
    shapes_files: Sequence[Path] | None = None,
    checks: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate the data graphs of a store against the shapes and run the conflict checks."""
    report = validate_graph(data_graph_from_store(store), shapes_files)
    check_paths = list(CHECKS if checks is None else checks)
    findings = run_checks(store, check_paths)
    report.findings = findings
    report.checks = check_paths
    report.conforms = report.conforms and not any(f.severity == "Violation" for f in findings)
    return report


def validate_file(
    path: Path,
    shapes_files: Sequence[Path] | None = None,
    checks: Sequence[str] | None = None,
) -> ValidationReport:
    return validate_store(load_data_file(path), shapes_files, checks)


def _run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph, files: Sequence[Path]) -> rdflib.Graph:
    try:
        _conforms, results, _text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", inplace=True,
            allow_warnings=True, allow_infos=True,
        )
    except ReportableRuntimeError as exc:
        raise ValidationSetupError(_blame_shapes_file(files, exc)) from exc
    if isinstance(results, ReportableRuntimeError):  # pyshacl returns some failures
        raise ValidationSetupError(_blame_shapes_file(files, results))
    assert isinstance(results, rdflib.Graph)
    return results


def _blame_shapes_file(files: Sequence[Path], error: ReportableRuntimeError) -> str:
    """Name the shapes file a pyshacl failure comes from (the shapes are merged before
    validation, so try each file alone against an empty graph)."""
    for path in files:
        alone = rdflib.Graph() + _parse_shapes_file(path)  # a copy: the parse is cached
        try:
            _c, results, _t = pyshacl.validate(rdflib.Graph(), shacl_graph=alone,
                                               inference="none")
        except ReportableRuntimeError as exc:
            return f"{path}: invalid shapes: {exc.message}"
        if isinstance(results, ReportableRuntimeError):
            return f"{path}: invalid shapes: {results.message}"
    return f"{', '.join(str(f) for f in files)}: invalid shapes: {error.message}"


# -- turning pyshacl results into plain records ----------------------------------------------

_COMPACT = sorted(
    [*PREFIXES.items(), ("sh", SH_NS), ("bgsh", SHAPES_NS), ("m8g", "http://data.europa.eu/m8g/")],
    key=lambda item: -len(item[1]),
)


def compact(iri: str) -> str:
    """`bg:Resolution` for a vocabulary IRI; data IRIs stay as they are."""
    for prefix, namespace in _COMPACT:
        if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _compact_text(text: str) -> str:
    """Messages with `{?path}` substituted carry full vocabulary IRIs; shorten those."""
    words = text.split(" ")
    return " ".join(compact(w) if "://" in w else w for w in words)


def _node_text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return "_:" + str(node)
    return str(node)


def _path_text(graph: rdflib.Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(str(path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (_path_text(graph, inverse) or "?")
    return "(complex path)"


def _shape_text(shapes: rdflib.Graph, shape: Node | None) -> str:
    """A readable name for a shape: its IRI, or for an anonymous property shape the node
    shape that holds it plus the path."""
    if isinstance(shape, URIRef):
        return compact(str(shape))
    if shape is None:
        return "?"
    parent = shapes.value(predicate=SH.property, object=shape)
    parent_text = _shape_text(shapes, parent) if parent is not None else "_"
    return f"{parent_text}/{_path_text(shapes, shapes.value(shape, SH.path))}"


def _messages(
    results: rdflib.Graph, shapes: rdflib.Graph, result: Node
) -> tuple[str, str | None]:
    """The English and German result messages. pyshacl drops the language tag when it fills
    in `{?var}` in a SPARQL constraint's message, so an untagged message is matched back to
    the tagged template it came from."""
    templates = [
        m for node in (results.value(result, SH.sourceConstraint),
                       results.value(result, SH.sourceShape)) if node is not None
        for m in shapes.objects(node, SH.message)
    ]
    by_lang: dict[str, str] = {}
    untagged: list[str] = []
    for message in results.objects(result, SH.resultMessage):
        lang = getattr(message, "language", None)
        if lang:
            by_lang.setdefault(lang, str(message))
        else:
            untagged.append(str(message))
    for text in untagged:
        lang = next((getattr(t, "language", None) for t in templates
                     if getattr(t, "language", None) and _template_matches(str(t), text)), None)
        by_lang.setdefault(lang or "", text)
    english = by_lang.get("en") or by_lang.get("") or by_lang.get("de") or ""
    german = by_lang.get("de")
    return _compact_text(english), (_compact_text(german) if german else None)


def _template_matches(template: str, text: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in re.split(r"\{[?$]\w+\}", template))
    return re.fullmatch(pattern, text, flags=re.DOTALL) is not None


def _violation(results: rdflib.Graph, shapes: rdflib.Graph, result: Node) -> Violation:
    severity_node = results.value(result, SH.resultSeverity)
    severity: Severity = "Violation"
    if severity_node == SH.Warning:
        severity = "Warning"
    elif severity_node == SH.Info:
        severity = "Info"
    component = str(results.value(result, SH.sourceConstraintComponent) or "")
    message, message_de = _messages(results, shapes, result)
    value = results.value(result, SH.value)
    return Violation(
        focus=_node_text(results.value(result, SH.focusNode)) or "?",
        path=_path_text(results, results.value(result, SH.resultPath)),
        message=message,
        severity=severity,
        source_shape=_shape_text(shapes, results.value(result, SH.sourceShape)),
        constraint=component.rpartition("#")[2].removesuffix("ConstraintComponent"),
        value=_node_text(value),
        message_de=message_de,
    )
