"""One decision, several sources: where they disagree (a check of `kg validate`, and the data
of the "Quellen" part of a resolution's page).

A decision read from a protocol, its page, a notice and the register is one resource; each
document states its facts in its own graph with its own lines. Compared per decision:
title, date, the text of each point, and the references. Texts are compared after the
layout is undone (whitespace, quotation marks, dashes, list markers). The register holds no
text and only some references, so it takes part in title and date, and its references
count only when a text source lacks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.store import OxigraphStore
from kg.terms import IRI

P = """PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
# every document's own statement of a decision: title, date, lines
Q_STATED = P + """
SELECT ?r ?id ?g ?kind ?file ?title ?date ?line WHERE {
  GRAPH ?g { ?r a bg:Resolution ; eli:id_local ?id ; prov:wasDerivedFrom ?g .
             OPTIONAL { ?r eli:title ?title } OPTIONAL { ?r eli:date_document ?date }
             OPTIONAL { ?r bg:lineStart ?line }
             ?g bg:documentKind ?kind . OPTIONAL { ?g dct:title ?file } }
}"""
Q_POINTS = P + """
SELECT ?r ?g ?number ?text ?line WHERE {
  GRAPH ?g { ?p eli:is_part_of ?r ; eli:number ?number ; bg:text ?text ;
                prov:wasDerivedFrom ?g . OPTIONAL { ?p bg:lineStart ?line } }
}"""
Q_REFERENCES = P + """
SELECT ?r ?g ?relation ?target ?targetId ?line WHERE {
  GRAPH ?g { ?ref bg:citing ?r ; bg:cited ?target ; bg:relation ?relation ;
                  prov:wasDerivedFrom ?g . OPTIONAL { ?ref bg:lineStart ?line }
             OPTIONAL { ?target eli:id_local ?targetId } }
  FILTER(?relation != bg:basedOn)
}"""
TEXT_KINDS = frozenset({"protokoll", "beschlussseite", "bekanntmachung"})
_REGISTER_FILES = {"resolution": "decisions.csv", "reference": "references.csv"}


@dataclass(frozen=True)
class Where:
    graph: str
    kind: str
    file: str
    line: int | None

    def cite(self, part: str = "resolution") -> str:
        file = self.file
        if self.kind == "register":  # the register is a folder; its lines are in its files
            file = f"{file}/{_REGISTER_FILES[part]}"
        return f"{file}:{self.line}" if self.line else file


@dataclass(frozen=True)
class Disagreement:
    resolution: str  # IRI
    id: str
    aspect: str  # "title", "date", "text", "references"
    message: str  # English, with file:line of each side
    message_de: str
    sides: tuple[tuple[str, str], ...]  # (value, file:line) per source


@dataclass
class _Decision:
    id: str
    sources: dict[str, Where] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    points: dict[str, dict[str, tuple[str, int | None]]] = field(default_factory=dict)
    references: dict[str, dict[tuple[str, str], int | None]] = field(default_factory=dict)


Row = dict[str, object]


def queries(resolution: str | None = None) -> list[tuple[str, dict[str, IRI]]]:
    """The three SELECTs (statements, points, references), for every decision or one."""
    # ?r bound by substitution (Oxigraph binds only projected variables)
    subs = {"r": IRI(resolution)} if resolution else {}
    return [(q, subs) for q in (Q_STATED, Q_POINTS, Q_REFERENCES)]


