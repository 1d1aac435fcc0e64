"""Step 2, clean: the text layer's lines → non-blank lines with their gap, and joining of
wrapped lines into running text (hyphenation aware)."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.read import SourceText
from loaders.records import Span

REDACTION_GAP = 2  # two or more blank lines in a row end a paragraph (double-spaced layout)


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the text layer
    text: str  # right-stripped
    gap: int  # blank lines directly before this one
    page: int | None

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def indented(self) -> bool:
        return self.text[:1].isspace()


def clean_lines(source: SourceText) -> list[Line]:
    out: list[Line] = []
    gap = 0
    pages = source.pages or []
    for i, raw in enumerate(source.lines, start=1):
        text = raw.replace("\u00a0", " ").replace("\uf0b7", " ").rstrip()
        if not text:
            gap += 1
            continue
        out.append(Line(i, text, gap, pages[i - 1] if i <= len(pages) else None))
        gap = 0
    return out


def span_of(document: str, lines: list[Line]) -> Span:
    if not lines:
        return Span(document, 0, 0)
    pages = [ln.page for ln in lines if ln.page is not None]
    return Span(document, lines[0].no, lines[-1].no, min(pages) if pages else None,
                max(pages) if pages else None)


def join_text(parts: list[str]) -> str:
    """Join wrapped lines: "Schwerpunktthe-" + "men" → "Schwerpunktthemen",
    "EU-" + "Interoperabilität" → "EU-Interoperabilität", else a single space."""
    out = ""
    for part in parts:
        piece = " ".join(part.split())  # runs of whitespace → one space, ends stripped
        if not piece:
            continue
        if not out:
            out = piece
        elif out.endswith("-") and piece.split(" ", 1)[0] in ("und", "oder", "bzw.", "sowie"):
            out = out + " " + piece  # "Bund- und Länderleistung"
        elif out.endswith("-") and not out.endswith(" -") and piece[:1].islower():
            out = out[:-1] + piece
        elif out.endswith("-") and not out.endswith(" -"):
            out = out + piece
        else:
            out = out + " " + piece
    return out


def join_lines(lines: list[Line]) -> str:
    return join_text([ln.text for ln in lines])
