"""The store: the only module that imports pyoxigraph.

Layout on disk (`Settings.store`)::

    store/
      current -> gen-000003     symlink, switched atomically with os.replace
      gen-000002/               previous generation, kept for readers that still have it open
      gen-000003/

Writers never touch the generation that readers use: `StoreDirectory.writing()` takes the
writer lock (one writer per store), makes a backup (hard links) of the current generation,
yields it writable, and only when the block ends without error flips `current` to it. A failed
load therefore leaves the store exactly as it was, and a read-only server never reads a
database another process is writing (undefined behaviour in RocksDB).

The default graph holds the set union of the named graphs. A writable generation records the
triples of each graph before its first change in that generation; at the end only the
difference is applied to the union, so a load costs what it changed, not what the store holds.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.terms import IRI, Literal, Quad

if TYPE_CHECKING:
    from kg.settings import Settings

_GEN = re.compile(r"^gen-(\d{6})$")
# files beside a generation that belong to it (gen-000007.search, …), pruned with it
_GEN_SIDECAR = re.compile(r"^(gen-\d{6})\.[a-z]+$")
BULK_THRESHOLD = 20_000  # triples written at once above which the bulk loader is used
# one bulk_load reads at most this much N-Triples: the loader's memory grows with what one
# call reads (a 180 MB file, the analysis graph of 1,000 sessions: +1 GB at its peak; in
# pieces of this size +0.2 GB, and no slower)
BULK_FILE_BYTES = 32_000_000


class StoreError(Exception):
    """A store that cannot be opened or written; the message says what to do."""


class StoreBusy(StoreError):
    """Another process holds the writer lock of the store."""


class QuerySyntaxError(ValueError):
    """A SPARQL text that does not parse; the message says where and, briefly, why."""

    @classmethod
    def explain(cls, query: str, message: str) -> QuerySyntaxError:
        return cls(explain_syntax_error(query, message))


_POSITION = re.compile(r"error at (\d+):(\d+): ")


def explain_syntax_error(query: str, message: str) -> str:
    """Oxigraph lists every character it would accept; keep the position, name an unknown
    prefix, and shorten the list of alternatives to what a person can read."""
    m = _POSITION.search(message)
    if m and "Prefix not found" in message:
        line, column = int(m.group(1)), int(m.group(2))
        lines = query.split("\n")
        before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        prefix = name.group(1) or "" if name else ""
        start = column - len(name.group(0)) if name else column
        return (f"unknown prefix {prefix}: at line {line}, column {start}: declare it with "
                f"PREFIX {prefix}: <…>")
    head, sep, alternatives = message.partition("expected one of ")
    if sep and len(alternatives) > 80:
        cut = alternatives.rfind(", ", 0, 80)
        return f"{head}expected one of {alternatives[:cut if cut > 0 else 80]}, …"
    return message


# -- formats ---------------------------------------------------------------------------------

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


# -- conversion between kg.terms and pyoxigraph ---------------------------------------------


def _to_ox(term: IRI | Literal) -> ox.NamedNode | ox.Literal:
    if isinstance(term, IRI):
        return ox.NamedNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))


_XSD_STRING_IRI = "http://www.w3.org/2001/XMLSchema#string"


def to_python(term: object) -> object:
    """A pyoxigraph term as a plain value: IRIs and blank nodes as str, literals converted."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(sys.intern(term.value))  # one string per IRI, as in _plain
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        if dtype.endswith("#integer") or dtype.endswith("#int") or dtype.endswith("#long"):
            return int(term.value)
        if dtype.endswith("#boolean"):
            return term.value in ("true", "1")
        if dtype.endswith("#decimal") or dtype.endswith("#double"):
            return float(term.value)
        return term.value
    return str(term)


def _plain(term: object) -> object:
    kind = type(term)
    if kind is ox.NamedNode:
        # one string per IRI, however many rows name it: a projection keeps each IRI as a
        # node key and again in every adjacency and record that refers to it (at 1,000
        # sessions 596 -> 440 MB, and its pickle 59 -> 35 MB)
        return sys.intern(term.value)  # type: ignore[attr-defined]
    if kind is ox.Literal and term.datatype.value == _XSD_STRING_IRI:  # type: ignore[attr-defined]
        return term.value  # type: ignore[attr-defined]
    return to_python(term)


def to_term(value: IRI | Literal | str | int | bool) -> ox.NamedNode | ox.Literal:
    """A bindable RDF term for `substitutions=` (never string formatting into queries)."""
    if isinstance(value, IRI | Literal):
        return _to_ox(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value),
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(str(value))


def _term_writer() -> tuple[Callable[[IRI | Literal], str], dict[str, str]]:
    """A term's N-Triples text, and the texts of the IRIs written so far (each IRI's text
    is made once: a protocol's 4,000 quads name about a tenth as many IRIs, and looking the
    text up by its string is cheaper than escaping it again; 13 -> 7 ms a protocol)."""
    texts: dict[str, str] = {}

    def text_of(term: IRI | Literal) -> str:
        if type(term) is IRI:
            text = texts.get(term.value)
            if text is None:
                text = texts[term.value] = term.n3()
            return text
        return term.n3()

    return text_of, texts


