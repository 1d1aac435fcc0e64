"""A decision page → RDF quads in the page's own named graph (ontology/MODEL.md).

Reuses `GraphBuilder`, so the decision is the same resource (same ELI IRI) as in a protocol,
a notice or the register, and every statement keeps this page as its source (named graph,
`prov:wasDerivedFrom`, lines of the page).
"""

from __future__ import annotations

import datetime as dt

from kg.build import GraphBuilder, document_metadata
from kg.iris import Minter, session_label_en
from kg.namespaces import bg, dct, prov, rdf, rdfs
from kg.terms import IRI, Quad, de, en, lit
from loaders.decision_page import DecisionPage
from loaders.records import Resolution, Span

PAGE_KIND = "beschlussseite"


def session_node(b: GraphBuilder, number: int | None, date: dt.date | None, procedure: str | None,
                 span: Span) -> IRI | None:
    """The council session a source names, with its date when the decision was taken in it.
    Circular procedures have none."""
    if number is None:
        return None
    iri = b.m.session(number)
    b.add(iri, rdf.type, bg.Session)
    b.add(iri, rdf.type, prov.Activity)
    b.add(iri, bg.sessionNumber, lit(number))
    b.add(iri, rdfs.label, de(f"{number}. Sitzung des IT-Planungsrats"))
    b.add(iri, rdfs.label, en(session_label_en(number)))
    b.add(iri, bg.body, b.m.body("it-planungsrat"))
    if date is not None and procedure in ("Sitzung", "Sondersitzung"):
        b.add(iri, dct.date, lit(date))
    b.provenance(iri, span)
    return iri


def counts_of(resolutions: list[Resolution]) -> dict[str, int]:
    return {
        "resolutions": len(resolutions),
        "points": sum(len(r.points) for r in resolutions),
        "references": sum(len(r.references) for r in resolutions),
        "mandates": sum(len(r.mandates) for r in resolutions),
    }


def build_page(page: DecisionPage, minter: Minter, *, stem: str,
               loaded_at: dt.datetime | None = None) -> tuple[IRI, list[Quad], dict[str, int]]:
    graph = minter.graph(stem)
    b = GraphBuilder(graph, minter)
    document_metadata(b, file_name=page.document, sha256=page.sha256, kind=PAGE_KIND,
                      loaded_at=loaded_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    res = page.resolution
    if res.source_url:
        b.add(graph, dct.source, IRI(res.source_url))
    session = None
    if not res.canonical_id.endswith("-AL"):  # AL-Runde meetings have their own numbering
        session = session_node(b, res.session_number, res.date, res.procedure, res.span)
    b.resolution(res, title=None, date=None, session=session, item=None)
    return graph, b.quads, counts_of([res])
