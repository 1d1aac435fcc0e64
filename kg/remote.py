"""A SPARQL 1.1 server as the store: the same interface as kg.store.OxigraphStore, over HTTP.

URL forms (`--store`, `KG_STORE`)::

    http://HOST:PORT                 Oxigraph server: /query, /update, /store (GSP)
    oxigraph+http://HOST:PORT        the same, spelt out
    fuseki+http://HOST:PORT/DS       Apache Jena Fuseki dataset DS: /DS/query, /DS/update, /DS/data
    virtuoso+http://HOST:PORT        Virtuoso: /sparql, /sparql-auth (update, digest),
                                     /sparql-graph-crud-auth (GSP)
    sparql+http://…                  any other server: give KG_STORE_QUERY_URL,
                                     KG_STORE_UPDATE_URL and KG_STORE_GSP_URL

`KG_STORE_QUERY_URL` / `KG_STORE_UPDATE_URL` / `KG_STORE_GSP_URL` override the derived
endpoints of any form; `KG_STORE_USER` / `KG_STORE_PASSWORD` are the credentials (never
printed; HTTP basic auth, digest for Virtuoso); `KG_STORE_TIMEOUT_S` bounds every request.

Default graph: the set union of the named graphs, as in the embedded store, materialised by
the writer (a server's own union modes are bags or differ between servers; a query rewritten
with one FROM per graph grows with the store). Oxigraph and Fuseki hold it in their default
graph; Virtuoso, which has no separate default graph, in the graph `UNION_GRAPH`, passed as
`default-graph-uri` with every query that names no dataset of its own. Such a query with a
GRAPH pattern also gets the document graphs as `named-graph-uri`: without them Virtuoso ranges
GRAPH ?g over every graph it holds, the union graph and its own system graphs included.

Writes: a document is one Graph Store Protocol PUT. Before a graph is first changed in a load,
its triples are copied server-side into a staging graph `STAGING + graph` with a marker; at the
end of the load (and before any read in between) the union gains what the changed graphs hold
and loses what they held unless another graph still states it, then the staging graph is
dropped. A load that dies leaves its staging graphs (the markers) behind, and the next load
first rebuilds the union from all graphs and drops them: nothing is left that it cannot repair.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.sparql_inline import inline_parameters
from kg.sparql_lexer import keywords
from kg.store import (
    GRAPH_FORMATS,
    QueryForms,
    QuerySyntaxError,
    StoreBusy,
    StoreError,
    ntriples_text,
    to_result_term,
    triple_lines,
)
from kg.store.convert import to_ox
from kg.terms import IRI, Literal, Quad

if TYPE_CHECKING:
    from kg.settings import Settings

UNION_GRAPH = "urn:x-beschlussgraph:union"
LOCK_GRAPH = "urn:x-beschlussgraph:writer"
LOCK_HOLDER = "urn:x-beschlussgraph:heldBy"
LOCK_POLL_S = 1.0
NO_GRAPH = "urn:x-beschlussgraph:no-graph"
GRAPH_LIST_TTL_S = 2.0
STAGING = "urn:x-beschlussgraph:before:"
_MARK_S = "<urn:x-beschlussgraph:load>"
_MARK_P = "<urn:x-beschlussgraph:pending>"
# graphs Virtuoso keeps for itself (its RDF views, LDP, the URI QA service): not ours
VIRTUOSO_SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#",
                          "http://www.w3.org/ns/ldp#", "http://localuriqaserver/sparql")
_BATCH = 50  # graphs per union-maintenance update request
_JSON = "application/sparql-results+json"
_ACCEPT = f"{_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
# CONSTRUCT and DESCRIBE ask for triples only: Virtuoso would send them as JSON bindings
_ACCEPT_TRIPLES = "application/n-triples, text/turtle;q=0.8"
_IRI_REF = re.compile(r"<[^<>\s]*>")
_QUERY_FORM = re.compile(r"\b(select|ask|construct|describe)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers, and how it holds the union default graph."""

    kind: str  # oxigraph, fuseki, virtuoso, sparql
    query: str
    update: str
    gsp: str
    label: str  # for messages: the store URL without credentials
    union_graph: str | None  # None: the server's own default graph holds the union
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        raw = str(settings.store) if "://" in str(settings.store) else ""
        kind, _, url = raw.partition("+") if "+" in raw.split("://")[0] else ("", "", raw)
        parts = urlsplit(url) if url else None
        user = settings.store_user
        password = (settings.store_password.get_secret_value()
                    if settings.store_password is not None else None)
        if parts is not None and parts.username and user is None:
            user, password = parts.username, parts.password
        base = ""
        if parts is not None:
            netloc = parts.hostname or ""
            if parts.port:
                netloc += f":{parts.port}"
            base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        kind = kind or ("oxigraph" if base else "sparql")
        if kind == "oxigraph":
            derived = (f"{base}/query", f"{base}/update", f"{base}/store")
        elif kind == "fuseki":
            derived = (f"{base}/query", f"{base}/update", f"{base}/data")
        elif kind == "virtuoso":
            derived = (f"{base}/sparql", f"{base}/sparql-auth",
                       f"{base}/sparql-graph-crud-auth")
        elif kind == "sparql":
            derived = ("", "", "")
        else:
            raise StoreError(f"unknown store kind {kind!r} in {base or raw}: use http://…, "
                             "fuseki+http://…, virtuoso+http://… or sparql+http://…")
        query = settings.store_query_url or derived[0]
        update = settings.store_update_url or derived[1]
        gsp = settings.store_gsp_url or derived[2]
        if not (query and update and gsp):
            raise StoreError("a sparql+ store needs KG_STORE_QUERY_URL, KG_STORE_UPDATE_URL "
                             "and KG_STORE_GSP_URL")
        label = base or _strip(query)
        return cls(kind, query, update, gsp, label,
                   UNION_GRAPH if kind == "virtuoso" else None, user, password)


