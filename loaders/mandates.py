"""Mandates: who is commissioned or asked to do what, by when.

Active forms ("beauftragt X", "bittet X", "fordert X … auf"), passive forms ("X wird/werden
gebeten", "… beauftragt wird") and a body as subject with a deadline ("Die FITKO erstellt bis
zum 15.12.2025 …"). Assignees come from the gazetteer; names it does not know stay as
unresolved refs.
"""

from __future__ import annotations

import re

from loaders.deadlines import find_deadline, find_deadlines
from loaders.gazetteer import Gazetteer
from loaders.records import EntityRef, Mandate, Span

_ACTIVE = re.compile(r"\b(beauftragt|bittet|fordert|ersucht)\b")
_PASSIVE = re.compile(r"\b(?:wird|werden)\b[^.]*?\b(gebeten|beauftragt|aufgefordert)\b")
_RELATIVE_PASSIVE = re.compile(r"\b(beauftragt|gebeten)\s+wird\b")
# The verbs the three patterns above need (fordert: also in "aufgefordert"); a text without
# any of them skips the three scans.
_MANDATE_VERBS = ("beauftragt", "bittet", "fordert", "ersucht", "gebeten")
_ARTICLES = re.compile(r"\s*(?:der|die|das|den|dem|des|seine|seinen|ihre|ihren)?\s*", re.I)
_CONJ = re.compile(r"\s*(?:,|und|sowie)\s*(?:der|die|das|den|dem|des)?\s*")
_SKIP_SUBJECTS = {"it-planungsrat"}
_DUTY_VERBS = {"berichtet", "berichten", "stellt", "stellen", "legt", "legen", "erstellt",
               "erstellen", "übermittelt", "übermitteln", "prüft", "prüfen", "unterstützt",
               "unterstützen", "evaluiert", "evaluieren", "übernimmt", "übernehmen"}
_AUXILIARIES = {"wird", "werden", "ist", "sind", "hat", "haben", "soll", "sollen"}
_CREATES = re.compile(
    r"\b(?:errichtet|richtet)\s+(?:einen|eine|ein)\s+([^,.]+?)\s+(?:ein\b|nach\b|,)")
# The dot first, the look-behinds after it: the engine skips from dot to dot instead of
# testing six look-behinds at every position.
_SENTENCE_END = re.compile(r"\.(?<!\d\.)(?<!\bNr\.)(?<!\bArt\.)(?<!\bAbs\.)(?<!\bgem\.)"
                           r"(?<!\bbzw\.)(?<!\bca\.)\s+(?=[A-ZÄÖÜ])")
_SUBJECT_START = re.compile(r"^\s*(?:Die|Der|Das)\s+")
_OPTIONAL_SUBJECT_ARTICLE = re.compile(r"\s*(?:(?:Die|Der|Das)\s+)?")
_NEXT_WORD = re.compile(r"\S+\s*")
_ENDS_SENTENCE = re.compile(r"[^\d]\.\s*$")
_ABBREVIATION = re.compile(r"\s*\([^)]{1,20}\)")
_AUF = re.compile(r"\bauf\b")
_PRONOUN = re.compile(r"\s*(?:ihn|sie|es)\b")
_WERDEN = re.compile(r"\s*werden\b")
_VERB = re.compile(r"\s*(\w+)")
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _entity_list(text: str, pos: int, gaz: Gazetteer,
                 window: int = 8) -> tuple[list[EntityRef], int]:
    """Entities starting near `pos`: the first within `window` words (no comma before it),
    then those joined by ',', 'und', 'sowie'."""
    refs: list[EntityRef] = []
    m = _ARTICLES.match(text, pos)
    cursor = m.end() if m else pos
    first = None
    probe = cursor
    for _ in range(window):
        hit = gaz.match_at(text, probe)
        if hit and hit.entry.key not in _SKIP_SUBJECTS:
            first = hit
            break
        if hit and hit.entry.key in _SKIP_SUBJECTS:  # "bittet der IT-Planungsrat den Bund"
            nxt = _ARTICLES.match(text, hit.end)
            probe = nxt.end() if nxt else hit.end
            continue
        word = _NEXT_WORD.match(text, probe)
        if not word or any(c in word.group(0) for c in ",:;") or \
                _ENDS_SENTENCE.search(word.group(0)):
            break
        probe = word.end()
    if first is None:
        return refs, cursor
    refs.append(first.ref())
    end = first.end
    # (ref, end, joined by a comma) for each further entity of the enumeration
    more: list[tuple[EntityRef, int, bool]] = []
    while True:
        abbr = _ABBREVIATION.match(text, end)  # "(FIT-SB)"
        if abbr:
            end = abbr.end()
        conj = _CONJ.match(text, end)
        if not conj or conj.end() == end:
            break
        hit = gaz.match_at(text, conj.end())
        if not hit:
            break
        more.append((hit.ref(), hit.end, conj.group(0).strip().startswith(",")))
        end = hit.end
    # "BW, BY, des Bundes und der FITKO" is an enumeration; in "bittet den Bund, die Länder
    # zu informieren" the comma ends the object: comma-joined names count only when the
    # enumeration closes with "und"/"sowie".
    last_and = max((i for i, (_, _, comma) in enumerate(more) if not comma), default=-1)
    if last_and >= 0:
        kept = more[: last_and + 1]
    else:
        kept = []
    refs += [r for r, _, _ in kept]
    end = kept[-1][1] if kept else first.end
    return _unique(refs), end


