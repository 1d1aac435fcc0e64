"""Outcome sentences → votes: adopted, rejected, taken note of; unanimous or majority;
abstentions and votes against, with the parties where named, redacted where blanked."""

from __future__ import annotations

import re

from loaders.gazetteer import Gazetteer
from loaders.records import EntityRef, Span, Vote

OUTCOME_LINE = re.compile(
    r"^\s*(?:Der|Die|Das)\s+(?:Beschluss(?:vorschlag)?|Antrag|Beschlussempfehlung|"
    r"Vorschlag(?:\s+der\s+Grünen\s+Liste)?|Grüne\s+Liste)\s+(?:wird|werden)\b", re.I)
_SPACES = re.compile(r"\s+")
_UNANIMOUS = re.compile(r"\beinstimmig", re.I)
_MAJORITY = re.compile(r"\bmehrheitlich|\bMehrheit\b", re.I)
_LEADING_PREPOSITION = re.compile(r"^\s*(?:von|der|des|durch)\b")
_ENUMERATION = re.compile(r"\s*(?:,|\bund\b|\bsowie\b)\s*")
_ADOPTED = re.compile(r"\bangenommen\b|\bbeschlossen\b|\bzugestimmt\b", re.I)
_REJECTED = re.compile(r"\babgelehnt\b", re.I)
_NOTED = re.compile(r"\bzur\s+Kenntnis\s+genommen\b", re.I)
_KEYWORD = re.compile(r"\b(?:\d+\s+)?(Enthaltung(?:en)?|Gegenstimme(?:n)?)\b", re.I)
_STOP = re.compile(r"\b(?:angenommen|abgelehnt|zur\s+Kenntnis|bei|und\s+(?:\d+\s+)?(?:Enthaltung|"
                   r"Gegenstimme))\b|[.;]", re.I)


def parse_vote(sentence: str, span: Span, gaz: Gazetteer) -> Vote:
    text = _SPACES.sub(" ", sentence).strip()
    outcome = None
    if _NOTED.search(text):
        outcome = "taken_note"
    elif _REJECTED.search(text):
        outcome = "rejected"
    elif _ADOPTED.search(text):
        outcome = "adopted"
    vote = Vote(text=text, span=span, outcome=outcome,  # type: ignore[arg-type]
                unanimous=bool(_UNANIMOUS.search(text)),
                majority=bool(_MAJORITY.search(text)))
    # the raw sentence keeps the blank run where a name was redacted
    raw = sentence.replace("\n", " ")
    for m in _KEYWORD.finditer(raw):
        abstention = m.group(1).lower().startswith("enthaltung")
        rest = raw[m.end():]
        stop = _STOP.search(rest)
        chunk = rest[: stop.start() if stop else len(rest)]
        chunk = _LEADING_PREPOSITION.sub("", chunk.strip().strip(","))
        parties = _parties(chunk, gaz)
        target = vote.abstained if abstention else vote.against
        if parties:
            target.extend(parties)
        elif abstention:
            vote.redacted_abstentions = True
        else:
            vote.redacted_against = True
    return vote


def _parties(text: str, gaz: Gazetteer) -> list[EntityRef]:
    names = [p for p in _ENUMERATION.split(text.strip()) if p.strip()]
    return [gaz.resolve(n) for n in names]
