"""Pydantic response models of the REST API (also the data the HTML pages render)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

# the largest session number a path or filter accepts (issue 10: no three- or four-digit
# limit anywhere; the loader takes any number)
MAX_SESSION_NUMBER = 999_999


class Link(BaseModel):
    """A linked resource: its IRI, a label, and its page on this server (None if external)."""

    iri: str
    label: str
    page: str | None = None


class SourceSpan(BaseModel):
    graph: str
    document: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    excerpt: list[tuple[int, str]] | None = Field(
        default=None, description="the source lines (number, text) when the document is at hand")


class ResolutionSummary(BaseModel):
    id: str = Field(description='canonical id, e.g. "2025/33"')
    iri: str
    page: str | None
    identifier: str | None = Field(None, description='as written, e.g. "B-2025/33-IT"')
    title: str | None
    date: dt.date | None
    session: int | None
    agenda_item: str | None = Field(None, description='TOP number, e.g. "09"')
    passed_by: Link | None
    outcome: str | None = Field(None, description="adopted, rejected or taken_note")
    status: str = Field(description="in_force, amended, partially_repealed, repealed, replaced, "
                                    "expired, not_yet_in_force, rejected, or unknown for "
                                    "resolutions that are not loaded")
    loaded: bool


class ResolutionList(BaseModel):
    items: list[ResolutionSummary]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page")


class Point(BaseModel):
    iri: str
    number: str
    text: str | None
    parent: str | None = None


class Reference(BaseModel):
    iri: str
    relation: str = Field(description="cites, repeals, amends, replaces, implements, continues, "
                                      "based_on, …")
    relation_label: str
    source: Link = Field(description="the citing resolution")
    target: Link = Field(description="the cited resolution, point, act or law")
    point: str | None = Field(None, description="point of the citing resolution")
    evidence: str | None = None
    detail: str | None = Field(None, description="article / paragraph of a cited act")
    line_start: int | None = None
    line_end: int | None = None


class Mandate(BaseModel):
    iri: str
    verb: str | None
    action: str | None
    assignees: list[Link]
    unresolved_assignees: list[str]
    point: str | None
    deadline: dt.date | None
    deadline_text: str | None
    deadline_kind: str | None
    deadline_session: Link | None = None


class Vote(BaseModel):
    outcome: str | None
    unanimous: bool | None
    majority: bool | None
    via_consent_agenda: bool | None
    abstained_by: list[Link]
    voted_against_by: list[Link]
    redacted_abstentions: bool = False
    redacted_votes_against: bool = False
    text: str | None = None


class Note(BaseModel):
    iri: str
    author: Link | None
    author_label: str | None
    redacted: bool
    text: str | None


class Amount(BaseModel):
    iri: str
    value: str | None
    currency: str | None
    text: str | None


class ResolutionDetail(ResolutionSummary):
    agenda_item_link: Link | None = None
    session_link: Link | None = None
    session_label_en: str | None = Field(None, description="the session's English label")
    preamble: str | None = None
    text: str | None = None
    points: list[Point] = []
    references_out: list[Reference] = []
    references_in: list[Reference] = []
    mandates: list[Mandate] = []
    vote: Vote | None = None
    notes: list[Note] = []
    amounts: list[Amount] = []
    subjects: list[Link] = []
    sources: list[SourceSpan] = Field(
        default=[], description="every document the resolution was read from, with its lines")


class AgendaItem(BaseModel):
    iri: str
    page: str | None
    number: str
    title: str | None
    section: str | None
    goal: str | None
    on_consent_agenda: bool | None
    resolution: Link | None
    reporters: list[Link] = []


class SessionDetail(BaseModel):
    number: int
    iri: str
    page: str | None
    label: str | None
    label_en: str | None = None
    date: dt.date | None
    place: str | None
    start_time: str | None
    end_time: str | None
    chair: Link | None
    agenda_items: list[AgendaItem]
    resolutions: list[ResolutionSummary]
    sources: list[SourceSpan] = []


class BodyDetail(BaseModel):
    id: str
    iri: str
    page: str | None
    label: str | None
    label_en: str | None
    notation: str | None
    alt_labels: list[str]
    kinds: list[str]
    resolutions: list[ResolutionSummary] = Field(
        description="the newest resolutions passed by, reported by, addressed to or "
                    "mentioning the body (at most 100; all of them: /resolutions?body=)")
    resolutions_total: int = Field(description="how many resolutions involve the body")
    mandates: list[Mandate] = Field(
        description="mandates assigned to the body, the latest deadlines first (at most 100)")
    mandates_total: int = Field(description="how many mandates are assigned to the body")


class Statement(BaseModel):
    iri: str
    speaker: Link | None
    speaker_label: str | None
    text: str | None


class PropertyValue(BaseModel):
    property: Link
    value: Link | None = None
    literal: str | None = None
    datatype: str | None = None
    lang: str | None = None


class Description(BaseModel):
    """Any resource: its types, label, outgoing and incoming statements."""

    iri: str
    label: str | None
    types: list[Link]
    outgoing: list[PropertyValue]
    incoming: list[PropertyValue]
    incoming_total: int = Field(0, description="statements pointing at the resource; "
                                               "`incoming` holds at most 2,000 of them")
