"""The browse lists: resolutions, sessions, bodies, Länder and EU acts as tables of rows.

The rows come from the projection of the current store generation (kg.analysis.cache: ids,
dates, sessions, procedures, relations, the status on any date through StatusIndex, the same
definition as `kg status` and /analysis/status) and one SPARQL round trip for what the
projection leaves out: EuroVoc subjects and every body and Land a resolution involves (passed
by, reporter, assignee, mentioned, voting, note author: the same roles as the REST `body=` and
`land=` filters). Filtering, sorting and paging happen here in Python, on plain rows, so that
HTML, JSON and CSV show the very same rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from api.data import Linker, for_resolutions, text
from api.errors import ApiError
from api.kept import SingleFlight, changed_since
from api.limits import LOOKUP
from api.models import MAX_SESSION_NUMBER
from api.query_process import QueryJob
from api.runner import QueryRunner, Row
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.analysis.vocab import RELATIONS, STATE_LABELS, STATES
from kg.iris import english_ordinal
from kg.namespaces import sparql_prefixes
from queries.catalogue import date_problem

# EuroVoc subjects, and every body or Land a resolution involves: plain patterns, joined
# with the labels in Python (one SELECT with the labels and the kind tests inside the union
# took over 10 s at 100 sessions; these take well under one)
Q_SUBJECTS = sparql_prefixes() + """
SELECT DISTINCT ?r ?v WHERE { ?r eli:is_about ?v . ?v a skos:Concept }"""
Q_CONCEPTS = sparql_prefixes() + """
SELECT ?v (MIN(STR(?label0)) AS ?label) WHERE {
  ?v a skos:Concept ; skos:prefLabel ?label0 FILTER(LANGMATCHES(LANG(?label0), "de")) }
GROUP BY ?v"""
Q_RESOLUTIONS = sparql_prefixes() + "SELECT DISTINCT ?r WHERE { ?r a bg:Resolution }"
# the bodies and Länder a resolution involves, in every way the REST `body=` and `land=`
# filters count, as the load derives them (kg/involvement.py): one pattern instead of six joins
# over the whole record (3 s at 1,000 sessions)
Q_INVOLVED = sparql_prefixes() + "SELECT ?r ?v WHERE { ?r bg:involves ?v }"
# every body and Land of the gazetteer, also those no resolution involves. Where one has two
# labels or codes the least is shown, so every store answers alike. Whether it is a Land is
# an OPTIONAL, not IF(EXISTS … || EXISTS …): Virtuoso 7.2 could not compile that (SQ074)
Q_ORGANISATIONS = sparql_prefixes() + """
SELECT ?v (MIN(STR(?label0)) AS ?label) (MIN(STR(?code0)) AS ?code)
       (MIN(STR(?en0)) AS ?labelEn) (MAX(?land0) AS ?land)
       (GROUP_CONCAT(DISTINCT ?typeName; separator=" ") AS ?types)
WHERE {
  ?v a org:Organization .
  OPTIONAL { ?v skos:prefLabel ?label0 FILTER(LANGMATCHES(LANG(?label0), "de")) }
  OPTIONAL { ?v skos:prefLabel ?en0 FILTER(LANGMATCHES(LANG(?en0), "en")) }
  OPTIONAL { ?v skos:notation ?code0 }
  OPTIONAL { ?v a ?type FILTER(STRSTARTS(STR(?type), STR(bg:)))
             BIND(STRAFTER(STR(?type), "#") AS ?typeName) }
  OPTIONAL { ?v a ?landType FILTER(?landType IN (bg:Land, bg:Federation)) BIND(1 AS ?isLand) }
  BIND(COALESCE(?isLand, 0) AS ?land0)
} GROUP BY ?v
"""

# "in force" as the named query in-force-on-date counts it: in force, amended, partly repealed
IN_FORCE_ANY = "in_force_any"
IN_FORCE_STATES = ("in_force", "amended", "partially_repealed")
PROCEDURES = ("Sitzung", "Sondersitzung", "Umlaufverfahren", "AL-Runde")
KINDS = {"council": "IT-Planungsrat", "al-runde": "AL-Runde", "follow-up": "Follow-up"}


class ReadParams(dict[str, str]):
    """A list's query parameters that remember which of them the list read: its JSON twin
    echoes those as `filters` and the others as `ignored` (before, `?jahr=2025` was echoed as
    a filter that had filtered nothing)."""

    def __init__(self, given: Mapping[str, str]) -> None:
        super().__init__(given)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)


class FilterError(ValueError):
    """A filter value the list cannot use; the message names the parameter."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass
