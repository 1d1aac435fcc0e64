"""Which builder a file goes to: decision pages and Bundesanzeiger notices here, protocols
back to kg/ingest.py (which owns their path). Pure apart from reading the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kg.build_notice import build_notice
from kg.build_page import build_page
from kg.iris import Minter
from kg.terms import IRI, Quad
from loaders.decision_page import HTML_SUFFIXES, parse_decision_page, parse_page_lines
from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.notice import parse_notice
from loaders.protocol import parse_protocol
from loaders.read import SourceText, read_source
from loaders.records import LoaderError, ParseWarning
from loaders.sniff import NONE_OF_THEM, sniff
from loaders.text import clean_lines

SOURCE_SUFFIXES = HTML_SUFFIXES  # besides the protocol suffixes (.txt, .pdf)


@dataclass
class SourceBuild:
    graph: IRI
    quads: list[Quad]
    counts: dict[str, int]
    warnings: list[ParseWarning] = field(default_factory=list)
    errors: list[LoaderError] = field(default_factory=list)  # decisions skipped (notices)


def build_source(path: Path, minter: Minter, loaded_at: dt.datetime,
                 limits: InputLimits = DEFAULT_LIMITS) -> SourceBuild | SourceText:
    """A decision page or notice, built; for a protocol its text, for kg/ingest.py to parse."""
    path = Path(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        page = parse_decision_page(path, limits)
        graph, quads, counts = build_page(page, minter, stem=path.stem, loaded_at=loaded_at)
        return SourceBuild(graph, quads, counts, page.warnings)
    source = read_source(path, limits)
    lines = clean_lines(source)
    kind = sniff(lines)
    if kind == "notice":
        notice = parse_notice(source)
        graph, quads, counts = build_notice(notice, minter, stem=path.stem, loaded_at=loaded_at)
        return SourceBuild(graph, quads, counts, notice.warnings, notice.errors)
    if kind == "decision_page":
        page = parse_page_lines(source.document, lines, source.kind)
        page.sha256 = source.sha256
        graph, quads, counts = build_page(page, minter, stem=path.stem, loaded_at=loaded_at)
        return SourceBuild(graph, quads, counts, page.warnings)
    if kind is None:
        try:  # the protocol loader's own message says what a protocol lacks; ours adds the rest
            parse_protocol(source)
        except LoaderError as exc:
            raise LoaderError(exc.document, exc.message + NONE_OF_THEM, exc.line,
                              exc.column) from exc
    return source
