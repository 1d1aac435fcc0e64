"""The region of the analysis a load changes, and the projection that recomputes it.

Every fact of the analysis graph belongs to one resolution, its *owner*: the subject is the
resolution or an IRI below it (its points, events, status reasons, stale references, its
mandates, the chain or cycle named after its first member). A load that writes documents D
changes the facts of:
- the resolutions D describes or refers to, now or before a replacement (their status,
  events, mandates and citation counts follow from them and the resolutions acting on them);
- the members of the chains they belong to, now and before (a chain is one group);
- the resolutions citing them (a reference to a resolution whose status changed may have
  become stale);
- the members of the cycles through them, now and before.
A load on a later day than the stored snapshot (bg:assessedOn) also changes the facts that
time moved since that day: the resolutions with a status event dated between the two days
(entry into force, repeal from a date, expiry…), and those whose mandates have a deadline in
that span or within the "due" window after it. They join the seeds (`moved_by_time`).
That set, the region, is recomputed from a projection of its neighbourhood: each member, its
points, the resolutions acting on them, and the same for every resolution a member refers to
(a stale reference needs its target's status). tests/analysis/test_incremental.py checks
that the result equals a whole recomputation, load after load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kg.analysis.local import (
    PREFIXES,
    REGION_WALKS,
    RELATION_FILTER,
    copy_projected,
    points_and_actors,
)
from kg.analysis.projection import RELATION_PROPERTIES, Projection, project
from kg.analysis.vocab import CHANGE_RELATIONS
from kg.store import OxigraphStore
from kg.terms import IRI

_ALL_RELATIONS = RELATION_FILTER  # see there why a FILTER
_CHANGE_RELATIONS = "FILTER(?rel IN ({}))".format(", ".join(
    f"<{p}>" for p, key in RELATION_PROPERTIES.items() if key in CHANGE_RELATIONS))
_POINT = "/ziffer/"


def resolution_of(iri: str) -> str:
    """The resolution a point IRI belongs to (minted as `<resolution>/ziffer/<n>`)."""
    return iri.split(_POINT, 1)[0]


def values_of(iris: Iterable[str]) -> str:
    return " ".join(IRI(i).n3() for i in sorted(iris))


def _date_literal(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def iris_of(rows: list[dict[str, object]], var: str) -> set[str]:
    return {row[var].value for row in rows if isinstance(row.get(var), IRI)}  # type: ignore[union-attr]


def described_nodes(store: OxigraphStore, graph: IRI) -> set[str]:
    """What a document graph describes: its resolutions, points, mandates and sessions, and
    what its references point to (called before the graph is replaced)."""
    rows = store.select(f"""
        SELECT DISTINCT ?n WHERE {{ GRAPH {graph.n3()} {{
          {{ VALUES ?t {{ bg:Resolution bg:ExternalDecision bg:ResolutionPoint bg:Mandate
                          bg:Session }}
             ?n a ?t }}
          UNION {{ ?x ?rel ?n {_ALL_RELATIONS} }} }} }}""",
                        prefixes=PREFIXES)
    return iris_of(rows, "n")


@dataclass
class Region:
    owners: set[str]  # resolutions whose analysis facts are recomputed
    nodes: set[str]  # what their projection reads

    def owner_of(self, subject: str) -> str | None:
        """The owner of an analysis subject: itself or the nearest IRI above it."""
        cut = len(subject)
        while cut > 0:
            candidate = subject[:cut]
            if candidate in self.owners:
                return candidate
            cut = subject.rfind("/", 0, cut)
        return None


class RegionFinder:
    def __init__(self, store: OxigraphStore, analysis: IRI) -> None:
        self.store = store
        self.analysis = analysis

    def select(self, body: str) -> list[dict[str, object]]:
        return self.store.select(body, prefixes=PREFIXES)

    def resolutions(self, iris: Iterable[str]) -> set[str]:
        """The resolutions among `iris` (points mapped to theirs)."""
        candidates = {resolution_of(i) for i in iris}
        if not candidates:
            return set()
        return iris_of(self.select(f"SELECT ?r WHERE {{ VALUES ?r {{ {values_of(candidates)} }} "
                                 "?r a bg:Resolution }"), "r")

    def seeds(self, documents: Iterable[str], before: Iterable[str]) -> tuple[set[str], set[str]]:
        """(resolutions the documents describe or refer to, now and before; the resolutions
        that state references in them, whose new links may close a cycle)."""
        docs = values_of(documents)
        rows = self.select(f"""
            SELECT DISTINCT ?n ?acting WHERE {{ VALUES ?d {{ {docs} }} GRAPH ?d {{
              {{ ?n a bg:Resolution }}
              UNION {{ ?acting ?rel ?n {_ALL_RELATIONS} }} }} }}""")
        acting = self.resolutions(iris_of(rows, "acting"))
        # a session the documents describe dates the mandates due "bis zur N. Sitzung"
        # (now, or before a replacement)
        sessions = iris_of(self.select(f"""SELECT DISTINCT ?s WHERE {{ VALUES ?d {{ {docs} }}
            GRAPH ?d {{ ?s a bg:Session }} }}"""), "s") | set(before)
        # two queries: Oxigraph plans the UNION of both forms from ?m bg:issuedBy (0.27 s
        # at 1,000 sessions instead of under 1 ms)
        values = values_of(sessions)
        due = iris_of(self.select(f"""SELECT DISTINCT ?r WHERE {{ VALUES ?s {{ {values} }}
            ?m bg:deadlineSession ?s . ?m bg:issuedBy ?r }}"""), "r")
        due |= iris_of(self.select(f"""SELECT DISTINCT ?r WHERE {{ VALUES ?s {{ {values} }}
            ?c bg:deadlineSession ?s . ?m bg:hasDeadline ?c . ?m bg:issuedBy ?r }}"""), "r")
        return self.resolutions(iris_of(rows, "n") | set(before) | due) | acting, acting

    def change_neighbours(self, resolutions: set[str]) -> set[str]:
        """Resolutions linked to these by a change (either direction, points folded)."""
        values = values_of(resolutions)
        out = iris_of(self.select(f"""SELECT DISTINCT ?b WHERE {{ VALUES ?a {{ {values} }}
            ?a ?rel ?b {_CHANGE_RELATIONS} }}"""), "b")
        points = iris_of(self.select(f"""SELECT ?p WHERE {{ VALUES ?r {{ {values} }}
            ?p eli:is_part_of ?r }}"""), "p")
        into = iris_of(self.select(f"""SELECT DISTINCT ?a WHERE {{
            VALUES ?b {{ {values_of(resolutions | points)} }}
            ?a ?rel ?b {_CHANGE_RELATIONS} }}"""), "a")
        return self.resolutions(out | into)

    def former_groups(self, resolutions: set[str]) -> set[str]:
        """Members of the chains and cycles the analysis graph states for these."""
        values = values_of(resolutions)
        g = self.analysis.n3()
        return iris_of(self.select(f"""SELECT DISTINCT ?m WHERE {{ VALUES ?n {{ {values} }}
            GRAPH {g} {{ {{ ?n bg:inChain ?c . ?c bg:chainMember ?m }}
                         UNION {{ ?c bg:cycleMember ?n . ?c bg:cycleMember ?m }} }} }}"""), "m")

    def citing(self, resolutions: set[str]) -> set[str]:
        """Resolutions referring to these or their points, with any relation."""
        _, actors = points_and_actors(self.store, [IRI(r) for r in sorted(resolutions)])
        return self.resolutions(a.value for a in actors)

    def referred(self, resolutions: set[str]) -> set[str]:
        """Resolutions these refer to (points mapped to theirs)."""
        return self.resolutions(iris_of(self.select(f"""SELECT DISTINCT ?b WHERE {{
            VALUES ?a {{ {values_of(resolutions)} }} ?a ?rel ?b {_ALL_RELATIONS} }}"""), "b"))

    def cycle_candidates(self, sources: set[str]) -> set[str]:
        """Resolutions that may share a cycle with a source: those reaching it backwards
        along references that it also reaches forwards through them (a superset of the
        strongly connected groups; for a new protocol, whose resolutions nobody cites yet,
        it is empty after one lookup)."""
        backward: set[str] = set()
        frontier = set(sources)
        while frontier:
            found = self.citing(frontier) - backward - sources
            backward |= found
            frontier = found
        if not backward:
            return set()
        forward: set[str] = set()
        frontier = set(sources)
        while frontier:
            found = (self.referred(frontier) & backward) - forward
            forward |= found
            frontier = found
        return forward

    def moved_by_time(self, since: dt.date, until: dt.date, due_days: int) -> set[str]:
        """The resolutions whose status or mandates may read differently on `until` than on
        `since`: a status event dated in [since, until], or a mandate deadline (stated, of a
        cut-off, of the session it names, or the effective one) in [since, until + due_days].
        Both ends are included: whether a day counts as before or after is the analysis's
        business, the region only has to contain every candidate."""
        start, end = _date_literal(since), _date_literal(until)
        events = iris_of(self.select(f"""SELECT DISTINCT ?n WHERE {{
            GRAPH {self.analysis.n3()} {{ ?e bg:affects ?n ; bg:eventDate ?d }}
            FILTER(?d >= {start} && ?d <= {end}) }}"""), "n")
        last = _date_literal(until + dt.timedelta(days=due_days + 1))
        mandates = iris_of(self.select(f"""SELECT DISTINCT ?r WHERE {{
            {{ ?m bg:deadline ?d }} UNION {{ ?m bg:hasDeadline/bg:deadline ?d }}
            UNION {{ ?m bg:deadlineSession/dct:date ?d }}
            UNION {{ ?m bg:hasDeadline/bg:deadlineSession/dct:date ?d }}
            UNION {{ GRAPH {self.analysis.n3()} {{ ?m bg:effectiveDeadline ?d }} }}
            FILTER(?d >= {start} && ?d <= {last})
            ?m bg:issuedBy ?r }}"""), "r")
        return self.resolutions(events | mandates)

    def region(self, documents: Iterable[str], before: Iterable[str],
               limit: int, moved: Iterable[str] = ()) -> Region | None:
        """The region a load changed (and the resolutions time `moved`, see
        `moved_by_time`); None when it exceeds `limit` resolutions (a whole recomputation is
        then cheaper)."""
        seeds, acting = self.seeds(documents, before)
        seeds |= set(moved)
        owners = seeds | self.citing(seeds) | self.cycle_candidates(acting)
        frontier = set(owners)
        # an owner's chain and cycle are restated with it: all their members, now and before
        while frontier:
            if len(owners) > limit:
                return None
            found = (self.change_neighbours(frontier) | self.former_groups(frontier)) - owners
            owners |= found
            frontier = found
        return Region(owners, self.neighbourhood(owners))

    def analysis_subjects(self, region: Region, before: Iterable[str]) -> set[str]:
        """The subjects of the analysis graph that the region's owners own now: the owners,
        their points and mandates (also those a replaced document no longer states), and
        the status reasons, events, stale references, chains and cycles hanging off them."""
        owned = {n for n in region.nodes | set(before) if region.owner_of(n)}
        owned |= iris_of(self.select(f"""SELECT ?m WHERE {{
            VALUES ?r {{ {values_of(region.owners)} }} ?m bg:issuedBy ?r }}"""), "m")
        g = self.analysis.n3()
        found = set(owned)
        for pattern in ("?n bg:statusReason ?s", "?s bg:affects ?n", "?s bg:citing ?n",
                        "?n bg:inChain ?s", "?s bg:cycleMember ?n"):
            found |= iris_of(self.select(f"""SELECT DISTINCT ?s WHERE {{
                VALUES ?n {{ {values_of(owned)} }} GRAPH {g} {{ {pattern} }} }}"""), "s")
        return {s for s in found if region.owner_of(s)}

    def neighbourhood(self, owners: set[str]) -> set[str]:
        """Owners, what they refer to, and for both their points and acting resolutions."""
        core = owners | self.referred(owners)
        points, actors = points_and_actors(self.store, [IRI(r) for r in sorted(core)])
        return core | {p.value for p in points} | {a.value for a in actors}


def project_nodes(store: OxigraphStore, nodes: set[str]) -> Projection:
    """The projection of these nodes (see kg.analysis.local.REGION_WALKS for what it
    copies)."""
    return project(copy_projected(store, nodes, REGION_WALKS))