class Facet:
    """A body, Land or subject a resolution involves: the key a filter takes and its label."""

    key: str
    label: str
    iri: str
    page: str | None = None


@dataclass
class Facets:
    bodies: dict[str, list[Facet]] = field(default_factory=lambda: defaultdict(list))
    laender: dict[str, list[Facet]] = field(default_factory=lambda: defaultdict(list))
    subjects: dict[str, list[Facet]] = field(default_factory=lambda: defaultdict(list))


def facet_key(kind: str, iri: str, code: str | None) -> str:
    """The filter value: a Land's code (BY, Bund), a body's slug (fitko), an EuroVoc id."""
    if kind == "land":
        return code or iri.rsplit("/", 1)[-1]
    return iri.rstrip("/").rsplit("/", 1)[-1]


def facets_from_rows(resolutions: Iterable[Row], subjects: Iterable[Row],
                     concepts: Iterable[Row], involved: Iterable[Row],
                     organisations: Iterable[Row], linker: Linker) -> Facets:
    """Only resolutions count: a protocol note is also `bg:about` an agenda item. One Facet
    per body, Land or subject, shared by every resolution it applies to (read-only): at 5,000
    sessions there are 700,000 pairs of 166 facets."""
    out = Facets()
    known = {text(row, "r") for row in resolutions}
    labels = {text(c, "v"): text(c, "label") for c in concepts}
    made: dict[str, Facet] = {}
    for row in subjects:
        r, iri = text(row, "r") or "", text(row, "v") or ""
        if r not in known:
            continue
        if iri not in made:
            key = facet_key("subject", iri, None)
            made[iri] = Facet(key, labels.get(iri) or key, iri, linker.page(iri))
        out.subjects[r].append(made[iri])
    # each body's or Land's facet made once (a few hundred): (facet, is a Land)
    org_facets: dict[str, tuple[Facet, bool]] = {}
    for org in organisations:
        iri, land = text(org, "v") or "", text(org, "land") == "1"
        key = facet_key("land" if land else "body", iri, text(org, "code"))
        org_facets[iri] = (Facet(key, text(org, "label") or key, iri, linker.page(iri)), land)
    seen: set[tuple[str, str]] = set()
    for row in involved:
        r, iri = text(row, "r") or "", text(row, "v") or ""
        found = org_facets.get(iri)
        if found is None or r not in known or (r, iri) in seen:
            continue  # no body or Land, not a resolution's, or stated twice
        seen.add((r, iri))
        facet, land = found
        (out.laender if land else out.bodies)[r].append(facet)
    for table in (out.bodies, out.laender, out.subjects):
        for values in table.values():
            values.sort(key=lambda f: f.label.casefold())
    return out


# facets per store generation (a load switches `current`; the next request reads the new one);
# one generation kept, as kg.analysis.cache keeps one projection
_cache: dict[tuple[object, ...], tuple[Facets, list[Row]]] = {}
_MAKING_FACETS: SingleFlight[tuple[Facets, list[Row]]] = SingleFlight()
FACET_ROWS = 1_000_000


