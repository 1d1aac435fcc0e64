"""Names of Länder and bodies → stable keys, from ontology/gazetteer.csv (data, not regexes).

`resolve` answers for one name as written; `find` scans a text for every known name
(longest match first, on word boundaries). Unknown names are the caller's to keep as
unresolved mentions.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from loaders.patterns import trie_alternation
from loaders.records import EntityRef

GAZETTEER_CSV = Path(__file__).resolve().parent.parent / "ontology" / "gazetteer.csv"
LEGAL_ACTS_CSV = Path(__file__).resolve().parent.parent / "ontology" / "legal_acts.csv"


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str  # "land" or "body"
    label_de: str
    label_en: str
    short: str
    aliases: tuple[str, ...]
    types: str
    note: str


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    entry: Entry

    def ref(self) -> EntityRef:
        return EntityRef(self.text, self.entry.kind, self.entry.key)  # type: ignore[arg-type]


_SPACES = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(der|die|das|den|dem|des)\s+", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    return _SPACES.sub(" ", name.replace("\u00a0", " ")).strip().casefold()


class Gazetteer:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_key = {e.key: e for e in entries}
        self._names: dict[str, Entry] = {}
        self._codes: dict[str, Entry] = {}
        for e in entries:
            for name in (e.label_de, *e.aliases):
                if name:
                    self._names.setdefault(_norm(name), e)
            if e.short:
                # Short forms (BY, FITKO, BSI) are matched case-sensitively: "BE" is Berlin,
                # "be" is not.
                self._codes.setdefault(e.short, e)
                self._names.setdefault(_norm(e.short), e) if len(e.short) > 3 else None
        # Longest name first at a position (the trie keeps that order of a sorted alternation).
        alternation = trie_alternation({*self._names, *(c.casefold() for c in self._codes)})
        self._pattern = re.compile(rf"(?<![\w-])({alternation})(?![\w-])", re.IGNORECASE)

    def resolve(self, name: str) -> EntityRef:
        """The entity a name denotes, or an unresolved ref that keeps the name."""
        text = _SPACES.sub(" ", name).strip().strip(",.;:")
        entry = self._codes.get(text) or self._names.get(_norm(text))
        if entry is None:
            bare = _LEADING_ARTICLE.sub("", text)
            entry = self._codes.get(bare) or self._names.get(_norm(bare))
        if entry is None:
            return EntityRef(text, "unknown", None)
        return EntityRef(text, entry.kind, entry.key)  # type: ignore[arg-type]

    def find(self, text: str) -> list[Match]:
        found: list[Match] = []
        for m in self._pattern.finditer(text):
            raw = m.group(1)
            entry = self._entry(raw)
            if entry is not None:
                found.append(Match(m.start(1), m.end(1), raw, entry))
        return found

    def _entry(self, raw: str) -> Entry | None:
        """The entry a matched name denotes, or None where the match is no name."""
        entry = self._codes.get(raw)
        if entry is None:
            entry = self._names.get(_norm(raw))
            if entry is None or (raw.isupper() and len(raw) <= 3 and raw not in self._codes):
                return None
            # a lower-case "bund" inside prose is not the Bund
            if len(raw) <= 4 and not raw[0].isupper():
                return None
        return entry

    def match_at(self, text: str, pos: int) -> Match | None:
        """A known name starting exactly at `pos` (after optional whitespace)."""
        m = self._pattern.match(text, pos)
        if not m:
            return None
        entry = self._entry(m.group(1))
        return None if entry is None else Match(m.start(1), m.end(1), m.group(1), entry)


def read_entries(path: Path = GAZETTEER_CSV) -> list[Entry]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Entry(
                key=row["key"], kind=row["kind"], label_de=row["label_de"],
                label_en=row["label_en"], short=row["short"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
                types=row["types"], note=row.get("note") or "",
            )
            for row in csv.DictReader(fh)
        ]


@functools.cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer(read_entries())


@dataclass(frozen=True)
class LegalAct:
    key: str  # "reg/2024/903" for EU acts, abbreviation for German laws
    kind: str  # "eu", "de", "rules"
    label: str
    aliases: tuple[str, ...]


@functools.cache
def legal_acts() -> tuple[LegalAct, ...]:
    with LEGAL_ACTS_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            LegalAct(r["key"], r["kind"], r["label"],
                     tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(fh)
        )
