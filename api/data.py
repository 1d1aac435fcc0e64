"""Read models for REST and pages: fixed SPARQL texts, values bound with substitutions.

Every query here is a constant (or a join of constant fragments chosen by which filters are
set); every user-supplied value travels as a bound term (`substitutions=`), never as text in
the query. The one list written into a query is a page's resolutions: IRIs the store itself
returned, checked (`scoped`). A page or REST call is one worker round trip (`select_many`); a
list is two or three, so that each reads only what its page shows (`list_resolutions`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from api.kept import KeptPerGeneration
from api.models import (
    AgendaItem,
    Amount,
    BodyDetail,
    Description,
    Link,
    Mandate,
    Note,
    Point,
    PropertyValue,
    Reference,
    ResolutionDetail,
    ResolutionSummary,
    SessionDetail,
    SourceSpan,
    Statement,
    Vote,
)
from api.query_process import Substitution
from api.runner import QueryRunner, Row
from api.sources import excerpt
from kg.analysis.vocab import STATE_IRIS
from kg.namespaces import BG, ELI, PREFIXES, XSD, sparql_prefixes
from kg.store import BlankNodeTerm
from kg.terms import IRI, Literal

P = sparql_prefixes()

STATUSES = ("in_force", "amended", "partially_repealed", "repealed", "replaced", "expired",
            "unknown")
OUTCOMES = {BG + "Adopted": "adopted", BG + "Rejected": "rejected", BG + "TakenNote": "taken_note"}
RELATIONS = {
    ELI + "cites": ("cites", "zitiert"),
    ELI + "repeals": ("repeals", "hebt auf"),
    ELI + "amends": ("amends", "ändert"),
    ELI + "changes": ("changes", "verändert"),
    BG + "replaces": ("replaces", "ersetzt"),
    BG + "implements": ("implements", "setzt um"),
    BG + "continues": ("continues", "führt fort"),
    BG + "basedOn": ("based_on", "beruht auf (Quelle)"),
    BG + "extends": ("extends", "verlängert"),
    BG + "repealsPartOf": ("repeals_part_of", "hebt teilweise auf"),
    BG + "amendsPartOf": ("amends_part_of", "ändert teilweise"),
}

# the label of ?x as ?xLabel: the German (or untagged) rdfs:label or skos:prefLabel (EuroVoc),
# else the local id. Plain
# OPTIONALs (no sub-select, which would label the whole graph); duplicates are merged in Python.
# Use it only where ?x is bound, i.e. inside the OPTIONAL that binds ?x: an OPTIONAL on an
# unbound variable would match every labelled resource.
_LABEL = """
  OPTIONAL {{ ?{v} rdfs:label|skos:prefLabel ?{v}L1
              FILTER(LANGMATCHES(LANG(?{v}L1), "de") || LANG(?{v}L1) = "") }}
  OPTIONAL {{ ?{v} eli:id_local ?{v}L2 }}
  BIND(COALESCE(?{v}L1, ?{v}L2) AS ?{v}Label)
"""


def label_of(var: str) -> str:
    return _LABEL.format(v=var)


# status: today's standing, derived from the dated status events of the analysis
# (bg:StatusEvent) by the very expression of the named query in-force-on-date, the one
# definition `kg status`, /resolutions/{y}/{n}/status and the query share (issue 12, item 2);
# no load-day snapshot. Without the analysis graph every loaded resolution reads "in_force".
def _state_expression() -> str:
    from queries.catalogue import load_catalogue  # noqa: PLC0415

    text = load_catalogue().get("in-force-on-date").text
    m = re.search(r"\n  # one pass over the events.*? AS \?state\)", text, re.S)
    if m is None:  # pragma: no cover - pinned by tests/api
        raise RuntimeError("queries/rq/in-force-on-date.rq: the state patterns were not found")
    block = (m.group(0).replace("?resolution", "?r").replace("?_date", "?statusDay")
             .replace("AS ?state)", "AS ?stateIri)")
             .replace("(SAMPLE(?id0) AS ?id)", "(SAMPLE(?id0) AS ?stateId)"))
    # the day is today; a BIND outside a sub-select does not reach into it, so each binds it
    today = "    WHERE {\n      BIND(xsd:date(NOW()) AS ?statusDay)\n"
    return block.replace("    WHERE {\n", today)


STATUS_BIND = """
  BIND(COALESCE(?loaded0, false) AS ?loaded)
  BIND(xsd:date(NOW()) AS ?statusDay)
%STATE%
  BIND(%NAMES% AS ?status)
""".replace("%STATE%", _state_expression()).replace("%NAMES%", "".join(
    f'IF(?stateIri = <{iri.value}>, "{name}", ' for name, iri in STATE_IRIS.items())
    + '"unknown"' + ")" * len(STATE_IRIS))

# One row per resolution before grouping: every optional property comes from its own
# DISTINCT sub-select. Plain OPTIONALs would multiply rows wherever protocol and register
# state different values (two titles, two identifiers); the default graph itself is a set
# union (materialised by `kg load`), so a value both state comes once. Where they differ,
# the least is shown (as text: Virtuoso orders a plain and a language-tagged literal apart),
# so every store answers alike; SAMPLE was each engine's own pick. %SCOPE% opens every
# sub-select: the resolutions of one page (`scoped`), since a sub-select sees no binding
# from outside and would otherwise compute every resolution's status for a page of twenty.
SUMMARY_SELECT = """
SELECT ?r ?id (MAX(?identifier0) AS ?identifier) (MIN(STR(?title0)) AS ?title)
       (MIN(?date0) AS ?date) (MIN(?sessionNumber0) AS ?sessionNumber)
       (MIN(STR(?top0)) AS ?top) (MIN(STR(?passedBy0)) AS ?passedBy)
       (MIN(STR(?passedByLabel0)) AS ?passedByLabel) (MIN(STR(?outcome0)) AS ?outcome)
       (SAMPLE(?status) AS ?statusValue) (SAMPLE(?loaded) AS ?isLoaded)
