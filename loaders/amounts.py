"""Money amounts as written → numbers with currency."""

from __future__ import annotations

import re
from decimal import Decimal

from loaders.records import Amount, Span

_AMOUNT = re.compile(
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


def find_amounts(text: str, span: Span) -> list[Amount]:
    out = []
    for m in _AMOUNT.finditer(text):
        scale, cur = m.group("scale"), m.group("cur")
        if not cur and (scale or "").lower() not in ("teur", "t€"):
            continue  # a number without a currency is not money
        number = Decimal(m.group("num").replace(".", "").replace(",", "."))
        value = number * _SCALES.get((scale or "").lower(), Decimal(1))
        qual = (m.group("qual") or "").strip().lower()
        out.append(Amount(
            text=m.group(0).strip(), value=value.normalize() if value % 1 else value.quantize(1),
            currency="EUR", span=span,
            approximate=qual in ("ca.", "circa", "rund", "etwa"),
            maximum=qual in ("maximal", "höchstens") or qual.startswith("bis"),
        ))
    return out