async def load_facets(runner: QueryRunner, client: str, linker: Linker, generation: object
                      ) -> tuple[Facets, list[Row]]:
    """The facets of every resolution. For a generation a load made from the one whose
    facets are kept, only the resolutions whose facts it changed are read again (their
    involvement and subjects follow from their own documents): at 5,000 sessions the whole
    read takes 7 s."""
    key = (generation, linker.base_iri, linker.root_path)
    if generation is not None and key in _cache:
        return _cache[key]
    if generation is None:
        return await _read_facets(runner, client, linker, generation, key)
    return await _MAKING_FACETS.run(
        key, lambda: _read_facets(runner, client, linker, generation, key))


async def _read_facets(runner: QueryRunner, client: str, linker: Linker, generation: object,
                       key: tuple[object, ...]) -> tuple[Facets, list[Row]]:
    if key in _cache:  # read by another caller since
        return _cache[key]
    kept = next(((k, v) for k, v in _cache.items() if k[1:] == key[1:]), None)
    owners = changed_since(generation, kept[0][0]) if kept is not None else None
    queries = [Q_RESOLUTIONS, Q_SUBJECTS, Q_CONCEPTS, Q_ORGANISATIONS, Q_INVOLVED]
    if owners is not None:
        queries = [for_resolutions(q, owners) if q in (Q_RESOLUTIONS, Q_SUBJECTS, Q_INVOLVED)
                   else q for q in queries]
    # two round trips at once, each with its own deadline
    trips = [queries[:4], queries[4:]]
    answers = await asyncio.gather(*(runner.run(client, [
        QueryJob(q, max_rows=FACET_ROWS, max_bytes=runner.max_bytes * 10) for q in trip],
        LOOKUP) for trip in trips))
    outcomes = [o for answer in answers for o in answer]
    if any(o.truncated for o in outcomes):  # a list would silently miss rows
        raise ApiError(503, "list_too_large",
                       f"the bodies, Länder and subjects of the resolutions exceed "
                       f"{FACET_ROWS:,} rows or {runner.max_bytes * 10:,} bytes")
    rows = [[dict(zip(o.variables, row, strict=True)) for row in o.rows] for o in outcomes]
    resolutions, subjects, concepts, organisations = rows[:4]
    involved = [row for part in rows[4:] for row in part]
    facets = facets_from_rows(resolutions, subjects, concepts, involved, organisations, linker)
    if owners is not None and kept is not None:
        facets = _carried_facets(kept[1][0], facets, owners)
    found = (facets, organisations)
    if generation is not None:
        _cache.clear()
        _cache[key] = found
    return found


def _carried_facets(old: Facets, changed: Facets, owners: Set[str]) -> Facets:
    """`old` with the facets of `owners` taken from `changed` (read for them alone)."""
    out = Facets()
    for name in ("bodies", "laender", "subjects"):
        table: dict[str, list[Facet]] = getattr(out, name)
        table.update((r, facets) for r, facets in getattr(old, name).items()
                     if r not in owners)
        table.update(getattr(changed, name))
    return out


# -- resolutions -----------------------------------------------------------------------------

_ID = re.compile(r"(\d{4})/(\d+)")


@functools.lru_cache(maxsize=250_000)  # sorting by id asks it of every row, every request
def id_key(rid: str) -> tuple[int, int, str]:
    """2025/33 after 2025/9; AL-Runde and follow-ups beside the council's number."""
    m = _ID.search(rid)
    return (int(m.group(1)), int(m.group(2)), rid) if m else (0, 0, rid)


def display_id(data: Mapping[str, Any]) -> str:
    """The identifier as the council writes it (B-2025/33-IT) when a document states it."""
    written = sorted(i for i in data.get("identifiers", ()) if i and i.startswith(("B-", "F-")))
    return written[0] if written else (data.get("id") or "")


def procedure_of(data: Mapping[str, Any]) -> str | None:
    """bg:procedure as stated; a protocol's resolution without one was taken in its session."""
    if data.get("procedure"):
        return data["procedure"]
    if data.get("decision_kind") == "al-runde":
        return "AL-Runde"
    return "Sitzung" if data.get("session") else None


