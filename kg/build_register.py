"""Register records → RDF quads in the register's own named graph (ontology/MODEL.md).

Reuses `GraphBuilder` so that a decision described by both a protocol and the register is the
same resource (same IRIs), with one `prov:wasDerivedFrom` per document.
"""

from __future__ import annotations

import datetime as dt

from kg.build import GraphBuilder, document_metadata
from kg.iris import Minter, session_label_en
from kg.namespaces import bg, dct, prov, rdf, rdfs
from kg.terms import IRI, Quad, de, en, lit
from loaders.records import Resolution
from loaders.register import Register


def build_register(register: Register, minter: Minter, *,
                   loaded_at: dt.datetime | None = None) -> tuple[IRI, list[Quad], dict[str, int]]:
    graph = minter.graph(register.document)
    b = GraphBuilder(graph, minter)
    document_metadata(b, file_name=register.document, sha256=register.sha256, kind="register",
                      loaded_at=loaded_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    sessions: set[int] = set()
    for res in register.decisions:
        session = _session(b, res, sessions)
        b.resolution(res, title=None, date=None, session=session, item=None)
    counts = {
        "resolutions": len(register.decisions),
        "points": sum(len(r.points) for r in register.decisions),
        "references": register.reference_count,
        "sessions": len(sessions),
    }
    return graph, b.quads, counts


def _session(b: GraphBuilder, res: Resolution, seen: set[int]) -> IRI | None:
    """The council session a decision was taken in. AL-Runde rows number the AL-Runde's own
    meetings, which share no numbering with council sessions, so they get no session link."""
    if res.session_number is None or res.canonical_id.endswith("-AL"):
        return None
    n = res.session_number
    iri = b.m.session(n)
    if n not in seen:
        seen.add(n)
        b.add(iri, rdf.type, bg.Session)
        b.add(iri, rdf.type, prov.Activity)
        b.add(iri, bg.sessionNumber, lit(n))
        b.add(iri, rdfs.label, de(f"{n}. Sitzung des IT-Planungsrats"))
        b.add(iri, rdfs.label, en(session_label_en(n)))
        b.add(iri, bg.body, b.m.body("it-planungsrat"))
        b.provenance(iri, res.span)  # the first row that names the session
    if res.date and res.procedure == "Sitzung":
        # the decision date of a regular session is the session's date
        b.add(iri, dct.date, lit(res.date))
    return iri
