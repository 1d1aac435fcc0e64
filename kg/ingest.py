"""Documents → quads for their named graph: picks the loader for each path.

Pure apart from reading the file: nothing here touches the store. Everything that belongs to
one document happens here, in the process that parses it: its quads, the text part of its
links (kg.links.document_links), whom its decisions involve (kg.involvement), its search
entries (kg.search.extract.document_entries), and their serialisation for Oxigraph's bulk
loader, so the writing process only moves bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.build import build_protocol
from kg.iris import Minter
from kg.terms import IRI, Quad
from loaders.decision_page import HTML_SUFFIXES
from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.protocol import parse_protocol
from loaders.read import SourceText
from loaders.records import LoaderError, ParseWarning

PROTOCOL_SUFFIXES = {".txt", ".pdf"}


@dataclass
class Built:
    path: Path
    graph: IRI
    quads: list[Quad]
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    errors: list[LoaderError] = field(default_factory=list)  # rows skipped (register)


@dataclass
class Prepared:
    """A document ready to write: its quads as N-Quads, and as N-Triples for the union."""

    path: Path
    graph: IRI
    nquads: bytes
    union_triples: bytes
    triples: int
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    errors: list[LoaderError] = field(default_factory=list)
    search_entries: bytes = b""  # kg.search.extract.document_entries


def prepare_document(path: Path, base_iri: str, loaded_at: dt.datetime,
                     limits: InputLimits = DEFAULT_LIMITS) -> Prepared:
    """Parse, build, link and serialise one document (runs in a worker process)."""
    from kg.document_index import DocumentIndex  # noqa: PLC0415
    from kg.involvement import document_involvement  # noqa: PLC0415
    from kg.links import document_links  # noqa: PLC0415
    from kg.search.extract import document_entries  # noqa: PLC0415
    from kg.store import serialise_quads  # noqa: PLC0415

    minter = Minter(base_iri)
    built = build_document(path, minter, loaded_at, limits)
    doc = DocumentIndex(built.quads)  # one index for both per-document steps
    quads = (built.quads + document_links(built.quads, minter, built.graph,
                                          scope=built.graph.value.rsplit("/", 1)[-1], doc=doc)
             + document_involvement(doc, built.graph, minter))
    nquads, union_triples, triples = serialise_quads(quads)
    return Prepared(built.path, built.graph, nquads, union_triples, triples, built.counts,
                    built.warnings, built.errors, document_entries(nquads))


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders → their loadable files, sorted. A folder holding a decision
    register (decisions.csv) is one document."""
    for path in paths:
        if path.is_dir():
            if (path / "decisions.csv").exists():
                yield path
                continue
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in PROTOCOL_SUFFIXES | HTML_SUFFIXES:
                    yield child
                elif child.is_dir() and (child / "decisions.csv").exists():
                    yield child
        else:
            yield path


def build_document(path: Path, minter: Minter, loaded_at: dt.datetime,
                   limits: InputLimits = DEFAULT_LIMITS) -> Built:
    if path.is_dir() or path.name == "decisions.csv":
        from kg.build_register import build_register  # noqa: PLC0415
        from loaders.register import parse_register  # noqa: PLC0415

        folder = path if path.is_dir() else path.parent
        register = parse_register(folder, limits)
        graph, quads, counts = build_register(register, minter, loaded_at=loaded_at)
        return Built(folder, graph, quads, counts, register.warnings, register.errors)
    if not path.exists():
        raise LoaderError(path.name, f"no such file: {path}")
    # decision pages and Bundesanzeiger notices are told apart from protocols by their lines
    from kg.build_sources import build_source  # noqa: PLC0415

    source = build_source(path, minter, loaded_at, limits)
    if not isinstance(source, SourceText):
        return Built(path, source.graph, source.quads, source.counts, source.warnings,
                     source.errors)
    protocol = parse_protocol(source)
    graph, quads = build_protocol(protocol, minter, sha256=source.sha256, stem=path.stem,
                                  loaded_at=loaded_at)
    resolutions = protocol.resolutions
    counts = {
        "resolutions": len(resolutions),
        "points": sum(len(r.points) for r in resolutions),
        "references": sum(len(r.references) for r in resolutions)
        + sum(len(i.sources) for i in protocol.items),
        "mandates": sum(len(r.mandates) for r in resolutions),
        "agenda items": len(protocol.items),
    }
    return Built(path, graph, quads, counts, protocol.warnings)

