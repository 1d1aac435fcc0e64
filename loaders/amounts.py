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


# The budget period, right after the amount ("213.183.843 Euro für 2027", "… Euro jährlich",
# "… Euro ab 2027") or before it in its clause ("für 2027 … 5 Mio. Euro", "ab 2027 jährlich
# …", "jährlich bis zu 2 Mio. Euro").
_YEAR_WORDS = r"(?:(?:das\s+)?(?:Haushalts|Kalender|Geschäfts)?[Jj]ahr(?:es)?\s+)?"
_PERIOD_AFTER = re.compile(
    rf"\s*(?:(?P<from>ab\s+(?:dem\s+)?{_YEAR_WORDS}(?P<from_year>\d{{4}}))"
    rf"|(?P<year>(?:für|im|in)\s+{_YEAR_WORDS}(?P<year_n>\d{{4}}))"
    r"|(?P<annual>jährlich|pro\s+Jahr|p\.\s?a\.|per\s+annum))\b")
_FROM_BEFORE = re.compile(rf"\bab\s+(?:dem\s+)?{_YEAR_WORDS}(\d{{4}})\b")
# one year, not "für 2027 und 2028" (which of them would be a guess)
_YEAR_BEFORE = re.compile(
    rf"\b(?:[Ff]ür|[Ii]m)\s+{_YEAR_WORDS}(\d{{4}})\b(?!\s*(?:und|sowie|bis|-|–|,)\s*\d{{4}})")
_ANNUAL_BEFORE = re.compile(r"\bjährlich(?:e[nrs]?)?\b|\bpro\s+Jahr\b")
_CLAUSE_MARK = re.compile(r"[,;:]\s")
# The purpose: the noun phrase the amount is "in Höhe von/der", from its last determiner that
# no preposition governs ("die benötigten Ressourcen für die Durchführung der Evaluation in
# Höhe von maximal 400 TEUR"), or "für <…>" right after the amount.
_IN_AMOUNT_OF = re.compile(r"\s+in\s+(?:der\s+)?Höhe\s+(?:von|der|des)\b")
_DETERMINER = re.compile(r"(?<![\wäöüß])(?:die|den|das|eine|einen|ein)\s")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:für|zur|zum|von|vom|mit|über|auf|an|am|in|im|bei|aus|nach|durch|gegen|ohne|um|zu|"
    r"unter|vor|entsprechend)\s+$", re.I)
_LAST_NOUN = re.compile(r"([A-ZÄÖÜ][\wäöüß-]+)\s*$")
_PURPOSE_AFTER = re.compile(
    r"\s*für\s+(?!(?:das\s+Jahr\s+|die\s+Jahre\s+)?\d{4}\b)"
    r"(?P<np>(?:die|den|das|der|eine|einen|ein)\s+[^,.;:]+?)"
    r"(?=\s*(?:[,.;:]|$|\bbereit|\bzur\s+Verfügung|\bbeantragt|\bvorgesehen))")


def _period(text: str, start: int, end: int, clause_start: int
            ) -> tuple[str | None, int | None, str | None]:
    """(kind, year, wording) of the budget period stated for the amount at start:end."""
    after = _PERIOD_AFTER.match(text, end)
    if after and after["from"]:
        return "from_year", int(after["from_year"]), after["from"]
    if after and after["year"]:
        return "year", int(after["year_n"]), after["year"]
    before = text[clause_start:start]
    if (m := _FROM_BEFORE.search(before)) is not None:
        return "from_year", int(m.group(1)), m.group(0)
    if years := list(_YEAR_BEFORE.finditer(before)):
        return "year", int(years[-1].group(1)), years[-1].group(0)
    if after and after["annual"]:
        return "annual", None, after["annual"]
    if (m := _ANNUAL_BEFORE.search(before)) is not None:
        return "annual", None, m.group(0)
    return None, None, None


def _purpose(sentence_before: str, text: str, end: int) -> str | None:
    marks = list(_IN_AMOUNT_OF.finditer(sentence_before))
    if marks:
        region = sentence_before[:marks[-1].start()]
        free = [d for d in _DETERMINER.finditer(region)
                if not _PREPOSITION_BEFORE.search(region, 0, d.start())]
        if free:
            return " ".join(region[free[-1].start():].split()) or None
        noun = _LAST_NOUN.search(region)  # "gibt Mittel in Höhe von 250.000 Euro frei"
        if noun:
            return noun.group(1)
    after = _PURPOSE_AFTER.match(text, end)
    return " ".join(after["np"].split()) if after else None


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
        sentence_from = _sentence_start(text, m.start())
        sentence = text[sentence_from:m.start()]
        ceiling = bool(_CEILING.search(sentence))
        clauses = [c.end() for c in _CLAUSE_MARK.finditer(text, sentence_from, m.start())]
        kind, year, period_text = _period(text, m.start(), m.end(),
                                          clauses[-1] if clauses else sentence_from)
        out.append(Amount(
            text=m.group(0).strip(), value=value.normalize() if value % 1 else value.quantize(1),
            currency="EUR", span=span,
            approximate=qual in ("ca.", "circa", "rund", "etwa"),
            maximum=qual in ("maximal", "höchstens") or qual.startswith("bis") or ceiling,
            period_kind=kind, budget_year=year, period_text=period_text,
            purpose=_purpose(sentence, text, m.end()),
        ))
    return out
