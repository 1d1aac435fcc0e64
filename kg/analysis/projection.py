"""The networkx projection of the store: resolutions, points, sessions, bodies, Länder and acts
as nodes; typed relations as edges (a MultiDiGraph keyed by relation).

Read with a handful of SPARQL SELECTs over the union of all graphs, the derived analysis graph
excluded, so that recomputing the analysis never reads its own previous output.

Node attributes: `kind` (resolution, point, session, body, land, eu_act, law, external),
`label`; resolutions add `id`, `title`, `date`, `expires`, `effective_from`, `loaded`,
`outcome`, `decision_kind`, `titles`/`dates` (every value seen, for conflicts); points add
`resolution`, `number`, `parent`. Edge keys: the relations of `vocab.RELATIONS` between
resolutions (or from a resolution to a point), plus the structural `part_of` (point →
resolution), `sub_point_of`, `session`, `passed_by` and `assigns` (resolution → assignee).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from kg import collector
from kg.iris import Minter
from kg.namespaces import BG, DCT, ELI, PROV, RDF, RDFS, SKOS, sparql_prefixes
from kg.store import OxigraphStore
from kg.terms import IRI

if TYPE_CHECKING:
    import networkx as nx

RELATION_PROPERTIES = {
    ELI + "repeals": "repeals",
    ELI + "amends": "amends",
    BG + "replaces": "replaces",
    BG + "continues": "continues",
    BG + "extends": "extends",
    BG + "implements": "implements",
    BG + "basedOn": "based_on",
    ELI + "cites": "cites",
}
# bg:relation of a reified reference: a partial repeal or amendment names bg:repealsPartOf /
# bg:amendsPartOf (the point is in bg:targetPoint)
_REFERENCE_RELATIONS = {**RELATION_PROPERTIES, BG + "repealsPartOf": "repeals",
                        BG + "amendsPartOf": "amends"}
_DECISION_KINDS = {
    BG + "CouncilResolution": "council",
    BG + "ALRundeDecision": "al-runde",
    BG + "FollowUp": "follow-up",
}
# every property the projection reads (besides RELATION_PROPERTIES): a part of the store
# copied for a projection (kg/analysis/region.py) needs these triples and no others
PROJECTED_PROPERTIES = (
    *(RDF + name for name in ("type",)),
    *(BG + name for name in (
        "action", "assignee", "cited", "citing", "deadline", "deadlineKind",
        "deadlineSession", "deadlineText", "effectiveFrom", "evidence", "expires",
        "hasDeadline", "identifier", "issuedBy", "mandateVerb", "outcome", "parentPoint",
        "point", "position", "procedure", "relation", "session", "sessionNumber",
        "sourcePoint", "targetPoint", "unresolvedAssignee", "vote")),
    *(ELI + name for name in ("date_document", "id_local", "is_part_of", "number",
                              "passed_by", "title")),
    DCT + "date", DCT + "source", PROV + "wasDerivedFrom", RDFS + "label",
    SKOS + "notation", SKOS + "prefLabel",
    *RELATION_PROPERTIES,
)

# the types that decide a legal resource's kind, in the order they are applied
_LEGAL_TYPES = ("Resolution", "CouncilResolution", "ALRundeDecision", "FollowUp",
                "ExternalDecision", "EUAct", "GermanLaw", "RulesOfProcedure")
_OUTCOMES = {BG + "Adopted": "adopted", BG + "Rejected": "rejected",
             BG + "TakenNote": "taken_note"}


@dataclass
class MandateRecord:
    iri: str
    resolution: str
    point: str | None
    verb: str
    action: str
    assignees: list[str] = field(default_factory=list)  # IRIs
    unresolved: list[str] = field(default_factory=list)  # names the gazetteer did not know
    deadline: dt.date | None = None
    deadline_text: str | None = None
    deadline_kind: str | None = None
    deadline_session: str | None = None
    # every cut-off (bg:hasDeadline) in order: (date, wording, session IRI); empty for a
    # mandate without a deadline
    cut_offs: list[tuple[dt.date | None, str, str | None]] = field(default_factory=list)


@dataclass
class ReferenceRecord:
    """A reified bg:Reference: who cites what, as which relation, with the text as evidence."""

    iri: str
    citing: str
    cited: str
    relation: str  # key of vocab.RELATIONS
    evidence: str
    point: str | None  # the citing resolution's point


Records = TypeVar("Records")


class Projection:
    """The graph, the mandates and the references of a record. The records may be given as a
    function that reads them (kg/analysis/cache.py): they are read on first use, so that a
    command that needs only the graph (`kg impact`, `kg status`) does not pay for them."""

    def __init__(self, graph: nx.MultiDiGraph,
                 mandates: list[MandateRecord] | Callable[[], list[MandateRecord]],
                 references: list[ReferenceRecord] | Callable[[], list[ReferenceRecord]],
                 by_id: dict[str, str],
                 records_of: Callable[[str], tuple[list[MandateRecord],
                                                   list[ReferenceRecord]] | None] | None = None,
                 ) -> None:
        """`records_of`: reads the mandates a node issues and the references citing it
        without reading all records (raises LookupError when it cannot)."""
        self.graph = graph
        self._mandates = mandates
        self._references = references
        self.by_id = by_id  # canonical id -> resolution IRI
        self._records_of = records_of

    @property
    def mandates(self) -> list[MandateRecord]:
        self._mandates = _read(self._mandates)
        return self._mandates

    @property
    def references(self) -> list[ReferenceRecord]:
        self._references = _read(self._references)
        return self._references

    def mandates_of(self, resolution: str) -> list[MandateRecord]:
        """The mandates `resolution` issues, in record order."""
        own = self._own_records(resolution, self._mandates)
        if own is not None:
            return list(own[0])
        return [m for m in self.mandates if m.resolution == resolution]

    def references_to(self, iri: str) -> list[ReferenceRecord]:
        """The references citing `iri` (a resolution or a point) itself, in record order."""
        own = self._own_records(iri, self._references)
        if own is not None:
            return list(own[1])
        return [ref for ref in self.references if ref.cited == iri]

    def _own_records(self, node: str, records: object) -> tuple[list, list] | None:
        """`node`'s own records through `records_of` while `records` (the whole list) is
        not read yet; None when the whole list must be searched instead."""
        if not callable(records) or self._records_of is None:
            return None
        try:
            return self._records_of(node) or ([], [])
        except LookupError:
            return None

    def resolutions(self) -> list[str]:
        return [n for n, k in self.graph.nodes(data="kind") if k == "resolution"]

    def node(self, iri: str) -> dict:
        return self.attrs[iri]

    @property
    def attrs(self) -> dict[str, dict]:
        """node -> its attributes: networkx's own dict, read directly (its NodeView costs
        several times as much, and `kg findings` asks four million times at 100,000
        resolutions)."""
        return self.graph._node

    # networkx's adjacency dicts read directly: its edge views cost several times as much,
    # and impact and status ask once per resolution (41,000 times for a 2010 resolution at
    # 100,000). The layout (node -> neighbour -> key -> data) is MultiDiGraph's own.
    def in_keyed(self, node: str) -> list[tuple[str, str]]:
        """(source, key) of every edge into `node`."""
        return [(u, k) for u, keys in self.graph._pred[node].items() for k in keys]

    def out_keyed(self, node: str) -> list[tuple[str, str]]:
        """(target, key) of every edge out of `node`."""
        return [(v, k) for v, keys in self.graph._succ[node].items() for k in keys]

    def has_key(self, source: str, target: str, key: str) -> bool:
        """Whether an edge `key` leads from `source` to `target` (networkx's has_edge, read
        from the adjacency dict)."""
        return key in self.graph._succ[source].get(target, ())

    def points_of(self, resolution: str) -> list[str]:
        """Points (and sub-points) of a resolution, in document/number order."""
        nodes = self.attrs
        return sorted(self.parts_of(resolution),
                      key=lambda p: number_key(nodes[p].get("number", "")))

    def parts_of(self, resolution: str) -> list[str]:
        """`points_of` in no particular order (sorting them was half of a status alone)."""
        return [u for u, keys in self.graph._pred[resolution].items() if "part_of" in keys]

    def edges_by(self, keys: Iterable[str], *, sources: Iterable[str] | None = None,
                 targets: Iterable[str] | None = None) -> Iterable[tuple[str, str, str]]:
        """The edges with these keys; with `sources` (or `targets`) only those out of (into)
        these nodes, read from their own adjacency instead of the whole graph."""
        wanted = set(keys)
        if sources is not None:
            succ = self.graph._succ
            return [(u, v, k) for u in sources for v, ks in succ[u].items()
                    for k in ks if k in wanted]
        if targets is not None:
            pred = self.graph._pred
            return [(u, v, k) for v in targets for u, ks in pred[v].items()
                    for k in ks if k in wanted]
        return [(u, v, k) for u, nbrs in self.graph._succ.items() for v, ks in nbrs.items()
                for k in ks if k in wanted]

    def resolution_of(self, iri: str) -> str:
        """The resolution a node belongs to (itself for a resolution)."""
        data = self.attrs[iri]
        return data.get("resolution", iri) if data.get("kind") == "point" else iri

    def label(self, iri: str) -> str:
        data = self.attrs.get(iri, {})
        return data.get("label") or data.get("id") or iri.rsplit("/", 1)[-1]

    def lookup(self, text: str, minter: Minter | None = None) -> str | None:
        """A resolution IRI from an id as an analyst types it ("2025/33", "B-2025/33-IT",
        "2025/02-AL") or from a full IRI."""
        nodes = self.attrs
        return lookup_resolution(
            text, lambda iri: iri in nodes and nodes[iri].get("kind") == "resolution",
            self.by_id, minter)


def lookup_resolution(text: str, is_resolution: Callable[[str], bool], by_id: dict[str, str],
                      minter: Minter | None = None) -> str | None:
    """The resolution IRI `text` names (an id or a full IRI), if `is_resolution` knows it."""
    from loaders.references import canonical_from_identifier  # noqa: PLC0415

    if is_resolution(text):
        return text
    canonical = canonical_from_identifier(text.strip())
    if canonical is None:
        return None
    if canonical in by_id:
        return by_id[canonical]
    if minter is not None:
        iri = minter.resolution(canonical).value
        return iri if is_resolution(iri) else None
    return None


def unknown_target(iri: str) -> dict[str, object]:
    """The node of a relation's target that is no legal resource of the store: a cited
    article of an EU act (its ELI) or a law."""
    kind = "eu_act" if iri.startswith("http://data.europa.eu/eli/") else "law"
    return {"kind": kind, "loaded": False, "titles": [], "dates": [], "title": None,
            "date": None}


def act_label(iri: str) -> str:
    """An EU act's label when the store states none: "EU reg/2024/903" from its ELI."""
    parts = iri.rstrip("/").split("/")
    return "EU " + "/".join(parts[-4:-1]) if len(parts) > 4 else iri


