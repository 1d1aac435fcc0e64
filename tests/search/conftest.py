"""Fixtures of the search tests: the bundled sample store, and small protocols in the layout
of data/samples/itplr-48-2025-11-26-protokoll.txt (double-spaced text layer, TOP table
header, `BV Beschluss`, numbered points, `PN Protokollnotiz`, `ON Diskussion`), written in
our own words for the incremental tests."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.api.conftest import load_samples


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("search-samples") / "store"
    load_samples(store)
    return store


@dataclass
class Item:
    """One agenda item with one resolution."""

    top: str
    title: str
    identifier: str  # "B-2031/07-IT"
    points: list[str]
    note: tuple[str, str] | None = None  # (author, text)
    statements: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)


def protocol_text(number: int, date: str, items: list[Item]) -> str:
    """A protocol's text layer: each line followed by an empty one, as the PDF gives it."""
    lines = [f" {number}. IT-Planungsratssitzung ", "Protokoll ", f"Datum:   {date} ",
             "Zeitlicher Ablauf: 10:00 – 12:00 Uhr ", "Ort:   Berlin ", f"Stand:   {date} ",
             "Begrüßung ", "TOP Begrüßung Ziel Quelle BE ", "00 Begrüßung ",
             " Feststellung der Beschlussfähigkeit ", "MV ",
             "Bestätigung der Beschlussfähigkeit. Feststellung der Tagesordnung. ", " ",
             "Übergreifendes ", "TOP Übergreifendes Ziel Quelle BE "]
    for item in items:
        lines += [f"{item.top} {item.title} ", "Beschluss  FITKO ",
                  "  ☒ Beschluss   ☐ Beschlussempfehlung (IT-PLR) ",
                  "☐ Protokollnotiz   ☐ Follow-Up ", f"BV Beschluss {item.identifier} "]
        lines += [f"{n}. {text} " for n, text in enumerate(item.points, start=1)]
        if item.note:
            lines += [f"PN Protokollnotiz ({item.note[0]}) ", f"{item.note[1]} "]
        if item.statements:
            lines.append("ON Diskussion ")
            for speaker, text in item.statements:
                lines += [f"{speaker}: ", f" {text} "]
        else:
            lines.append("ON  ")
        lines += ["Der Beschluss wird einstimmig angenommen.  ", " "]
    return "".join(line + "\n\n" for line in lines)


def write_protocol(folder: Path, number: int, date: str, items: list[Item]) -> Path:
    """`itplr-<n>-<yyyy-mm-dd>-protokoll.txt` in `folder` (the file stem names the graph)."""
    day, month, year = date.split(".")
    path = folder / f"itplr-{number}-{year}-{month}-{day}-protokoll.txt"
    path.write_text(protocol_text(number, date, items), encoding="utf-8")
    return path


def failing_step(*_args: object) -> None:
    """A post-load step after the search step that fails as a full disk does (the load must
    be undone, the search index with it)."""
    raise OSError(errno.ENOSPC, "No space left on device (test)")
