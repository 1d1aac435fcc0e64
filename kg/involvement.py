"""Which Länder and bodies each decision of one document involves (`bg:involves`).

A decision involves the bodies and Länder that pass it, report on its agenda item, are
assigned one of its mandates, are named in it or in one of its points, are established,
continued or ended by it, abstain or vote against it, or write a protocol note about it: the
roles the lists filtered by body or Land count. Where "die Länder" are involved, so is every
Land (kg.build.laender_members), as a Land's page lists what the Länder are asked to do. Each
way is two facts that one document states together, so the shortcut is computed with that
document, in the process that parses it, and written into its graph: a load writes it for
what it loads, a replaced document takes it back, and the lists read one property instead
of joining the ways over the whole record (3 s at 1,000 sessions, 22 s at 5,000).
"""

from __future__ import annotations

from kg.build import laender_members
from kg.document_index import DocumentIndex
from kg.iris import Minter
from kg.namespaces import BG, ELI
from kg.terms import IRI, Quad

DECISION_KINDS = (BG + "Resolution", BG + "ExternalDecision")
# (first, second, direction): the decision is the subject of `first` ("out") or its object
# ("in"); the body or Land is the object of `second` on the node `first` leads to; None: the
# body or Land is the object of `first` itself
WAYS: tuple[tuple[str, str | None, str], ...] = (
    (ELI + "passed_by", None, "out"),
    (BG + "agendaItem", BG + "reporter", "out"),
    (BG + "issuedBy", BG + "assignee", "in"),
    (BG + "mentions", None, "out"),
    (ELI + "is_part_of", BG + "mentions", "in"),
    (BG + "establishes", None, "out"),
    (BG + "continuesBody", None, "out"),
    (BG + "endsBody", None, "out"),
    (BG + "vote", BG + "abstainedBy", "out"),
    (BG + "vote", BG + "votedAgainstBy", "out"),
    (BG + "about", BG + "author", "in"),
)
INVOLVES = IRI(BG + "involves")


def document_involvement(doc: DocumentIndex, graph: IRI, minter: Minter) -> list[Quad]:
    """`bg:involves` of every decision the document (`doc`, its quads' index) describes, in
    its `graph`."""
    collective, members = laender_members(minter)
    pairs: set[tuple[str, str]] = set()
    for decision in (d for kind in DECISION_KINDS for d in doc.instances(kind)):
        for first, second, direction in WAYS:
            near = (doc.objects(decision, first) if direction == "out"
                    else doc.subjects(first, decision))
            for node in near:
                if not isinstance(node, IRI):
                    continue
                found = [node] if second is None else doc.objects(node, second)
                pairs.update((decision.value, v.value) for v in found if isinstance(v, IRI))
    for decision in {d for d, v in pairs if v == collective.value}:
        pairs.update((decision, land.value) for land in members)
    return [(IRI(d), INVOLVES, IRI(v), graph) for d, v in sorted(pairs)]