def _read(records: Records | Callable[[], Records]) -> Records:
    return records() if callable(records) else records


def number_key(number: str) -> tuple[int, ...]:
    """A point's number ("2", "2.1") as it sorts: 2 before 10."""
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


def _legal_property(data: dict, name: str, o: object, titles: set[str],
                    dates: set[dt.date]) -> None:
    """One value of a legal resource's property into its node (`titles`, `dates`: every
    value seen, for conflicts)."""
    if name == "id":
        data["id"] = _value(o)
    elif name == "title":
        titles.add(_value(o) or "")
    elif name == "date_document":
        d = _date(o)
        if d:
            dates.add(d)
    elif name == "expires":
        d = _date(o)
        if d and (data.get("expires") is None or d > data["expires"]):
            data["expires"] = d  # the latest stated limit (a later extension wins)
    elif name == "effectiveFrom":
        d = _date(o)
        if d and (data.get("effective_from") is None or d < data["effective_from"]):
            data["effective_from"] = d
    elif name == "identifier":
        data.setdefault("identifiers", set()).add(_value(o))
    elif name == "source":
        data.setdefault("sources", set()).add(_value(o))
    elif name == "procedure":
        data["procedure"] = _value(o)


def _value(term: object) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, IRI) else str(term)


def _numbers_first(value: object) -> tuple[int, float, str]:
    """A sort key that orders numbers by value before anything else (as ORDER BY does)."""
    if isinstance(value, int | float):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def _session_order(g: nx.MultiDiGraph, session: str) -> tuple[int, str]:
    number = g.nodes[session].get("number")
    return (number if isinstance(number, int) else sys.maxsize, session)


