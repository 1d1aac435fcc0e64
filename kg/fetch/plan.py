"""Which addresses `kg fetch` asks for: decision ids → the site's address patterns.

The council's site names a decision page after its id: `/beschluss/beschluss-2017-48` for the
decisions up to 2025, `/beschluss/b-2025-33-it` from the 48th session (November 2025) on, when
the ids became `B-YYYY/NN-IT`. Years from 2025 try both, the newer form first from 2026.
Older pages also live under title slugs (`/beschluesse/beschluss/<title>`), which no id
predicts; where the site redirects an id address there, the redirect is followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "2025/06", "2025-06", "B-2025/33-IT", "Beschluss 2017/48", "Entscheidung Nr. 2012/05"
_ID = re.compile(r"^(?:(?:Beschluss|Entscheidung)(?:\s+Nr\.)?\s+|B-)?"
                 r"(?P<year>(?:19|20)\d\d)[/-](?P<number>\d+)(?:-IT)?$", re.IGNORECASE)
NEW_FORM_FROM = 2025  # the year whose later decisions use b-YYYY-NN-it
NEW_FORM_FIRST_FROM = 2026


class BadDecisionId(ValueError):
    pass


@dataclass(frozen=True, order=True)
class DecisionId:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}/{self.number:02d}"


def parse_decision_id(text: str) -> DecisionId:
    match = _ID.match(text.strip())
    if match is None or int(match["number"]) == 0:
        raise BadDecisionId(f"{text!r} is not a decision id; expected e.g. 2025/06, 2025-06 "
                            "or B-2025/33-IT")
    return DecisionId(int(match["year"]), int(match["number"]))


def page_urls(base_url: str, decision: DecisionId) -> list[str]:
    """The addresses the decision's page may have, the likelier first."""
    base = base_url.rstrip("/")
    old = f"{base}/beschluss/beschluss-{decision.year}-{decision.number:02d}"
    new = f"{base}/beschluss/b-{decision.year}-{decision.number:02d}-it"
    if decision.year < NEW_FORM_FROM:
        return [old]
    return [new, old] if decision.year >= NEW_FORM_FIRST_FROM else [old, new]


def same_decision(shown: str | None, decision: DecisionId) -> bool:
    if shown is None:
        return False
    try:
        return parse_decision_id(shown) == decision
    except BadDecisionId:
        return False
