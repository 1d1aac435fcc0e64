"""Bodies a resolution establishes, continues or ends ("errichtet einen erweiterten
Steuerungskreis", "Fortführung der Projektgruppe AG RaBe", "die Arbeit der PG
EfA-Finanzierung … endet")."""

from __future__ import annotations

import re
from typing import Literal

from loaders.gazetteer import Gazetteer
from loaders.records import EntityRef

BodyChangeKind = Literal["establishes", "continues", "ends"]

_ESTABLISH = re.compile(r"\b(?:errichtet|gründet|Einrichtung|richtet)\s+(?:einen|eine|ein|einer|"
                        r"eines|den|die|das|der|des)\s+")
_CONTINUE = re.compile(r"\bFortführung\s+(?:der|des)\s+")
_END = re.compile(r"\b(?:Arbeit|Tätigkeit|Auflösung|Beendigung)\s+(?:der|des)\s+")
# Each pattern with the words it cannot match without.
_CHANGES: tuple[tuple[BodyChangeKind, re.Pattern[str], tuple[str, ...]], ...] = (
    ("establishes", _ESTABLISH, ("richtet", "gründet", "Einrichtung")),
    ("continues", _CONTINUE, ("Fortführung",)),
    ("ends", _END, ("Arbeit", "Tätigkeit", "Auflösung", "Beendigung")),
)
_ONLY_EXAMINED = re.compile(r"\b(?:zu\s+prüfen|prüft|prüfen|vorzubereiten|zu\s+empfehlen)\b")
_ENDS_LATER = re.compile(r"\b(?:endet|beendet|aufgelöst)\b")
_NEXT_WORD = re.compile(r"[\w-]+\s+")
_PHRASE = re.compile(r"([^,.;:]+?)\s+(?:ein\b|nach\b|als\b|zum\b|unter\b|mit\b|,|\.)")
_UNKNOWN_NP = re.compile(r"((?:[\w-]+\s+){0,3}?(?:[\w-]*(?:gruppe|kreis|gremium|board|stelle|"
                         r"ausschuss)))\b", re.I)


def find_body_changes(text: str, gaz: Gazetteer) -> list[tuple[BodyChangeKind, EntityRef]]:
    out: list[tuple[BodyChangeKind, EntityRef]] = []
    for kind, pattern, words in _CHANGES:
        if not any(word in text for word in words):
            continue  # a substring test instead of a regex scan for most texts
        for m in pattern.finditer(text):
            sentence_end = text.find(". ", m.end())
            rest = text[m.end(): sentence_end if sentence_end > 0 else len(text)]
            if kind == "ends" and m.group(0).startswith(("Arbeit", "Tätigkeit")) \
                    and not _ENDS_LATER.search(rest):
                continue  # "die Arbeit der FITKO unterstützen": nothing ends
            if _ONLY_EXAMINED.search(rest):
                continue  # "die Einrichtung einer Koordinierungsstelle … zu prüfen"
            ref = _body_at(text, m.end(), gaz)
            if ref is not None and (kind, ref) not in out:
                out.append((kind, ref))  # type: ignore[arg-type]
    return out


def _body_at(text: str, pos: int, gaz: Gazetteer) -> EntityRef | None:
    """The body named at `pos`, skipping up to two adjectives ("letztmalige", "temporäre");
    a name the gazetteer does not know is kept when it is plainly a body ("…gruppe")."""
    probe = pos
    for _ in range(3):
        hit = gaz.match_at(text, probe)
        if hit is not None and hit.entry.kind == "body" and hit.entry.key != "it-planungsrat":
            return hit.ref()
        word = _NEXT_WORD.match(text, probe)
        if not word:
            break
        probe = word.end()
    # "richtet eine Projektgruppe Open Data ein": the name runs to the end of the phrase
    phrase = _PHRASE.match(text, pos)
    if phrase and len(phrase.group(1).split()) <= 6 and _UNKNOWN_NP.search(phrase.group(1)):
        return EntityRef(phrase.group(1), "unknown", None)
    np = _UNKNOWN_NP.match(text, pos)
    return EntityRef(np.group(1), "unknown", None) if np else None