def _strip(url: str) -> str:
    parts = urlsplit(url)
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _reason(body: str) -> str:
    """What a server says went wrong, without the query text Virtuoso repeats after it
    ("… syntax error at 'foo'\n\nSPARQL query:\n<the whole query>"): the message then
    shows the reason, not the query's first 400 characters of prefixes."""
    echoed = body.find("SPARQL query:")
    return body[:echoed].rstrip() + " (query text left out)" if echoed > 0 else body


# -- the store -------------------------------------------------------------------------------


def _plain_bnodes(body: bytes) -> bytes:
    """Blank node labels as RDF allows them (Virtuoso sends `nodeID://b1234`)."""
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = "b" + re.sub(r"[^A-Za-z0-9]", "_", term["value"])
    return json.dumps(data).encode()


class _Triples(list):  # type: ignore[type-arg]
    """The triples of a CONSTRUCT/DESCRIBE answer, serialisable like pyoxigraph's QueryTriples."""

    def serialize(self, format: ox.RdfFormat) -> bytes:  # noqa: A002 (pyoxigraph's name)
        return ox.serialize(self, format=format)


def _accept(sparql: str) -> str:
    form = _QUERY_FORM.search(_IRI_REF.sub(" ", sparql))
    return (_ACCEPT_TRIPLES if form and form.group(1).lower() in ("construct", "describe")
            else _ACCEPT)


