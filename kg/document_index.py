"""The triples of one document, indexed both ways: the few joins that the per-document steps
(its text links, whom its decisions involve) need, without a database."""

from __future__ import annotations

from collections.abc import Iterable

from kg.namespaces import RDF
from kg.terms import IRI, Quad, Term


class DocumentIndex:
    def __init__(self, quads: Iterable[Quad]) -> None:
        self.out: dict[tuple[IRI, str], list[Term]] = {}
        self.into: dict[tuple[str, Term], list[IRI]] = {}
        for s, p, o, _ in quads:
            self.out.setdefault((s, p.value), []).append(o)
            self.into.setdefault((p.value, o), []).append(s)

    def objects(self, s: Term, p: str) -> list[Term]:
        return self.out.get((s, p), []) if isinstance(s, IRI) else []  # type: ignore[return-value]

    def subjects(self, p: str, o: Term) -> list[IRI]:
        return self.into.get((p, o), [])

    def instances(self, cls: str) -> list[IRI]:
        return self.subjects(RDF + "type", IRI(cls))

    def value(self, s: Term, p: str) -> Term | None:
        found = self.objects(s, p)
        return found[0] if found else None
