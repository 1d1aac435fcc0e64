"""Step 3, segment and extract: a protocol's cleaned lines → a `Protocol` record.

Layout (see DESIGN.md §2): a session header, then sections; each section opens with its
label and a table header `TOP <section> Ziel Quelle BE` that repeats after page breaks;
each agenda item has a number and title, subtitles, goal/sources/reporters, checkboxes, and
then blocks opened by markers: `BV` (resolution), `PN` (protocol note), `ON` (discussion).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from loaders.amounts import find_amounts
from loaders.bodies import find_body_changes
from loaders.deadlines import find_effective_from
from loaders.gazetteer import Gazetteer, default_gazetteer
from loaders.mandates import find_mandates
from loaders.read import SourceText
from loaders.records import (
    AgendaItem,
    BodyChange,
    EntityRef,
    LoaderError,
    ParseWarning,
    Point,
    Protocol,
    ProtocolNote,
    Resolution,
    Section,
    Session,
    SourceEntry,
    SpokespersonAppointment,
    Statement,
    Vote,
)
from loaders.references import canonical_from_identifier, find_references
from loaders.text import Line, clean_lines, join_lines, join_text, span_of
from loaders.votes import OUTCOME_LINE, parse_vote

_SESSION_TITLE = re.compile(
    r"^\s*(\d+)\.\s*(?:IT-Planungsratssitzung|Sitzung des IT-Planungsrat)")
_HEADER_FIELD = re.compile(r"^\s*(Datum|Zeitlicher Ablauf|Ort|Stand|Vorsitz):\s*(.*)$")
_TABLE_HEADER = re.compile(r"^\s*TOP\s+(.+?)\s+Ziel\s+Quelle\s+BE\s*$")
_ITEM_START = re.compile(r"^\s*(\d{2})\s+(\S.*)$")
_CHECKBOX = re.compile(r"([☒☐])\s*([^☒☐]+)")
_GOAL = re.compile(r"^(Beschluss|Diskussion|Information|Bericht|Kenntnisnahme|Wahl)\b\s*(.*)$")
_BV = re.compile(r"^\s*BV\s+Beschluss\s+([BF]-\d{4}/\d+-(?:IT|AL))\s*$")
_PN = re.compile(r"^\s*PN\b\s*(?:Protokollnotiz\s*(?:\((.+?)\))?)?\s*$")
_ON = re.compile(r"^\s*ON\b\s*(Diskussion)?\s*$")
_SPEAKER = re.compile(r"^\s*([A-ZÄÖÜ][\w.\- ]{0,40}?):\s*$")
_POINT = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.\s+(\S.*)$")
_NO_DISCUSSION = re.compile(r"^\s*Keine\s+Aussprache\.?\s*$", re.I)
_TABLE_ROW = re.compile(r"^\s*(\d{1,2})\.\s+([^:]{3,80}?):\s{2,}(\S.*?)\s*$")
_QUELLE_ID = re.compile(r"([BF]-\d{4}/\d+-(?:IT|AL))\s*,?\s*")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME_SPAN = re.compile(r"(\d{1,2})[:.](\d{2})\s*[–-]\s*(\d{1,2})[:.](\d{2})")
_EXPIRY = re.compile(
    r"bis\s+(?:maximal|längstens|spätestens)\s+(?:zum\s+)?(\d{1,2})\.(\d{1,2})\.(\d{4})")
_GREEN_LIST = re.compile(r"Grüne\s+Liste|Grünen\s+Liste", re.I)
_OFF_GREEN_LIST = re.compile(r"TOP\s+(\d{2})\s+wird\s+von\s+der\s+Grünen\s+Liste\s+genommen", re.I)
_GREEN_DECISION = re.compile(
    r"((?:Einstimmige[rn]?|Mehrheitliche[rn]?)\s+Beschluss\s+über\s+den\s+Vorschlag\s+der\s+"
    r"Grünen\s+Liste[^.]*\.|Der\s+Vorschlag\s+der\s+Grünen\s+Liste\s+wird[^.]*\.)", re.I)
_CHECK_LABELS = {
    "beschluss": "Beschluss",
    "beschlussempfehlung": "Beschlussempfehlung",
    "protokollnotiz": "Protokollnotiz",
    "follow-up": "FollowUp",
}


def _date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


@dataclass
class _RawItem:
    number: str
    section: str
    head: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


class ProtocolParser:
    def __init__(self, source: SourceText, gazetteer: Gazetteer | None = None) -> None:
        self.source = source
        self.doc = source.document
        self.gaz = gazetteer or default_gazetteer()
        self.warnings: list[ParseWarning] = []
        self.lines = clean_lines(source)
        # line numbers of the repeated table headers: each marks a page break
        self._page_breaks: list[int] = []

    def warn(self, message: str, lines: list[Line]) -> None:
        self.warnings.append(ParseWarning(message, span_of(self.doc, lines)))

    # -- top level -----------------------------------------------------------------------

    def parse(self) -> Protocol:
        if not self.lines:
            raise LoaderError(self.doc, "no text found; expected a council protocol")
        session, body_start = self._session()
        sections, raw_items = self._segment(self.lines[body_start:])
        items = []
        occurrences: dict[str, int] = {}
        for position, raw in enumerate(raw_items, start=1):
            occurrences[raw.number] = occurrences.get(raw.number, 0) + 1
            items.append(self._item(raw, position, occurrences[raw.number]))
        consent_sections = {s.label for s in sections if s.is_consent_agenda}
        for item in items:
            item.on_consent_agenda = item.section in consent_sections
        self._apply_consent_agenda(items)
        opening = self._opening(items)
        if opening is not None and opening.reporters and any(
                "Vorsitz" in s for s in opening.subtitles):
            session.chair = opening.reporters[0]
        if not items:
            raise LoaderError(self.doc, "no agenda items (lines like '09 Portfoliosteuerung' "
                              "after a 'TOP … Ziel Quelle BE' header) found",
                              line=self.lines[body_start].no if body_start < len(self.lines)
                              else None)
        return Protocol(self.doc, session, sections, items, self.warnings)

    def _session(self) -> tuple[Session, int]:
        number = None
        fields: dict[str, str] = {}
        first_line = self.lines[0]
        end = 0
        for idx, line in enumerate(self.lines[:40]):
            if number is None and (m := _SESSION_TITLE.match(line.text)):
                number = int(m.group(1))
                first_line = line
            elif (m := _HEADER_FIELD.match(line.text)):
                fields[m.group(1)] = m.group(2).strip()
                end = idx + 1
            elif _TABLE_HEADER.match(line.text):
                break
        if number is None or "Datum" not in fields or _date(fields["Datum"]) is None:
            raise LoaderError(
                self.doc,
                "not a council protocol: expected a session title like "
                "'48. IT-Planungsratssitzung' and a line 'Datum: 26.11.2025' in the first 40 "
                "lines",
                line=first_line.no,
            )
        session = Session(number=number, date=_date(fields["Datum"]),  # type: ignore[arg-type]
                          span=span_of(self.doc, self.lines[: max(end, 1)]),
                          place=fields.get("Ort") or None,
                          version_date=_date(fields.get("Stand", "")))
        if (m := _TIME_SPAN.search(fields.get("Zeitlicher Ablauf", ""))):
            session.start_time = dt.time(int(m.group(1)), int(m.group(2)))
            session.end_time = dt.time(int(m.group(3)), int(m.group(4)))
        return session, end

    # -- segmentation ------------------------------------------------------------------------

    def _segment(self, lines: list[Line]) -> tuple[list[Section], list[_RawItem]]:
        sections: list[Section] = []
        items: list[_RawItem] = []
        current_section: str | None = None
        current: _RawItem | None = None
        pending_label: Line | None = None
        previous_was_header = False
        for i, line in enumerate(lines):
            header = _TABLE_HEADER.match(line.text)
            if header:
                self._page_breaks.append(line.no)
                name = header.group(1).strip()
                prev = lines[i - 1] if i else None
                label = None
                if prev is not None and prev.stripped == name:
                    label = prev
                elif prev is not None and name.lower() == "thema" and len(prev.stripped) < 60 \
                        and not prev.stripped.endswith((".", ":", ",")):
                    label = prev
                if label is not None or name != current_section and name.lower() != "thema":
                    new_label = label.stripped if label is not None else name
                    if label is not None:
                        self._drop_trailing(current, label)
                    current_section = new_label
                    if all(s.label != new_label for s in sections):
                        sections.append(Section(
                            new_label, len(sections) + 1,
                            bool(_GREEN_LIST.search(new_label)),
                            span_of(self.doc, [label or line, line])))
                    current = None
                previous_was_header = True
                continue
            start = _ITEM_START.match(line.text)
            if start and current_section is not None and (
                previous_was_header or self._looks_like_item(lines, i)
            ):
                current = _RawItem(start.group(1), current_section, [line])
                items.append(current)
                previous_was_header = False
                continue
            previous_was_header = False
            if current is None:
                if current_section is not None:
                    pending_label = line
                continue
            if current.body or self._is_marker(line) or _CHECKBOX.search(line.text):
                current.body.append(line)
            else:
                current.head.append(line)
        del pending_label
        return sections, items

    @staticmethod
    def _drop_trailing(item: _RawItem | None, label: Line) -> None:
        if item is None:
            return
        for part in (item.body, item.head):
            if part and part[-1] is label:
                part.pop()
                return

    @staticmethod
    def _is_marker(line: Line) -> bool:
        return bool(_BV.match(line.text) or _PN.match(line.text) or _ON.match(line.text))

    def _looks_like_item(self, lines: list[Line], i: int) -> bool:
        """An item number line is followed by its checkboxes before any block marker."""
        for nxt in lines[i + 1:i + 16]:
            if _CHECKBOX.search(nxt.text):
                return True
            if self._is_marker(nxt) or _TABLE_HEADER.match(nxt.text) or _ITEM_START.match(nxt.text):
                return False
        return False

    # -- one agenda item ---------------------------------------------------------------------

    def _item(self, raw: _RawItem, position: int, occurrence: int) -> AgendaItem:
        first = raw.head[0]
        number_line = _ITEM_START.match(first.text)
        assert number_line is not None
        title_parts = [number_line.group(2)]
        subtitles: list[list[str]] = []
        goal_lines: list[str] = []
        goal = None
        has_goal_line = any(_GOAL.match(ln.stripped) for ln in raw.head[1:] if not ln.indented)
        for line in raw.head[1:]:
            text = line.stripped
            gm = _GOAL.match(text) if not line.indented else None
            if goal is None and gm:
                goal = gm.group(1)
                goal_lines.append(gm.group(2))
            elif goal is not None:
                goal_lines.append(text)
            elif line.indented:
                subtitles.append([text])
            elif not subtitles:
                title_parts.append(text)
            elif not has_goal_line and self._is_reporter_list(text):
                goal_lines.append(text)
                goal = ""
            else:
                subtitles[-1].append(text)
        item = AgendaItem(
            number=raw.number, occurrence=occurrence, title=join_text(title_parts),
            section=raw.section, span=span_of(self.doc, raw.head + raw.body),
            position=position, subtitles=[join_text(s) for s in subtitles], goal=goal or None,
        )
        item.sources, item.reporters = self._sources_and_reporters(join_text(goal_lines))
        self._body(item, raw.body)
        return item

    def _is_reporter_list(self, text: str) -> bool:
        parts = [p for p in re.split(r"\s*,\s*", text) if p]
        return bool(parts) and all(self.gaz.resolve(p).key for p in parts)

    def _sources_and_reporters(self, text: str) -> tuple[list[SourceEntry], list[EntityRef]]:
        sources: list[SourceEntry] = []
        rest = text.strip()
        while True:
            m = _QUELLE_ID.match(rest)
            if not m:
                break
            sources.append(SourceEntry(m.group(1), canonical_from_identifier(m.group(1))))
            rest = rest[m.end():]
        pieces = [p.strip() for p in re.split(r"\s*,\s*", rest) if p.strip()]
        reporters: list[EntityRef] = []
        for idx, piece in enumerate(pieces):
            ref = self.gaz.resolve(piece)
            if ref.key is None and idx == 0:
                # "GO IT-PLR HH": a source without an id, then the first reporter
                words = piece.split()
                for cut in range(1, len(words)):
                    tail = self.gaz.resolve(" ".join(words[cut:]))
                    if tail.key is not None:
                        sources.append(SourceEntry(" ".join(words[:cut]), None))
                        ref = tail
                        break
            reporters.append(ref)
        return sources, reporters

    def _body(self, item: AgendaItem, body: list[Line]) -> None:
        blocks: list[tuple[str, Line, list[Line]]] = []
        for line in body:
            if _CHECKBOX.search(line.text) and not blocks:
                for state, label in _CHECKBOX.findall(line.text):
                    key = label.strip().split(" ")[0].lower()
                    if state == "☒" and key in _CHECK_LABELS:
                        item.checked.append(_CHECK_LABELS[key])
                continue
            if self._is_marker(line):
                kind = "BV" if _BV.match(line.text) else "PN" if _PN.match(line.text) else "ON"
                if kind == "PN" and blocks and blocks[-1][0] == "PN" \
                        and self._continues_note(blocks[-1][1], blocks[-1][2], line):
                    blocks[-1][2].append(line)  # the label repeated on the next page
                    continue
                blocks.append((kind, line, []))
            elif blocks:
                blocks[-1][2].append(line)
            else:
                item.summary = join_text([item.summary, line.text])
        outcome_lines: list[Line] = []
        for kind, marker, lines in blocks:
            lines, outcome = self._split_outcome(lines)
            outcome_lines += outcome
            if kind == "BV":
                m = _BV.match(marker.text)
                assert m
                item.resolution = self._resolution(m.group(1), marker, lines)
            elif kind == "PN":
                item.notes.append(self._note(marker, lines, item))
            else:
                self._discussion(item, marker, lines)
        if item.resolution is not None and outcome_lines:
            item.resolution.vote = parse_vote(join_lines(outcome_lines),
                                              span_of(self.doc, outcome_lines), self.gaz)
        elif outcome_lines:
            item.summary = join_text([item.summary, join_lines(outcome_lines)])

    @staticmethod
    def _split_outcome(lines: list[Line]) -> tuple[list[Line], list[Line]]:
        for idx, line in enumerate(lines):
            if OUTCOME_LINE.match(line.text):
                end = idx + 1
                while end < len(lines) and not lines[end - 1].stripped.endswith(".") \
                        and end - idx < 3:
                    end += 1
                return lines[:idx] + lines[end:], lines[idx:end]
        return lines, []

    # -- resolution ----------------------------------------------------------------------

    def _resolution(self, identifier: str, marker: Line, lines: list[Line]) -> Resolution:
        canonical_id = canonical_from_identifier(identifier)
        assert canonical_id is not None
        res = Resolution(identifier=identifier, canonical_id=canonical_id,
                         text=join_lines(lines), span=span_of(self.doc, [marker, *lines]))
        preamble: list[Line] = []
        point_lines: list[tuple[str, str | None, list[Line]]] = []
        table_rows: list[tuple[Line, re.Match[str]]] = []
        top_expected = 1
        nested_expected: int | None = None
        current_top: str | None = None
        sub_expected = 1
        for line in lines:
            row = _TABLE_ROW.match(line.text)
            m = _POINT.match(line.text)
            if m:
                number = m.group(1)
                parts = number.split(".")
                if len(parts) == 1 and nested_expected is not None \
                        and int(number) == nested_expected and row:
                    table_rows.append((line, row))
                    point_lines[-1][2].append(line)  # the list belongs to its point
                    nested_expected += 1
                    continue
                if len(parts) == 1 and int(number) == top_expected:
                    current_top = number
                    top_expected += 1
                    sub_expected = 1
                    nested_expected = None
                    point_lines.append((number, None, [line]))
                    continue
                if len(parts) == 2 and current_top == parts[0] and int(parts[1]) == sub_expected:
                    sub_expected += 1
                    point_lines.append((number, current_top, [line]))
                    continue
                if len(parts) == 1 and int(number) == 1 and current_top is not None and row:
                    nested_expected = 2
                    table_rows.append((line, row))
                    point_lines[-1][2].append(line)
                    continue
            if point_lines:
                point_lines[-1][2].append(line)
            else:
                preamble.append(line)
        res.preamble = join_lines(preamble)
        rows = {line.no for line, _ in table_rows}
        for number, parent, plines in point_lines:
            text = _point_text(plines, rows)
            text = re.sub(rf"^{re.escape(number)}\.\s*", "", text)
            res.points.append(Point(number=number, text=text, parent=parent,
                                    span=span_of(self.doc, plines)))
        for line, row in table_rows:
            conference = self.gaz.resolve(row.group(2))
            res.spokespersons.append(SpokespersonAppointment(
                position=int(row.group(1)), conference=conference,
                spokesperson=self.gaz.resolve(row.group(3)), span=span_of(self.doc, [line])))
        self._extract(res)
        return res

    def _extract(self, res: Resolution) -> None:
        parts: list[tuple[str | None, str, object]] = [(None, res.preamble, res.span)]
        parts += [(p.number, p.text, p.span) for p in res.points]
        parents = {p.number: p for p in res.points}
        lead_in = ""
        if res.preamble.rstrip().endswith((",", ":")):
            lead_in = res.preamble.rsplit(". ", 1)[-1]
        for number, text, span in parts:
            if not text:
                continue
            refs = find_references(text, span, number, self_id=res.canonical_id)  # type: ignore[arg-type]
            res.references.extend(refs)
            amounts = find_amounts(text, span)  # type: ignore[arg-type]
            point_lead = lead_in
            point = parents.get(number or "")
            if point is not None and point.parent:
                parent_text = parents[point.parent].text
                if parent_text.rstrip().endswith((",", ":")):
                    point_lead = parent_text
            if number is not None and point is not None:
                point.amounts = amounts
                point.mentions = self._mentions(text)
                if not (point.text.rstrip().endswith(":") and any(
                        q.parent == number for q in res.points)):
                    res.mandates.extend(find_mandates(text, span, number, self.gaz,  # type: ignore[arg-type]
                                                      lead_in=point_lead))
            else:
                res.amounts.extend(amounts)
                res.mentions = self._mentions(text)
                if not res.points:
                    res.mandates.extend(find_mandates(text, span, None, self.gaz))  # type: ignore[arg-type]
            for kind, body in find_body_changes(text, self.gaz):
                res.body_changes.append(BodyChange(kind, body, span, number))  # type: ignore[arg-type]
            if res.effective_from is None:
                res.effective_from = find_effective_from(text)
            if (m := _EXPIRY.search(text)):
                try:
                    res.expires = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    self.warn(f"impossible expiry date {m.group(0)!r}", [])

    def _mentions(self, text: str) -> list[EntityRef]:
        seen: dict[str, EntityRef] = {}
        for hit in self.gaz.find(text):
            if hit.entry.key != "it-planungsrat":
                seen.setdefault(hit.entry.key, hit.ref())
        return list(seen.values())

    # -- notes and discussion ------------------------------------------------------------------

    def _continues_note(self, marker: Line, lines: list[Line], repeated: Line) -> bool:
        """Whether the "PN" at `repeated` is the note of `marker` going on after a page break
        (TOP 23 of the seed: "PN", page break, "PN" again, one redacted note): a page break
        lies between them, nothing but the note's own text before the break, and the label
        is bare or the same author's."""
        first, again = _PN.match(marker.text), _PN.match(repeated.text)
        if first is None or again is None or again.group(1) not in (None, first.group(1)):
            return False
        breaks = [no for no in self._page_breaks if marker.no < no < repeated.no]
        return bool(breaks) and all(ln.no < breaks[-1] for ln in lines)

    def _note(self, marker: Line, lines: list[Line], item: AgendaItem) -> ProtocolNote:
        m = _PN.match(marker.text)
        label = m.group(1) if m else None
        span_lines = [marker, *lines]
        lines = [ln for ln in lines if not _PN.match(ln.text)]  # a label repeated after a break
        text = join_lines(lines)
        author = self.gaz.resolve(label) if label else None
        return ProtocolNote(text=text, span=span_of(self.doc, span_lines), author=author,
                            author_label=label, redacted=not label and not text,
                            mentions=self._mentions(text))

    def _discussion(self, item: AgendaItem, marker: Line, lines: list[Line]) -> None:
        statements: list[tuple[Line, list[Line]]] = []
        tail: list[Line] = []
        for line in lines:
            if _NO_DISCUSSION.match(line.text):
                item.no_discussion = True
                continue
            sm = _SPEAKER.match(line.text)
            if sm and self.gaz.resolve(sm.group(1)).key is not None:
                statements.append((line, []))
                tail = []
                continue
            if statements and line.gap >= 2 and not line.indented:
                tail.append(line)  # a paragraph after the statements: the item's summary
                continue
            if tail:
                tail.append(line)
            elif statements:
                statements[-1][1].append(line)
            else:
                tail.append(line)
        for position, (speaker_line, slines) in enumerate(statements, start=1):
            label = _SPEAKER.match(speaker_line.text).group(1)  # type: ignore[union-attr]
            text = join_lines(slines)
            span = span_of(self.doc, [speaker_line, *slines])
            item.statements.append(Statement(
                speaker=self.gaz.resolve(label), speaker_label=label, text=text, span=span,
                position=position, amounts=find_amounts(text, span), mentions=self._mentions(text)))
        if tail:
            item.summary = join_text([item.summary, join_lines(tail)])

    # -- consent agenda ------------------------------------------------------------------------

    @staticmethod
    def _opening(items: list[AgendaItem]) -> AgendaItem | None:
        """The opening item (TOP 00 in the seed): greeting by the chair, agenda, Grüne Liste."""
        for item in items[:3]:
            if any(re.search(r"Vorsitz|Grüne[n]? Liste|Tagesordnung", s) for s in item.subtitles):
                return item
        return items[0] if items and items[0].number == "00" else None

    def _apply_consent_agenda(self, items: list[AgendaItem]) -> None:
        opening = self._opening(items)
        if opening is None:
            return
        for m in _OFF_GREEN_LIST.finditer(opening.summary):
            for item in items:
                if item.number == m.group(1):
                    item.removed_from_consent_agenda = True
                    item.on_consent_agenda = False
        decision = _GREEN_DECISION.search(opening.summary)
        if decision is None:
            if any(i.on_consent_agenda for i in items):
                self.warn("the Grüne Liste has items but TOP 00 records no decision on it",
                          [])
            return
        sentence = decision.group(1)
        consent = parse_vote(sentence.replace("Einstimmiger Beschluss", "einstimmig angenommen")
                             .replace("Mehrheitlicher Beschluss", "mehrheitlich angenommen"),
                             opening.span, self.gaz)
        consent.text = sentence
        for item in items:
            if item.on_consent_agenda and item.resolution is not None \
                    and item.resolution.vote is None:
                item.resolution.vote = Vote(
                    text=sentence, span=opening.span, outcome=consent.outcome,
                    unanimous=consent.unanimous, majority=consent.majority,
                    abstained=list(consent.abstained), against=list(consent.against),
                    redacted_abstentions=consent.redacted_abstentions,
                    redacted_against=consent.redacted_against, via_consent_agenda=True)


def _point_text(lines: list[Line], table_rows: set[int]) -> str:
    """A point's text; a list inside it ("… hebt damit den Beschluss 2022/43 auf:" and the 15
    conferences with their Länder, B-2025/39-IT Ziffer 1) one row per line."""
    if not any(ln.no in table_rows for ln in lines):
        return join_lines(lines)
    pieces: list[str] = []
    prose: list[Line] = []
    for ln in lines:
        if ln.no in table_rows:
            if prose:
                pieces.append(join_lines(prose))
                prose = []
            pieces.append(" ".join(ln.text.split()))
        else:
            prose.append(ln)
    if prose:
        pieces.append(join_lines(prose))
    return "\n".join(pieces)


def parse_protocol(source: SourceText, gazetteer: Gazetteer | None = None) -> Protocol:
    return ProtocolParser(source, gazetteer).parse()
