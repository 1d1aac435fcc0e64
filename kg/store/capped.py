"""Capped queries for the HTTP endpoint: a result cut at a row or byte cap, serialised
by the engine where it can be (the query workers of api/)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.store.convert import XSD_STRING_IRI, ResultTerm, to_result_term
from kg.store.formats import GRAPH_FORMATS, MEDIA_TYPES

if TYPE_CHECKING:
    from kg.store.engine import OxigraphStore





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
        if datatype == XSD_STRING_IRI:
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
