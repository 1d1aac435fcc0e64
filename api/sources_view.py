"""The "Quellen" part of a resolution's page: every document that states the decision (kind,
file, lines), where they disagree, and whether its text is loaded at all.

The comparison is kg/disagreements.py's, the one `kg validate` reports; here it runs for one
resolution through the query workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.i18n import STRINGS
from api.runner import QueryRunner
from kg.disagreements import TEXT_KINDS, Disagreement, collect, compare, queries

# German (api/i18n.py; the page shows them through tg())
KIND_LABELS = {kind: STRINGS["src." + kind][0]
               for kind in ("protokoll", "beschlussseite", "bekanntmachung", "register")}


@dataclass(frozen=True)
class SourceRow:
    kind: str
    kind_label: str
    file: str  # with the line: "itplr-48-2025-11-26-protokoll.txt:391"
    graph: str


@dataclass
class SourcesView:
    sources: list[SourceRow] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    # the register lists the decision, but no protocol, page or notice with its text is loaded
    known_text_not_loaded: bool = False


async def resolution_sources(runner: QueryRunner, client: str, iri: str) -> SourcesView:
    stated, points, references = await runner.select_many(client, queries(iri))
    decision = collect(stated, points, references, every=False).get(iri)
    if decision is None:
        return SourcesView()
    kinds = {w.kind for w in decision.sources.values()}
    rows = sorted(decision.sources.values(),
                  key=lambda w: (list(KIND_LABELS).index(w.kind) if w.kind in KIND_LABELS
                                 else len(KIND_LABELS), w.file))
    return SourcesView(
        sources=[SourceRow(w.kind, KIND_LABELS.get(w.kind, w.kind), w.cite(), w.graph)
                 for w in rows],
        disagreements=compare({iri: decision}) if len(decision.sources) > 1 else [],
        known_text_not_loaded="register" in kinds and not kinds & TEXT_KINDS,
    )
