"""The embedded Oxigraph database (`OxigraphStore`) and the query forms it shares with
kg.remote.RemoteStore."""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.store.convert import plain_value, to_ox, to_python, to_result_term, to_term
from kg.store.errors import QuerySyntaxError, StoreError
from kg.store.formats import GRAPH_FORMATS, MEDIA_TYPES, RESULT_FORMATS
from kg.store.ntriples import parse_lines, triple_lines, write_pieces
from kg.terms import IRI, Literal, Quad

if TYPE_CHECKING:
    pass


BULK_THRESHOLD = 20_000  # triples written at once above which the bulk loader is used
# one bulk_load reads at most this much N-Triples: the loader's memory grows with what one
# call reads (a 180 MB file, the analysis graph of 1,000 sessions: +1 GB at its peak; in
# pieces of this size +0.2 GB, and no slower)
BULK_FILE_BYTES = 32_000_000


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


class QueryForms:
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
        return [tuple(map(plain_value, solution)) for solution in result]  # type: ignore[attr-defined]

    def ask(self, sparql: str, **kw: object) -> bool:
        return bool(self.query(sparql, **kw).boolean)  # type: ignore[arg-type]

    def select(self, sparql: str, **kw: object) -> list[dict[str, object]]:
        return self.query(sparql, **kw).rows  # type: ignore[arg-type]


class OxigraphStore(QueryForms):
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
        gone_triples = parse_lines(gone)
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
            triples = parse_lines(lines)
            self._inner.extend(ox.Quad(t.subject, t.predicate, t.object, g)
                               for g in targets for t in triples)
            return
        with tempfile.TemporaryDirectory(prefix="kg-bulk-") as folder:
            paths = write_pieces(lines, Path(folder), BULK_FILE_BYTES)
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
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads
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
