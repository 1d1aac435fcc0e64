"""Find references in resolution text and classify them (cites, repeals, repeals part,
amends, replaces, implements, continues), to resolutions, other bodies' decisions, EU acts
and German laws.

EU acts and other bodies' decisions are found first and masked, so that "Richtlinie
2014/55/EU" or "DMK 2024/10/15" can never be read as a council resolution.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from loaders.gazetteer import LegalAct, legal_acts
from loaders.patterns import trie_alternation
from loaders.records import Reference, RelationKind, Span

# -- identifiers -----------------------------------------------------------------------------

# Numbers of any length: a council's 1234th resolution of a year is B-2031/1234-IT.
_B_ID = re.compile(r"\b([BF])-(\d{4})/(\d+)-(IT|AL)\b")
_SOURCE_ID = re.compile(r"^\s*([BF])-(\d{4})/(\d+)-(IT|AL)\s*$")
_BARE_ID = re.compile(r"(F-)?(\d{4})[/-](\d+)(-AL)?")


def canonical(year: str | int, number: str | int, suffix: str = "", follow_up: bool = False) -> str:
    base = f"{int(year):04d}/{int(number):02d}"
    if follow_up:
        return "F-" + base
    return base + ("-AL" if suffix.upper() == "AL" else "")


def canonical_from_identifier(identifier: str) -> str | None:
    """`B-2025/33-IT` → `2025/33`, `B-2025/09-AL` → `2025/09-AL`, `F-2025/03-IT` →
    `F-2025/03`, `2024/03` → `2024/03`, `2025/02-AL` → `2025/02-AL`; None otherwise."""
    text = identifier.strip()
    m = _SOURCE_ID.match(text)
    if m:
        kind, year, number, body = m.groups()
        return canonical(year, number, body if kind == "B" else "", follow_up=kind == "F")
    m = _BARE_ID.fullmatch(text)
    if m:
        return canonical(m.group(2), m.group(3), "AL" if m.group(4) else "",
                         follow_up=bool(m.group(1)))
    return None


# -- EU acts, laws, other bodies -----------------------------------------------------------


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # resolution | external_decision | eu_act | law
    target: str
    article: str | None = None
    subdivision: str | None = None
    points: tuple[str, ...] = ()


# Each pattern with a piece of text it cannot match without: a fragment that lacks it is
# not searched (a substring test is a fraction of a regex scan).
_EU_NUMBERED = [
    # Verordnung (EU) 2024/903 ; Verordnung [EU] 2024/903 ; Verordnung (EU) Nr. 1024/2012
    # (two literal branches, not "(?:EU-)?": the engine then jumps from E/V to E/V)
    (re.compile(r"(?:EU-Verordnung|Verordnung)\s*[\(\[]\s*(?:EU|EG|EWG)\s*[\)\]]\s*(?:Nr\.\s*)?"
                r"(\d{2,4})/(\d{1,4})"), "reg", "Verordnung"),
    (re.compile(r"Richtlinie\s*(?:[\(\[]\s*EU\s*[\)\]]\s*)?(\d{4})/(\d{1,4})(?:/(?:EU|EG))?"),
     "dir", "Richtlinie"),
    (re.compile(r"\b(\d{4})/(\d{1,4})/(?:EU|EG|EWG)\b"), "dir", "/E"),
    (re.compile(r"\((?:EU|EG)\)\s*(?:Nr\.\s*)?(\d{2,4})/(\d{1,4})"), "reg", "(E"),
]
_ARTICLE = re.compile(r"[,\s]*(?:Art\.|Artikel)\s*(\d+[a-z]?)((?:\s*(?:Abs\.|Absatz)\s*\d+)?)")
_EXTERNAL_BODIES = ("DMK", "MPK", "IMK", "FMK", "KMK", "CdS", "GMK", "JuMiKo", "ASMK", "WMK",
                    "UMK", "VMK")
_EXTERNAL = re.compile(rf"\b({'|'.join(_EXTERNAL_BODIES)})\s+"
                       r"(\d{4}/\d{1,2}/\d{1,2}|\d{4}/\d+)\b")
_PARAGRAPH = re.compile(
    r"§§?\s*(\d+[a-z]?)((?:\s*(?:Abs\.|Absatz)\s*\d+)?(?:\s*(?:Satz)\s*\d+)?"
    r"(?:\s*(?:Nr\.|Nummer)\s*\d+)?)\s*(?:der\s+|des\s+)?")


def _eu_key(kind: str, a: str, b: str) -> str:
    # old style "Nr. 910/2014" is number/year; new style "2024/903" is year/number
    if len(a) == 4 and (len(b) < 4 or int(a) >= 1950):
        year, number = a, b
    else:
        year, number = b, a
    return f"{kind}/{int(year)}/{int(number)}"


def _alias_pattern(alias: str) -> re.Pattern[str]:
    # Abbreviations ("OZG", "HwO") match only as written; names match in any case.
    flags = 0 if (alias.isupper() or len(alias) <= 5) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", flags)


# Compiled once: building a pattern per alias per text fragment was 41 % of a protocol's
# parse (issue 10). Each act's aliases longest first, in the table's order: that order
# decides which of two overlapping names is taken, so it is kept.
_ACT_ALIASES: tuple[tuple[LegalAct, tuple[re.Pattern[str], ...]], ...] = tuple(
    (act, tuple(_alias_pattern(a) for a in sorted(act.aliases, key=len, reverse=True)))
    for act in legal_acts())
# One alternation over the whole table, case-insensitive: where any alias pattern could
# match. Most fragments name no act and cost one search (7 of the seed's 66 go further);
# from the first hit on, the look-ahead form stops at every place an alias starts and names
# the longest alias there, and only the patterns of the acts named are run, not all 60.
_ALIAS_AT = (r"(?<![\w-])(" + trie_alternation({a for act in legal_acts() for a in act.aliases})
             + ")")
_ANY_ALIAS = re.compile(_ALIAS_AT, re.IGNORECASE)
_EACH_ALIAS = re.compile(f"(?={_ALIAS_AT})", re.IGNORECASE)
_ALIAS_PREFIXES = tuple(
    (index, re.compile(re.escape(alias), re.IGNORECASE))
    for index, act in enumerate(legal_acts()) for alias in act.aliases)


@functools.lru_cache(maxsize=512)
def _acts_named(longest: str) -> frozenset[int]:
    """The acts with an alias that can match where `longest` (as written) does: those with
    an alias that is a prefix of it, itself included."""
    return frozenset(index for index, prefix in _ALIAS_PREFIXES if prefix.match(longest))


def find_acts(text: str) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for pattern, kind, needed in _EU_NUMBERED:
        if needed not in text:
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            art = _ARTICLE.match(text, m.end())
            end = art.end() if art else m.end()
            found.append(Found(m.start(), end, "eu_act", _eu_key(kind, m.group(1), m.group(2)),
                               article=art.group(1) if art else None,
                               subdivision=(art.group(2).strip() or None) if art else None))
            taken.append((m.start(), end))
    bodies = any(body in text for body in _EXTERNAL_BODIES)
    for m in _EXTERNAL.finditer(text) if bodies else ():
        if free(m.start(), m.end()):
            found.append(Found(m.start(), m.end(), "external_decision",
                               f"{m.group(1)} {m.group(2)}"))
            taken.append((m.start(), m.end()))
    named: frozenset[int] = frozenset()
    if first := _ANY_ALIAS.search(text):
        named = named.union(*(_acts_named(m.group(1))
                              for m in _EACH_ALIAS.finditer(text, first.start())))
    for index, (act, patterns) in enumerate(_ACT_ALIASES):
        if index not in named:
            continue
        for pattern in patterns:
            for m in pattern.finditer(text):
                start = m.start()
                para = None
                sub = None
                if act.kind in ("de", "rules"):
                    # look back for "§ 11 Nr. 2 " directly before the abbreviation
                    before = text[max(0, start - 60):start]
                    matches = list(_PARAGRAPH.finditer(before))
                    pm = matches[-1] if matches else None
                    if pm and before[pm.end():].strip() == "":
                        para = pm.group(1)
                        sub = pm.group(2).strip() or None
                        start = start - len(before) + pm.start()
                if not free(start, m.end()):
                    continue
                kind = "eu_act" if act.kind == "eu" else "law"
                found.append(Found(start, m.end(), kind, act.key, article=para,
                                   subdivision=sub))
                taken.append((start, m.end()))
    return sorted(found, key=lambda f: f.start)


# -- council resolutions --------------------------------------------------------------------

_KEYWORD = (r"(?:Beschl(?:uss|usses|üsse|üssen)|Entscheidung(?:\s+IT-PLR)?|"
            r"IT-Planungsratsbeschlusses|IT-Planungsratsbeschluss|Umlaufbeschlusses|"
            r"Umlaufbeschluss|Beschlussvorschlag|Beschlussvorschlags)")
_NUM = r"(\d{4})[/-](\d+)(-AL)?(?![/\d]|-(?:IT|AL)\b)"
_KEYWORD_IDS = re.compile(
    rf"{_KEYWORD}\s+(?:(?:des|der|von)\s+(?:IT-Planungsrat(?:s|es)?|AL-Runde)\s+)?"
    rf"(?:(?:seinen|seines|den|dem|des|die)\s+)?(?:Nr\.\s*)?{_NUM}"
    rf"((?:\s*(?:,|und|sowie)\s*(?:Nr\.\s*)?\d{{4}}[/-]\d+(?:-AL)?(?![/\d]))*)"
)
_PAREN_ID = re.compile(rf"\(\s*{_NUM}\s*\)")
_ANOTHER = re.compile(r"(\d{4})[/-](\d+)(-AL)?")
_POINTS_BEFORE = re.compile(
    r"(?:Beschluss)?[Zz]iffer(?:n)?\s+((?:\d+(?:\.\d+)*)(?:\s*(?:,|und|sowie|bis)\s*\d+(?:\.\d+)*)*)"
    r"\s+(?:des|der)\s*$"
)


def find_resolution_ids(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _B_ID.finditer(text):
        kind, year, number, body = m.groups()
        found.append(Found(m.start(), m.end(), "resolution",
                           canonical(year, number, body if kind == "B" else "",
                                     follow_up=kind == "F")))
    for m in _KEYWORD_IDS.finditer(text):
        ids = [(m.group(1), m.group(2), m.group(3), m.start(1), m.end(3) if m.group(3)
                else m.end(2))]
        tail_start = m.start(4)
        for extra in _ANOTHER.finditer(m.group(4) or ""):
            ids.append((extra.group(1), extra.group(2), extra.group(3),
                        tail_start + extra.start(), tail_start + extra.end()))
        for year, number, al, s, e in ids:
            if any(f.start <= s < f.end for f in found):
                continue
            points: tuple[str, ...] = ()
            pm = _POINTS_BEFORE.search(text[max(0, m.start() - 80):m.start()])
            if pm and s == ids[0][3]:
                points = tuple(re.findall(r"\d+(?:\.\d+)*", pm.group(1)))
            found.append(Found(m.start() if s == ids[0][3] else s, e, "resolution",
                               canonical(year, number, "AL" if al else ""), points=points))
    for m in _PAREN_ID.finditer(text):
        if any(f.start <= m.start(1) < f.end for f in found):
            continue
        found.append(Found(m.start(), m.end(), "resolution",
                           canonical(m.group(1), m.group(2), "AL" if m.group(3) else "")))
    return sorted(found, key=lambda f: f.start)


# -- relation classification -----------------------------------------------------------------

# Every branch opens with its punctuation mark and looks behind only after it: the engine then
# skips to the next , ; : . instead of testing the look-behinds at every position. (The
# guards of the last branch end in "\.\." and so exclude only a dot after a dot: "Nr. X"
# still splits. Kept as it was; changing it changes parsed references.)
_CLAUSE_SPLIT = re.compile(r",(?<!\d,)\s+(?!\d)|;\s+|:\s+|\.(?<![A-Z][a-z]\.\.)"
                           r"(?<!\b[a-z]{2}\.\.)(?<!\bNr\.\.)(?<!\bArt\.\.)(?<!\bAbs\.\.)"
                           r"(?<!\bgem\.\.)(?<!\bbzw\.\.)(?<!\bca\.\.)\s+(?=[A-ZÄÖÜ])")

_RULES: list[tuple[RelationKind, re.Pattern[str]]] = [
    ("cites", re.compile(r"\bbleib(?:t|en)\s+unberührt|\bnicht\s+aufgehoben", re.I)),
    ("replaces", re.compile(r"\bersetz(?:t|en)\b|\bErsetzung\b|\btritt\s+an\s+die\s+Stelle", re.I)),
    ("repeals", re.compile(r"\bheb(?:t|en)\b.*\bauf\b|\baufgehoben\b|\baufzuheben\b|"
                           r"\bAufhebung\b", re.I)),
    ("amends", re.compile(r"\bänder(?:t|n)\b|\bgeändert\b|\bÄnderung\s+de[rs]\b|\bneu\s+gefasst\b|"
                          r"\bergänzt\b", re.I)),
    # "In Umsetzung des Beschlusses …", "zur (beschleunigten) Umsetzung der Verordnung …":
    # only before the reference it binds; "der Umsetzung der SDG-VO" alone is a topic
    ("implements", re.compile(r"\b(?:In|zur)\s+(?:[\wäöüß-]+\s+)?Umsetzung\b", re.I)),
    ("continues", re.compile(r"\bIn\s+Fortführung\b|\bfortgeführt\b|\bFortsetzung\s+des\b", re.I)),
]


# Implementation said after the reference, anywhere in its clause: "… setzt die Richtlinie
# 2014/55/EU um.", "… wird damit umgesetzt", "… ist umzusetzen". Checked after the relations
# above: a clause that repeals or replaces says that first.
_IMPLEMENTS_AFTER = re.compile(r"\bsetz(?:t|en)\b.*\bum\s*[.!]?\s*$|\bumgesetzt\b|"
                               r"\bumzusetzen\b", re.I)
# In a register title the decision's subject: "Umsetzung des Richtlinie 2014/55/EU",
# "(Umsetzung § 3 IT-NetzG)", "OZG-Umsetzung".
_TITLE_IMPLEMENTS_BEFORE = re.compile(r"\bUmsetzung\s+(?:(?:des|der|von)\s+)?$")
_TITLE_IMPLEMENTS_AFTER = re.compile(r"^-Umsetzung\b")


def title_implements(title: str, start: int, end: int) -> bool:
    """Whether a register title names the act at `start:end` as what the decision
    implements."""
    return bool(_TITLE_IMPLEMENTS_BEFORE.search(title, 0, start)
                or _TITLE_IMPLEMENTS_AFTER.match(title, end))


def clauses(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


_PREFIX_ONLY = ("implements", "continues")
_COORDINATED = re.compile(r"^\)?\s*(?:,|und|sowie)\s+(?:(?:des|der|von)\s+)?(?:[\w-]+\s*)?\(?\s*$")


def classify(clause: str, local: str | None = None) -> RelationKind:
    """The relation a clause expresses. `local` is the text directly before the reference:
    "In Fortführung des Beschlusses" / "In Umsetzung des Beschlusses" only bind the
    reference they precede."""
    if local is not None:
        for relation, pattern in _RULES:
            if relation in _PREFIX_ONLY and pattern.search(local):
                return relation
    for relation, pattern in _RULES:
        if local is not None and relation in _PREFIX_ONLY:
            continue
        if pattern.search(clause):
            return relation
    if _IMPLEMENTS_AFTER.search(clause):
        return "implements"
    return "cites"


def classify_act(clause: str, local: str) -> RelationKind:
    """The relation of a resolution to an EU act or a law: it implements it where the text
    says so ("zur Umsetzung der Verordnung …", "setzt … um"), otherwise it cites it; a
    resolution neither repeals nor amends an EU act or a federal law."""
    return "implements" if classify(clause, local) == "implements" else "cites"


def find_references(text: str, span: Span, in_point: str | None,
                    self_id: str | None = None) -> list[Reference]:
    """All references in `text` (one point or preamble of a resolution)."""
    acts = find_acts(text)
    masked = list(text)
    for f in acts:
        masked[f.start:f.end] = " " * (f.end - f.start)
    masked_text = "".join(masked)
    resolutions = [f for f in find_resolution_ids(masked_text) if f.target != self_id]
    refs: list[Reference] = []
    bounds = clauses(text)
    previous: tuple[int, int, RelationKind] | None = None  # clause start, end of ref, relation
    for f in sorted(acts + resolutions, key=lambda f: f.start):
        cs, ce = next(((a, b) for a, b in bounds if a <= f.start < b), (0, len(text)))
        clause = text[cs:ce]
        relation: RelationKind = "cites"
        if f.kind in ("eu_act", "law"):
            same_clause = previous is not None and previous[0] == cs
            local = text[previous[1] if same_clause else cs:f.start]  # type: ignore[index]
            if same_clause and _COORDINATED.match(local):
                relation = "implements" if previous[2] == "implements" else "cites"  # type: ignore[index]
            else:
                relation = classify_act(clause, local)
            previous = (cs, f.end, relation)
        elif f.kind in ("resolution", "external_decision"):
            same_clause = previous is not None and previous[0] == cs
            local = text[previous[1] if same_clause else cs:f.start]  # type: ignore[index]
            if same_clause and _COORDINATED.match(local):
                relation = previous[2]  # type: ignore[index]  # "… (DMK 2024/10/15) und IT-Planungsrat (2025/06)"
                relation = relation.removesuffix("_part")  # type: ignore[assignment]
            else:
                relation = classify(clause, local)
            previous = (cs, f.end, relation)
            if f.points and relation == "repeals":
                relation = "repeals_part"
            elif f.points and relation == "amends":
                relation = "amends_part"
        refs.append(Reference(
            relation=relation, target_kind=f.kind,  # type: ignore[arg-type]
            target_id=f.target, evidence=clause.strip(), span=span,
            # "ersetzt Ziffer 3 des Beschlusses …" replaces that point, not the whole
            points=f.points if relation.endswith("_part") or relation == "replaces" else (),
            article=f.article, subdivision=f.subdivision, in_point=in_point,
        ))
    return _dedupe(refs)


def _dedupe(refs: list[Reference]) -> list[Reference]:
    seen: set[tuple] = set()
    out = []
    for r in refs:
        key = (r.relation, r.target_kind, r.target_id, r.points, r.article, r.in_point)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
