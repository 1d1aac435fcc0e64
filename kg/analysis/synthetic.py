"""Synthetic decision histories of any size, built through the real record → RDF path
(`GraphBuilder.resolution`), for the scale benchmarks (bench/) and the large-graph tests.

Deterministic for a seed: four sessions a year from 2010 (80 sessions up to 2029), 1–5 points
per resolution, each resolution referring to up to three earlier ones (mostly citations, some
amendments, partial repeals, repeals, replacements, continuations), some resolutions carrying
a mandate with a deadline.
"""

from __future__ import annotations

import datetime as dt
import random

from kg.build import GraphBuilder
from kg.iris import Minter
from kg.namespaces import bg, dct, rdf
from kg.terms import Quad, lit
from loaders.records import (
    Deadline,
    EntityRef,
    Mandate,
    Point,
    Reference,
    RelationKind,
    Resolution,
    Span,
)

_RELATIONS: list[tuple[RelationKind, float]] = [
    ("cites", 0.55), ("based_on", 0.12), ("amends_part", 0.09), ("repeals_part", 0.06),
    ("continues", 0.06), ("implements", 0.05), ("amends", 0.03), ("repeals", 0.02),
    ("replaces", 0.02),
]
_ASSIGNEES = [EntityRef("FITKO", "body", "fitko"), EntityRef("Bund", "land", "Bund"),
              EntityRef("Bayern", "land", "BY"), EntityRef("Hamburg", "land", "HH")]


def synthetic_quads(n: int, base: str = "https://w3id.org/beschlussgraph/id/",
                    seed: int = 7, per_session: int | None = None) -> list[Quad]:
    """Quads of `n` synthetic resolutions in one named graph (graph/synthetic), in 80
    sessions from 2010 to 2029 (more resolutions per session for larger `n`)."""
    per_session = per_session or max(25, -(-n // 80))
    rng = random.Random(seed)
    minter = Minter(base)
    b = GraphBuilder(minter.graph("synthetic"), minter)
    weights = [w for _, w in _RELATIONS]
    kinds = [k for k, _ in _RELATIONS]
    ids: list[tuple[str, int]] = []  # (canonical id, number of points)
    per_year: dict[int, int] = {}
    for i in range(n):
        session_no = i // per_session + 1
        year = 2010 + (session_no - 1) // 4
        date = dt.date(year, 3 * ((session_no - 1) % 4) + 1, 15)
        per_year[year] = per_year.get(year, 0) + 1
        canonical = f"{year}/{per_year[year]:02d}"
        span = Span("synthetic", i + 1, i + 1)
        points = [Point(str(k), f"Ziffer {k} von {canonical}", span)
                  for k in range(1, rng.randint(1, 5) + 1)]
        refs: list[Reference] = []
        for _ in range(rng.choice((0, 1, 1, 2, 3)) if ids else 0):
            target, target_points = ids[int(len(ids) * (1 - rng.random() ** 3)) - 1]
            relation = rng.choices(kinds, weights)[0]
            chosen: tuple[str, ...] = ()
            if relation.endswith("_part"):
                chosen = (str(rng.randint(1, target_points)),)
            refs.append(Reference(relation, "resolution", target, f"synthetisch {relation}",
                                  span, chosen))
        mandates = []
        if rng.random() < 0.3:
            mandates.append(Mandate("beauftragt", (rng.choice(_ASSIGNEES),), "berichten", span,
                                    Deadline("bis", "date", date + dt.timedelta(days=180))))
            # no `point=`: GraphBuilder numbers point mandates by scanning its quads, which
            # is quadratic at benchmark sizes
        res = Resolution(f"B-{canonical}-IT", canonical, "", span, points=points,
                         references=refs, mandates=mandates, title=f"Synthetischer Beschluss "
                         f"{canonical}", date=date, session_number=session_no)
        session = minter.session(session_no)
        b.add(session, rdf.type, bg.Session)  # GraphBuilder drops repeated quads
        b.add(session, bg.sessionNumber, lit(session_no))
        b.add(session, dct.date, lit(date))
        b.resolution(res, title=None, date=None, session=session, item=None)
        ids.append((canonical, len(points)))
    return b.quads
