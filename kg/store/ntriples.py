"""N-Triples text written from kg.terms directly (for the bulk loader and graph diffs)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.terms import IRI, Literal, Quad

if TYPE_CHECKING:
    pass



def _term_writer() -> tuple[Callable[[IRI | Literal], str], dict[str, str]]:
    """A term's N-Triples text, and the texts of the IRIs written so far (each IRI's text
    is made once: a protocol's 4,000 quads name about a tenth as many IRIs, and looking the
    text up by its string is cheaper than escaping it again; 13 -> 7 ms a protocol)."""
    texts: dict[str, str] = {}

    def text_of(term: IRI | Literal) -> str:
        if type(term) is IRI:
            text = texts.get(term.value)
            if text is None:
                text = texts[term.value] = term.n3()
            return text
        return term.n3()

    return text_of, texts


def triple_lines(quads: Iterable[Quad], graph: IRI) -> set[str]:
    """The triples of `quads`, all in `graph`, as N-Triples lines without their " ." (the
    form `replace_graph_lines` takes): a large graph's text in place of its terms, whose
    memory can then go before the write. Read in one pass, so that a caller may hand over
    quads it frees as they are read (kg/analysis/step.py)."""
    text_of, iris = _term_writer()
    lines: set[str] = set()
    foreign = 0
    for s, p, o, g in quads:
        if g != graph:
            foreign += 1
            continue
        lines.add(f"{text_of(s)} {text_of(p)} {text_of(o)}")
    if foreign:
        raise ValueError(f"{foreign} quads are not in graph {graph.value}")
    _check_iris([*iris, graph.value])  # before anything is written
    return lines


def _check_iris(iris: Iterable[str]) -> None:
    """ValueError naming the first string that is not an IRI, each checked by the engine:
    the text writers write IRIs as they are given."""
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ValueError(f"not an IRI: {iri!r} ({exc})") from None


def ntriples_text(lines: Iterable[str]) -> bytes:
    """N-Triples lines without their " ." (`triple_lines`) as an N-Triples document."""
    return "".join(line + " .\n" for line in lines).encode()


def parse_lines(lines: Iterable[str]) -> set[ox.Triple]:
    """The triples of N-Triples lines without their " ." (IRIs checked by the parser)."""
    text = ntriples_text(lines)
    return set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES)) if text else set()


def write_pieces(lines: Iterable[str], folder: Path, piece_bytes: int) -> list[Path]:
    """N-Triples lines (without " .") into files of about `piece_bytes` each, in `folder`."""
    paths: list[Path] = []
    out: io.TextIOWrapper | None = None
    size = piece_bytes
    try:
        for line in lines:
            if size >= piece_bytes:
                if out is not None:
                    out.close()
                paths.append(folder / f"triples-{len(paths):04d}.nt")
                out = paths[-1].open("w", encoding="utf-8")
                size = 0
            out.write(line)
            out.write(" .\n")
            size += len(line) + 3
    finally:
        if out is not None:
            out.close()
    return paths


def serialise_quads(quads: Sequence[Quad]) -> tuple[bytes, bytes, int]:
    """Quads as N-Quads, their distinct triples as N-Triples (for the union default graph),
    and the number of distinct quads; for the bulk loader, in the process that built them.
    Written as text (a third of the time of building pyoxigraph objects to serialise them);
    every distinct IRI is checked by the engine once, so the bulk loader may be lenient."""
    text_of, iris = _term_writer()
    triples: set[str] = set()
    lines: set[str] = set()
    for s, p, o, g in quads:
        triple = f"{text_of(s)} {text_of(p)} {text_of(o)}"
        triples.add(triple)
        lines.add(f"{triple} {text_of(g)} .\n")
    _check_iris(iris)
    return "".join(lines).encode(), ntriples_text(triples), len(lines)
