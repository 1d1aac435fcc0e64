"""Content negotiation: pick the best offered media type for an Accept header (RFC 9110)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int | None:
        """How specifically this range matches `media_type` (None: no match)."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else None


def parse_accept(header: str | None) -> list[_Range]:
    ranges: list[_Range] = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        ranges.append(_Range(kind, sub, max(0.0, min(q, 1.0))))
    return ranges


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer with the highest q (ties: earlier offer wins); the first offer when the
    header is absent; None when every offer is excluded (q=0) or matches nothing."""
    return _negotiate(header, tuple(offers))


# Clients send the same few Accept headers again and again; every SPARQL request negotiates
# three times. Bounded, so that made-up headers cannot grow it.
@functools.lru_cache(maxsize=256)
def _negotiate(header: str | None, offers: tuple[str, ...]) -> str | None:
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matched = [(r.specificity(offer), r.q) for r in ranges]
        matched = [(s, q) for s, q in matched if s is not None]
        if not matched:
            continue
        # the most specific matching range decides the q of this offer
        q = max(matched, key=lambda sq: sq[0])[1]
        if q <= 0:
            continue
        key = (q, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
