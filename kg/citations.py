"""Human labels of what resolutions cite, in German and English (issue 12, item 7).

One place for the short citation of every kind of reference target, so that the build (a
document's graph) and the links graph (the curated vocabularies) state the same label and the
union holds one label per language:

* EU acts in the citation form of EUR-Lex ("Verordnung (EU) 2024/903" / "Regulation (EU)
  2024/903"), their articles after it ("…, Art. 3");
* German laws and the rules of procedure by short title and abbreviation ("Onlinezugangsgesetz
  (OZG)" / "Online Access Act (OZG)"), from ontology/vocab/de_laws.csv,
  ontology/links/laws_en.csv and ontology/legal_acts.csv;
* other bodies' decisions by body and number ("Beschluss der Digitalministerkonferenz (DMK
  2024/10/15)");
* resolutions and their points by number ("Beschluss 2022/14", "2022/14 Ziffer 5" /
  "Resolution 2022/14", "2022/14 point 5").
"""

from __future__ import annotations

import csv
import functools
import re

from kg.settings import ONTOLOGY_DIR

EU_ELI = "http://data.europa.eu/eli/"
_EU_FORMS = {"reg": ("Verordnung", "Regulation"), "dir": ("Richtlinie", "Directive"),
             "dec": ("Beschluss", "Decision")}
_EU_ACT = re.compile(r"http://data\.europa\.eu/eli/(reg|dir|dec)/(\d{4})/(\d+)(?:/.*)?")


def eu_act_labels(kind: str, year: int | str, number: str) -> tuple[str, str]:
    """The citation form of EUR-Lex: since 2015 "Regulation (EU) 2024/903"; before, a
    regulation is "Regulation (EU) No 910/2014" and a directive "Directive 2014/55/EU"."""
    form_de, form_en = _EU_FORMS[kind]
    if int(year) >= 2015:
        return f"{form_de} (EU) {year}/{number}", f"{form_en} (EU) {year}/{number}"
    if kind == "reg":
        return f"{form_de} (EU) Nr. {number}/{year}", f"{form_en} (EU) No {number}/{year}"
    return f"{form_de} {year}/{number}/EU", f"{form_en} {year}/{number}/EU"


def eu_act_labels_of(iri: str) -> tuple[str, str] | None:
    """The labels of an EU act (or of the act an article belongs to) from its ELI."""
    m = _EU_ACT.fullmatch(iri)
    return eu_act_labels(*m.groups()) if m else None


def eu_article_labels(act_iri: str, article: str) -> tuple[str, str]:
    """"Verordnung (EU) 2024/903, Art. 3" / "Regulation (EU) 2024/903, Art. 3"."""
    act = eu_act_labels_of(act_iri) or (act_iri, act_iri)
    return f"{act[0]}, Art. {article}", f"{act[1]}, Art. {article}"


@functools.cache
def _law_titles() -> dict[str, tuple[str, str]]:
    """abbreviation → (German short title, English short title); empty where unknown."""
    titles: dict[str, list[str]] = {}
    with (ONTOLOGY_DIR / "legal_acts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] in ("de", "rules"):
                titles[row["key"]] = [row["label"].strip(), ""]
    with (ONTOLOGY_DIR / "vocab" / "de_laws.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            short = (row.get("short_title_de") or "").strip()
            if short:
                titles.setdefault(row["abbreviation"], ["", ""])[0] = short
    with (ONTOLOGY_DIR / "links" / "laws_en.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            titles.setdefault(row["abbreviation"], ["", ""])[1] = row["short_title_en"].strip()
    return {abbr: (de, en) for abbr, (de, en) in titles.items()}


def law_labels(abbreviation: str) -> tuple[str, str]:
    """Short title and abbreviation, "Onlinezugangsgesetz (OZG)" / "Online Access Act (OZG)";
    the abbreviation alone where no title is known or the title is the abbreviation."""
    title_de, title_en = _law_titles().get(abbreviation, ("", ""))

    def label(title: str) -> str:
        return f"{title} ({abbreviation})" if title and title != abbreviation else abbreviation

    return label(title_de), label(title_en or title_de)


def external_decision_labels(canonical_id: str, body_de: str | None = None,
                             body_en: str | None = None) -> tuple[str, str]:
    """"Beschluss der Digitalministerkonferenz (DMK 2024/10/15)" / "Decision of the
    Conference of Digital Ministers (DMK 2024/10/15)"; by the id alone without the body."""
    if body_de and body_en:
        de = (f"Beschluss der {body_de} ({canonical_id})" if body_de.endswith("konferenz")
              else f"Beschluss {canonical_id} ({body_de})")
        return de, f"Decision of the {body_en} ({canonical_id})"
    return f"Beschluss {canonical_id}", f"Decision {canonical_id}"


def resolution_labels(canonical_id: str) -> tuple[str, str]:
    """A resolution by its number: "Beschluss 2022/14" / "Resolution 2022/14"; decisions of
    the AL-Runde ("2025/09-AL") and follow-ups ("F-2025/03") say what they are."""
    if canonical_id.startswith("F-"):
        return f"Follow-up {canonical_id}", f"Follow-up {canonical_id}"
    if canonical_id.endswith("-AL"):
        return f"Beschluss der AL-Runde {canonical_id}", f"AL-Runde decision {canonical_id}"
    return f"Beschluss {canonical_id}", f"Resolution {canonical_id}"


def point_labels(canonical_id: str, number: str) -> tuple[str, str]:
    """"2022/14 Ziffer 5" / "2022/14 point 5" (the German form is the build's point label)."""
    return f"{canonical_id} Ziffer {number}", f"{canonical_id} point {number}"