class RemoteStore(QueryForms):
    """A store on a SPARQL 1.1 Protocol + Graph Store Protocol server."""

    def __init__(self, endpoints: Endpoints, timeout_s: float, read_only: bool = True) -> None:
        self.endpoints = endpoints
        self.read_only = read_only
        self.path: Path | None = None
        auth: httpx.Auth | None = None
        if endpoints.user is not None:
            password = endpoints.password or ""
            auth = (httpx.DigestAuth(endpoints.user, password) if endpoints.kind == "virtuoso"
                    else httpx.BasicAuth(endpoints.user, password))
        self.timeout_s = timeout_s
        self._http = httpx.Client(timeout=timeout_s, auth=auth, trust_env=False)
        self._touched: list[str] = []  # graphs changed in this load, in order
        self._stale_union = False
        # the document graphs and when they were read (Virtuoso's named graph set); any
        # write of ours forgets them, other writers' after GRAPH_LIST_TTL_S
        self._graphs: tuple[float, list[str]] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, read_only: bool = True,
                      timeout_s: float | None = None) -> RemoteStore:
        return cls(Endpoints.from_settings(settings),
                   settings.store_timeout_s if timeout_s is None else timeout_s, read_only)

    @classmethod
    @contextlib.contextmanager
    def writing(cls, settings: Settings, *, wait: bool = False,
                on_wait: Callable[[str], None] | None = None) -> Iterator[RemoteStore]:
        """A load: take the writer lock, repair what a failed load left, yield the store,
        bring the union up to date. The server keeps what was written before an error (each
        document whole); its staging graphs make the next load repair the union."""
        store = cls.from_settings(settings, read_only=False)
        try:
            with store._writer_lock(wait, on_wait):
                store.repair()
                store.track_changes()
                yield store
                store.finish_union()
        finally:
            store.close()

    # -- the writer lock: a graph on the server naming the load that holds it

    @contextlib.contextmanager
    def _writer_lock(self, wait: bool,
                     on_wait: Callable[[str], None] | None) -> Iterator[None]:
        """One load per store at a time, across machines. A load states itself as a holder
        in LOCK_GRAPH and holds the lock only when it is the one holder stated; otherwise it
        takes its statement back (two at the same moment both do, and retry). A holder on
        this machine whose process is gone is removed (a killed load); one on another
        machine is named in the message."""
        token = f"{socket.gethostname()} PID {os.getpid()} {uuid.uuid4().hex[:8]}"
        said = False
        while True:
            holder = self._try_lock(token)
            if holder is None:
                break
            if self._stale(holder):
                self._unlock(holder)
                continue
            if not wait:
                raise StoreBusy(
                    f"store busy: {self.endpoints.label} is being loaded by {holder}; wait "
                    "for it or run with --wait (if that load is gone for good: DROP GRAPH "
                    f"<{LOCK_GRAPH}> on the server)")
            if on_wait and not said:
                on_wait(f"waiting for {holder} to finish loading {self.endpoints.label} …")
                said = True
            time.sleep(LOCK_POLL_S * (0.5 + random.random()))  # two waiting: not in step
        try:
            yield
        finally:
            with contextlib.suppress(StoreError):
                self._unlock(token)

    def _holders(self) -> list[str]:
        found = self.execute(f"SELECT ?h WHERE {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> "
                             f"<{LOCK_HOLDER}> ?h }} }}", None, all_graphs=True)
        return sorted(str(row["h"].value) for row in found)  # type: ignore[attr-defined]

    def _try_lock(self, token: str) -> str | None:
        """None when `token` holds the lock now, else the holder."""
        held = Literal(token).n3()
        # stated without condition (servers differ on conditional inserts), then read back:
        # the lock is ours only if nobody else is stated
        self._update(f"INSERT DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> <{LOCK_HOLDER}> "
                     f"{held} }} }}")
        holders = self._holders()
        if holders == [token]:
            return None
        # another load holds it, or stated itself at the same moment: this one steps back
        self._unlock(token)
        return next((h for h in holders if h != token), "another load")

    def _unlock(self, token: str) -> None:
        self._update(f"DELETE DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> <{LOCK_HOLDER}> "
                     f"{Literal(token).n3()} }} }}")

    @staticmethod
    def _stale(holder: str) -> bool:
        host, _, rest = holder.partition(" PID ")
        pid = rest.split(" ", 1)[0]
        if host != socket.gethostname() or not pid.isdigit():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # alive, another user's
        return False

    # -- HTTP

    def _request(self, method: str, url: str, what: str, **kw: object) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx.TimeoutException as exc:
            raise StoreError(f"the store server at {self.endpoints.label} did not answer "
                             f"within {self.timeout_s:g} s ({what})") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the store server at {self.endpoints.label} "
                             f"({what}): {type(exc).__name__}: {exc}; is it running?") from exc
        if response.status_code in (401, 403):
            raise StoreError(f"the store server at {self.endpoints.label} refused the "
                             f"{what} (HTTP {response.status_code}): set KG_STORE_USER and "
                             "KG_STORE_PASSWORD to an account that may do it")
        if response.status_code >= 400:
            body = " ".join(_reason(response.text).split())[:400]
            if what == "query" and response.status_code == 400:
                raise QuerySyntaxError(f"the store server rejected the query: {body}")
            raise StoreError(f"the store server at {self.endpoints.label} answered HTTP "
                             f"{response.status_code} to the {what}: {body}")
        return response

    def _update(self, sparql_update: str) -> None:
        self._require_writable()
        self._graphs = None
        self._request("POST", self.endpoints.update, "update", content=sparql_update.encode(),
                      headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def _put(self, graph: str, ntriples: bytes) -> None:
        self._require_writable()
        self._graphs = None
        self._request("PUT", self.endpoints.gsp, "write of a graph", params={"graph": graph},
                      content=ntriples, headers={"Content-Type": self._rdf_type})

    def _post(self, graph: str, ntriples: bytes) -> None:
        self._require_writable()
        self._graphs = None
        self._request("POST", self.endpoints.gsp, "write of a graph", params={"graph": graph},
                      content=ntriples, headers={"Content-Type": self._rdf_type})

    @property
    def _rdf_type(self) -> str:
        # N-Triples is Turtle; Virtuoso's graph CRUD knows Turtle by that name only
        return ("text/turtle; charset=utf-8" if self.endpoints.kind == "virtuoso"
                else "application/n-triples")

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only; write through `kg load`")

    def close(self) -> None:
        self._http.close()

    def flush(self) -> None:
        """Every request is durable on the server when it returns."""

    # -- reading

    def union_kwargs(self) -> dict[str, object]:
        return {"union": True}

    def execute(self, sparql: str, substitutions: Mapping[str, object] | None,
                **options: object) -> object:
        """The query on the server; the answer as pyoxigraph results (QuerySolutions,
        QueryBoolean) or a list of triples, so callers see what the embedded store gives."""
        if self._stale_union:
            self.finish_union()
        # each value written in as a constant where its variable stands, as Oxigraph's
        # `substitutions=` binds it: a VALUES block opening the query was not seen inside a
        # sub-SELECT (a resource's page showed none of the statements pointing at it)
        text = inline_parameters(sparql, substitutions) if substitutions else sparql  # type: ignore[arg-type]
        prologue = ""
        if options.get("base_iri"):
            prologue += f"BASE {IRI(str(options['base_iri'])).n3()}\n"
        for prefix, namespace in dict(options.get("prefixes") or {}).items():  # type: ignore[call-overload]
            prologue += f"PREFIX {prefix}: {IRI(namespace).n3()}\n"
        params: list[tuple[str, str]] = [("query", prologue + text)]
        if "default_graph" in options or "named_graphs" in options:
            params += [("default-graph-uri", g.value)
                       for g in options.get("default_graph") or ()]  # type: ignore[attr-defined]
            params += [("named-graph-uri", g.value)
                       for g in options.get("named_graphs") or ()]  # type: ignore[attr-defined]
        elif self.endpoints.union_graph and not options.get("all_graphs"):
            # the query's own words, lexed once (a named query's description saying "from"
            # sent it to Virtuoso without the union graph)
            words = keywords(text)
            if options.get("union") or "FROM" not in words:
                # Virtuoso's default graph is every graph it holds; the embedded store's (and
                # so ours) is the union, also for a query that asks for no union but names no
                # FROM
                params.append(("default-graph-uri", self.endpoints.union_graph))
                if "GRAPH" in words:
                    # Virtuoso ranges GRAPH ?g over every graph it has (the union graph, its
                    # own system graphs) unless the named graphs are listed: the documents'
                    params += [("named-graph-uri", g) for g in self._document_graphs()]
        response = self._request("POST", self.endpoints.query, "query",
                                 content=urlencode(params).encode(),
                                 headers={"Accept": _accept(text), "Content-Type":
                                          "application/x-www-form-urlencoded"})
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = response.content
        try:
            if media in (_JSON, "application/json"):
                if b'"__ASK_RETVAL"' in body or b'"__ask_retval"' in body:
                    # Virtuoso answers an ASK with a named graph list as a one-row SELECT
                    rows = json.loads(body)["results"]["bindings"]
                    truth = bool(rows) and next(iter(rows[0].values()))["value"] in ("1",
                                                                                     "true")
                    body = b'{"head":{},"boolean":' + (b"true" if truth else b"false") + b"}"
                if b'"bnode"' in body:
                    body = _plain_bnodes(body)
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if media in ("application/sparql-results+xml", "application/xml"):
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
            return _Triples(ox.parse(body, format=fmt))
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the store server at {self.endpoints.label} sent an answer "
                             f"that does not parse as {media or 'RDF'}: {exc}") from exc

    def _filter_ours(self, var: str) -> str:
        """Leave out the staging graphs (and Virtuoso's union graph) from GRAPH ?var."""
        test = f'!STRSTARTS(STR(?{var}), "{STAGING}") && ?{var} != <{LOCK_GRAPH}>'
        if self.endpoints.union_graph:
            test += f" && ?{var} != <{self.endpoints.union_graph}>"
        if self.endpoints.kind == "virtuoso":
            test += f" && ?{var} NOT IN ({', '.join(f'<{g}>' for g in VIRTUOSO_SYSTEM_GRAPHS)})"
        return f"FILTER({test})"

    def has_graph(self, graph: IRI) -> bool:
        return self.ask(f"ASK {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}")

    def _document_graphs(self) -> list[str]:
        now = time.monotonic()
        if self._graphs is None or now - self._graphs[0] > GRAPH_LIST_TTL_S:
            # every graph the server holds, ours filtered here (not a named graph list)
            found = self.execute(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                 f"{self._filter_ours('g')} }}", None, all_graphs=True)
            graphs = sorted(str(row["g"].value) for row in found)  # type: ignore[attr-defined]
            # an empty list would mean "every graph" to Virtuoso: name one that is empty
            self._graphs = (now, graphs or [NO_GRAPH])
        return self._graphs[1]

    def named_graphs(self) -> list[str]:
        return [g for g in self._document_graphs() if g != NO_GRAPH]

    def count_quads(self, graph: str | None = None) -> int:
        if graph is None:
            rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                               f"{self._filter_ours('g')} }}")
        else:
            rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {IRI(graph).n3()} "
                               "{ ?s ?p ?o } }")
        return int(rows[0]["n"]) if rows else 0  # type: ignore[call-overload]

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        result = self.execute(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {IRI(graph).n3()} "
                              "{ ?s ?p ?o } }", None)
        return list(result)  # type: ignore[call-overload]

    def graph_quads(self, graph: IRI) -> list[Quad]:
        found: list[Quad] = []
        for t in self._graph_triples(graph.value):
            s, p, o = (to_result_term(x) for x in (t.subject, t.predicate, t.object))
            if isinstance(s, IRI) and isinstance(p, IRI) and isinstance(o, IRI | Literal):
                found.append((s, p, o, graph))
        return found

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        target = GRAPH_FORMATS[fmt]
        if graph is not None:
            return ox.serialize(self._graph_triples(graph), format=target)
        if target.supports_datasets:
            result = self.execute(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                  f"{self._filter_ours('g')} }}", None)
            quads = [ox.Quad(s["s"], s["p"], s["o"], s["g"])  # type: ignore[index]
                     for s in result]  # type: ignore[attr-defined]
            return ox.serialize(quads, format=target)
        result = self.execute(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                              f"{self._filter_ours('g')} }}", None)
        return ox.serialize(set(result), format=target)  # type: ignore[call-overload]

    # -- the union default graph

    def _in_union(self, pattern: str) -> str:
        u = self.endpoints.union_graph
        return f"GRAPH <{u}> {{ {pattern} }}" if u else pattern

    def track_changes(self) -> None:
        self._touched = []

    def _touch(self, graph: str, *, new: bool = False) -> None:
        """Before the first change of `graph` in this load: its triples into its staging
        graph, with the marker that tells a later load to repair when this one dies."""
        self._stale_union = True
        if graph in self._touched:
            return
        g, b = IRI(graph).n3(), IRI(STAGING + graph).n3()
        copy = "" if new else (f"INSERT {{ GRAPH {b} {{ ?s ?p ?o }} }} WHERE "
                               f"{{ GRAPH {g} {{ ?s ?p ?o }} }} ;\n")
        self._update(f"DROP SILENT GRAPH {b} ;\n{copy}"
                     f"INSERT DATA {{ GRAPH {b} {{ {_MARK_S} {_MARK_P} {g} }} }}")
        self._touched.append(graph)

    def finish_union(self) -> tuple[int, int]:
        """The union gains what each changed graph holds and loses what it held unless
        another graph still states it; then the staging graphs go."""
        touched, self._touched = self._touched, []
        for i in range(0, len(touched), _BATCH):
            parts = []
            for graph in touched[i:i + _BATCH]:
                g, b = IRI(graph).n3(), IRI(STAGING + graph).n3()
                parts.append(
                    f"INSERT {{ {self._in_union('?s ?p ?o')} }} WHERE {{ GRAPH {g} "
                    f"{{ ?s ?p ?o }} }} ;\n"
                    f"DELETE {{ {self._in_union('?s ?p ?o')} }} WHERE {{ GRAPH {b} "
                    f"{{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?x {{ ?s ?p ?o }} "
                    f"{self._filter_ours('x')} }} }} ;\n"
                    f"DROP SILENT GRAPH {b}")
            self._update(" ;\n".join(parts))
        self._stale_union = False
        return (0, 0)

    def materialize_union(self) -> None:
        """The union rebuilt from every graph (repair after a load that died)."""
        self._update(
            f"DELETE {{ {self._in_union('?s ?p ?o')} }} WHERE {{ {self._in_union('?s ?p ?o')} "
            f"FILTER NOT EXISTS {{ GRAPH ?x {{ ?s ?p ?o }} {self._filter_ours('x')} }} }} ;\n"
            f"INSERT {{ {self._in_union('?s ?p ?o')} }} WHERE {{ GRAPH ?x {{ ?s ?p ?o }} "
            f"{self._filter_ours('x')} }}")

    def repair(self) -> bool:
        """After a load that died: rebuild the union, drop its staging graphs. True if so."""
        # every graph the server holds: the staging graphs are not among the documents'
        found = self.execute(
            f"SELECT DISTINCT ?b WHERE {{ GRAPH ?b {{ {_MARK_S} {_MARK_P} ?g }} }}", None,
            all_graphs=True)
        staging = sorted({row["b"].value for row in found})  # type: ignore[attr-defined]
        if not staging:
            return False
        self.materialize_union()
        self._update(" ;\n".join(f"DROP SILENT GRAPH {IRI(b).n3()}" for b in staging))
        return True

    # -- writing

    def add_new_graphs(self, graphs: Sequence[tuple[IRI, bytes, bytes]]) -> None:
        """Graphs the store does not hold yet: one PUT each (its triples as N-Triples)."""
        for graph, _, triples in graphs:
            self._touch(graph.value, new=True)
            self._put(graph.value, triples)

    def replace_serialized(self, graph: IRI, nquads: bytes) -> None:
        target = ox.NamedNode(graph.value)
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        if any(q.graph_name != target for q in quads):
            raise ValueError(f"quads outside graph {graph.value}")
        self._touch(graph.value)
        self._put(graph.value, ox.serialize([q.triple for q in quads],
                                            format=ox.RdfFormat.N_TRIPLES))

    def replace_graph(self, graph: IRI, quads: Sequence[Quad]) -> None:
        self.replace_graph_lines(graph, triple_lines(quads, graph))

    def replace_graph_lines(self, graph: IRI, lines: set[str]) -> None:
        self._touch(graph.value)
        self._put(graph.value, ntriples_text(lines))

    def add_quads(self, quads: Sequence[Quad]) -> None:
        by_graph: dict[str, list[ox.Triple]] = {}
        for s, p, o, g in quads:
            by_graph.setdefault(g.value, []).append(ox.Triple(to_ox(s), to_ox(p), to_ox(o)))
        for graph, triples in by_graph.items():
            self._touch(graph)
            self._post(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def load_file(self, path: Path, graph: IRI, fmt: str, base_iri: str | None = None) -> None:
        triples = [q.triple for q in ox.parse(path=str(path), format=GRAPH_FORMATS[fmt],
                                              base_iri=base_iri)]
        self._touch(graph.value)
        self._put(graph.value, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def load_bytes(self, data: bytes, fmt: str, graph: IRI) -> None:
        triples = [q.triple for q in ox.parse(data, format=GRAPH_FORMATS[fmt])]
        self._touch(graph.value)
        self._post(graph.value, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def bulk_load_nquads(self, data: bytes) -> None:
        by_graph: dict[str, list[ox.Triple]] = {}
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if isinstance(q.graph_name, ox.NamedNode):
                by_graph.setdefault(q.graph_name.value, []).append(q.triple)
        for graph, triples in by_graph.items():
            self._touch(graph)
            self._post(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def drop_graph(self, graph: IRI) -> None:
        self._touch(graph.value)
        self._update(f"DROP SILENT GRAPH {graph.n3()}")

    def update(self, sparql_update: str, touches: Sequence[IRI] = ()) -> None:
        """Internal maintenance updates (derived graphs); never reachable over HTTP."""
        self._require_writable()
        if self._stale_union:
            self.finish_union()
        for graph in touches:
            self._touch(graph.value)
        self._update(sparql_update)