RESOLUTION_COLUMNS = ("id", "identifier", "title", "date", "session", "procedure", "kind",
                      "status", "status_label", "status_on", "passed_by", "bodies", "laender",
                      "subjects", "relations", "loaded", "iri", "page")


# the rows of the last table built and its filter options: the same projection, facets,
# links and date give the same rows, and building them was most of a view of /beschluesse
# (1.0 s at 1,000 sessions); one table is kept, with the projection and facets it was built
# from, so that their ids in its key are never those of newer ones, and the generation
@dataclass
class _Table:
    key: tuple[Any, ...]
    sources: tuple[Projection, Facets]
    generation: object
    rows: list[dict[str, Any]]
    options: dict[str, list[tuple[str, str]]]


_KEPT_TABLE: list[_Table] = []
_MAKING_TABLE = threading.Lock()


def resolution_table(proj: Projection, facets: Facets, linker: Linker, on: dt.date,
                     generation: object = None
                     ) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """Every resolution's row on `on` and the values the filter form offers. The rows are
    shared between requests: callers filter, sort and page them, never change them. For a
    `generation` a load made from the one of the kept table (same links and date), only the
    rows of the resolutions whose facts it changed are made again."""
    key = (id(proj), id(facets), linker.base_iri, linker.root_path, on)
    for table in _KEPT_TABLE:
        if table.key == key:
            return table.rows, table.options
    # one table made at a time: who asks meanwhile (the warm-up and a visitor) takes it
    with _MAKING_TABLE:
        for table in _KEPT_TABLE:
            if table.key == key:
                return table.rows, table.options
        return _made_table(proj, facets, linker, on, generation, key)


def _made_table(proj: Projection, facets: Facets, linker: Linker, on: dt.date,
                generation: object, key: tuple[Any, ...]
                ) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    owners = None
    if _KEPT_TABLE and _KEPT_TABLE[0].key[2:] == key[2:]:
        owners = changed_since(generation, _KEPT_TABLE[0].generation)
    if owners is None:
        rows = resolution_rows(proj, facets, linker, on)
    else:
        nodes = proj.attrs
        rows = [row for row in _KEPT_TABLE[0].rows if row["iri"] not in owners
                and nodes.get(row["iri"], {}).get("kind") == "resolution"]
        rows += resolution_rows(proj, facets, linker, on, only=owners)
    options = filter_options(rows)
    _KEPT_TABLE[:] = [_Table(key, (proj, facets), generation, rows, options)]
    return rows, options


RELATION_ORDER = {k: i for i, k in enumerate(RELATIONS)}


def resolution_rows(proj: Projection, facets: Facets, linker: Linker,
                    on: dt.date, only: Set[str] | None = None) -> list[dict[str, Any]]:
    """The rows of every resolution, or of those `only` names."""
    nodes = proj.attrs
    index = StatusIndex(proj)
    rows = []
    chosen = proj.resolutions() if only is None else \
        [r for r in sorted(only) if nodes.get(r, {}).get("kind") == "resolution"]
    for r in chosen:
        data = nodes[r]
        rid = data.get("id") or r.rsplit("/", 1)[-1]
        session = data.get("session")
        out = proj.out_keyed(r)  # the adjacency read directly: networkx's views cost 2 s
        passed = [proj.label(o) for o, k in out if k == "passed_by"]
        relations = sorted({k for _, k in out if k in RELATIONS}, key=RELATION_ORDER.__getitem__)
        state = index.state(r, on)
        rows.append({
            "id": rid, "identifier": display_id(data), "title": data.get("title"),
            "date": data.get("date"),
            "session": nodes[session].get("number") if session else None,
            "procedure": procedure_of(data),
            "kind": KINDS.get(data.get("decision_kind") or "", None),
            "status": state, "status_label": STATE_LABELS[state][0], "status_on": on,
            "passed_by": ", ".join(sorted(passed)) or None,
            "bodies": facets.bodies.get(r, []), "laender": facets.laender.get(r, []),
            "subjects": facets.subjects.get(r, []), "relations": relations,
            "relation_labels": [RELATIONS[k][1] for k in relations],
            "loaded": bool(data.get("loaded")), "iri": r, "page": linker.page(r),
        })
    return rows


