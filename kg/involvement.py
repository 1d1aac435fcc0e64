"""Which Länder and bodies each decision of one document involves (`bg:involves`).

A decision involves the bodies and Länder that pass it, report on its agenda item, are
assigned one of its mandates, are named in one of its points, abstain or vote against it, or
write a protocol note about it: the roles the lists filtered by body or Land count. Each way
is two facts that one document states together, so the shortcut is computed with that
document, in the process that parses it, and written into its graph: a load writes it for
what it loads, a replaced document takes it back, and the lists read one property instead
of joining six ways over the whole record (3 s at 1,000 sessions, 22 s at 5,000).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.namespaces import BG, ELI, RDF
from kg.terms import IRI, Quad, Term

DECISION_KINDS = frozenset({BG + "Resolution", BG + "ExternalDecision"})
# (first, second, direction): the decision is the subject of `first` ("out") or its object
# ("in"); the body or Land is the object of `second` on the node `first` leads to; None: the
# body or Land is the object of `first` itself
WAYS: tuple[tuple[str, str | None, str], ...] = (
    (ELI + "passed_by", None, "out"),
    (BG + "agendaItem", BG + "reporter", "out"),
    (BG + "issuedBy", BG + "assignee", "in"),
    (ELI + "is_part_of", BG + "mentions", "in"),
    (BG + "vote", BG + "abstainedBy", "out"),
    (BG + "vote", BG + "votedAgainstBy", "out"),
    (BG + "about", BG + "author", "in"),
)
INVOLVES = IRI(BG + "involves")
_WANTED = {p for first, second, _ in WAYS for p in (first, second) if p} | {RDF + "type"}


def document_involvement(quads: Iterable[Quad], graph: IRI) -> list[Quad]:
    """`bg:involves` of every decision the document's `quads` describe, in its `graph`."""
    out: dict[tuple[str, str], list[Term]] = defaultdict(list)
    into: dict[tuple[str, str], list[Term]] = defaultdict(list)
    decisions: set[str] = set()
    for s, p, o, _ in quads:
        if p.value not in _WANTED or not isinstance(s, IRI):
            continue
        if p.value == RDF + "type":
            if isinstance(o, IRI) and o.value in DECISION_KINDS:
                decisions.add(s.value)
            continue
        out[(s.value, p.value)].append(o)
        if isinstance(o, IRI):
            into[(o.value, p.value)].append(s)
    pairs: set[tuple[str, str]] = set()
    for decision in decisions:
        for first, second, direction in WAYS:
            near = (out if direction == "out" else into).get((decision, first), ())
            for node in near:
                if not isinstance(node, IRI):
                    continue
                if second is None:
                    pairs.add((decision, node.value))
                    continue
                pairs.update((decision, v.value) for v in out.get((node.value, second), ())
                             if isinstance(v, IRI))
    return [(IRI(d), INVOLVES, IRI(v), graph) for d, v in sorted(pairs)]