WHERE {
  { SELECT DISTINCT ?r ?id WHERE { %SCOPE% ?r a bg:Resolution ; eli:id_local ?id } }
%PROPERTIES%
  OPTIONAL { SELECT DISTINCT ?r ?passedBy0 ?passedByLabel0 WHERE {
               %SCOPE% ?r a bg:Resolution ; eli:passed_by ?passedBy0
               OPTIONAL { ?passedBy0 skos:prefLabel ?passedByLabel0
                          FILTER(LANGMATCHES(LANG(?passedByLabel0), "de")) } } }
  %STATUS%
}
GROUP BY ?r ?id
"""
_SINGLE = {"identifier0": "bg:identifier", "title0": "eli:title", "date0": "eli:date_document",
           "sessionNumber0": "bg:session/bg:sessionNumber", "top0": "bg:agendaItem/bg:topNumber",
           "outcome0": "bg:vote/bg:outcome", "loaded0": "bg:isLoaded"}


def _scoped_status(status: str) -> str:
    """The status patterns with %SCOPE% opening each of their sub-selects."""
    return (status.replace("    WHERE {\n", "    WHERE {\n      %SCOPE%\n")
            .replace("WHERE {\n               ?r a bg:Resolution",
                     "WHERE {\n               %SCOPE% ?r a bg:Resolution"))


SUMMARY_SELECT = P + SUMMARY_SELECT.replace("%PROPERTIES%", "\n".join(
    f"  OPTIONAL {{ SELECT DISTINCT ?r ?{var} WHERE {{ %SCOPE% ?r a bg:Resolution ; {path} "
    f"?{var} }} }}" for var, path in _SINGLE.items())).replace(
        "%STATUS%", _scoped_status(STATUS_BIND))
# today's status alone, for a list filtered by status: the summary of the page follows
STATUS_SELECT = P + """
SELECT ?r ?status WHERE {
  %SCOPE% ?r a bg:Resolution .
""" + _scoped_status(STATUS_BIND) + "}"

# Which resolutions a list shows, as joins that start from the bound parameter (a session's
# number, a body): FILTER EXISTS tested every resolution in turn (a body's list at 1,000
# sessions: 92 s instead of 0.4). A body or Land is involved as the load derives it
# (bg:involves, kg/involvement.py: passed by, reporter, assignee, mentioned, voting, note
# author).
SCOPE_PATTERNS = {
    "session": "  ?scopeSession bg:sessionNumber ?session . ?r bg:session ?scopeSession .",
    "body": "  ?r bg:involves ?body .",
    "land": "  ?r bg:involves ?land .",
}
# tests of a resolution's id and texts, after its id is bound
SCOPE_FILTERS = {
    "year": 'FILTER(STRSTARTS(REPLACE(?id, "^F-", ""), CONCAT(STR(?year), "/")))',
    "q": """FILTER(CONTAINS(LCASE(?id), LCASE(STR(?q)))
              || EXISTS { ?r eli:title|bg:text|bg:identifier ?qText
                          FILTER(CONTAINS(LCASE(STR(?qText)), LCASE(STR(?q)))) })""",
}
# the ids of every resolution a list may show; more than this is refused, not cut
MAX_LISTED = 1_000_000
# A list filtered by status computes the status of its candidates, named in VALUES blocks of
# STATUS_CHUNK: past about 1,000 the engine's plan turns to whole-record joins (at 1,000
# sessions 1,000 took 0.12 s and 1,500 took 2.1 s; all 21,175 at once 2.6 s, and at 5,000
# sessions past the 10 s deadline). STATUS_TRIP chunks make one worker round trip, with its
# own deadline; the round trips run at once, as the workers and the client's share allow.
STATUS_CHUNK = 1_000
STATUS_TRIP = 10


def scope_query(filters: Iterable[str]) -> str:
    """The resolutions (with their ids) that pass the filters. Oxigraph binds only variables
    of the projection, so every bound one is projected."""
    chosen = set(filters)
    joined = [n for n in SCOPE_PATTERNS if n in chosen]
    tests = [SCOPE_FILTERS[n] for n in SCOPE_FILTERS if n in chosen]
    bound = " ".join(f"?{n}" for n in (*SCOPE_PATTERNS, *SCOPE_FILTERS) if n in chosen)
    # the joins in a sub-select of their own: joined with the type and the id in one group,
    # the engine planned them from every resolution (minutes for a body at 1,000 sessions)
    where = "".join(f"  {{ SELECT DISTINCT ?r ?{n} WHERE {{ {SCOPE_PATTERNS[n]} }} }}\n"
                    for n in joined)
    return P + (f"SELECT DISTINCT ?r ?id {bound} WHERE {{\n{where}"
                "  ?r a bg:Resolution ; eli:id_local ?id .\n" + "\n".join(tests) + "\n}")


_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def scoped(query: str, resolutions: Iterable[str] | None, variable: str = "r") -> str:
    """`query` (SUMMARY_SELECT, STATUS_SELECT, a page's details) for these resources only,
    named in a VALUES block of `variable`: IRIs the store returned, checked to be IRIs (the
    user's values stay bound terms); None: every resource."""
    if resolutions is None:
        return query.replace("%SCOPE%", "")
    return query.replace("%SCOPE%", values_block(variable, resolutions))


def for_resolutions(query: str, resolutions: Iterable[str]) -> str:
    """`query` for these resolutions (its ?r) only: a VALUES block opens its first WHERE."""
    return query.replace("WHERE {", "WHERE { " + values_block("r", resolutions), 1)


def values_block(variable: str, iris: Iterable[str]) -> str:
    """`VALUES ?variable { <iri> … }` of IRIs the store returned, checked to be IRIs."""
    chosen = sorted(set(iris))
    for iri in chosen:
        if not _SAFE_IRI.match(iri):
            raise ValueError(f"not an IRI: {iri!r}")
    return f"VALUES ?{variable} {{ " + " ".join(f"<{iri}>" for iri in chosen) + " }"


_NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float", "int", "long",
                                     "short", "nonNegativeInteger", "positiveInteger")}


def order_key(row: Row, names: Iterable[str]) -> tuple[tuple[int, int, float, str], ...]:
    """`row`'s place under SPARQL's ORDER BY of `names`: unbound first, then blank nodes,
    IRIs and literals; numbers by value. The engine sorts about 13,000 rows a second, so a
    page that shows the first hundred of 11,000 sorts their keys here."""
    key = []
    for name in names:
        term = row.get(name)
        if term is None:
            key.append((0, 0, 0.0, ""))
        elif isinstance(term, BlankNodeTerm):
            key.append((1, 0, 0.0, term.id))
        elif isinstance(term, IRI):
            key.append((2, 0, 0.0, term.value))
        elif term.datatype in _NUMERIC:
            try:
                key.append((3, 0, float(term.value), ""))
            except ValueError:
                key.append((3, 1, 0.0, term.value))
        else:
            key.append((3, 1, 0.0, term.value))
    return tuple(key)


# -- helpers to read rows --------------------------------------------------------------------


def text(row: Row, key: str) -> str | None:
    term = row.get(key)
    if term is None:
        return None
    if isinstance(term, BlankNodeTerm):
        return "_:" + term.id
    return term.value


def integer(row: Row, key: str) -> int | None:
    value = text(row, key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def boolean(row: Row, key: str) -> bool | None:
    value = text(row, key)
    return None if value is None else value in ("true", "1")


def date(row: Row, key: str) -> dt.date | None:
    value = text(row, key)
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def page_prefix(base_iri: str) -> str:
    """The route prefix of resource pages: the last path segment of the base IRI.

    `https://w3id.org/beschlussgraph/id/` → `/id/` (w3id.org redirects
    `/beschlussgraph/(.*)` to the deployment's `/$1`), `http://127.0.0.1:8000/id/` → `/id/`
    (the IRIs resolve against `kg serve` directly); a base without a path → `/`."""
    segments = [s for s in urlsplit(base_iri).path.split("/") if s]
    return f"/{segments[-1]}/" if segments else "/"


@dataclass(frozen=True)
class Linker:
    """Maps data IRIs under the base to page paths on this server (see api/app.py)."""

    base_iri: str
    root_path: str = ""

    @property
    def base_path(self) -> str:
        return page_prefix(self.base_iri)

    def page(self, iri: str | None) -> str | None:
        if not iri or not iri.startswith(self.base_iri):
            return None
        return self.root_path + self.base_path + iri[len(self.base_iri):]

    def link(self, iri: str | None, label: str | None = None) -> Link | None:
        if not iri:
            return None
        return Link(iri=iri, label=label or fallback_label(iri, self.base_iri),
                    page=self.page(iri))

    def compact(self, iri: str) -> str:
        """`eli:title` for known namespaces, the IRI otherwise."""
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri


_POINT = re.compile(r"/eli/(itplr(?:-al)?)/(beschluss|follow-up)/(\d{4})/([^/]+)/ziffer/([^/]+)$")


def fallback_label(iri: str, base: str) -> str:
    """A readable label for an IRI without one (e.g. a cited point of an unloaded resolution)."""
    match = _POINT.search(iri)
    if match:
        suffix = "-AL" if match.group(1) == "itplr-al" else ""
        return f"{match.group(3)}/{match.group(4)}{suffix} Ziffer {match.group(5)}"
    if iri.startswith(base):
        return iri[len(base):]
    return iri


def _first_per(rows: list[Row], keys: tuple[str, ...]) -> list[Row]:
    """The first row per key (extra label rows of the same statement are dropped)."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for row in rows:
        key = tuple(row.get(k) for k in keys)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _dedupe_links(links: Iterable[Link | None]) -> list[Link]:
    seen: OrderedDict[str, Link] = OrderedDict()
    for link in links:
        if link is not None and link.iri not in seen:
            seen[link.iri] = link
    return list(seen.values())


# -- resolutions -----------------------------------------------------------------------------


def summary_from_row(row: Row, linker: Linker) -> ResolutionSummary:
    iri = text(row, "r") or ""
    return ResolutionSummary(
        id=text(row, "id") or "",
        iri=iri,
        page=linker.page(iri),
        identifier=text(row, "identifier"),
        title=text(row, "title"),
        date=date(row, "date"),
        session=integer(row, "sessionNumber"),
        agenda_item=text(row, "top"),
        passed_by=linker.link(text(row, "passedBy"), text(row, "passedByLabel")),
        outcome=OUTCOMES.get(text(row, "outcome") or ""),
        status=text(row, "statusValue") or "unknown",
        loaded=bool(boolean(row, "isLoaded")),
    )


async def list_resolutions(runner: QueryRunner, client: str, linker: Linker,
                           filters: Mapping[str, Substitution], *, limit: int | None = None,
                           offset: int = 0, generation: object | None = None
                           ) -> tuple[list[ResolutionSummary], int]:
    """One page of the resolutions that pass `filters` (keys of SCOPE_PATTERNS and
    SCOPE_FILTERS, and "status"), newest first, and how many pass. Read in steps whose cost
    follows the page: the ids that pass the filters, today's status of those only when it is
    filtered by, then the summaries of the page's resolutions. With the store's `generation`,
    the ordered ids are kept for the next pages of the same list."""
    ordered = await _kept_ordered_ids(runner, client, filters, generation)
    page = ordered[offset:None if limit is None else offset + limit]
    if not page:
        return [], len(ordered)
    [summaries] = await runner.select_many(
        client, [(scoped(SUMMARY_SELECT, {r for _, r in page}), None)], MAX_LISTED, whole=True)
    by_key = {(text(row, "id") or "", text(row, "r") or ""): row for row in summaries}
    return ([summary_from_row(by_key[key], linker) for key in page if key in by_key],
            len(ordered))


# the ordered ids of the lists read last, per store generation, filters and day: a client
# paging through the whole record reads them once (0.9 s at 1,000 sessions, then 0.03 s a
# page); at most KEPT_IDS ids in all, so that the web front stays small (about 28 MB per
# 100,000; the whole record of 5,000 sessions is 100,136, which 100,000 did not keep)
KEPT_IDS = 250_000
_LISTS: KeptPerGeneration[list[tuple[str, str]]] = KeptPerGeneration(KEPT_IDS, len)


# today's status of every resolution, kept for the store generation and day it was read
# for: every list filtered by status that reads the whole record's shares it (3.1 s at 1,000
# sessions, then none)
_STATES: KeptPerGeneration[dict[str, str]] = KeptPerGeneration(1)

# The analysis graph's status snapshot: every resolution's bg:status on the graph's
# bg:assessedOn, kept current by every load for what it changed (kg/analysis/region.py). A
# status differs on a later day only where an event of the resolution or of one of its points
# is dated in between (the state expression reads no other date), so those alone are computed
# from the events; the rest is the snapshot.
Q_SNAPSHOT = P + """
SELECT ?r ?stateIri ?day WHERE {
  GRAPH ?analysis { ?analysis bg:assessedOn ?day . ?r bg:status ?stateIri }
  FILTER(!CONTAINS(STR(?r), "/ziffer/"))
}"""
Q_MOVED = P + """
SELECT DISTINCT ?n WHERE {
  GRAPH ?analysis { ?analysis bg:assessedOn ?day . ?e bg:affects ?n ; bg:eventDate ?d }
  FILTER(?d >= ?day && ?d <= %TODAY%)
}"""
_STATE_NAMES = {iri.value: name for name, iri in STATE_IRIS.items()}


async def _snapshot(runner: QueryRunner, client: str, today: dt.date
                    ) -> dict[str, str] | None:
    """Today's status of every resolution in the snapshot: its own where time has not moved
    since, computed from the events where it has; None without a snapshot of today or an
    earlier day."""
    moved_query = Q_MOVED.replace("%TODAY%", f'"{today.isoformat()}"^^xsd:date')
    [snapshot], [moved] = await asyncio.gather(
        runner.select_many(client, [(Q_SNAPSHOT, None)], MAX_LISTED, whole=True),
        runner.select_many(client, [(moved_query, None)], MAX_LISTED, whole=True))
    days = {date(row, "day") for row in snapshot}
    if len(days) != 1 or None in days or days.pop() > today:  # type: ignore[operator]
        return None  # no analysis, two of them, or a snapshot of a later day (clock set back)
    changed = {(text(row, "n") or "").split("/ziffer/")[0] for row in moved}
    states = {r: _STATE_NAMES.get(text(row, "stateIri") or "", "unknown")
              for row in snapshot if (r := text(row, "r") or "") not in changed}
    states.update(await _from_events(runner, client, sorted(changed)))
    return states


async def _from_events(runner: QueryRunner, client: str, resolutions: Sequence[str]
                       ) -> dict[str, str]:
    """Today's status of `resolutions` from their events, STATUS_CHUNK of them a query."""
    chunks = [(scoped(STATUS_SELECT, resolutions[i:i + STATUS_CHUNK]), None)
              for i in range(0, len(resolutions), STATUS_CHUNK)]
    trips = [chunks[i:i + STATUS_TRIP] for i in range(0, len(chunks), STATUS_TRIP)]
    answers = await asyncio.gather(*(runner.select_many(client, trip, MAX_LISTED, whole=True)
                                     for trip in trips))
    return {text(row, "r") or "": text(row, "status") or ""
            for answer in answers for rows in answer for row in rows}


async def _states(runner: QueryRunner, client: str, candidates: Sequence[str],
                  generation: object | None, whole: bool) -> dict[str, str]:
    """Today's status of `candidates` by IRI; `whole`: they are every resolution. The
    snapshot's (all of the record's) is kept for the generation and day and serves every
    list; without one, the candidates' from their events, kept when they are the whole."""
    today = dt.date.today()
    key = (generation, today)
    if generation is None:
        known = await _snapshot(runner, client, today)
    else:
        async def carried_or_snapshot() -> dict[str, str] | None:
            return await _carried_states(runner, client, generation, today) \
                or await _snapshot(runner, client, today)

        known = await _STATES.get_or_make(key, carried_or_snapshot)
    if known is None:  # no snapshot: the candidates' from their events
        states = await _from_events(runner, client, candidates)
        if whole and generation is not None:
            _STATES.put(key, states)
        return states
    missing = [r for r in candidates if r not in known]  # none in the snapshot: rare
    return {**known, **await _from_events(runner, client, missing)} if missing else known


async def _carried_states(runner: QueryRunner, client: str, generation: object,
                          today: dt.date) -> dict[str, str] | None:
    """Today's status of every resolution from those kept for the generation a load made
    this one from: the resolutions whose facts the load changed are computed from their
    events, the rest stays (at 5,000 sessions the whole record's took 3.5 s)."""
    found = _STATES.earlier(generation, (today,))
    if found is None:
        return None
    states, owners = found
    carried = {r: state for r, state in states.items() if r not in owners}
    carried.update(await _from_events(runner, client, sorted(owners)))
    return carried


async def _carried_ids(runner: QueryRunner, client: str, generation: object
                       ) -> list[tuple[str, str]] | None:
    """The whole record's ordered ids from those kept for the generation a load made this
    one from: those of the resolutions the load changed are read again."""
    kept = _LISTS.earlier(generation, ((), None))  # the whole list: no filter, no day
    if kept is None:
        return None
    ordered, owners = kept
    [rows] = await runner.select_many(
        client, [(for_resolutions(scope_query(()), owners), None)], MAX_LISTED, whole=True)
    found = {(i, r) for i, r in ordered if r not in owners}
    found |= {(text(row, "id") or "", text(row, "r") or "") for row in rows}
    return sorted(found, key=_newest_first)


async def _kept_ordered_ids(runner: QueryRunner, client: str,
                            filters: Mapping[str, Substitution], generation: object | None
                            ) -> list[tuple[str, str]]:
    """`_ordered_ids`, kept per store generation, filters and (for a status) day."""
    key = None if generation is None else (
        generation, tuple(sorted((k, str(v)) for k, v in filters.items())),
        dt.date.today() if "status" in filters else None)  # a status is today's
    if key is None:
        return await _ordered_ids(runner, client, filters, generation)

    async def make() -> list[tuple[str, str]]:
        return (await _carried_ids(runner, client, generation) if not filters else None) \
            or await _ordered_ids(runner, client, filters, generation)

    return await _LISTS.get_or_make(key, make) or []


async def _ordered_ids(runner: QueryRunner, client: str, filters: Mapping[str, Substitution],
                       generation: object | None = None) -> list[tuple[str, str]]:
    """(id, IRI) of every resolution that passes `filters`, newest first."""
    subs = {k: v for k, v in filters.items() if k != "status"}
    if "status" in filters:
        # the list without its status, kept like any list: the lists of every status share
        # it (at 5,000 sessions the whole record's ids are 4 s of a first list)
        ordered = await _kept_ordered_ids(runner, client, subs, generation)
        wanted = str(filters["status"])
        candidates = sorted({r for _, r in ordered})
        states = await _states(runner, client, candidates, generation, whole=not subs)
        return [(i, r) for i, r in ordered if states.get(r) == wanted]
    [rows] = await runner.select_many(client, [(scope_query(subs), subs)], MAX_LISTED,
                                      whole=True)
    return sorted({(text(row, "id") or "", text(row, "r") or "") for row in rows},
                  key=_newest_first)


_ID_NUMBER = re.compile(r"(\d{4})/(\d+)")


def _newest_first(key: tuple[str, str]) -> tuple[int, int, int, str, str]:
    """(id, IRI) of a resolution: newest year and number first; council before AL-Runde and
    follow-ups of equal number."""
    rid, iri = key
    match = _ID_NUMBER.search(rid)
    if not match:
        return (1, 0, 0, rid, iri)
    kind = 0 if rid[:1].isdigit() and not rid.endswith("-AL") else 1
    return (0, -int(match.group(1)), -int(match.group(2)), str(kind) + rid, iri)


Q_RES_CORE = P + """
SELECT ?r ?item ?itemTitle ?top ?session ?sessionLabel ?sessionLabelEn ?text ?preamble WHERE {
  OPTIONAL { ?r bg:agendaItem ?item OPTIONAL { ?item bg:topNumber ?top }
             OPTIONAL { ?item dct:title ?itemTitle } }
  OPTIONAL { ?r bg:session ?session
             OPTIONAL { ?session rdfs:label ?sessionLabel
                        FILTER(LANGMATCHES(LANG(?sessionLabel), "de")) }
             OPTIONAL { ?session rdfs:label ?sessionLabelEn
                        FILTER(LANGMATCHES(LANG(?sessionLabelEn), "en")) } }
  OPTIONAL { ?r bg:text ?text }
  OPTIONAL { ?r bg:preamble ?preamble }
} LIMIT 1
"""
# where a resource was read: one row per document graph, with that document's lines
Q_SOURCES = P + """
SELECT DISTINCT ?r ?graph ?document ?sha256 ?lineStart ?lineEnd WHERE {
  GRAPH ?graph { ?r prov:wasDerivedFrom ?graph
                 OPTIONAL { ?r bg:lineStart ?lineStart } OPTIONAL { ?r bg:lineEnd ?lineEnd } }
  OPTIONAL { ?graph dct:title ?document }
  OPTIONAL { ?graph bg:sha256 ?sha256 }
} ORDER BY ?graph
"""
Q_RES_POINTS = P + """
SELECT DISTINCT ?r ?pt ?number ?text ?parent ?position WHERE {
  ?pt eli:is_part_of ?r ; eli:number ?number .
  OPTIONAL { ?pt bg:text ?text }
  OPTIONAL { ?pt bg:parentPoint ?parent }
  OPTIONAL { ?pt bg:position ?position }
} ORDER BY ?position ?number
"""
# references in two queries each: who cites what (with labels), and the details of each
# reference; one query with every OPTIONAL would multiply the rows across documents. Each
# OPTIONAL holds one pattern on the bound subject: one of two patterns made the engine join
# every bg:lineStart of the store with every bg:lineEnd first (1.9 s at 1,000 sessions).
_REF_DETAIL = """
  OPTIONAL { ?ref bg:evidence ?evidence }
  OPTIONAL { ?ref bg:point/eli:number ?pointNumber }
  OPTIONAL { ?ref bg:article ?article }
  OPTIONAL { ?ref bg:paragraph ?paragraph }
  OPTIONAL { ?ref bg:subdivisionText ?subdivision }
  OPTIONAL { ?ref bg:lineStart ?lineStart } OPTIONAL { ?ref bg:lineEnd ?lineEnd }
  OPTIONAL { ?ref prov:wasDerivedFrom ?document
             OPTIONAL { ?document bg:documentKind ?documentKind } }
"""
_REF_DETAIL_VARS = ("?ref ?evidence ?pointNumber ?article ?paragraph ?subdivision ?lineStart "
                    "?lineEnd ?document ?documentKind")
Q_RES_REFS_OUT = P + """
SELECT DISTINCT ?r ?ref ?relation ?target ?targetLabel WHERE {
  ?ref bg:citing ?r ; bg:cited ?target ; bg:relation ?relation .
""" + label_of("target") + """
} ORDER BY ?ref
"""
Q_RES_REFS_OUT_DETAIL = P + "SELECT DISTINCT ?r " + _REF_DETAIL_VARS + """ WHERE {
  ?ref bg:citing ?r .
""" + _REF_DETAIL + "}"
_INCOMING = """
  { ?ref bg:cited ?r . BIND(?r AS ?target) }
  UNION { ?target eli:is_part_of ?r . ?ref bg:cited ?target }
"""
# the reference's own patterns inside each branch: joined after the UNION, the engine read
# every reference of the store (0.7 s at 1,000 sessions instead of 6 ms)
Q_RES_REFS_IN = P + """
SELECT DISTINCT ?r ?ref ?relation ?source ?sourceLabel ?target ?targetLabel WHERE {
  { ?ref bg:cited ?r ; bg:citing ?source ; bg:relation ?relation . BIND(?r AS ?target) }
  UNION { ?target eli:is_part_of ?r .
          ?ref bg:cited ?target ; bg:citing ?source ; bg:relation ?relation }
""" + label_of("source") + label_of("target") + """
} ORDER BY ?source ?ref
"""
Q_RES_REFS_IN_DETAIL = P + "SELECT DISTINCT ?r " + _REF_DETAIL_VARS + " WHERE {" + _INCOMING + \
    _REF_DETAIL + "}"
Q_MANDATES = P + """
SELECT DISTINCT %BOUND% ?m ?verb ?action ?deadline ?deadlineText ?deadlineKind ?deadlineSession
       ?deadlineSessionLabel ?pointNumber ?assignee ?assigneeLabel ?unresolved WHERE {
  %MATCH%
  OPTIONAL { ?m bg:mandateVerb ?verb }
  OPTIONAL { ?m bg:action ?action }
  OPTIONAL { ?m bg:deadline ?deadline }
  OPTIONAL { ?m bg:deadlineText ?deadlineText }
  OPTIONAL { ?m bg:deadlineKind ?deadlineKind }
  OPTIONAL { ?m bg:deadlineSession ?deadlineSession """ + label_of("deadlineSession") + """ }
  OPTIONAL { ?m bg:sourcePoint/eli:number ?pointNumber }
  OPTIONAL { ?m bg:assignee ?assignee """ + label_of("assignee") + """ }
  OPTIONAL { ?m bg:unresolvedAssignee ?unresolved }
} ORDER BY ?m
"""
Q_RES_MANDATES = Q_MANDATES.replace("%MATCH%", "?m bg:issuedBy ?r .").replace("%BOUND%", "?r")
Q_VOTE = P + """
SELECT DISTINCT ?r ?outcome ?unanimous ?majority ?consent ?outcomeText ?redactedAbst
       ?redactedAgainst ?kind ?who ?whoLabel WHERE {
  ?r bg:vote ?v .
  OPTIONAL { ?v bg:outcome ?outcome }
  OPTIONAL { ?v bg:unanimous ?unanimous }
  OPTIONAL { ?v bg:majority ?majority }
  OPTIONAL { ?v bg:viaConsentAgenda ?consent }
  OPTIONAL { ?v bg:outcomeText ?outcomeText }
  OPTIONAL { ?v bg:redactedAbstentions ?redactedAbst }
  OPTIONAL { ?v bg:redactedVotesAgainst ?redactedAgainst }
  OPTIONAL { { ?v bg:abstainedBy ?who BIND("abstained" AS ?kind) }
             UNION { ?v bg:votedAgainstBy ?who BIND("against" AS ?kind) }
             """ + label_of("who") + """ }
}
"""
Q_NOTES = P + """
SELECT DISTINCT ?r ?note ?author ?authorLabel ?authorText ?redacted ?text WHERE {
  ?note a bg:ProtocolNote ; bg:about ?r .
  OPTIONAL { ?note bg:author ?author """ + label_of("author") + """ }
  OPTIONAL { ?note bg:authorLabel ?authorText }
  OPTIONAL { ?note bg:redacted ?redacted }
  OPTIONAL { ?note bg:text ?text }
} ORDER BY ?note
"""
Q_AMOUNTS = P + """
SELECT DISTINCT ?r ?a ?value ?currency ?amountText WHERE {
  { ?r bg:mentionsAmount ?a } UNION { ?pt eli:is_part_of ?r ; bg:mentionsAmount ?a }
  OPTIONAL { ?a bg:amountValue ?value }
  OPTIONAL { ?a bg:currency ?currency }
  OPTIONAL { ?a bg:amountText ?amountText }
} ORDER BY ?a
"""
Q_SUBJECTS = P + """
SELECT DISTINCT ?r ?subject ?subjectLabel WHERE { ?r eli:is_about ?subject .
""" + label_of("subject") + "} ORDER BY STR(?subjectLabel) STR(?subject)"


def _document_rank(row: Row) -> int:
    """Protocols first: their lines and evidence are the primary record; a register row
    restates what a protocol says."""
    return 0 if text(row, "documentKind") == "protokoll" else 1


def _references(rows: list[Row], details: list[Row], linker: Linker,
                source: Link | None = None) -> list[Reference]:
    """One entry per (reference, relation, target). References are minted per document, so
    the same statement read from two documents (protocol and register) has two IRIs: it
    appears once, from the protocol where there is one, with that document's lines. Two
    references of one document with the same relation and target both stay.
    `source` is the citing resolution when all rows share it (outgoing references)."""
    detail_of = {text(d, "ref"): d for d in reversed(details)}  # the first row wins
    merged = [{**detail_of.get(text(r, "ref") or "", {}), **r} for r in rows]

    def statement(row: Row) -> tuple[str, str, str]:
        return (text(row, "source") or "", text(row, "relation") or "",
                text(row, "target") or "")

    # which document speaks for each statement: the first protocol, else the first document
    stated_by: dict[tuple[str, str, str], str] = {}
    for row in sorted(merged, key=_document_rank):  # stable: query order within a rank
        stated_by.setdefault(statement(row), text(row, "document") or "")
    out: OrderedDict[tuple[str, str, str], Reference] = OrderedDict()
    for row in merged:  # in the query's order
        if stated_by[statement(row)] != (text(row, "document") or ""):
            continue  # another document states it (the register restating a protocol)
        ref = text(row, "ref") or ""
        key = (ref, text(row, "relation") or "", text(row, "target") or "")
        relation = text(row, "relation") or ""
        name, label = RELATIONS.get(relation, (relation.rsplit("#", 1)[-1], relation))
        detail = " ".join(x for x in (
            f"Art. {text(row, 'article')}" if text(row, "article") else None,
            f"§ {text(row, 'paragraph')}" if text(row, "paragraph") else None,
            text(row, "subdivision")) if x) or None
        source_link = source or linker.link(text(row, "source"), text(row, "sourceLabel"))
        target = linker.link(text(row, "target"), text(row, "targetLabel"))
        if key in out or source_link is None or target is None:
            continue
        out[key] = Reference(
            iri=ref, relation=name, relation_label=label, source=source_link, target=target,
            point=text(row, "pointNumber"), evidence=text(row, "evidence"), detail=detail,
            line_start=integer(row, "lineStart"), line_end=integer(row, "lineEnd"))
    return list(out.values())


def mandates_from_rows(rows: list[Row], linker: Linker) -> list[Mandate]:
    grouped: OrderedDict[str, tuple[Row, list[Link], list[str]]] = OrderedDict()
    for row in rows:
        key = text(row, "m") or ""
        first, assignees, unresolved = grouped.setdefault(key, (row, [], []))
        link = linker.link(text(row, "assignee"), text(row, "assigneeLabel"))
        if link and all(a.iri != link.iri for a in assignees):
            assignees.append(link)
        name = text(row, "unresolved")
        if name and name not in unresolved:
            unresolved.append(name)
    return [
        Mandate(iri=key, verb=text(first, "verb"), action=text(first, "action"),
                assignees=assignees, unresolved_assignees=unresolved,
                point=text(first, "pointNumber"), deadline=date(first, "deadline"),
                deadline_text=text(first, "deadlineText"),
                deadline_kind=text(first, "deadlineKind"),
                deadline_session=linker.link(text(first, "deadlineSession"),
                                             text(first, "deadlineSessionLabel")))
        for key, (first, assignees, unresolved) in grouped.items()
    ]


def sources_from_rows(rows: list[Row]) -> list[SourceSpan]:
    spans: OrderedDict[str, SourceSpan] = OrderedDict()
    for row in rows:
        graph = text(row, "graph") or ""
        if graph in spans:
            continue
        start, end = integer(row, "lineStart"), integer(row, "lineEnd")
        spans[graph] = SourceSpan(
            graph=graph, document=text(row, "document"), line_start=start, line_end=end,
            excerpt=excerpt(text(row, "document"), text(row, "sha256"), start, end))
    return list(spans.values())


def _vote(rows: list[Row], linker: Linker) -> Vote | None:
    if not rows:
        return None
    first = rows[0]
    abstained = _dedupe_links(linker.link(text(r, "who"), text(r, "whoLabel"))
                              for r in rows if text(r, "kind") == "abstained")
    against = _dedupe_links(linker.link(text(r, "who"), text(r, "whoLabel"))
                            for r in rows if text(r, "kind") == "against")
    return Vote(outcome=OUTCOMES.get(text(first, "outcome") or ""),
                unanimous=boolean(first, "unanimous"), majority=boolean(first, "majority"),
                via_consent_agenda=boolean(first, "consent"), abstained_by=abstained,
                voted_against_by=against,
                redacted_abstentions=bool(boolean(first, "redactedAbst")),
                redacted_votes_against=bool(boolean(first, "redactedAgainst")),
                text=text(first, "outcomeText"))


async def resolution_detail(runner: QueryRunner, client: str, linker: Linker,
                            iri: str) -> ResolutionDetail | None:
    subs: dict[str, Substitution] = {"r": IRI(iri)}
    batch = [
        (scoped(SUMMARY_SELECT, None), subs),  # ?r bound: each sub-select reads one
        (Q_RES_CORE, subs), (Q_RES_POINTS, subs), (Q_RES_REFS_OUT, subs),
        (Q_RES_REFS_OUT_DETAIL, subs), (Q_RES_REFS_IN, subs), (Q_RES_REFS_IN_DETAIL, subs),
        (Q_RES_MANDATES, subs), (Q_VOTE, subs), (Q_NOTES, subs), (Q_AMOUNTS, subs),
        (Q_SUBJECTS, subs), (Q_SOURCES, subs),
    ]
    (summary, core, points, refs_out, refs_out_detail, refs_in, refs_in_detail, mandates,
     vote, notes, amounts, subjects, sources) = await runner.select_many(client, batch)
    if not summary:
        return None
    base = summary_from_row(summary[0], linker)
    c = core[0] if core else {}
    return ResolutionDetail(
        **base.model_dump(),
        agenda_item_link=linker.link(text(c, "item"),
                                     f"TOP {text(c, 'top')} {text(c, 'itemTitle') or ''}".strip()
                                     if text(c, "top") else None),
        session_link=linker.link(text(c, "session"), text(c, "sessionLabel")),
        session_label_en=text(c, "sessionLabelEn"),
        preamble=text(c, "preamble"),
        text=text(c, "text"),
        points=[Point(iri=text(p, "pt") or "", number=text(p, "number") or "",
                      text=text(p, "text"), parent=text(p, "parent"))
                for p in _first_per(points, ("pt",))],
        references_out=_references(
            refs_out, refs_out_detail, linker,
            Link(iri=base.iri, label=f"{base.identifier or base.id}: {base.title or ''}",
                 page=base.page)),
        references_in=_references(refs_in, refs_in_detail, linker),
        mandates=mandates_from_rows(mandates, linker),
        vote=_vote(vote, linker),
        notes=[Note(iri=text(n, "note") or "",
                    author=linker.link(text(n, "author"), text(n, "authorLabel")),
                    author_label=text(n, "authorText"), redacted=bool(boolean(n, "redacted")),
                    text=text(n, "text")) for n in notes],
        amounts=[Amount(iri=text(a, "a") or "", value=text(a, "value"),
                        currency=text(a, "currency"), text=text(a, "amountText"))
                 for a in amounts],
        subjects=_dedupe_links(linker.link(text(s, "subject"), text(s, "subjectLabel"))
                               for s in subjects),
        sources=sources_from_rows(sources),
    )


# -- sessions and agenda items ---------------------------------------------------------------

Q_SESSION = P + """
SELECT ?n ?s ?label ?labelEn ?date ?place ?start ?end ?chair ?chairLabel WHERE {
  ?s a bg:Session ; bg:sessionNumber ?n .
  OPTIONAL { ?s rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "de")) }
  OPTIONAL { ?s rdfs:label ?labelEn FILTER(LANGMATCHES(LANG(?labelEn), "en")) }
  OPTIONAL { ?s dct:date ?date }
  OPTIONAL { ?s bg:place ?place }
  OPTIONAL { ?s bg:startTime ?start }
  OPTIONAL { ?s bg:endTime ?end }
  OPTIONAL { ?s bg:chair ?chair """ + label_of("chair") + """ }
}
# the register and a protocol may state two dates or places: the least of each, in order,
# so that every store shows the same one
ORDER BY STR(?date) STR(?label) STR(?labelEn) STR(?place) STR(?start) STR(?end) STR(?chair)
  STR(?chairLabel)
LIMIT 1"""
Q_SESSION_ITEMS = P + """
SELECT DISTINCT ?n ?item ?top ?title ?sectionLabel ?goal ?consent ?res ?resLabel ?reporter
       ?reporterLabel ?position WHERE {
  ?s a bg:Session ; bg:sessionNumber ?n ; bg:hasAgendaItem ?item .
  OPTIONAL { ?item bg:topNumber ?top }
  OPTIONAL { ?item dct:title ?title }
  OPTIONAL { ?item bg:section/rdfs:label ?sectionLabel }
  OPTIONAL { ?item bg:goal ?goal }
  OPTIONAL { ?item bg:onConsentAgenda ?consent }
  OPTIONAL { ?item bg:position ?position }
  OPTIONAL { ?item bg:resolution ?res """ + label_of("res") + """ }
  OPTIONAL { ?item bg:reporter ?reporter """ + label_of("reporter") + """ }
} ORDER BY ?position ?top STR(?item) STR(?title) STR(?res) STR(?resLabel) STR(?reporter)
"""


def _agenda_items(rows: list[Row], linker: Linker) -> list[AgendaItem]:
    items: OrderedDict[str, AgendaItem] = OrderedDict()
    for row in rows:
        iri = text(row, "item") or ""
        item = items.get(iri)
        if item is None:
            item = items[iri] = AgendaItem(
                iri=iri, page=linker.page(iri), number=text(row, "top") or "",
                title=text(row, "title"), section=text(row, "sectionLabel"),
                goal=text(row, "goal"), on_consent_agenda=boolean(row, "consent"),
                resolution=linker.link(text(row, "res"), text(row, "resLabel")))
        reporter = linker.link(text(row, "reporter"), text(row, "reporterLabel"))
        if reporter and all(r.iri != reporter.iri for r in item.reporters):
            item.reporters.append(reporter)
    return list(items.values())


async def session_detail(runner: QueryRunner, client: str, linker: Linker,
                         number: int, generation: object | None = None
                         ) -> SessionDetail | None:
    subs: dict[str, Substitution] = {"n": number}
    session, items = await runner.select_many(client, [(Q_SESSION, subs),
                                                       (Q_SESSION_ITEMS, subs)])
    if not session:
        return None
    resolutions, _ = await list_resolutions(runner, client, linker, {"session": number},
                                            generation=generation)
    s = session[0]
    iri = text(s, "s") or ""
    sources = await runner.select(client, Q_SOURCES, {"r": IRI(iri)})
    return SessionDetail(
        number=number, iri=iri, page=linker.page(iri), label=text(s, "label"),
        label_en=text(s, "labelEn"),
        date=date(s, "date"), place=text(s, "place"), start_time=text(s, "start"),
        end_time=text(s, "end"), chair=linker.link(text(s, "chair"), text(s, "chairLabel")),
        agenda_items=_agenda_items(items, linker),
        resolutions=sorted(resolutions, key=lambda x: x.id),
        sources=sources_from_rows(sources))


Q_ITEM_STATEMENTS = P + """
SELECT DISTINCT ?item ?st ?speaker ?speakerLabel ?speakerText ?text ?position WHERE {
  ?st a bg:Statement ; bg:agendaItem ?item .
  OPTIONAL { ?st bg:speaker ?speaker """ + label_of("speaker") + """ }
  OPTIONAL { ?st bg:speakerLabel ?speakerText }
  OPTIONAL { ?st bg:text ?text }
  OPTIONAL { ?st bg:position ?position }
} ORDER BY ?position ?st"""


async def statements(runner: QueryRunner, client: str, linker: Linker,
                     item: str) -> list[Statement]:
    rows = await runner.select(client, Q_ITEM_STATEMENTS, {"item": IRI(item)})
    return [Statement(iri=text(r, "st") or "",
                      speaker=linker.link(text(r, "speaker"), text(r, "speakerLabel")),
                      speaker_label=text(r, "speakerText"), text=text(r, "text"))
            for r in rows]


# -- bodies and Länder -----------------------------------------------------------------------

Q_BODY = P + """
SELECT DISTINCT ?org ?label ?labelEn ?notation ?alt ?kind WHERE {
  { ?org a org:Organization } UNION { ?org a bg:Land }
  OPTIONAL { ?org skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "de")) }
  OPTIONAL { ?org skos:prefLabel ?labelEn FILTER(LANGMATCHES(LANG(?labelEn), "en")) }
  OPTIONAL { ?org skos:notation ?notation }
  OPTIONAL { ?org skos:altLabel ?alt }
  OPTIONAL { ?org a ?kind FILTER(STRSTARTS(STR(?kind), STR(bg:))) }
}
"""
# A body's mandates in two steps, as its notes and mentions (api/land_view.py): the deadline
# of each, then the details of those the page shows (FITKO has 5,003 at 1,000 sessions).
# The body is a VALUES block (%SCOPE%), which the engine's plan starts from. A Land's page
# also lists what "die Länder" are asked to do.
Q_BODY_MANDATE_KEYS = P + """
SELECT DISTINCT ?org ?m ?deadline WHERE {
  %SCOPE%
  { ?m bg:assignee ?org } UNION { ?org org:memberOf ?collective . ?m bg:assignee ?collective }
  OPTIONAL { ?m bg:deadline ?deadline }
}"""
Q_MANDATE_DETAILS = Q_MANDATES.replace("%MATCH%", "%SCOPE%").replace("%BOUND% ", "")


# a body's page lists its newest resolutions and latest mandates; the rest are a filtered
# list or a named query away
BODY_RESOLUTIONS = 100
BODY_MANDATES = 100


def kinds_of(rows: list[Row]) -> list[str]:
    """The bg: classes of an organisation (Land, Federation, …) from Q_BODY's rows."""
    return sorted({(text(r, "kind") or "").rsplit("#", 1)[-1] for r in rows
                   if text(r, "kind")})


def _latest_first(deadline: dt.date | None, iri: str) -> tuple[bool, int, str]:
    """Dated mandates first, the latest first; then the rest by IRI."""
    return (deadline is None, -(deadline or dt.date.min).toordinal(), iri)


def _latest_mandates(keys: list[Row]) -> tuple[list[str], int]:
    """The BODY_MANDATES mandates a body's page shows, from Q_BODY_MANDATE_KEYS' rows, and
    how many it has."""
    deadlines: dict[str, dt.date | None] = {}
    for row in keys:
        mandate, deadline = text(row, "m") or "", date(row, "deadline")
        known = deadlines.get(mandate)
        if mandate not in deadlines or (deadline and (known is None or deadline > known)):
            deadlines[mandate] = deadline  # the latest of its deadlines
    shown = sorted(deadlines, key=lambda m: _latest_first(deadlines[m], m))[:BODY_MANDATES]
    return shown, len(deadlines)


# the mandates a body's page shows and their total, per store generation, body and number
# shown, as its notes and mentions are kept (api/land_view.py): at most KEPT_BODIES bodies
KEPT_BODIES = 64
_KEPT_MANDATES: KeptPerGeneration[tuple[list[str], int]] = KeptPerGeneration(KEPT_BODIES)


async def body_detail(runner: QueryRunner, client: str, linker: Linker, iri: str,
                      key: str, generation: object | None = None) -> BodyDetail | None:
    """A body or Land with its newest resolutions and latest mandates. With the store's
    `generation`, its list of resolutions is kept as the REST list's are."""
    subs: dict[str, Substitution] = {"org": IRI(iri)}
    kept_as = (generation, iri, BODY_MANDATES)
    kept = _KEPT_MANDATES.get(kept_as) if generation is not None else None
    batch = [(Q_BODY, subs)]
    if kept is None:
        batch.append((scoped(Q_BODY_MANDATE_KEYS, [iri], "org"), None))
    # the body and its mandates beside its list of resolutions: on two workers at once
    (rows, *mandate_keys), (resolutions, total) = await asyncio.gather(
        runner.select_many(client, batch, MAX_LISTED, whole=True),
        list_resolutions(runner, client, linker, {"body": IRI(iri)}, limit=BODY_RESOLUTIONS,
                         generation=generation))
    if not rows:
        return None
    if kept is None:
        kept = _latest_mandates(mandate_keys[0])
        if generation is not None:
            _KEPT_MANDATES.put(kept_as, kept)
    shown, mandates_total = kept
    [mandates] = (await runner.select_many(
        client, [(scoped(Q_MANDATE_DETAILS, shown, "m"), None)], MAX_LISTED, whole=True)
        if shown else [[]])
    first = rows[0]
    alt = sorted({text(r, "alt") for r in rows if text(r, "alt")})  # type: ignore[type-var]
    kinds = kinds_of(rows)
    assigned = sorted(mandates_from_rows(mandates, linker),
                      key=lambda m: _latest_first(m.deadline, m.iri))
    return BodyDetail(id=key, iri=iri, page=linker.page(iri), label=text(first, "label"),
                      label_en=text(first, "labelEn"), notation=text(first, "notation"),
                      alt_labels=[a for a in alt if a], kinds=kinds,
                      resolutions=resolutions, resolutions_total=total,
                      mandates=assigned, mandates_total=mandates_total)


# -- any resource ----------------------------------------------------------------------------

Q_TYPES = P + "SELECT DISTINCT ?x ?type ?typeLabel WHERE { ?x a ?type . " + label_of("type") + "}"
Q_OUT = P + """
SELECT DISTINCT ?x ?p ?o ?oLabel WHERE { ?x ?p ?o . FILTER(?p != rdf:type)
""" + label_of("o") + """
} ORDER BY ?p ?o
"""
# a resource's page shows this many statements of each direction
DESCRIBE_ROWS = 2000
# at most DESCRIBE_ROWS statements pointing at ?x in the engine's order, then their subjects'
# labels, and the total: labelled and sorted whole, the 19,565 statements naming FITKO at
# 1,000 sessions took 2.2 s (sorted alone 1.7 s, cut first 0.2 s). A resource with fewer
# shows all of them, sorted, as before.
Q_IN = P + f"""
SELECT DISTINCT ?x ?s ?p ?sLabel WHERE {{
  {{ SELECT DISTINCT ?x ?s ?p WHERE {{ ?s ?p ?x }} LIMIT {DESCRIBE_ROWS} }}
""" + label_of("s") + """ } ORDER BY ?p ?s
"""
Q_IN_COUNT = P + "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?x"
Q_LABEL = P + """SELECT ?x ?xLabel WHERE { """ + label_of("x") + "}"


def _property_value(linker: Linker, prop: str, term: object, label: str | None
                    ) -> PropertyValue:
    prop_link = Link(iri=prop, label=linker.compact(prop), page=linker.page(prop))
    if isinstance(term, IRI):
        return PropertyValue(property=prop_link, value=linker.link(term.value, label))
    if isinstance(term, Literal):
        return PropertyValue(property=prop_link, literal=term.value,
                             datatype=None if term.lang else term.datatype, lang=term.lang)
    if isinstance(term, BlankNodeTerm):
        return PropertyValue(property=prop_link, literal="_:" + term.id)
    return PropertyValue(property=prop_link, literal=str(term))


async def describe(runner: QueryRunner, client: str, linker: Linker, iri: str,
                   max_rows: int = DESCRIBE_ROWS) -> Description | None:
    subs: dict[str, Substitution] = {"x": IRI(iri)}
    types, outgoing, incoming, label, counted = await runner.select_many(
        client, [(Q_TYPES, subs), (Q_OUT, subs), (Q_IN, subs), (Q_LABEL, subs),
                 (Q_IN_COUNT, subs)], max_rows)
    if not types and not outgoing and not incoming:
        return None
    outgoing = _first_per(outgoing, ("p", "o"))
    incoming = _first_per(incoming, ("s", "p"))
    return Description(
        iri=iri,
        label=text(label[0], "xLabel") if label else None,
        types=_dedupe_links(linker.link(text(t, "type"), linker.compact(text(t, "type") or ""))
                            for t in types),
        outgoing=[_property_value(linker, text(r, "p") or "", r.get("o"), text(r, "oLabel"))
                  for r in outgoing],
        incoming=[PropertyValue(property=Link(iri=text(r, "p") or "",
                                              label=linker.compact(text(r, "p") or "")),
                                value=linker.link(text(r, "s"), text(r, "sLabel")))
                  for r in incoming],
        incoming_total=(integer(counted[0], "n") or 0) if counted else 0,
    )