def triple_lines(quads: Iterable[Quad], graph: IRI) -> set[str]:
    """The triples of `quads`, all in `graph`, as N-Triples lines without their " ." (the
    form `replace_graph_lines` takes): a large graph's text in place of its terms, whose
    memory can then go before the write. Read in one pass, so that a caller may hand over
    quads it frees as they are read (kg/analysis/step.py)."""
    text_of, iris = _term_writer()
    lines: set[str] = set()
    foreign = 0
    for s, p, o, g in quads:
        if g != graph:
            foreign += 1
            continue
        lines.add(f"{text_of(s)} {text_of(p)} {text_of(o)}")
    if foreign:
        raise ValueError(f"{foreign} quads are not in graph {graph.value}")
    _check_iris([*iris, graph.value])  # before anything is written
    return lines


def _check_iris(iris: Iterable[str]) -> None:
    """ValueError naming the first string that is not an IRI, each checked by the engine:
    the text writers write IRIs as they are given."""
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ValueError(f"not an IRI: {iri!r} ({exc})") from None


def ntriples_text(lines: Iterable[str]) -> bytes:
    """N-Triples lines without their " ." (`triple_lines`) as an N-Triples document."""
    return "".join(line + " .\n" for line in lines).encode()


def _parse_lines(lines: Iterable[str]) -> set[ox.Triple]:
    """The triples of N-Triples lines without their " ." (IRIs checked by the parser)."""
    text = ntriples_text(lines)
    return set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES)) if text else set()


def _write_pieces(lines: Iterable[str], folder: Path, piece_bytes: int) -> list[Path]:
    """N-Triples lines (without " .") into files of about `piece_bytes` each, in `folder`."""
    paths: list[Path] = []
    out: io.TextIOWrapper | None = None
    size = piece_bytes
    try:
        for line in lines:
            if size >= piece_bytes:
                if out is not None:
                    out.close()
                paths.append(folder / f"triples-{len(paths):04d}.nt")
                out = paths[-1].open("w", encoding="utf-8")
                size = 0
            out.write(line)
            out.write(" .\n")
            size += len(line) + 3
    finally:
        if out is not None:
            out.close()
    return paths


def serialise_quads(quads: Sequence[Quad]) -> tuple[bytes, bytes, int]:
    """Quads as N-Quads, their distinct triples as N-Triples (for the union default graph),
    and the number of distinct quads; for the bulk loader, in the process that built them.
    Written as text (a third of the time of building pyoxigraph objects to serialise them);
    every distinct IRI is checked by the engine once, so the bulk loader may be lenient."""
    text_of, iris = _term_writer()
    triples: set[str] = set()
    lines: set[str] = set()
    for s, p, o, g in quads:
        triple = f"{text_of(s)} {text_of(p)} {text_of(o)}"
        triples.add(triple)
        lines.add(f"{triple} {text_of(g)} .\n")
    _check_iris(iris)
    return "".join(lines).encode(), ntriples_text(triples), len(lines)


# -- query results ---------------------------------------------------------------------------


@dataclass
class QueryResult:
    """The outcome of a query, with its form: `select`, `ask` or `graph`."""

    form: TypingLiteral["select", "ask", "graph"]
    variables: list[str]
    rows: list[dict[str, object]]  # select: var -> python value (IRI, str, int, ...)
    boolean: bool | None
    raw: bytes | None  # the serialised result when a format was asked for
    media_type: str | None


def _raw_rows(solutions: ox.QuerySolutions, limit: int | None) -> tuple[list[str], list[dict]]:
    variables = [v.value for v in solutions.variables]
    rows: list[dict[str, object]] = []
    for i, solution in enumerate(solutions):
        if limit is not None and i >= limit:
            break
        rows.append({name: to_python(solution[name]) for name in variables})
    return variables, rows


# -- the store -------------------------------------------------------------------------------