def _int(params: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise FilterError(name, f"{value!r} is no number from {low} to {high}")
    return int(value)


def _choice(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> str | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    options = list(allowed)
    if value not in options:
        raise FilterError(name, f"{value!r} is unknown; one of " + ", ".join(options))
    return value


def parse_date(params: Mapping[str, str], name: str) -> dt.date | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FilterError(name, date_problem(value, exc)) from None


def filter_resolutions(rows: list[dict[str, Any]], params: Mapping[str, str]
                       ) -> list[dict[str, Any]]:
    """Every filter set in `params` narrows the rows; unknown values raise FilterError."""
    year = _int(params, "year", 1990, 2100)
    session = _int(params, "session", 1, MAX_SESSION_NUMBER)
    status = _choice(params, "status", (*STATES, IN_FORCE_ANY))
    relation = _choice(params, "relation", RELATIONS)
    procedure = _choice(params, "procedure", PROCEDURES)
    body, land, subject = params.get("body"), params.get("land"), params.get("subject")
    tests: list[Callable[[dict[str, Any]], bool]] = []
    if year is not None:
        tests.append(lambda r: id_key(r["id"])[0] == year)
    if session is not None:
        tests.append(lambda r: r["session"] == session)
    if status == IN_FORCE_ANY:
        tests.append(lambda r: r["status"] in IN_FORCE_STATES)
    elif status:
        tests.append(lambda r: r["status"] == status)
    if relation:
        tests.append(lambda r: relation in r["relations"])
    if procedure:
        tests.append(lambda r: r["procedure"] == procedure)
    if body:
        tests.append(lambda r: any(f.key.lower() == body.lower() for f in r["bodies"]))
    if land:
        tests.append(lambda r: any(f.key == land for f in r["laender"]))
    if subject:
        tests.append(lambda r: any(f.key == subject for f in r["subjects"]))
    return [r for r in rows if all(t(r) for t in tests)]


def filter_options(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """The values each select of the filter form offers: (value, label), from the rows."""
    def facet(name: str) -> list[tuple[str, str]]:
        found = {f.key: f.label for r in rows for f in r[name]}
        return sorted(found.items(), key=lambda kv: kv[1].casefold())

    return {
        "year": [(str(y), str(y)) for y in sorted({id_key(r["id"])[0] for r in rows
                                                     if id_key(r["id"])[0]}, reverse=True)],
        "session": [(str(s), f"{s}. Sitzung") for s in sorted(
            {r["session"] for r in rows if r["session"]}, reverse=True)],
        "status": [(IN_FORCE_ANY, "geltend (in Kraft, geändert, teilweise aufgehoben)"),
                   *((s, STATE_LABELS[s][0]) for s in STATES)],
        "relation": [(k, v[1]) for k, v in RELATIONS.items()],
        "procedure": [(p, p) for p in PROCEDURES],
        "body": facet("bodies"), "land": facet("laender"), "subject": facet("subjects"),
    }


# -- sorting and paging ----------------------------------------------------------------------


def _sort_value(column: str, value: Any) -> tuple[int, Any]:
    """Empty values last whatever the order; ids by year and number."""
    if value is None or value == "" or value == []:
        return (1, "")
    if column == "id":
        return (0, id_key(value))
    if isinstance(value, str):
        return (0, value.casefold())
    if isinstance(value, list):
        return (0, len(value))
    return (0, value)


def sort_rows(rows: list[dict[str, Any]], params: Mapping[str, str], columns: Iterable[str],
              default: str, default_order: str = "desc") -> tuple[list[dict[str, Any]], str, str]:
    column = _choice(params, "sort", columns) or default
    order = _choice(params, "order", ("asc", "desc")) or default_order
    present = [r for r in rows if _sort_value(column, r.get(column))[0] == 0]
    empty = [r for r in rows if _sort_value(column, r.get(column))[0] == 1]
    present.sort(key=lambda r: _sort_value(column, r.get(column)), reverse=order == "desc")
    return present + empty, column, order


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def page_of(rows: list[dict[str, Any]], params: Mapping[str, str], default_limit: int = 50
            ) -> Page:
    limit = _int(params, "limit", 1, 1000) or default_limit
    offset = _int(params, "offset", 0, 1_000_000) or 0
    return Page(rows[offset:offset + limit], len(rows), limit, offset)


# -- sessions, bodies, Länder, EU acts -------------------------------------------------------


def session_rows(proj: Projection, linker: Linker) -> list[dict[str, Any]]:
    g = proj.graph
    counts: dict[str, int] = defaultdict(int)
    for _r, s, k in g.edges(keys=True):
        if k == "session":
            counts[s] += 1
    return [{"number": data.get("number"), "label": data.get("label"),
             # "2. Sitzung" in English, as short
             "label_en": f"{english_ordinal(data['number'])} session" if data.get("number")
             else None,
             "date": data.get("date"),
             "year": data["date"].year if data.get("date") else None,
             "resolutions": counts.get(s, 0), "iri": s, "page": linker.page(s)}
            for s, data in g.nodes(data=True) if data.get("kind") == "session"]


def organisation_rows(organisations: Iterable[Row], facets: Facets, linker: Linker,
                      land: bool) -> list[dict[str, Any]]:
    involved: dict[str, set[str]] = defaultdict(set)
    for r, values in (facets.laender if land else facets.bodies).items():
        for f in values:
            involved[f.iri].add(r)
    rows = []
    for row in organisations:
        iri = text(row, "v") or ""
        if (text(row, "land") == "1") != land or not iri.startswith(linker.base_iri):
            continue
        code = text(row, "code")
        rows.append({"key": facet_key("land" if land else "body", iri, code), "code": code,
                     "label": text(row, "label") or code, "label_en": text(row, "labelEn"),
                     "types": sorted((text(row, "types") or "").split()),
                     "resolutions": len(involved.get(iri, ())), "iri": iri,
                     "page": linker.page(iri)})
    return rows


_EU_ARTICLE = re.compile(r"^(http://data\.europa\.eu/eli/[^/]+/\d{4}/\d+)/(art_[^/]+)/oj$")


def eu_act_rows(proj: Projection, linker: Linker) -> list[dict[str, Any]]:
    """The EU acts resolutions cite, each once: a cited article (…/reg/2024/903/art_3/oj)
    counts for its act and is named beside it. Acts of the shipped vocabulary that no
    resolution cites are left out (the list is of what the record refers to)."""
    g = proj.graph
    citing: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    for n, data in g.nodes(data=True):
        if data.get("kind") != "eu_act":
            continue
        part = _EU_ARTICLE.match(n)
        act = part.group(1) + "/oj" if part and part.group(1) + "/oj" in g else n
        found = {a for a, _, k in g.in_edges(n, keys=True)
                 if g.nodes[a].get("kind") == "resolution" and k in RELATIONS}
        citing[act] |= found
        if part and act != n and found:
            articles[act].add("Art. " + part.group(2).removeprefix("art_"))
    rows = []
    for act, by in citing.items():
        if not by:
            continue
        data = g.nodes[act]
        ordered = sorted(by, key=lambda a: id_key(proj.label(a)))
        rows.append({"label": data.get("label") or act, "title": data.get("title"),
                     "articles": sorted(articles[act], key=lambda a: (len(a), a)),
                     "citing": [proj.label(a) for a in ordered],
                     "citing_links": [(proj.label(a), linker.page(a)) for a in ordered],
                     "resolutions": len(ordered), "iri": act, "page": linker.page(act)})
    return rows


def cell(value: Any) -> Any:
    """A row value as JSON and CSV carry it: facets by key, dates as ISO strings."""
    if isinstance(value, list):
        return [v.key if isinstance(v, Facet) else v for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
