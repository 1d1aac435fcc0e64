"""Minting of data IRIs (the table in ontology/MODEL.md). Nothing else builds data IRIs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.terms import IRI

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slugify(text: str) -> str:
    text = text.translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Minter:
    base: str

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _iri(self, path: str) -> IRI:
        return IRI(self.base + path)

    def resolution(self, canonical_id: str) -> IRI:
        """`2025/33` → council, `2025/09-AL` → AL-Runde, `F-2025/03` → follow-up."""
        if canonical_id.startswith("F-"):
            return self._iri("eli/itplr/follow-up/" + canonical_id[2:])
        if canonical_id.endswith("-AL"):
            return self._iri("eli/itplr-al/beschluss/" + canonical_id[:-3])
        if " " in canonical_id:  # another body's decision, e.g. "DMK 2024/10/15"
            body, _, rest = canonical_id.partition(" ")
            return self._iri(f"beschluss/{slugify(body)}/{rest.replace('/', '-')}")
        return self._iri("eli/itplr/beschluss/" + canonical_id)

    def point(self, resolution: IRI, number: str) -> IRI:
        return IRI(f"{resolution.value}/ziffer/{number}")

    def child(self, parent: IRI, kind: str, key: str | int = "") -> IRI:
        return IRI(f"{parent.value}/{kind}" + (f"/{key}" if key != "" else ""))

    def session(self, number: int) -> IRI:
        return self._iri(f"sitzung/itplr/{number}")

    def section(self, session: IRI, label: str) -> IRI:
        return IRI(f"{session.value}/abschnitt/{slugify(label)}")

    def agenda_item(self, session: IRI, top: str, occurrence: int = 1) -> IRI:
        suffix = "" if occurrence == 1 else f"-{occurrence}"
        return IRI(f"{session.value}/top/{top}{suffix}")

    def land(self, code: str) -> IRI:
        return self._iri(f"land/{code}")

    def body(self, slug: str) -> IRI:
        return self._iri(f"gremium/{slug}")

    def law(self, abbreviation: str) -> IRI:
        return self._iri(f"gesetz/{slugify(abbreviation)}")

    def eu_act(self, kind: str, year: int, number: int) -> IRI:
        return self._iri(f"eu-rechtsakt/{slugify(kind)}/{year}/{number}")

    def graph(self, stem: str) -> IRI:
        return self._iri(f"graph/{slugify(stem)}")

    @property
    def derived_graph(self) -> IRI:
        return self._iri("graph/abgeleitet")


def english_ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd."""
    suffix = ("th" if 10 <= number % 100 <= 20
              else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th"))
    return f"{number}{suffix}"


def session_label_en(number: int) -> str:
    """The English label of a council session: "1st", "22nd", "48th" (before: "1th", "22th")."""
    return f"{english_ordinal(number)} session of the IT Planning Council"