class _QueryForms:
    """`query`, `ask` and `select` over `execute` and `union_kwargs`: shared by the embedded
    store and kg.remote.RemoteStore, so both answer the callers in the same shapes."""

    def union_kwargs(self) -> dict[str, object]:
        raise NotImplementedError

    def execute(self, sparql: str, substitutions: Mapping[str, object] | None,
                **options: object) -> object:
        raise NotImplementedError

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, object] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        result_format: str | None = None,
        graph_format: str = "turtle",
        row_limit: int | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query. Without `default_graphs`, the default graph is the union of
        all named graphs, so analysts never need to know graph names. SELECT/ASK results are
        serialised as `result_format` when given; CONSTRUCT/DESCRIBE always as `graph_format`."""
        kwargs: dict[str, object] = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs.update(self.union_kwargs())
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if prefixes:
            kwargs["prefixes"] = dict(prefixes)
        result = self.execute(sparql, substitutions, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            raw = None
            if result_format:
                raw = result.serialize(format=RESULT_FORMATS[result_format])
            return QueryResult("ask", [], [], bool(result), raw,
                               MEDIA_TYPES.get(result_format or ""))
        if isinstance(result, ox.QuerySolutions):
            if result_format:
                raw = result.serialize(format=RESULT_FORMATS[result_format])
                return QueryResult("select", [v.value for v in result.variables], [], None,
                                   raw, MEDIA_TYPES[result_format])
            variables, rows = _raw_rows(result, row_limit)
            return QueryResult("select", variables, rows, None, None, None)
        # QueryTriples: CONSTRUCT / DESCRIBE
        fmt = graph_format
        raw = result.serialize(format=GRAPH_FORMATS[fmt])  # type: ignore[attr-defined]
        return QueryResult("graph", [], [], None, raw, MEDIA_TYPES[fmt])

    def select_tuples(self, sparql: str) -> list[tuple[object, ...]]:
        """Rows of a SELECT over the union default graph as tuples in the order of its
        variables: IRIs as their strings, blank nodes as `_:id`, literals as Python values
        (`to_python`). The lean form for reading the whole record (kg.analysis.projection):
        no row dicts, no term objects."""
        result = self.execute(sparql, None, **self.union_kwargs())
        return [tuple(map(_plain, solution)) for solution in result]  # type: ignore[attr-defined]

    def ask(self, sparql: str, **kw: object) -> bool:
        return bool(self.query(sparql, **kw).boolean)  # type: ignore[arg-type]

    def select(self, sparql: str, **kw: object) -> list[dict[str, object]]:
        return self.query(sparql, **kw).rows  # type: ignore[arg-type]


class OxigraphStore(_QueryForms):
    """An embedded Oxigraph database, read-only or writable."""

    def __init__(self, inner: ox.Store, path: Path | None, read_only: bool) -> None:
        self._inner = inner
        self.path = path
        self.read_only = read_only
        # graph IRI -> its triples before this generation first changed it (None: not tracked)
        self._before: dict[str, set[ox.Triple]] | None = None
        self._union_done: set[str] = set()  # graphs whose union triples are already written
        self._stale_union = False  # tracked changes not yet applied to the default graph
        self._maybe_lost: set[ox.Triple] = set()  # left a graph: still in another one?
        # quads written to named graphs minus quads removed since opened (None: unknown), so
        # that the size of a large store follows from its last count without a scan
        self.quads_delta: int | None = 0
        self.quads_at_open: int | None = None  # known when the generation started empty

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return cls(ox.Store(), None, read_only=False)

    @classmethod
    def of_nquads(cls, nquads: bytes) -> OxigraphStore:
        """An in-memory store of quads serialised by `serialise_quads` (IRIs checked there)."""
        inner = ox.Store()
        inner.load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        return cls(inner, None, read_only=False)

    @classmethod
    def open_generation(cls, path: Path, read_only: bool) -> OxigraphStore:
        try:
            inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        return cls(inner, path, read_only)

    # -- writing

    # -- tracking changes for the union default graph

    def track_changes(self) -> None:
        """From now on, remember what each written graph held before (see `finish_union`)."""
        self._before = {}

    def _touch(self, graph: str) -> None:
        if self._before is None:
            return
        self._stale_union = True
        if graph in self._union_done:
            # the union already follows this graph's earlier writes; from here on compare
            # with what it holds now
            self._union_done.discard(graph)
            del self._before[graph]
        if graph in self._before:
            return
        self._before[graph] = {q.triple for q in self._inner.quads_for_pattern(
            None, None, None, ox.NamedNode(graph))}

    def finish_union(self) -> tuple[int, int]:
        """Apply the changes of the tracked graphs to the default graph (the set union):
        add what a graph gained, remove what it lost unless another graph still states it.
        Returns (triples added, triples removed)."""
        if self._before is None:
            self.materialize_union()
            return (0, 0)
        default = ox.DefaultGraph()
        added = 0
        lost: set[ox.Triple] = set()
        for graph, before in self._before.items():
            if graph in self._union_done:
                continue
            after = {q.triple for q in self._inner.quads_for_pattern(
                None, None, None, ox.NamedNode(graph))}
            gained = after - before
            self._insert_triples(gained, default)
            added += len(gained)
            lost |= before - after
        lost |= self._maybe_lost
        removed = 0
        for t in lost:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in
                       self._inner.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                self._inner.remove(ox.Quad(t.subject, t.predicate, t.object, default))
                removed += 1
        self._before = {}
        self._union_done = set()
        self._maybe_lost = set()
        self._stale_union = False
        return (added, removed)

    def settle_union(self) -> None:
        """Bring the default graph up to what was written so far (every query does this
        first; call it before querying from several threads, so that none of them writes)."""
        if self._stale_union:
            self.finish_union()

    def _insert_triples(self, triples: set[ox.Triple],
                        graph: ox.NamedNode | ox.DefaultGraph) -> None:
        """Many triples through the bulk loader (a transaction holds them all in memory);
        a few in a transaction."""
        if len(triples) < BULK_THRESHOLD:
            self._inner.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                               for t in triples)
        else:
            # lenient: the engine's own serialisation, already valid (IRIs not checked again)
            self._inner.bulk_load(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                                  format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)

    # -- writing

    def has_graph(self, graph: IRI) -> bool:
        return self._inner.contains_named_graph(ox.NamedNode(graph.value))

    def add_new_graphs(self, graphs: Sequence[tuple[IRI, bytes, bytes]]) -> None:
        """Write graphs the store does not hold yet through Oxigraph's bulk loader, in one
        call: per graph its N-Quads and the same triples as N-Triples for the default graph
        (the union)."""
        self._require_writable()
        for graph, _, _ in graphs:
            if self.has_graph(graph):
                raise ValueError(f"graph {graph.value} exists; use replace_serialized")
        data = b"".join(nquads + triples for _, nquads, triples in graphs)
        # lenient: written by the engine's serialiser in the parsing processes (serialise_quads)
        # from terms it already checked; 5 % faster than checking every IRI again
        self._inner.bulk_load(io.BytesIO(data), format=ox.RdfFormat.N_QUADS, lenient=True)
        # serialise_quads writes distinct quads, one per line
        self._count_delta(sum(nquads.count(b"\n") for _, nquads, _ in graphs))
        if self._before is not None:
            for graph, _, _ in graphs:
                self._before[graph.value] = set()
                self._union_done.add(graph.value)
            self._stale_union = True

    def replace_serialized(self, graph: IRI, nquads: bytes) -> None:
        """Replace `graph` by the quads of an N-Quads text (all in `graph`)."""
        self._require_writable()
        target = ox.NamedNode(graph.value)
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        if any(q.graph_name != target for q in quads):
            raise ValueError(f"quads outside graph {graph.value}")
        self._touch(graph.value)
        if self._inner.contains_named_graph(target):
            self._count_delta(-self.count_quads(graph.value))
            self._inner.remove_graph(target)
        self._inner.extend(quads)
        self._count_delta(len(set(quads)))

    def replace_graph(self, graph: IRI, quads: Sequence[Quad]) -> None:
        """Drop `graph` and add `quads`. Each call is two transactions; atomicity of a whole
        load comes from writing into a fresh generation (StoreDirectory.writing), which is
        switched in only when every document and post-load step has succeeded."""
        self.replace_graph_lines(graph, triple_lines(quads, graph))

    def replace_graph_lines(self, graph: IRI, lines: set[str]) -> None:
        """`replace_graph` with the triples as N-Triples lines (`triple_lines`)."""
        self._require_writable()
        target = ox.NamedNode(graph.value)
        # write the difference only: a global graph (analysis, links) rewritten after every
        # load mostly stays as it was, and so does the union that follows it
        old = self._lines_of(self._inner.quads_for_pattern(None, None, None, target), target)
        self._apply_difference(graph, old - lines, lines - old)

    def replace_subjects(self, graph: IRI, subjects: Iterable[str],
                         quads: Sequence[Quad]) -> tuple[int, int]:
        """Replace the triples of `graph` whose subject is one of `subjects` by `quads`
        (whose subjects must be among them): the part of a global graph that a load changed,
        rewritten without reading the rest. Returns (triples added, triples removed)."""
        self._require_writable()
        wanted = set(subjects)
        foreign = [q for q in quads if q[3] != graph or q[0].value not in wanted]
        if foreign:
            raise ValueError(f"{len(foreign)} quads are outside graph {graph.value} or the "
                             "subjects being replaced")
        target = ox.NamedNode(graph.value)
        new = triple_lines(quads, graph)
        old = self._lines_of((q for subject in wanted for q in self._inner.quads_for_pattern(
            ox.NamedNode(subject), None, None, target)), target)
        gone, added = old - new, new - old
        self._apply_difference(graph, gone, added)
        return len(added), len(gone)

    @staticmethod
    def _lines_of(quads: Iterable[ox.Quad], graph: ox.NamedNode) -> set[str]:
        """The triples of `quads` (all in `graph`) as N-Triples lines without their " .",
        written by the engine: compared as strings with those of `triple_lines`, which is
        several times cheaper than comparing pyoxigraph objects (a million analysis triples:
        1.5 s against 11 s). A triple the two write differently is removed and added again."""
        text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        lines = set((text or b"").decode().split(f" {graph} .\n"))
        lines.discard("")
        return lines

    def _apply_difference(self, graph: IRI, gone: set[str], added: set[str]) -> None:
        target = ox.NamedNode(graph.value)
        gone_triples = _parse_lines(gone)
        for triple in gone_triples:
            self._inner.remove(ox.Quad(triple.subject, triple.predicate, triple.object, target))
        self._count_delta(len(added) - len(gone))
        follows = self._before is not None and not (
            graph.value in self._before and graph.value not in self._union_done)
        # the union follows at once: what came is added (in the same bulk load), what went
        # is checked at the end (one pass over the graph instead of a snapshot and a read)
        self._insert_lines(added, target, also_default=follows)
        if self._before is None:
            return
        self._stale_union = True
        if not follows:
            return  # compared with its snapshot at the end
        self._maybe_lost |= gone_triples
        self._before[graph.value] = set()
        self._union_done.add(graph.value)

    def _insert_lines(self, lines: set[str], graph: ox.NamedNode, *, also_default: bool) -> None:
        """Triples given as N-Triples lines (without " .") into `graph`, and into the default
        graph too when `also_default`: many through a file the bulk loader reads (once per
        graph: a third less memory at its peak than one load of both, and no copy of the
        text in this process), a few in a transaction."""
        targets = [graph, ox.DefaultGraph()] if also_default else [graph]
        if len(lines) < BULK_THRESHOLD:
            triples = _parse_lines(lines)
            self._inner.extend(ox.Quad(t.subject, t.predicate, t.object, g)
                               for g in targets for t in triples)
            return
        with tempfile.TemporaryDirectory(prefix="kg-bulk-") as folder:
            paths = _write_pieces(lines, Path(folder), BULK_FILE_BYTES)
            for target in targets:
                for path in paths:
                    self._inner.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES,
                                          to_graph=target)

    def add_quads(self, quads: Sequence[Quad]) -> None:
        self._require_writable()
        graphs = {q[3].value for q in quads if isinstance(q[3], IRI)}
        for graph in graphs:
            self._touch(graph)
        with self._counting(graphs):
            self._inner.extend(
                ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), _to_ox(g)) for s, p, o, g in quads
            )

    @contextlib.contextmanager
    def _counting(self, graphs: Iterable[str]) -> Iterator[None]:
        """Keep `quads_delta` right across a write to these (small) graphs."""
        graphs = list(graphs)
        before = sum(self.count_quads(g) for g in graphs)
        yield
        self._count_delta(sum(self.count_quads(g) for g in graphs) - before)

    def _count_delta(self, change: int) -> None:
        if self.quads_delta is not None:
            self.quads_delta += change

    def load_file(self, path: Path, graph: IRI, fmt: str, base_iri: str | None = None) -> None:
        """Replace `graph` by the content of an RDF file (vocabularies, ontology)."""
        self._require_writable()
        self._touch(graph.value)
        with self._counting([graph.value]):
            self._inner.update(f"DROP SILENT GRAPH {graph.n3()}")
            self._inner.load(path=str(path), format=GRAPH_FORMATS[fmt], base_iri=base_iri,
                             to_graph=ox.NamedNode(graph.value))

    def load_bytes(self, data: bytes, fmt: str, graph: IRI) -> None:
        """Triples of a serialisation into `graph` (in-memory stores for local analysis)."""
        self._require_writable()
        self._touch(graph.value)
        with self._counting([graph.value]):
            self._inner.load(data, format=GRAPH_FORMATS[fmt],
                             to_graph=ox.NamedNode(graph.value))

    def drop_graph(self, graph: IRI) -> None:
        self._require_writable()
        self._touch(graph.value)
        self._count_delta(-self.count_quads(graph.value))
        self._inner.update(f"DROP SILENT GRAPH {graph.n3()}")

    def update(self, sparql_update: str, touches: Sequence[IRI] = ()) -> None:
        """Internal maintenance updates (derived graph); never reachable over HTTP.
        `touches`: the named graphs the update writes, so the union follows them."""
        self._require_writable()
        if self._stale_union:
            self.finish_union()
        for graph in touches:
            self._touch(graph.value)
        if not touches:
            self.quads_delta = None  # it may have written anywhere
        with self._counting(g.value for g in touches):
            self._inner.update(sparql_update)

    def bulk_load_nquads(self, data: bytes) -> None:
        """Quads straight into the store through the bulk loader (tests, validation)."""
        self._require_writable()
        graphs = {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
                  if isinstance(q.graph_name, ox.NamedNode)}
        for graph in graphs:
            self._touch(graph)
        with self._counting(graphs):
            self._inner.bulk_load(io.BytesIO(data), format=ox.RdfFormat.N_QUADS)

    def flush(self) -> None:
        if not self.read_only and self.path is not None:
            self._inner.flush()

    def compact(self) -> None:
        """Compact the database files after a large write. The bulk loader leaves many
        overlapping files that every later read searches, and the writer closes the
        generation before RocksDB's own compaction catches up: at 1,000 sessions queries
        ran 1.5-2x slower without this, which costs about a seventh of that load."""
        self._require_writable()
        if self.path is not None:
            self._inner.optimize()

    def materialize_union(self) -> None:
        """Make the default graph the set union of all named graphs.

        Oxigraph's union-default-graph mode yields a triple once per graph that holds it
        (bag semantics), so a fact stated by both a protocol and the register would be
        counted twice. SPARQL defines the default graph as an RDF merge, a set: we store that
        set once per generation, and read-only stores query it directly."""
        self._require_writable()
        self._inner.clear_graph(ox.DefaultGraph())
        self._inner.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def union_kwargs(self) -> dict[str, object]:
        """Query options that make the default graph the union of the named graphs: the
        materialised union in a published generation and in one being written (kept
        current before every query), the live union in an untracked store (in memory).
        Oxigraph's live union also counts the default graph and repeats a triple once per
        graph, so it must never meet a materialised default graph."""
        if self.read_only or self._before is not None:
            return {}
        return {"use_default_graph_as_union": True}

    def close(self) -> None:
        """Release the database (pyoxigraph closes it when the last reference goes)."""
        self._inner = None  # type: ignore[assignment]

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only; write through `kg load`")

    # -- reading

    def execute(self, sparql: str, substitutions: Mapping[str, object] | None,
                **options: object) -> object:
        """pyoxigraph's query with values bound as RDF terms (never formatted into the text)
        and syntax errors explained."""
        if substitutions:
            options["substitutions"] = {
                ox.Variable(k): to_term(v) for k, v in substitutions.items()  # type: ignore[arg-type]
            }
        self.settle_union()
        try:
            return self._inner.query(sparql, **options)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError.explain(sparql, str(exc)) from exc

    def graph_quads(self, graph: IRI) -> list[Quad]:
        """The quads of one graph as kg terms (blank nodes, which the build never mints,
        are left out)."""
        target = ox.NamedNode(graph.value)
        found: list[Quad] = []
        for q in self._inner.quads_for_pattern(None, None, None, target):
            s, p, o = (to_result_term(t) for t in (q.subject, q.predicate, q.object))
            if isinstance(s, IRI) and isinstance(p, IRI) and isinstance(o, IRI | Literal):
                found.append((s, p, o, graph))
        return found

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._inner.named_graphs() if isinstance(g, ox.NamedNode))

    def known_size(self) -> int | None:
        """The quads in the named graphs without a scan (a count takes seconds at millions):
        known when the generation started empty and every write since was counted."""
        if self.quads_at_open is None or self.quads_delta is None:
            return None
        return self.quads_at_open + self.quads_delta

    def count_quads(self, graph: str | None = None) -> int:
        """Quads in the named graphs (the default graph is their union), or in one graph;
        counted by the engine, not by iterating in Python."""
        if graph is None:
            named = self._inner.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        else:
            named = self._inner.query(
                f"SELECT (COUNT(*) AS ?n) {{ GRAPH {IRI(graph).n3()} {{ ?s ?p ?o }} }}")
        return int(next(iter(named))["n"].value)  # type: ignore[index,union-attr]

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """Serialise the whole dataset (or one graph) in `fmt`."""
        target = GRAPH_FORMATS[fmt]
        if graph is not None:
            return self._inner.dump(format=target, from_graph=ox.NamedNode(graph))
        if target == ox.RdfFormat.N_QUADS:
            out = io.BytesIO()
            self.write_nquads(out)
            return out.getvalue()
        if target.supports_datasets:
            # the named graphs only: the default graph is their materialised union
            quads = (q for q in self._inner.quads_for_pattern(None, None, None)
                     if not isinstance(q.graph_name, ox.DefaultGraph))
            return ox.serialize(quads, format=target)
        # Triple formats get the union of all graphs (provenance is lost; the CLI says so).
        if self.read_only:
            return self._inner.dump(format=target, from_graph=ox.DefaultGraph())
        triples = self._inner.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return ox.serialize(set(triples), format=target)

    def write_nquads(self, out: BinaryIO) -> None:
        """The named graphs as N-Quads into `out`, one graph at a time (the default graph is
        their materialised union): each written by the engine as N-Triples and labelled here,
        so no term objects are made in Python (5 M quads: 79 s one quad at a time) and memory
        follows the largest graph, not the store."""
        for name in self._inner.named_graphs():
            label = b" " + str(name).encode() + b" .\n"
            lines = self._inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
            out.write(b"".join(line[:-2] + label for line in lines.splitlines(keepends=True)
                               if line.endswith(b" .\n")))

    def backup(self, target: Path) -> None:
        self._inner.backup(str(target))


# -- the directory of generations -----------------------------------------------------------


class StoreDirectory:
    """A store location holding generations of the database and a `current` symlink."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    def exists(self) -> bool:
        return self.current_link.exists()

    def current_path(self) -> Path | None:
        if not self.current_link.exists():
            return None
        return self.current_link.resolve()

    def open_read_only(self) -> OxigraphStore:
        path = self.current_path()
        if path is None:
            raise StoreError(
                f"no store at {self.root}: load data first, e.g. `kg load data/samples`"
            )
        return OxigraphStore.open_generation(path, read_only=True)

    @property
    def lock_path(self) -> Path:
        return self.root / "writer.lock"

    @contextlib.contextmanager
    def locked(self, wait: bool = False,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """The writer lock: one `kg load` per store at a time. The kernel releases a flock
        when its process dies, so a killed writer leaves no stale lock behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                if not wait:
                    raise StoreBusy(f"store busy: {self.root} is being loaded by PID {holder}; "
                                    "wait for it or run with --wait") from None
                if on_wait:
                    on_wait(f"waiting for PID {holder} to finish loading {self.root} …")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # releases the flock

    @contextlib.contextmanager
    def writing(self) -> Iterator[OxigraphStore]:
        """A writable copy of the current generation, switched in only on success. The
        caller holds `locked()`."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in self.root.iterdir() if (m := _GEN.match(p.name))]
        new_path = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        current = self.current_path()
        try:
            if current is not None:
                source = OxigraphStore.open_generation(current, read_only=True)
                source.backup(new_path)
                source.close()
            store = OxigraphStore.open_generation(new_path, read_only=False)
            if current is None:
                store.quads_at_open = 0
        except (OSError, RuntimeError, StoreError) as exc:
            shutil.rmtree(new_path, ignore_errors=True)
            raise StoreError(f"cannot prepare a new store generation in {self.root}: "
                             f"{_describe_io(exc)}") from exc
        store.track_changes()
        try:
            yield store
            store.finish_union()
            store.flush()
        except OSError as exc:
            # disk full, file size limit, I/O error: one message; the old generation stays
            store.close()
            shutil.rmtree(new_path, ignore_errors=True)
            for sidecar in self.root.glob(new_path.name + ".*"):
                shutil.rmtree(sidecar, ignore_errors=True)
            raise StoreError(f"cannot write the new store generation in {self.root}: "
                             f"{_describe_io(exc)}; the store is unchanged") from exc
        except BaseException:
            store.close()
            shutil.rmtree(new_path, ignore_errors=True)
            for sidecar in self.root.glob(new_path.name + ".*"):
                shutil.rmtree(sidecar, ignore_errors=True)
            raise
        store.close()
        tmp_link = self.root / "current.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        tmp_link.symlink_to(new_path.name)
        os.replace(tmp_link, self.current_link)
        self._prune(keep={new_path.name, current.name if current else ""})

    def _prune(self, keep: set[str]) -> None:
        # a generation left by a writer that was killed is older than `keep`; removing it is
        # safe because we hold the writer lock
        for p in self.root.iterdir():
            if _GEN.match(p.name) and p.name not in keep:
                shutil.rmtree(p, ignore_errors=True)
            elif (m := _GEN_SIDECAR.match(p.name)) and m.group(1) not in keep:
                shutil.rmtree(p, ignore_errors=True)


def _describe_io(exc: BaseException) -> str:
    full = ("No space left", "File too large", "Disk quota exceeded")
    if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)) \
            or any(text in str(exc) for text in full):
        return f"the disk is full or a file size limit was reached ({exc})"
    return str(exc)