def _unique(refs: list[EntityRef]) -> list[EntityRef]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for r in refs:
        key = (r.kind, r.key or r.text)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        out.append((pos, m.start() + 1))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _sentence_bounds(bounds: list[tuple[int, int]], pos: int, length: int) -> tuple[int, int]:
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return 0, length


def find_mandates(text: str, span: Span, point: str | None, gaz: Gazetteer,
                  lead_in: str = "") -> list[Mandate]:
    """Mandates in one point. `lead_in` is the preamble sentence a point continues, e.g.
    "Der IT-Planungsrat beauftragt die FITKO," before "1. die Vollständigkeit … zu prüfen"."""
    out: list[Mandate] = []
    covered: list[int] = []
    created = _CREATES.search(text) if "richtet" in text else None
    bounds = sentences(text)
    verbs = any(verb in text for verb in _MANDATE_VERBS)

    for m in _ACTIVE.finditer(text) if verbs else ():
        verb = m.group(1)
        if verb == "fordert":
            tail = text[m.end():m.end() + 200]
            if not _AUF.search(tail):
                continue
            verb = "fordert auf"
        if _PRONOUN.match(text, m.end()) and created:
            assignees = [gaz.resolve(created.group(1))]  # "errichtet X … und beauftragt ihn"
        elif _WERDEN.match(text, m.end()):
            # "kann die KoSIT beauftragt werden" grants a permission, it is no mandate
            continue
        else:
            assignees, _ = _entity_list(text, m.end(), gaz)
        if not assignees:
            continue
        s, e = _sentence_bounds(bounds, m.start(), len(text))
        out.append(_mandate(verb, assignees, text[s:e], span, point))
        covered.append(m.start())

    for m in _PASSIVE.finditer(text) if verbs else ():
        s, e = _sentence_bounds(bounds, m.start(), len(text))
        if any(s <= c < e for c in covered):
            continue
        subject = _SUBJECT_START.match(text, s)
        assignees, _ = _entity_list(text, subject.end() if subject else s, gaz, window=3)
        if not assignees:
            continue
        verb = {"gebeten": "bittet", "beauftragt": "beauftragt",
                "aufgefordert": "fordert auf"}[m.group(1)]
        out.append(_mandate(verb, assignees, text[s:e], span, point))
        covered.append(m.start())

    for m in _RELATIVE_PASSIVE.finditer(text) if verbs else ():
        s, e = _sentence_bounds(bounds, m.start(), len(text))
        if any(s <= c < e for c in covered) or not created:
            continue
        assignees = [gaz.resolve(created.group(1))]
        out.append(_mandate("beauftragt", assignees, text[s:e], span, point))
        covered.append(m.start())

    if not out and lead_in:
        lead = find_mandates(lead_in.rstrip(",: "), span, point, gaz)
        if lead:
            first = lead[0]
            out.append(_mandate(first.verb, list(first.assignees), text, span, point))
            return out

    # A body as the subject of a sentence with a deadline: "Die FITKO erstellt bis zum …",
    # "Bund und Länder werden sich … im 1. Quartal 2026 … befassen".
    for s, e in bounds:
        sentence = text[s:e]
        if not any(s <= c < e for c in covered):
            subject = _OPTIONAL_SUBJECT_ARTICLE.match(text, s)
            assignees, end = _entity_list(text, subject.end() if subject else s, gaz, window=1)
            if not (assignees and gaz.match_at(text, subject.end() if subject else s)):
                continue
            verb_m = _VERB.match(text, end)
            verb = verb_m.group(1) if verb_m else ""
            # a duty without a deadline: "Der Bund berichtet …", "Die FITKO stellt … zur
            # Verfügung"; modal verbs ("kann … unterstützen") grant, they do not oblige
            if find_deadline(sentence) or verb in _DUTY_VERBS:
                if verb in _AUXILIARIES:  # "werden sich … befassen": the full verb is last
                    last = _LAST_WORD.findall(sentence)
                    verb = last[0] if last else verb
                out.append(_mandate(verb, assignees, sentence, span, point))
    return out


def _mandate(verb: str, assignees: list[EntityRef], action: str, span: Span,
             point: str | None) -> Mandate:
    found = find_deadline(action)
    return Mandate(verb=verb, assignees=tuple(assignees), action=action.strip(), span=span,
                   deadline=found[0] if found else None, point=point,
                   deadlines=tuple(find_deadlines(action)) if found else ())