def _s(value: object) -> str | None:
    """A row value as text, from the store (python values) or the API runner (kg terms)."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _int(value: object) -> int | None:
    try:
        return int(_s(value) or "")
    except ValueError:
        return None


def collect(stated: list[Row], points: list[Row], references: list[Row],
            every: bool = True) -> dict[str, _Decision]:
    """What each document states about each decision; with `every`, only decisions stated by
    two or more documents are kept."""
    decisions: dict[str, _Decision] = {}
    for row in stated:
        r, g = _s(row["r"]) or "", _s(row["g"]) or ""
        d = decisions.setdefault(r, _Decision(_s(row["id"]) or ""))
        file = _s(row.get("file")) or g.rsplit("/", 1)[-1]
        d.sources.setdefault(g, Where(g, _s(row["kind"]) or "", file, _int(row.get("line"))))
        if row.get("title") is not None:
            d.titles.setdefault(g, _s(row["title"]) or "")
        if row.get("date") is not None:
            d.dates.setdefault(g, _s(row["date"]) or "")
    if every:
        decisions = {r: d for r, d in decisions.items() if len(d.sources) > 1}
    for row in points:
        d = decisions.get(_s(row["r"]) or "")
        if d is not None:
            d.points.setdefault(_s(row["g"]) or "", {})[_s(row["number"]) or ""] = (
                _s(row["text"]) or "", _int(row.get("line")))
    for row in references:
        d = decisions.get(_s(row["r"]) or "")
        if d is None:
            continue
        target = _s(row.get("targetId")) or _s(row["target"]) or ""
        relation = (_s(row["relation"]) or "").rsplit("#", 1)[-1]
        d.references.setdefault(_s(row["g"]) or "", {}).setdefault(
            (relation, target), _int(row.get("line")))
    return decisions


_QUOTES = str.maketrans({c: '"' for c in "„“”«»‚‘’'"} | {c: "-" for c in "–—‐"}
                        | {"\u00ad": None, "\u00a0": " "})
_LIST_MARK = re.compile(r"(?:(?<=\s)|^)(?:[a-z]\)|\([a-z]\)|[•\-])\s+")


def normalise(text: str) -> str:
    """The words of a text, without its layout: quotes, dashes, list markers, whitespace."""
    text = _LIST_MARK.sub(" ", text.translate(_QUOTES))
    return " ".join(text.split()).rstrip(" ;,")


def _plain(value: str) -> str:
    return normalise(value).casefold()


def disagreements(store: OxigraphStore, resolution: str | None = None) -> list[Disagreement]:
    stated, points, references = (store.select(q, substitutions=subs)
                                  for q, subs in queries(resolution))
    return compare(collect(stated, points, references, every=resolution is None))


def compare(decisions: dict[str, _Decision]) -> list[Disagreement]:
    found: list[Disagreement] = []
    for iri, d in sorted(decisions.items(), key=lambda kv: kv[1].id):
        found += _compare_values(iri, d, "title", d.titles, "Titel")
        found += _compare_values(iri, d, "date", d.dates, "Datumsangaben")
        found += _compare_points(iri, d)
        found += _compare_references(iri, d)
    return found


def _compare_values(iri: str, d: _Decision, aspect: str, values: dict[str, str],
                    word_de: str) -> list[Disagreement]:
    distinct = {_plain(v) for v in values.values()}
    if len(distinct) < 2:
        return []
    sides = tuple((values[g], d.sources[g].cite()) for g in sorted(values))
    listing = "; ".join(f"{value!r} ({where})" for value, where in sides)
    return [Disagreement(iri, d.id, aspect, f"{d.id}: the sources state different {aspect}s: "
                         f"{listing}", f"{d.id}: die Quellen nennen verschiedene {word_de}: "
                         f"{listing}", sides)]


def _compare_points(iri: str, d: _Decision) -> list[Disagreement]:
    texts = {g: points for g, points in d.points.items()
             if d.sources.get(g) and d.sources[g].kind in TEXT_KINDS}
    if len(texts) < 2:
        return []
    found = []
    numbers = sorted({n for points in texts.values() for n in points},
                     key=lambda n: [int(x) if x.isdigit() else 0 for x in n.split(".")])
    for number in numbers:
        stated = {g: points[number] for g, points in texts.items() if number in points}
        missing = sorted(g for g in texts if g not in stated)
        sides = tuple((text, Where(g, d.sources[g].kind, d.sources[g].file, line).cite())
                      for g, (text, line) in sorted(stated.items()))
        if len({normalise(text) for text, _ in stated.values()}) > 1:
            listing = "; ".join(f"{where}: {text[:80]!r}" for text, where in sides)
            found.append(Disagreement(
                iri, d.id, "text", f"{d.id} Ziffer {number}: the sources word it differently: "
                f"{listing}", f"{d.id} Ziffer {number}: die Quellen fassen sie verschieden: "
                f"{listing}", sides))
        if missing:
            where = ", ".join(d.sources[g].cite() for g in missing)
            found.append(Disagreement(
                iri, d.id, "text", f"{d.id} Ziffer {number} is in "
                f"{', '.join(w for _, w in sides)} but not in {where}",
                f"{d.id} Ziffer {number} steht in {', '.join(w for _, w in sides)}, nicht in "
                f"{where}", sides + tuple(("", d.sources[g].cite()) for g in missing)))
    return found


def _compare_references(iri: str, d: _Decision) -> list[Disagreement]:
    texts = {g: refs for g, refs in d.references.items() if d.sources[g].kind in TEXT_KINDS}
    for g, source in d.sources.items():
        if source.kind in TEXT_KINDS:
            texts.setdefault(g, {})
    register = {g: refs for g, refs in d.references.items() if d.sources[g].kind == "register"}
    found = []
    if len(texts) >= 2:
        keys = sorted({k for refs in texts.values() for k in refs})
        for key in keys:
            have = sorted(g for g, refs in texts.items() if key in refs)
            lack = sorted(g for g in texts if key not in texts[g])
            if lack:
                found.append(_reference_gap(iri, d, key, have, lack, texts))
    for g_reg, refs in register.items():
        for key in sorted(refs):
            lack = sorted(g for g, t in texts.items() if key not in t)
            if lack and texts:
                found.append(_reference_gap(iri, d, key, [g_reg], lack, register))
    return found


def _reference_gap(iri: str, d: _Decision, key: tuple[str, str], have: list[str],
                   lack: list[str], stated: dict[str, dict[tuple[str, str], int | None]]
                   ) -> Disagreement:
    relation, target = key
    sides = tuple((f"{relation} {target}", Where(g, d.sources[g].kind, d.sources[g].file,
                                                 stated[g][key]).cite("reference"))
                  for g in have)
    sides += tuple(("", d.sources[g].cite()) for g in lack)
    said = ", ".join(w for v, w in sides if v)
    missing = ", ".join(w for v, w in sides if not v)
    return Disagreement(
        iri, d.id, "references",
        f"{d.id}: {relation} {target} is stated in {said} but not in {missing}",
        f"{d.id}: {relation} {target} steht in {said}, nicht in {missing}", sides)


def find_disagreements(store: OxigraphStore) -> list[object]:
    """The check of `kg validate` (kg/validate.py CHECKS): one warning per disagreement."""
    from kg.validate import Finding  # noqa: PLC0415 - kg.validate lists this check

    return [Finding("Warning", f.message, f.resolution) for f in disagreements(store)]
