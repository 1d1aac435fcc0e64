"""Money amounts as written → numbers with currency."""

from __future__ import annotations

import re
from decimal import Decimal

from loaders.records import Amount, Span

_AMOUNT = re.compile(
    # the first letters of the qualifiers, or a digit: one test rejects most positions
    r"(?=[bcehmr\d])"
    r"(?P<qual>(?:ca\.|circa|rund|etwa|maximal|höchstens|bis\s+zu)\s*)?"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*"
    r"(?P<scale>Mio\.|Millionen|Million|Mrd\.|Milliarden|Milliarde|TEUR|T€|Tsd\.)?\s*"
    r"(?P<cur>Euro|EUR|€)?(?![\w])"
)
_SCALES = {
    "mio.": Decimal(10) ** 6, "millionen": Decimal(10) ** 6, "million": Decimal(10) ** 6,
    "mrd.": Decimal(10) ** 9, "milliarden": Decimal(10) ** 9, "milliarde": Decimal(10) ** 9,
    "teur": Decimal(1000), "t€": Decimal(1000), "tsd.": Decimal(1000),
}


# (the mark first, then the look-behind: the engine jumps from mark to mark)
_SENTENCE_END = re.compile(r"[.;](?<!\d[.;])\s+")
_CEILING = re.compile(r"\bmaximal(?:e[nrs]?)?\b|\bHöchst(?:betrag|summe|grenze)|\bObergrenze",
                      re.I)


def _sentence_start(text: str, pos: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    return ends[-1] if ends else 0


def find_amounts(text: str, span: Span) -> list[Amount]:
    out = []
    for m in _AMOUNT.finditer(text):
        scale, cur = m.group("scale"), m.group("cur")
        if not cur and (scale or "").lower() not in ("teur", "t€"):
            continue  # a number without a currency is not money
        number = Decimal(m.group("num").replace(".", "").replace(",", "."))
        value = number * _SCALES.get((scale or "").lower(), Decimal(1))
        qual = (m.group("qual") or "").strip().lower()
        # "in Höhe der festgelegten maximalen Gesamtsumme von 213.183.843 Euro für 2027 und
        # 223.843.035 Euro für 2028": the ceiling governs every amount of its sentence
        sentence = text[_sentence_start(text, m.start()):m.start()]
        ceiling = bool(_CEILING.search(sentence))
        out.append(Amount(
            text=m.group(0).strip(), value=value.normalize() if value % 1 else value.quantize(1),
            currency="EUR", span=span,
            approximate=qual in ("ca.", "circa", "rund", "etwa"),
            maximum=qual in ("maximal", "höchstens") or qual.startswith("bis") or ceiling,
        ))
    return out
