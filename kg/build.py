"""Records → RDF quads, one named graph per source document (ontology/MODEL.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kg import __version__
from kg.citations import (
    eu_act_labels,
    external_decision_labels,
    law_labels,
    point_labels,
    resolution_labels,
)
from kg.iris import Minter, session_label_en
from kg.namespaces import bg, dct, eli, org, prov, rdf, rdfs, skos
from kg.namespaces import cpov as m8g
from kg.terms import IRI, Literal, Quad, de, en, lit
from loaders.gazetteer import Gazetteer, default_gazetteer
from loaders.records import (
    AgendaItem,
    Amount,
    BodyChange,
    EntityRef,
    Mandate,
    Protocol,
    Reference,
    Resolution,
    Span,
    Vote,
)

EU_ELI = "http://data.europa.eu/eli/"
_OUTCOMES = {"adopted": bg.Adopted, "rejected": bg.Rejected, "taken_note": bg.TakenNote}
_FORMS = {
    "Beschluss": bg.FormBeschluss,
    "Beschlussempfehlung": bg.FormBeschlussempfehlung,
    "Protokollnotiz": bg.FormProtokollnotiz,
    "FollowUp": bg.FormFollowUp,
}
_BODY_TYPES = {
    "Council": bg.Council,
    "WorkingGroup": bg.WorkingGroup,
    "MinisterialConference": bg.MinisterialConference,
    "MunicipalAssociation": bg.MunicipalAssociation,
}


class GraphBuilder:
    """Collects quads for one named graph."""

    def __init__(self, graph: IRI, minter: Minter, gazetteer: Gazetteer | None = None) -> None:
        self.graph = graph
        self.m = minter
        self.gaz = gazetteer or default_gazetteer()
        self.quads: list[Quad] = []
        self._seen: set[Quad] = set()
        self._mandates_per_owner: dict[IRI, int] = {}

    def add(self, s: IRI, p: IRI, o: IRI | Literal | None) -> None:
        if o is None:
            return
        q = (s, p, o, self.graph)
        if q not in self._seen:
            self._seen.add(q)
            self.quads.append(q)

    def add_text(self, s: IRI, p: IRI, text: str | None) -> None:
        if text:  # an empty text says nothing
            self.add(s, p, lit(text))

    def add_value(self, s: IRI, p: IRI, value: object) -> None:
        """A typed literal when there is a value (dates, times, numbers)."""
        if value is not None:
            self.add(s, p, lit(value))

    def provenance(self, s: IRI, span: Span) -> None:
        self.add(s, prov.wasDerivedFrom, self.graph)
        if span.line_start:
            self.add(s, bg.lineStart, lit(span.line_start))
            self.add(s, bg.lineEnd, lit(span.line_end))
        if span.page_start is not None:
            self.add(s, bg.pageStart, lit(span.page_start))
            self.add(s, bg.pageEnd, lit(span.page_end))

    # -- entities

    def entity(self, ref: EntityRef) -> IRI | None:
        if ref.key is None:
            return None
        return self.m.land(ref.key) if ref.kind == "land" else self.m.body(ref.key)

    def link_entities(self, s: IRI, p: IRI, unresolved: IRI, refs: Iterable[EntityRef]) -> None:
        for ref in refs:
            iri = self.entity(ref)
            if iri is not None:
                self.add(s, p, iri)
            else:
                self.add(s, unresolved, lit(ref.text))

    # -- resolutions

    def resolution_stub(self, canonical_id: str) -> IRI:
        """A referenced resolution: typed and identified, loaded or not."""
        iri = self.m.resolution(canonical_id)
        self.add(iri, rdf.type, eli.LegalResource)
        if " " in canonical_id:
            self.add(iri, rdf.type, bg.ExternalDecision)
            body_short = canonical_id.split(" ", 1)[0]
            body = self.gaz.resolve(body_short)
            entry = self.gaz.by_key.get(body.key) if body.key else None
            if body.key:
                self.add(iri, eli.passed_by, self.m.body(body.key))
            label_de, label_en = external_decision_labels(
                canonical_id, entry.label_de if entry else None, entry.label_en if entry else None)
            self.add(iri, rdfs.label, de(label_de))
            self.add(iri, rdfs.label, en(label_en))
        else:
            self.add(iri, rdf.type, bg.Resolution)
            kind = (bg.FollowUp if canonical_id.startswith("F-") else
                    bg.ALRundeDecision if canonical_id.endswith("-AL") else bg.CouncilResolution)
            self.add(iri, rdf.type, kind)
            # by number in English; the German label is the build's "id: title" for a loaded
            # resolution and the links graph's "Beschluss id" for one no document describes
            self.add(iri, rdfs.label, en(resolution_labels(canonical_id)[1]))
        self.add(iri, eli.id_local, lit(canonical_id))
        return iri

    def resolution(self, res: Resolution, *, title: str | None, date: dt.date | None,
                   session: IRI | None, item: IRI | None) -> IRI:
        iri = self.resolution_stub(res.canonical_id)
        self.provenance(iri, res.span)
        self.add(iri, bg.identifier, lit(res.identifier))
        title = res.title or title
        if title:
            self.add(iri, eli.title, de(title))
            # the canonical id, so that protocol and register give the same label
            self.add(iri, rdfs.label, de(f"{res.canonical_id}: {title}"))
        date = res.date or date
        self.add_value(iri, eli.date_document, date)
        body = res.body or ("al-runde" if res.canonical_id.endswith("-AL") else "it-planungsrat")
        self.add(iri, eli.passed_by, self.m.body(body))
        self.add(iri, bg.session, session)
        self.add(iri, bg.agendaItem, item)
        self.add_text(iri, bg.text, res.text)
        self.add_text(iri, bg.preamble, res.preamble)
        self.add_text(iri, bg.procedure, res.procedure)
        if res.source_url:
            self.add(iri, dct.source, IRI(res.source_url))
        self.add_value(iri, bg.expires, res.expires)
        self.add_value(iri, bg.effectiveFrom, res.effective_from)
        for position, point in enumerate(res.points, start=1):
            p_iri = self.m.point(iri, point.number)
            self.add(p_iri, rdf.type, bg.ResolutionPoint)
            self.add(p_iri, rdf.type, eli.LegalResourceSubdivision)
            self.add(p_iri, eli.is_part_of, iri)
            self.add(iri, eli.has_part, p_iri)
            self.add(p_iri, eli.number, lit(point.number))
            self.add(p_iri, bg.position, lit(position))
            for label, lang in zip(point_labels(res.canonical_id, point.number), (de, en),
                                   strict=True):
                self.add(p_iri, rdfs.label, lang(label))
            self.add_text(p_iri, bg.text, point.text)
            if point.parent:
                self.add(p_iri, bg.parentPoint, self.m.point(iri, point.parent))
                self.add(self.m.point(iri, point.parent), eli.has_part, p_iri)
            self.provenance(p_iri, point.span)
            self.link_entities(p_iri, bg.mentions, bg.unresolvedMention, point.mentions)
            self.amounts(p_iri, point.amounts)
        self.link_entities(iri, bg.mentions, bg.unresolvedMention, res.mentions)
        self.amounts(iri, res.amounts)
        for k, ref in enumerate(res.references, start=1):
            self.reference(iri, k, ref)
        for k, mandate in enumerate(res.mandates, start=1):
            self.mandate(iri, k, mandate)
        for sp in res.spokespersons:
            a = self.m.child(iri, "sprecher", sp.position)
            self.add(a, rdf.type, bg.SpokespersonAppointment)
            self.add(a, bg.appointedBy, iri)
            self.add(a, bg.position, lit(sp.position))
            self.add(a, bg.conference, self.entity(sp.conference))
            self.add(a, bg.spokesperson, self.entity(sp.spokesperson))
            if sp.conference.key is None:
                self.add(a, bg.unresolvedMention, lit(sp.conference.text))
            if sp.spokesperson.key is None:
                self.add(a, bg.unresolvedMention, lit(sp.spokesperson.text))
            self.provenance(a, sp.span)
        for k, change in enumerate(res.body_changes, start=1):
            self.body_change(iri, k, change)
        if res.vote:
            self.vote(iri, res.vote)
        return iri

    def body_change(self, res: IRI, k: int, change: BodyChange) -> None:
        c = self.m.child(res, "gremienaenderung", k)
        self.add(c, rdf.type, bg.BodyChange)
        self.add(c, bg.changedBy, res)
        self.add(c, bg.changeKind, lit(change.kind))
        if change.point:
            self.add(c, bg.sourcePoint, self.m.point(res, change.point))
        body = self.entity(change.body)
        if body is not None:
            self.add(c, bg.body, body)
            direct = {"establishes": bg.establishes, "continues": bg.continuesBody,
                      "ends": bg.endsBody}[change.kind]
            self.add(res, direct, body)
        else:
            self.add(c, bg.unresolvedMention, lit(change.body.text))
        self.provenance(c, change.span)

    def amounts(self, owner: IRI, amounts: list[Amount]) -> None:
        for k, amount in enumerate(amounts, start=1):
            a = self.m.child(owner, "betrag", k)
            self.add(a, rdf.type, bg.MonetaryAmount)
            self.add(a, bg.amountValue, lit(amount.value))
            self.add(a, bg.currency, lit(amount.currency))
            self.add(a, bg.amountText, lit(amount.text))
            self.add(a, bg.approximate, lit(amount.approximate))
            self.add(a, bg.maximum, lit(amount.maximum))
            # the budget period and purpose the text states ("… Euro für 2027", "ab 2027",
            # "jährlich"); none is guessed from the decision's date
            self.add_text(a, bg.periodKind, amount.period_kind)
            self.add_value(a, bg.budgetYear, amount.budget_year)
            self.add_text(a, bg.periodText, amount.period_text)
            self.add_text(a, bg.purpose, amount.purpose)
            self.add(owner, bg.mentionsAmount, a)
            self.provenance(a, amount.span)

    def vote(self, res: IRI, vote: Vote) -> None:
        v = self.m.child(res, "abstimmung")
        self.add(v, rdf.type, bg.Vote)
        self.add(res, bg.vote, v)
        self.add(v, bg.outcome, _OUTCOMES.get(vote.outcome or ""))
        self.add(v, bg.unanimous, lit(vote.unanimous))
        self.add(v, bg.majority, lit(vote.majority))
        self.add(v, bg.viaConsentAgenda, lit(vote.via_consent_agenda))
        self.add(v, bg.outcomeText, lit(vote.text))
        self.link_entities(v, bg.abstainedBy, bg.unresolvedMention, vote.abstained)
        self.link_entities(v, bg.votedAgainstBy, bg.unresolvedMention, vote.against)
        if vote.redacted_abstentions:
            self.add(v, bg.redactedAbstentions, lit(True))
        if vote.redacted_against:
            self.add(v, bg.redactedVotesAgainst, lit(True))
        self.provenance(v, vote.span)

    def target(self, ref: Reference) -> IRI:
        if ref.target_kind in ("resolution", "external_decision"):
            return self.resolution_stub(ref.target_id)
        if ref.target_kind == "eu_act":
            kind, year, number = ref.target_id.split("/")
            iri = IRI(f"{EU_ELI}{kind}/{year}/{number}/oj")
            self.add(iri, rdf.type, bg.EUAct)
            self.add(iri, rdf.type, eli.LegalResource)
            if kind in ("reg", "dir", "dec") and year.isdigit():
                label_de, label_en = eu_act_labels(kind, year, number)
                self.add(iri, rdfs.label, de(label_de))
                self.add(iri, rdfs.label, en(label_en))
            return iri
        iri = self.m.law(ref.target_id)
        kind = bg.RulesOfProcedure if ref.target_id == "GO IT-PLR" else bg.GermanLaw
        self.add(iri, rdf.type, kind)
        self.add(iri, skos.notation, lit(ref.target_id))
        label_de, label_en = law_labels(ref.target_id)
        self.add(iri, rdfs.label, de(label_de))
        self.add(iri, rdfs.label, en(label_en))
        return iri

    def reference(self, res: IRI, k: int, ref: Reference) -> None:
        target = self.target(ref)
        # keyed by document: a protocol and the register may both state references of the
        # same resolution, and each keeps its own provenance
        r = self.m.child(res, "verweis", f"{self.graph.value.rsplit('/', 1)[-1]}/{k}")
        self.add(r, rdf.type, bg.Reference)
        self.add(r, bg.citing, res)
        self.add(r, bg.cited, target)
        self.add(r, bg.evidence, lit(ref.evidence))
        if ref.in_point:
            self.add(r, bg.point, self.m.point(res, ref.in_point))
        if ref.article:
            self.add(r, bg.article if ref.target_kind == "eu_act" else bg.paragraph,
                     lit(ref.article))
        self.add_text(r, bg.subdivisionText, ref.subdivision)
        self.provenance(r, ref.span)
        self.add(res, eli.cites, target)
        relation = ref.relation
        points = [self.m.point(target, p) for p in ref.points]
        for p_iri in points:
            number = p_iri.value.rsplit("/", 1)[1]
            self.add(p_iri, rdf.type, bg.ResolutionPoint)
            self.add(p_iri, rdf.type, eli.LegalResourceSubdivision)
            self.add(p_iri, eli.is_part_of, target)
            self.add(p_iri, eli.number, lit(number))
            for label, lang in zip(point_labels(ref.target_id, number), (de, en), strict=True):
                self.add(p_iri, rdfs.label, lang(label))
        direct: list[tuple[IRI, IRI]] = []
        if relation == "repeals":
            direct = [(eli.repeals, target), (eli.changes, target)]
        elif relation == "repeals_part":
            direct = [(eli.repeals, p) for p in points] + [(eli.changes, p) for p in points]
            direct.append((bg.repealsPartOf, target))
        elif relation == "amends":
            direct = [(eli.amends, target), (eli.changes, target)]
        elif relation == "amends_part":
            direct = [(eli.amends, p) for p in points] + [(eli.changes, p) for p in points]
            direct.append((bg.amendsPartOf, target))
        elif relation == "replaces" and points:
            # "ersetzt Ziffer 3 des Beschlusses …": the points are replaced (and so repealed)
            direct = ([(bg.replaces, p) for p in points] + [(eli.repeals, p) for p in points]
                      + [(eli.changes, p) for p in points])
            direct.append((bg.repealsPartOf, target))
        elif relation == "replaces":
            direct = [(bg.replaces, target), (eli.repeals, target), (eli.changes, target)]
        elif relation == "implements":
            direct = [(bg.implements, target)]
        elif relation == "continues":
            direct = [(bg.continues, target)]
        elif relation == "extends":
            direct = [(bg.extends, target)]
        elif relation == "based_on":
            direct = [(bg.basedOn, target)]
        for p, o in direct:
            self.add(res, p, o)
        for p_iri in points:
            self.add(r, bg.targetPoint, p_iri)
        relation_iri = {"repeals_part": bg.repealsPartOf, "amends_part": bg.amendsPartOf}.get(
            relation, direct[0][0] if direct else eli.cites)
        self.add(r, bg.relation, relation_iri)

    def mandate(self, res: IRI, k: int, mandate: Mandate) -> None:
        owner = self.m.point(res, mandate.point) if mandate.point else res
        number = self._mandates_per_owner.get(owner, 0) + 1
        self._mandates_per_owner[owner] = number
        iri = self.m.child(owner, "auftrag", number)
        self.add(iri, rdf.type, bg.Mandate)
        self.add(iri, bg.issuedBy, res)
        if mandate.point:
            self.add(iri, bg.sourcePoint, owner)
        self.link_entities(iri, bg.assignee, bg.unresolvedAssignee, mandate.assignees)
        self.add(iri, bg.mandateVerb, lit(mandate.verb))
        self.add(iri, bg.action, lit(mandate.action))
        d = mandate.deadline
        if d:
            self.add(iri, bg.deadlineText, lit(d.text))
            self.add(iri, bg.deadlineKind, lit(d.kind))
            self.add_value(iri, bg.deadline, d.date)
            if d.kind == "session" and d.session:
                self.add(iri, bg.deadlineSession, self.m.session(d.session))
        # one bg:Deadline per cut-off, each with its own wording ("zum Stichtag 01.01.2026",
        # "01.01.2028", "01.01.2030"); bg:deadline above stays the first one's date
        for position, cut_off in enumerate(mandate.deadlines, start=1):
            c = self.m.child(iri, "frist", position)
            self.add(c, rdf.type, bg.Deadline)
            self.add(iri, bg.hasDeadline, c)
            self.add(c, bg.position, lit(position))
            self.add(c, bg.deadlineText, lit(cut_off.text))
            self.add(c, bg.deadlineKind, lit(cut_off.kind))
            self.add_value(c, bg.deadline, cut_off.date)
            if cut_off.kind == "session" and cut_off.session:
                self.add(c, bg.deadlineSession, self.m.session(cut_off.session))
        self.provenance(iri, mandate.span)


def document_metadata(b: GraphBuilder, *, file_name: str, sha256: str, kind: str,
                      loaded_at: dt.datetime) -> None:
    g = b.graph
    b.add(g, rdf.type, bg.SourceDocument)
    b.add(g, rdf.type, prov.Entity)
    b.add(g, dct.title, lit(file_name))
    b.add(g, bg.sha256, lit(sha256))
    b.add(g, bg.loadedAt, lit(loaded_at))
    b.add(g, bg.loaderVersion, lit(__version__))
    b.add(g, bg.documentKind, lit(kind))


def build_protocol(protocol: Protocol, minter: Minter, *, sha256: str, stem: str,
                   loaded_at: dt.datetime | None = None) -> tuple[IRI, list[Quad]]:
    graph = minter.graph(stem)
    b = GraphBuilder(graph, minter)
    document_metadata(b, file_name=protocol.document, sha256=sha256, kind="protokoll",
                      loaded_at=loaded_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    s = protocol.session
    session = minter.session(s.number)
    b.add(session, rdf.type, bg.Session)
    b.add(session, rdf.type, prov.Activity)
    b.add(session, bg.sessionNumber, lit(s.number))
    b.add(session, dct.date, lit(s.date))
    b.add(session, rdfs.label, de(f"{s.number}. Sitzung des IT-Planungsrats"))
    b.add(session, rdfs.label, en(session_label_en(s.number)))
    b.add_text(session, bg.place, s.place)
    b.add_value(session, bg.startTime, s.start_time)
    b.add_value(session, bg.endTime, s.end_time)
    b.add_value(session, bg.protocolVersionDate, s.version_date)
    if s.chair:
        b.add(session, bg.chair, b.entity(s.chair))
    b.add(session, bg.body, minter.body("it-planungsrat"))
    b.provenance(session, s.span)
    section_iris = {}
    for sec in protocol.sections:
        iri = minter.section(session, sec.label)
        section_iris[sec.label] = iri
        b.add(iri, rdf.type, bg.Section)
        b.add(iri, rdfs.label, de(sec.label))
        b.add(iri, bg.position, lit(sec.position))
        b.add(iri, bg.isConsentAgenda, lit(sec.is_consent_agenda))
        b.add(session, bg.hasSection, iri)
        b.provenance(iri, sec.span)
    for item in protocol.items:
        agenda_item(b, item, session, section_iris, s.date)
    return graph, b.quads


def agenda_item(b: GraphBuilder, item: AgendaItem, session: IRI, sections: dict[str, IRI],
                date: dt.date) -> None:
    m = b.m
    iri = m.agenda_item(session, item.number, item.occurrence)
    b.add(iri, rdf.type, bg.AgendaItem)
    b.add(session, bg.hasAgendaItem, iri)
    b.add(iri, bg.session, session)
    b.add(iri, bg.topNumber, lit(item.number))
    b.add(iri, dct.title, de(item.title))
    b.add(iri, rdfs.label, de(f"TOP {item.number} {item.title}"))
    for sub in item.subtitles:
        b.add(iri, bg.subtitle, de(sub))
    b.add(iri, bg.section, sections.get(item.section))
    b.add(iri, bg.position, lit(item.position))
    b.add_text(iri, bg.goal, item.goal)
    b.add(iri, bg.onConsentAgenda, lit(item.on_consent_agenda))
    b.add(iri, bg.removedFromConsentAgenda, lit(item.removed_from_consent_agenda))
    if item.no_discussion:
        b.add(iri, bg.noDiscussion, lit(True))
    b.add_text(iri, bg.summary, item.summary)
    for form in item.checked:
        b.add(iri, bg.checked, _FORMS[form])
    b.link_entities(iri, bg.reporter, bg.unresolvedReporter, item.reporters)
    b.provenance(iri, item.span)
    source_targets = []
    for src in item.sources:
        b.add(iri, bg.sourceText, lit(src.text))
        if src.canonical_id:
            target = b.resolution_stub(src.canonical_id)
            b.add(iri, bg.source, target)
            source_targets.append((src, target))
    res_iri = None
    if item.resolution is not None:
        res_iri = b.resolution(item.resolution, title=item.title, date=date, session=session,
                               item=iri)
        b.add(iri, bg.resolution, res_iri)
        k = len(item.resolution.references)
        for src, _target in source_targets:
            k += 1
            b.reference(res_iri, k, Reference(
                relation="based_on", target_kind="resolution", target_id=src.canonical_id or "",
                evidence=f"Quelle: {src.text}", span=item.span))
    for k, note in enumerate(item.notes, start=1):
        n = m.child(iri, "protokollnotiz", k)
        b.add(n, rdf.type, bg.ProtocolNote)
        b.add(n, bg.agendaItem, iri)
        b.add(n, bg.about, res_iri)
        if note.author is not None:
            b.add(n, bg.author, b.entity(note.author))
        b.add_text(n, bg.authorLabel, note.author_label)
        b.add(n, bg.redacted, lit(note.redacted))
        b.add_text(n, bg.text, note.text)
        b.link_entities(n, bg.mentions, bg.unresolvedMention, note.mentions)
        b.provenance(n, note.span)
    for st in item.statements:
        s_iri = m.child(iri, "wortbeitrag", st.position)
        b.add(s_iri, rdf.type, bg.Statement)
        b.add(s_iri, bg.agendaItem, iri)
        b.add(s_iri, bg.speaker, b.entity(st.speaker))
        b.add(s_iri, bg.speakerLabel, lit(st.speaker_label))
        b.add(s_iri, bg.position, lit(st.position))
        b.add_text(s_iri, bg.text, st.text)
        b.link_entities(s_iri, bg.mentions, bg.unresolvedMention, st.mentions)
        b.amounts(s_iri, st.amounts)
        b.provenance(s_iri, st.span)


def gazetteer_quads(minter: Minter, gazetteer: Gazetteer | None = None) -> tuple[IRI, list[Quad]]:
    """Länder and bodies with labels and types: the reference-data graph."""
    gaz = gazetteer or default_gazetteer()
    graph = minter.graph("gazetteer")
    b = GraphBuilder(graph, minter, gaz)
    for e in gaz.entries:
        iri = minter.land(e.key) if e.kind == "land" else minter.body(e.key)
        b.add(iri, rdf.type, org.Organization)
        b.add(iri, rdf.type, m8g.PublicOrganisation)
        if e.kind == "land":
            b.add(iri, rdf.type, bg.Federation if e.key == "Bund" else bg.Land)
        elif e.types in _BODY_TYPES:
            b.add(iri, rdf.type, _BODY_TYPES[e.types])
        b.add(iri, skos.prefLabel, de(e.label_de))
        b.add(iri, skos.prefLabel, en(e.label_en))
        b.add(iri, rdfs.label, de(e.label_de))
        b.add(iri, rdfs.label, en(e.label_en))
        b.add_text(iri, skos.notation, e.short)
        for alias in e.aliases:
            b.add(iri, skos.altLabel, de(alias))
    collective, members = laender_members(minter, gaz)
    for land in members:
        b.add(land, org.memberOf, collective)
        b.add(collective, org.hasMember, land)
    return graph, b.quads


def laender_members(minter: Minter, gazetteer: Gazetteer | None = None
                    ) -> tuple[IRI, list[IRI]]:
    """The addressee "die Länder" and the Länder it includes: every Land, not the Bund."""
    gaz = gazetteer or default_gazetteer()
    return minter.body("laender"), [minter.land(e.key) for e in gaz.entries
                                    if e.kind == "land" and e.key != "Bund"]