# -- capped queries for the HTTP endpoint (added for api/, issue 3) ---------------------------


@dataclass(frozen=True, slots=True)
class BlankNodeTerm:
    """A blank node in a result row (kg.terms has no blank nodes; results do)."""

    id: str

    def __reduce__(self) -> tuple[type[BlankNodeTerm], tuple[str]]:  # as kg.terms.IRI's
        return BlankNodeTerm, (self.id,)


ResultTerm = IRI | Literal | BlankNodeTerm


def to_result_term(term: object) -> ResultTerm | None:
    """A pyoxigraph term as a kg term, keeping datatype and language (unlike `to_python`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNodeTerm(term.value)
    if isinstance(term, ox.Literal):
        return Literal(term.value, term.datatype.value, term.language)
    # RDF 1.2 triple terms: shown as their N-Triples text rather than dropped
    return Literal(str(term))


@dataclass
class CappedResult:
    """A query result cut at `max_rows` rows/triples and `max_bytes` of serialised graph.

    `rows` holds SELECT solutions as kg terms (the caller serialises them); graph results
    come serialised in `raw`. `truncated` is None, "rows" or "bytes"."""

    form: TypingLiteral["select", "ask", "graph"]
    variables: list[str]
    rows: list[list[ResultTerm | None]]
    boolean: bool | None
    raw: bytes | None
    media_type: str | None
    truncated: str | None
    row_count: int = 0  # SELECT written straight to `raw` (select_json): how many rows


def query_capped(
    store: OxigraphStore,
    sparql: str,
    *,
    max_rows: int,
    max_bytes: int,
    graph_format: str = "turtle",
    substitutions: Mapping[str, object] | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    union_default: bool = True,
    prefixes: Mapping[str, str] | None = None,
    base_iri: str | None = None,
    select_json: bool = False,
) -> CappedResult:
    """Run a query for the public endpoint, reading at most `max_rows` rows.

    With `select_json`, SELECT results come back already written as SPARQL JSON in `raw`
    (straight from the engine's terms: half the cost of kg terms plus a serialiser).

    Dataset (SPARQL 1.1 Protocol §2.1.4): when either `default_graphs` or `named_graphs` is
    given (not None), that protocol dataset replaces any FROM / FROM NAMED of the query, and
    the part not given is empty. Otherwise `union_default` makes the default graph the union
    of all named graphs; pass False for a query with its own FROM clause so that it is honoured
    (pyoxigraph's union flag would silently override it). `base_iri` resolves relative IRIs
    (the endpoint URL, as the retrieval IRI of the request)."""
    kwargs: dict[str, object] = {}
    if base_iri:
        kwargs["base_iri"] = base_iri
    if default_graphs is not None or named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
    elif union_default:
        kwargs.update(store.union_kwargs())
    result = store.execute(sparql, substitutions, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        return CappedResult("ask", [], [], bool(result), None, None, None)
    if isinstance(result, ox.QuerySolutions) and select_json:
        written = _engine_json(result, max_rows, max_bytes)
        if written is not None:
            return written
        # more than the caps allow: run it again and cut it row by row
        return _solutions_as_json(store.execute(sparql, substitutions, **kwargs),
                                  max_rows, max_bytes)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[list[ResultTerm | None]] = []
        truncated = None
        # one object per distinct term: made once, and pickled once to the front (a body's
        # 11,000 mentions name the body 11,000 times)
        made: dict[object, ResultTerm | None] = {}
        for solution in result:
            if len(rows) >= max_rows:
                truncated = "rows"
                break
            row = []
            for term in solution:
                known = made.get(term)
                if known is None:
                    known = made[term] = to_result_term(term)
                row.append(known)
            rows.append(row)
        return CappedResult("select", variables, rows, None, None, None, truncated)
    triples = []
    truncated = None
    for triple in result:
        if len(triples) >= max_rows:
            truncated = "rows"
            break
        triples.append(triple)
    target = GRAPH_FORMATS[graph_format]
    extra = {"prefixes": dict(prefixes)} if prefixes and graph_format in ("turtle", "trig") else {}
    raw = ox.serialize(triples, format=target, **extra)
    while len(raw) > max_bytes and triples:
        # shrink in proportion to the overshoot, with a margin, until it fits
        keep = min(len(triples) - 1, int(len(triples) * max_bytes / len(raw) * 0.9))
        triples = triples[: max(keep, 0)]
        raw = ox.serialize(triples, format=target, **extra)
        truncated = "bytes"
    return CappedResult("graph", [], [], None, raw, MEDIA_TYPES[graph_format], truncated)


JSON_RESULTS = "application/sparql-results+json"


def _json_term(term: object) -> dict[str, str]:
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}  # type: ignore[attr-defined]
    if kind is ox.Literal:
        if term.language:  # type: ignore[attr-defined]
            return {"type": "literal", "value": term.value,  # type: ignore[attr-defined]
                    "xml:lang": term.language}  # type: ignore[attr-defined]
        datatype = term.datatype.value  # type: ignore[attr-defined]
        if datatype == _XSD_STRING_IRI:
            return {"type": "literal", "value": term.value}  # type: ignore[attr-defined]
        return {"type": "literal", "value": term.value,  # type: ignore[attr-defined]
                "datatype": datatype}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}  # type: ignore[attr-defined]
    return {"type": "literal", "value": str(term)}  # RDF 1.2 triple terms, as N-Triples text


class _Overflow(Exception):
    pass


class _CappedWriter:
    """Collects what the engine's serialiser writes and stops it past `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _Overflow
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _engine_json(result: ox.QuerySolutions, max_rows: int, max_bytes: int
                 ) -> CappedResult | None:
    """SPARQL JSON written by the engine itself (a quarter of the worker's time on an
    aggregate when written in Python), or None when the result exceeds either cap (it is
    then consumed: the caller runs the query again and cuts it)."""
    writer = _CappedWriter(max_bytes)
    try:
        result.serialize(writer, format=ox.QueryResultsFormat.JSON)
    except _Overflow:
        return None
    body = b"".join(writer.parts)
    # the engine's parser counts rows in a fraction of the time the writing took
    rows = sum(1 for _ in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    if rows > max_rows:
        return None
    variables = [v.value for v in result.variables]
    return CappedResult("select", variables, [], None, body, JSON_RESULTS, None,
                        row_count=rows)


def _solutions_as_json(result: ox.QuerySolutions, max_rows: int,
                       max_bytes: int) -> CappedResult:
    """SPARQL JSON of at most `max_rows` solutions and `max_bytes` bytes; a cut result stays a
    well-formed document and says so with a top-level `"truncated": true`."""
    variables = [v.value for v in result.variables]
    bindings: list[dict[str, dict[str, str]]] = []
    truncated = None
    for solution in result:
        if len(bindings) >= max_rows:
            truncated = "rows"
            break
        row = {}
        for index, name in enumerate(variables):
            term = solution[index]
            if term is not None:
                row[name] = _json_term(term)
        bindings.append(row)
    head = '{"head":{"vars":' + json.dumps(variables) + '},"results":{"bindings":['
    reserve = len(head.encode()) + len(',"truncated":true}') + 4
    body = json.dumps(bindings, ensure_ascii=False, separators=(",", ":"))[1:-1].encode()
    written = len(bindings)
    if reserve + len(body) > max_bytes:
        # too big as a whole: keep the rows that fit, each written on its own
        pieces = [json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()
                  for row in bindings]
        size, written = reserve, 0
        for piece in pieces:
            if size + len(piece) + 1 > max_bytes:
                break
            size += len(piece) + 1
            written += 1
        truncated = "bytes"
        body = b",".join(pieces[:written])
    tail = b"]}" + (b',"truncated":true}' if truncated else b"}")
    return CappedResult("select", variables, [], None, head.encode() + body + tail,
                        JSON_RESULTS, truncated, row_count=written)


# -- one factory for every command and the API -----------------------------------------------


def is_remote(location: object) -> bool:
    """A store named by URL (`http://…`, `virtuoso+http://…`, …) rather than a directory."""
    return isinstance(location, str) and "://" in location


def store_label(settings: Settings) -> str:
    """The store as users see it in messages: the directory, or the URL without credentials."""
    if is_remote(settings.store) or settings.store_query_url:
        from kg.remote import Endpoints  # noqa: PLC0415  (httpx only for remote stores)

        return Endpoints.from_settings(settings).label
    return str(settings.store)


def open_store(settings: Settings, writable: bool = False, *, wait: bool = False,
               on_wait: Callable[[str], None] | None = None) -> Any:
    """The store of `settings`: an embedded generation (a directory) or a SPARQL server
    (a URL, kg.remote).

    writable=False: a store open for reading (`OxigraphStore` read-only or `RemoteStore`);
    StoreError when there is none or the server cannot be reached.
    writable=True: a context manager that takes the writer lock (embedded: `wait`,
    `on_wait`) and yields a writable store; leaving it without error publishes the writes
    (embedded: the new generation is switched in; remote: the union default graph is brought
    up to date), an error leaves the embedded store as it was and the remote store in a state
    the next load repairs."""
    if is_remote(settings.store) or settings.store_query_url:
        from kg.remote import RemoteStore  # noqa: PLC0415

        if writable:
            return RemoteStore.writing(settings, wait=wait, on_wait=on_wait)
        return RemoteStore.from_settings(settings)
    directory = StoreDirectory(Path(settings.store))
    if not writable:
        return directory.open_read_only()

    @contextlib.contextmanager
    def _writing() -> Iterator[OxigraphStore]:
        with directory.locked(wait=wait, on_wait=on_wait), directory.writing() as store:
            yield store

    return _writing()
