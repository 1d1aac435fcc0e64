"""Deadlines as written → normalised: dates, quarter ends, years, sessions."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from loaders.records import Deadline

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_MONTH_RE = "|".join(MONTHS)

# Every lead-in word starts with one of these letters. The look-ahead in front of each pattern
# rejects most positions with one test instead of trying every alternative of _LEAD there.
_LEAD_FIRST = r"(?=[bszie])"
_LEAD = (r"(?:bis\s+(?:spätestens\s+)?(?:zum|zur|Ende|zu)?|spätestens\s+(?:bis\s+)?(?:zum|zur)?"
         r"|zum|zur|im|Ende|bis)")

# "bis zu seiner zweiten Sitzung": the council's sessions by ordinal word (its early decisions)
ORDINALS = {word: n for n, word in enumerate(
    ("ersten", "zweiten", "dritten", "vierten", "fünften", "sechsten", "siebten", "achten",
     "neunten", "zehnten", "elften", "zwölften"), start=1)}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("session", re.compile(
        rf"{_LEAD_FIRST}{_LEAD}\s*(\d+)\.\s*(?:Sitzung\b(?:\s+(des\s+[\w-]+))?|"
        rf"IT-Planungsratssitzung|IT-PLR-Sitzung)", re.I)),
    ("session", re.compile(
        rf"{_LEAD_FIRST}{_LEAD}\s*(?:seiner|ihrer|der)\s+({'|'.join(ORDINALS)})\s+"
        rf"Sitzung\b(?:\s+(des\s+[\w-]+))?", re.I)),
    ("date", re.compile(
        rf"{_LEAD_FIRST}{_LEAD}\s*(?:Stichtag\s+)?(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})", re.I)),
    ("date", re.compile(
        rf"{_LEAD_FIRST}{_LEAD}\s*(\d{{1,2}})\.\s*({_MONTH_RE})\s+(\d{{4}})", re.I)),
    ("quarter", re.compile(rf"{_LEAD_FIRST}{_LEAD}\s*Q([1-4])\s*/?\s*(\d{{4}})", re.I)),
    ("quarter", re.compile(
        rf"{_LEAD_FIRST}{_LEAD}\s*(?:dem\s+|des\s+)?([1-4])\.\s*Quartal(?:s)?\s+(\d{{4}})",
        re.I)),
    ("month", re.compile(rf"{_LEAD_FIRST}{_LEAD}\s*(?:Ende\s+)?({_MONTH_RE})\s+(\d{{4}})",
                         re.I)),
    ("year", re.compile(
        r"bis\s+(?:spätestens\s+)?(?:Ende\s+)?(?:des\s+Jahres\s+)?(\d{4})\b(?![./])", re.I)),
]


# Every deadline pattern needs a four-digit year or the word "Sitzung": sentences without
# either (half of them) skip the seven searches.
_MAY_HAVE_DEADLINE = re.compile(r"\d{4}|sitzung", re.I)

# Where a lead-in starts: a deadline can start nowhere else, so each pattern is tried only
# there (a handful of places per sentence) instead of searched for along the whole text.
_LEAD_AT = re.compile(rf"{_LEAD_FIRST}(?={_LEAD})", re.I)

_FURTHER_DATES = re.compile(r"(?:\s*(?:,|und|sowie)\s*\d{1,2}\.\d{1,2}\.\d{4})+")


def quarter_end(quarter: int, year: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def find_deadline(text: str) -> tuple[Deadline, int] | None:
    """The first deadline in `text` and its offset, or None."""
    best: tuple[Deadline, int] | None = None
    if not _MAY_HAVE_DEADLINE.search(text):
        return None
    starts = [m.start() for m in _LEAD_AT.finditer(text)]
    for kind, pattern in _PATTERNS:
        m = next(filter(None, (pattern.match(text, start) for start in starts)), None)
        if not m:
            continue
        deadline = _make(kind, m)
        if deadline is None:
            continue
        if best is None or m.start() < best[1]:
            more = _FURTHER_DATES.match(text, m.end())
            if more and deadline.kind == "date":
                # "zum Stichtag 01.01.2026, 01.01.2028, 01.01.2030": the first date is the
                # deadline; the wording keeps the later ones
                deadline = Deadline(deadline.text + more.group(0).rstrip(), deadline.kind,
                                    deadline.date, deadline.session)
            best = (deadline, m.start())
    return best


_FURTHER_DATE = re.compile(r"\s*(?:,|und|sowie)\s*((\d{1,2})\.(\d{1,2})\.(\d{4}))")


def find_deadlines(text: str) -> list[Deadline]:
    """Every cut-off in `text`, in order, each with its own wording: "zum Stichtag 01.01.2026,
    01.01.2028, 01.01.2030" is three ("zum Stichtag 01.01.2026", "01.01.2028", "01.01.2030");
    "bis zum 30.06.2026 … und bis Ende 2027 …" is two. A lead-in inside the wording of an
    earlier cut-off ("bis zum" in "bis zum 30. Juni") starts no second one."""
    if not _MAY_HAVE_DEADLINE.search(text):
        return []
    starts = [m.start() for m in _LEAD_AT.finditer(text)]
    found: list[tuple[int, int, int, Deadline]] = []  # start, pattern order, end, deadline
    for order, (kind, pattern) in enumerate(_PATTERNS):
        for start in starts:
            m = pattern.match(text, start)
            deadline = _make(kind, m) if m else None
            if m and deadline is not None:
                found.append((m.start(), order, m.end(), deadline))
    out: list[Deadline] = []
    end = -1
    for start, _order, stop, deadline in sorted(found, key=lambda f: (f[0], f[1])):
        if start < end:
            continue  # inside the wording of the cut-off before
        out.append(deadline)
        end = stop
        if deadline.kind != "date":
            continue
        while more := _FURTHER_DATE.match(text, end):
            try:
                day = dt.date(int(more.group(4)), int(more.group(3)), int(more.group(2)))
            except ValueError:
                break
            out.append(Deadline(more.group(1), "date", day))
            end = more.end()
    return out


def _make(kind: str, m: re.Match[str]) -> Deadline | None:
    text = m.group(0).strip()
    try:
        if kind == "session":
            number = m.group(1)
            n = int(number) if number.isdigit() else ORDINALS[number.lower()]
            other = m.group(2)
            if other and not re.search(r"IT-Planungsrat", other, re.I):
                return Deadline(text, "other-session", None, n)
            return Deadline(text, "session", None, n)
        if kind == "date":
            day, month, year = m.group(1), m.group(2), m.group(3)
            month_no = int(month) if month.isdigit() else MONTHS[month.lower()]
            return Deadline(text, "date", dt.date(int(year), month_no, int(day)))
        if kind == "quarter":
            return Deadline(text, "quarter", quarter_end(int(m.group(1)), int(m.group(2))))
        if kind == "month":
            year, month_no = int(m.group(2)), MONTHS[m.group(1).lower()]
            return Deadline(text, "date",
                            dt.date(year, month_no, calendar.monthrange(year, month_no)[1]))
        if kind == "year":
            return Deadline(text, "year", dt.date(int(m.group(1)), 12, 31))
    except ValueError:  # 31.02.2026 and the like: not a date, not a deadline
        return None
    return None


_DATE_WORDS = rf"(\d{{1,2}})\.\s*(?:(\d{{1,2}})\.|({_MONTH_RE}))\s*(\d{{4}})"
_EFFECTIVE = re.compile(
    rf"(?=[tg])(?:(?:tritt|treten)\s+(?:am|zum|mit\s+Wirkung\s+(?:zum|vom))\s+{_DATE_WORDS}\s+in\s+Kraft"
    rf"|(?:gilt|gelten)\s+(?:ab\s+(?:dem\s+)?|mit\s+Wirkung\s+(?:zum|vom)\s+){_DATE_WORDS})",
    re.I)


def find_effective_from(text: str) -> dt.date | None:
    """"tritt am 01.01.2027 in Kraft", "gilt ab dem 1. Januar 2027" → that date."""
    m = _EFFECTIVE.search(text)
    if not m:
        return None
    groups = [g for g in m.groups()]
    day, month_no, month_name, year = groups[0:4] if groups[0] else groups[4:8]
    try:
        month = int(month_no) if month_no else MONTHS[month_name.lower()]
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None
