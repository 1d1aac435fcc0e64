"""Post-load step: recompute the analysis and rewrite the named graph `<base>graph/analyse`.

Status is stated as dated events (`bg:StatusEvent`, kg/analysis/events.py), true on any day:
the named query `in-force-on-date` reads the status on any date from them, as `kg status ID
--on DATE` and the API compute it from the same events. `bg:status` (with its reasons),
the mandate states and the stale references are a convenience snapshot of the day of the load
(`bg:assessedOn` on the graph).
The terms are listed in kg/analysis/TERMS.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kg import collector
from kg.analysis.cache import carry_from, note_delta, save
from kg.analysis.carry import changed_subjects
from kg.analysis.dependencies import (
    Chain,
    ChainSet,
    chains,
    cycles,
    group_label,
    is_succession,
    most_cited,
    stale_references,
    succession_label,
)
from kg.analysis.events import StatusEvent, all_events
from kg.analysis.local import PREFIXES
from kg.analysis.mandates import DUE_DAYS, mandate_states
from kg.analysis.projection import Projection, project
from kg.analysis.region import Region, RegionFinder, project_nodes
from kg.analysis.status import Reason, Status, StatusIndex
from kg.analysis.vocab import (
    EVENT_KIND_IRIS,
    EVENT_KIND_LABELS,
    MANDATE_STATE_IRIS,
    MANDATE_STATE_LABELS,
    STATE_IRIS,
    STATE_LABELS,
)
from kg.build import GraphBuilder
from kg.iris import Minter
from kg.namespaces import bg, dct, eli, prov, rdf, rdfs, skos
from kg.pipeline import Changes
from kg.settings import Settings
from kg.store import OxigraphStore, StoreDirectory, triple_lines
from kg.terms import IRI, Quad, de, en, lit

ANALYSIS_GRAPH_STEM = "analyse"
_RELATION_PROPERTIES = {"repeals": eli.repeals, "replaces": bg.replaces, "amends": eli.amends,
                        "expires": bg.expires, "effective_from": bg.effectiveFrom}


def analysis_graph(minter: Minter) -> IRI:
    return minter.graph(ANALYSIS_GRAPH_STEM)


def today() -> dt.date:
    """The day of the status snapshot (a function, so that tests can move the clock)."""
    return dt.date.today()


def refresh_analysis(store: OxigraphStore, settings: Settings,
                     changes: Changes | None = None, on: dt.date | None = None) -> None:
    """Recompute the region of the analysis the load changed (kg/analysis/region.py), or
    all of it: on the first load, when the snapshot day changed, when the region is large,
    and on a remote store."""
    minter = Minter(settings.base_iri)
    graph = analysis_graph(minter)
    on = on or today()
    region = _refresh_region(store, minter, changes, on) if changes is not None else None
    if region is not None:
        # the generation this load started from: the projection is not needed here, the
        # next one is carried forward from its own the first time a command or the server's
        # keeper asks for it; the resolutions whose facts changed tell the web's tables
        # which rows to make again
        previous = StoreDirectory(store.path.parent).current_path() if store.path else None
        if store.path is not None and previous is not None and changes is not None:
            carry_from(store.path, previous,
                       changed_subjects(store, changes.documents, changes.before))
            note_delta(store.path, previous, region.owners | changes.before)
        return
    proj = project(store)
    found = chains(proj)
    quads = analysis_quads(proj, minter, on, found)
    if store.path is not None:
        # the whole record was just projected: keep it for `kg chains`, `kg findings` and the
        # web (the analysis graph written below is not part of what the projection reads; a
        # failed load removes it with its generation)
        save(store.path, proj, ChainSet.of(proj, found))
    # the write needs the text only: the projection goes first, and each quad as its line is
    # made (the quads and their lines side by side were the load's peak)
    del proj, found
    lines = triple_lines(_emptied(quads), graph)
    store.replace_graph_lines(graph, lines)


def _emptied(quads: list[Quad]) -> Iterator[Quad]:
    """The quads, each removed from the list as it is read (the caller keeps no other
    reference, so its memory is free for the line made of it)."""
    while quads:
        yield quads.pop()


# the form of the analysis graph's statements; a graph of another form is recomputed whole
# (2: status texts without the day, which the graph's bg:assessedOn states)
ANALYSIS_FORMAT = 2

# a region above this share of the resolutions is recomputed whole (one pass is cheaper)
REGION_SHARE = 0.25


def _refresh_region(store: OxigraphStore, minter: Minter, changes: Changes,
                    on: dt.date) -> Region | None:
    """The region recomputed; None when the whole analysis must be recomputed instead."""
    graph = analysis_graph(minter)
    if not hasattr(store, "replace_subjects") or not store.has_graph(graph):
        return None
    g = graph.n3()
    rows = store.select(f"SELECT ?d ?format WHERE {{ GRAPH {g} {{ {g} bg:assessedOn ?d "
                        f"OPTIONAL {{ {g} bg:analysisFormat ?format }} }} }}",
                        prefixes=PREFIXES)
    if not rows or rows[0].get("format") != ANALYSIS_FORMAT:
        return None  # written in an older form: every statement is rewritten once
    try:
        assessed = dt.date.fromisoformat(str(rows[0]["d"]))
    except ValueError:
        assessed = None
    if assessed is None or assessed > on:
        return None  # no snapshot, or one from the future (a clock set back): all of it
    total = store.select("SELECT (COUNT(?r) AS ?n) WHERE { ?r a bg:Resolution }",
                         prefixes=PREFIXES)[0]["n"]
    limit = max(200, int(int(total) * REGION_SHARE))  # type: ignore[call-overload]
    finder = RegionFinder(store, graph)
    # a later day: what time moved since the snapshot joins what the documents changed
    moved = finder.moved_by_time(assessed, on, DUE_DAYS) if assessed < on else set()
    region = finder.region(changes.documents, changes.before, limit, moved)
    if region is None:
        return None
    quads = analysis_quads(project_nodes(store, region.nodes), minter, on)
    owned = [q for q in quads if region.owner_of(q[0].value)]
    subjects = finder.analysis_subjects(region, changes.before) | {q[0].value for q in owned}
    store.replace_subjects(graph, subjects, owned)
    store.replace_subjects(graph, {graph.value}, [q for q in quads if q[0] == graph])
    return region


@collector.paused()
def analysis_quads(proj: Projection, minter: Minter, on: dt.date,
                   found_chains: list[Chain] | None = None) -> list[Quad]:
    """The analysis graph of `proj` on `on` (`found_chains`: its chains, when the caller
    computed them already)."""
    graph = analysis_graph(minter)
    b = GraphBuilder(graph, minter)
    b.add(graph, rdf.type, bg.DerivedGraph)
    b.add(graph, rdf.type, prov.Entity)
    b.add(graph, dct.title, de("Analyse: Status, Ketten, Aufträge"))
    b.add(graph, dct.title, en("Analysis: status, chains, mandates"))
    b.add(graph, bg.assessedOn, lit(on))
    b.add(graph, bg.analysisFormat, lit(ANALYSIS_FORMAT))
    b.add(graph, prov.generatedAtTime, lit(dt.datetime.now(dt.UTC).replace(microsecond=0)))
    _concepts(b)
    counters: dict[str, int] = {}
    for event in all_events(proj):
        k = counters[event.affects] = counters.get(event.affects, 0) + 1
        _event(b, proj, event, k)
    index = StatusIndex(proj)
    # convenience snapshot: the status on bg:assessedOn only; any other day: the events
    for status in index.all(on):
        _status(b, status)
        for point in status.points:
            _status(b, point)
    for count in most_cited(proj, limit=None):
        b.add(IRI(count.iri), bg.citedByCount, lit(count.count))
    for chain in chains(proj) if found_chains is None else found_chains:
        c = minter.child(IRI(chain.members[0]), "kette")
        b.add(c, rdf.type, bg.Chain)
        # a group, not a sequence: no arrows, no positions; successions are stated apart
        b.add(c, rdfs.label, de(group_label(proj, chain, "de")))
        b.add(c, rdfs.label, en(group_label(proj, chain, "en")))
        b.add(c, bg.memberCount, lit(len(chain.members)))
        for kind in chain.kinds:
            b.add(c, bg.chainKind, lit(kind))
        for m in chain.members:
            b.add(c, bg.chainMember, IRI(m))
            b.add(IRI(m), bg.inChain, c)
        for line in chain.successions:
            b.add(c, bg.succession, lit(succession_label(proj, line)))
        for link in chain.links:
            if is_succession(link):
                b.add(IRI(link.target), bg.succeededBy, IRI(link.source))
    for cycle in cycles(proj):
        c = minter.child(IRI(cycle.members[0]), "zyklus")
        b.add(c, rdf.type, bg.Cycle)
        b.add(c, rdfs.label, de("Zyklus " + " → ".join(proj.label(m) for m in cycle.members)))
        for m in cycle.members:
            b.add(c, bg.cycleMember, IRI(m))
            b.add(IRI(m), bg.inCycle, lit(True))
    counters = {}
    for stale in stale_references(proj, on, index):
        k = counters[stale.citing] = counters.get(stale.citing, 0) + 1
        s = minter.child(IRI(stale.citing), "veralteter-verweis", k)
        b.add(s, rdf.type, bg.StaleReference)
        b.add(s, bg.citing, IRI(stale.citing))
        b.add(s, bg.cited, IRI(stale.target))
        b.add(s, bg.targetStatus, STATE_IRIS[stale.target_state])  # type: ignore[index]
        b.add(s, bg.afterEnd, lit(stale.after_end))
        for by in stale.ended_by:
            b.add(s, bg.endedBy, IRI(by))
        b.add(IRI(stale.citing), bg.refersToEnded, IRI(stale.target))
    for ms in mandate_states(proj, on, index=index):
        m = IRI(ms.mandate.iri)
        if ms.state in MANDATE_STATE_IRIS:
            b.add(m, bg.mandateState, MANDATE_STATE_IRIS[ms.state])
        if ms.deadline:
            b.add(m, bg.effectiveDeadline, lit(ms.deadline))
        b.add(m, bg.mandateStateExplanation, de(ms.reason))
    return b.quads


def _concepts(b: GraphBuilder) -> None:
    for state, iri in STATE_IRIS.items():
        label_de, label_en = STATE_LABELS[state]
        b.add(iri, rdf.type, bg.Status)
        b.add(iri, rdf.type, skos.Concept)
        b.add(iri, skos.prefLabel, de(label_de))
        b.add(iri, skos.prefLabel, en(label_en))
    for kind, iri in EVENT_KIND_IRIS.items():
        label_de, label_en = EVENT_KIND_LABELS[kind]
        b.add(iri, rdf.type, bg.StatusEventKind)
        b.add(iri, rdf.type, skos.Concept)
        b.add(iri, skos.prefLabel, de(label_de))
        b.add(iri, skos.prefLabel, en(label_en))
    for state, iri in MANDATE_STATE_IRIS.items():
        label_de, label_en = MANDATE_STATE_LABELS[state]
        b.add(iri, rdf.type, bg.MandateStatus)
        b.add(iri, rdf.type, skos.Concept)
        b.add(iri, skos.prefLabel, de(label_de))
        b.add(iri, skos.prefLabel, en(label_en))


def _event(b: GraphBuilder, proj: Projection, event: StatusEvent, k: int) -> None:
    e = b.m.child(IRI(event.affects), "ereignis", k)
    b.add(e, rdf.type, bg.StatusEvent)
    b.add(e, bg.eventKind, EVENT_KIND_IRIS[event.kind])
    b.add(e, bg.affects, IRI(event.affects))
    if event.date:
        b.add(e, bg.eventDate, lit(event.date))
    if event.date_assumed:
        b.add(e, bg.dateAssumed, lit(True))
    if event.acting:
        b.add(e, bg.actingResolution, IRI(event.acting))
    kind_de, kind_en = EVENT_KIND_LABELS[event.kind]
    what, by = proj.label(event.affects), proj.label(event.acting) if event.acting else ""
    when_de = f"{event.date:%d.%m.%Y}" if event.date else "?"
    when_en = event.date.isoformat() if event.date else "?"
    b.add(e, rdfs.label, de(f"{kind_de} {what}" + (f" durch {by}" if by else "")
                            + f" ab {when_de}"))
    b.add(e, rdfs.label, en(f"{kind_en} of {what}" + (f" by {by}" if by else "")
                            + f" from {when_en}"))


def _status(b: GraphBuilder, status: Status) -> None:
    s = IRI(status.iri)
    b.add(s, bg.status, STATE_IRIS[status.state])
    # the day is the graph's bg:assessedOn, not part of each text: a later load then only
    # rewrites the statuses that moved (kg/analysis/region.py)
    b.add(s, bg.statusExplanation, de(status.explanation("de", dated=False)))
    b.add(s, bg.statusExplanation, en(status.explanation("en", dated=False)))
    for k, reason in enumerate(status.reasons, start=1):
        _reason(b, s, k, reason)


def _reason(b: GraphBuilder, subject: IRI, k: int, reason: Reason) -> None:
    r = b.m.child(subject, "statusgrund", k)
    b.add(subject, bg.statusReason, r)
    b.add(r, rdf.type, bg.StatusReason)
    b.add(r, bg.reasonKind, lit(reason.relation))
    b.add(r, bg.relation, _RELATION_PROPERTIES.get(reason.relation))
    if reason.by:
        b.add(r, bg.actingResolution, IRI(reason.by))
    if reason.point and reason.by:
        resolution = subject.value.split("/ziffer/")[0]
        b.add(r, bg.affectedPoint, b.m.point(IRI(resolution), reason.point))
    if reason.date:
        b.add(r, bg.effectDate, lit(reason.date))
    if reason.date_assumed:
        b.add(r, bg.dateAssumed, lit(True))
    b.add(r, rdfs.comment, de(reason.text("de")))
    b.add(r, rdfs.comment, en(reason.text("en")))