def _date(term: object) -> dt.date | None:
    text = _value(term)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


@collector.paused()
def project(store: OxigraphStore) -> Projection:
    """Read the store into a Projection, in one pass over the union default graph:
    materialised (a set) in every store on disk, the live union (a bag, so rows are made
    unique here) in an in-memory store. Listing the graphs as the default graph instead
    costs graphs × rows. The analysis graph is read with the rest: its own triples (status,
    chains, stale references) match none of these patterns (tests/analysis pin this).

    The large reads are single triple patterns, one per property, joined here in Python:
    Oxigraph answers a pattern as one index scan, while joins with OPTIONALs and VALUES made
    it plan badly (20 s instead of 4 at 1,000 sessions)."""
    # networkx is imported where a graph is built: the modules that only read a projection
    # (status, events, the web's pages) and the web front that never builds one go without
    import networkx as nx  # noqa: PLC0415

    if not store.named_graphs():
        return Projection(nx.MultiDiGraph(), [], [], {})
    bag = bool(store.union_kwargs())  # the live union repeats a triple once per graph

    def select(body: str) -> list[dict[str, object]]:
        rows = store.select(sparql_prefixes() + body)
        if not bag:
            return rows
        unique: dict[tuple, dict[str, object]] = {}
        for row in rows:
            unique.setdefault(tuple(row.items()), row)
        return list(unique.values())

    def pairs(pattern: str) -> list[tuple]:
        """(subject, object) of `?s <pattern> ?o`, each once, in the engine's order."""
        rows = store.select_tuples(sparql_prefixes() + f"SELECT ?s ?o WHERE {{ {pattern} }}")
        return list(dict.fromkeys(rows)) if bag else rows

    def subjects(pattern: str) -> set[str]:
        return {row[0] for row in store.select_tuples(  # type: ignore[misc]
            sparql_prefixes() + f"SELECT ?s WHERE {{ {pattern} }}")}

    def values(pattern: str) -> dict[str, list]:
        """Every value of `?s <pattern> ?o` per subject, in a stable order (where a subject
        has several, the first one is the one a record takes)."""
        found: dict[str, list] = defaultdict(list)
        for subject, value in pairs(pattern if "?o" in pattern else f"?s {pattern} ?o"):
            found[subject].append(value)  # type: ignore[index]
        for many in found.values():
            if len(many) > 1:
                many.sort(key=str)
        return found

    g = nx.MultiDiGraph()
    titles: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, set[dt.date]] = defaultdict(set)

    # -- legal resources: resolutions, other bodies' decisions, EU acts
    legal = subjects("?s a eli:LegalResource")
    typed = [(r, BG + t) for t in _LEGAL_TYPES
             for r in sorted(subjects(f"?s a bg:{t}") & legal)]
    for r in sorted(legal):
        g.add_node(r, kind="eu_act", loaded=False)
    for r, t in typed:
        data = g.nodes[r]
        if t in (BG + "Resolution", BG + "CouncilResolution", BG + "ALRundeDecision",
                 BG + "FollowUp"):
            data["kind"] = "resolution"
            if t in _DECISION_KINDS:
                data["decision_kind"] = _DECISION_KINDS[t]
        elif t == BG + "ExternalDecision" and data["kind"] != "resolution":
            data["kind"] = "external"
        elif t in (BG + "GermanLaw", BG + "RulesOfProcedure"):
            data["kind"] = "law"
    resolutions_typed = {r for r, t in typed if t == BG + "Resolution"}
    derived = values("?s a eli:LegalResource ; prov:wasDerivedFrom ?o")
    for prop, name in (("eli:id_local", "id"), ("eli:title", "title"),
                       ("eli:date_document", "date_document"), ("bg:expires", "expires"),
                       ("bg:effectiveFrom", "effectiveFrom"), ("bg:identifier", "identifier"),
                       ("dct:source", "source"), ("bg:procedure", "procedure")):
        found = values(prop)
        for r in legal & found.keys():
            for o in found[r]:
                _legal_property(g.nodes[r], name, o, titles[r], dates[r])
    for r in legal & derived.keys():
        g.nodes[r]["loaded"] = True
        g.nodes[r]["documents"] = {_value(d) for d in derived[r]}
    # where a resolution has several values, the same one whatever order the engine gives
    # them in (a projection carried forward reads them from a copy: kg/analysis/carry.py)
    for r, outcomes in values("?s bg:vote ?v . ?v bg:outcome ?o").items():
        if r in resolutions_typed:
            g.nodes[r]["outcome"] = _OUTCOMES.get(_value(outcomes[-1]) or "")
    by_id: dict[str, str] = {}
    for r, data in g.nodes(data=True):
        data.setdefault("loaded", False)
        data["titles"] = sorted(titles.get(r, ()))
        data["dates"] = sorted(dates.get(r, ()))
        data["title"] = data["titles"][0] if data["titles"] else None
        # several dates (protocol vs register): the earliest is the decision date
        data["date"] = data["dates"][0] if data["dates"] else None
        if data.get("id") and data["kind"] in ("resolution", "external"):
            data["label"] = data["id"]
            if data["kind"] == "resolution":
                by_id[data["id"]] = r

    # -- points
    points = subjects("?s a bg:ResolutionPoint")
    points_loaded = subjects("?s a bg:ResolutionPoint ; prov:wasDerivedFrom ?d")
    numbers = values("eli:number")
    part_of = values("eli:is_part_of")
    for p, r in [(point, r) for point in sorted(points & part_of.keys()) for r in part_of[point]]:
        if r not in g:
            g.add_node(r, kind="resolution", loaded=False, titles=[], dates=[], title=None,
                       date=None)
        if p not in g:
            number = _value(numbers[p][0]) if p in numbers else p.rsplit("/", 1)[-1]
            g.add_node(p, kind="point", resolution=r, number=number,
                       label=f"{g.nodes[r].get('id', '?')} Z. {number}",
                       loaded=p in points_loaded)
        g.add_edge(p, r, key="part_of")
    for p, parents in values("bg:parentPoint").items():  # every point is a node by now
        for parent in parents:
            if p in points and p in g and parent in g:
                g.nodes[p]["parent"] = parent
                g.add_edge(p, parent, key="sub_point_of")

    # -- relations (direct triples; the reified references add evidence below)
    for prop, relation in RELATION_PROPERTIES.items():
        for a, b in pairs(f"?s <{prop}> ?o"):
            if a not in g or b is None:
                continue
            if b not in g:
                g.add_node(b, **unknown_target(b))
            g.add_edge(a, b, key=relation)

    # -- labels of laws and acts
    for row in select("""
        SELECT ?x (SAMPLE(?n) AS ?notation) (SAMPLE(?l) AS ?label) WHERE {
          { ?x a bg:GermanLaw } UNION { ?x a bg:RulesOfProcedure } UNION { ?x a bg:EUAct }
          UNION { ?x a bg:EUActArticle }
          OPTIONAL { ?x skos:notation ?n }
          OPTIONAL { ?x rdfs:label ?l FILTER(lang(?l) = "de") } } GROUP BY ?x"""):
        x = _value(row["x"])
        if x in g and not g.nodes[x].get("label"):
            # a law's short form (OZG) reads better than its title; an act's title better
            # than its CELEX number
            law = g.nodes[x]["kind"] == "law"
            first, second = (row["notation"], row["label"]) if law else (row["label"],
                                                                        row["notation"])
            g.nodes[x]["label"] = _value(first) or _value(second) or g.nodes[x].get("id")
            g.nodes[x]["title"] = g.nodes[x].get("title") or _value(row["label"])
    for n, data in g.nodes(data=True):
        if data["kind"] == "eu_act" and not data.get("label"):
            data["label"] = act_label(n)

    # -- sessions
    for row in select("""
        SELECT ?s (SAMPLE(?n) AS ?num) (MIN(?d) AS ?date) WHERE {
          ?s a bg:Session ; bg:sessionNumber ?n . OPTIONAL { ?s dct:date ?d } } GROUP BY ?s"""):
        s = _value(row["s"])
        g.add_node(s, kind="session", number=row["num"], date=_date(row["date"]),
                   label=f"{row['num']}. Sitzung")
    for r, sessions in values("bg:session").items():
        known = [s for s in sessions if s in g] if r in resolutions_typed else []
        for s in known:
            g.add_edge(r, s, key="session")
        if known:
            # where the register and a protocol name two sessions, the one of the least
            # number, as REST answers (by the IRIs' text ".../10" came before ".../9")
            g.nodes[r].setdefault("session", min(known, key=lambda s: _session_order(g, s)))

    # -- bodies and Länder (only those some resolution or mandate touches)
    orgs: dict[str, dict] = {}
    for row in select("""
        SELECT ?o ?l ?code ?land WHERE { ?o a org:Organization .
          OPTIONAL { ?o skos:prefLabel ?l FILTER(lang(?l) = "de") }
          OPTIONAL { ?o skos:notation ?code }
          BIND(EXISTS { { ?o a bg:Land } UNION { ?o a bg:Federation } } AS ?land) }"""):
        o = _value(row["o"])
        orgs[o] = {"kind": "land" if row["land"] else "body",  # type: ignore[index]
                   "label": _value(row["code"]) or _value(row["l"]) or o.rsplit("/", 1)[-1],
                   "name": _value(row["l"])}

    def org_node(o: str) -> None:
        if o not in g:
            info = orgs.get(o, {"kind": "body", "label": o.rsplit("/", 1)[-1], "name": None})
            g.add_node(o, **info)

    for r, o in pairs("?s eli:passed_by ?o"):
        if r not in resolutions_typed:
            continue
        org_node(o)  # type: ignore[arg-type]
        g.add_edge(r, o, key="passed_by")

    # -- mandates
    mandates: dict[str, MandateRecord] = {}
    mandate_iris = subjects("?s a bg:Mandate")
    fields = {name: values(prop) for name, prop in (
        ("point", "bg:sourcePoint"), ("verb", "bg:mandateVerb"), ("action", "bg:action"),
        ("assignee", "bg:assignee"), ("unresolved", "bg:unresolvedAssignee"),
        ("deadline", "bg:deadline"), ("deadline_text", "bg:deadlineText"),
        ("deadline_kind", "bg:deadlineKind"), ("deadline_session", "bg:deadlineSession"))}

    def first(name: str, m: str) -> str | None:
        found = fields[name].get(m)
        return _value(found[0]) if found else None

    issued_by = values("bg:issuedBy")
    for m in sorted(mandate_iris & issued_by.keys()):
        r = issued_by[m][0]
        deadline = fields["deadline"].get(m)
        rec = mandates[m] = MandateRecord(  # type: ignore[index]
            m, r, first("point", m), first("verb", m) or "",  # type: ignore[arg-type]
            first("action", m) or "", deadline=_date(deadline[0]) if deadline else None,
            deadline_text=first("deadline_text", m), deadline_kind=first("deadline_kind", m),
            deadline_session=first("deadline_session", m))
        for a in fields["assignee"].get(m, ()):
            if a not in rec.assignees:
                rec.assignees.append(a)
                org_node(a)
                if rec.resolution in g:
                    g.add_edge(rec.resolution, a, key="assigns")
        for ua in fields["unresolved"].get(m, ()):
            if ua not in rec.unresolved:
                rec.unresolved.append(ua)
    # each cut-off in the order of its bg:position: single patterns joined here (the join
    # with OPTIONALs took a fifth of the projection's time)
    has_deadline, position = values("bg:hasDeadline"), values("bg:position")
    cut_offs = sorted(((m, pos, c) for m in mandates.keys() & has_deadline.keys()
                       for c in has_deadline[m] for pos in position.get(c, ())),
                      key=lambda row: (row[0], *_numbers_first(row[1])))
    for m, _pos, c in cut_offs:
        for text in fields["deadline_text"].get(c, ()):
            for d in fields["deadline"].get(c) or [None]:
                for ds in fields["deadline_session"].get(c) or [None]:
                    mandates[m].cut_offs.append((_date(d), _value(text) or "", _value(ds)))

    # -- reified references, for the evidence in explanations (one record per combination
    # of values, as the join of their properties would give)
    references: list[ReferenceRecord] = []
    reference_iris = subjects("?s a bg:Reference")
    citing, cited, relation = values("bg:citing"), values("bg:cited"), values("bg:relation")
    evidence, point = values("bg:evidence"), values("bg:point")
    for ref in sorted(reference_iris & citing.keys() & cited.keys() & relation.keys()):
        for a in citing[ref]:
            for b in cited[ref]:
                for rel_iri in relation[ref]:
                    rel = _REFERENCE_RELATIONS.get(_value(rel_iri) or "", "cites")
                    for ev in evidence.get(ref) or [None]:
                        for pt in point.get(ref) or [None]:
                            references.append(ReferenceRecord(
                                ref, a, b, rel, _value(ev) or "", _value(pt)))
    return Projection(g, list(mandates.values()), references, by_id)
