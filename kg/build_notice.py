"""A Bundesanzeiger notice → RDF quads in the notice's own named graph (ontology/MODEL.md).

Each decision it publishes is the same resource (same ELI IRI) as in a protocol, a decision
page or the register. The publication date belongs to the notice (`dct:issued` on its
graph), never to a decision: a decision gets a date only from its session heading.
"""

from __future__ import annotations

import datetime as dt

from kg.build import GraphBuilder, document_metadata
from kg.build_page import counts_of, session_node
from kg.iris import Minter
from kg.namespaces import dct
from kg.terms import IRI, Quad
from loaders.notice import Notice
from loaders.text import span_of

NOTICE_KIND = "bekanntmachung"


def build_notice(notice: Notice, minter: Minter, *, stem: str,
                 loaded_at: dt.datetime | None = None) -> tuple[IRI, list[Quad], dict[str, int]]:
    graph = minter.graph(stem)
    b = GraphBuilder(graph, minter)
    document_metadata(b, file_name=notice.document, sha256=notice.sha256, kind=NOTICE_KIND,
                      loaded_at=loaded_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    b.add_value(graph, dct.issued, notice.published)
    for session in notice.sessions:
        session_node(b, session.number, session.date, session.procedure,
                     span_of(notice.document, [session.line]))
    for res in notice.decisions:
        session = b.m.session(res.session_number) if res.session_number is not None else None
        b.resolution(res, title=None, date=None, session=session, item=None)
    counts = counts_of(notice.decisions)
    counts["sessions"] = sum(1 for s in notice.sessions if s.number is not None)
    return graph, b.quads, counts
