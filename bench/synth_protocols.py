"""Synthetic IT-Planungsrat protocols in the layout of the bundled one, for the scale bench.

`generate(n_sessions, seed, out_dir)` writes sessions 1..N as text layers like
data/samples/itplr-48-2025-11-26-protokoll.txt: double-spaced lines, a session header, one
table per section whose header `TOP <section> Ziel Quelle BE` repeats after every page break,
TOP 00 with the decision on the Grüne Liste (sometimes taking one item off it), agenda items
with title, subtitles, Ziel/Quelle/BE and checkboxes, `BV Beschluss B-2031/07-IT` blocks with
numbered points and sub-points, protocol notes (named or redacted), discussions per speaker,
redacted runs of blank lines and outcome sentences.

Resolutions refer to resolutions of EARLIER sessions only: cites, repeals, partial repeals
("Ziffer 2 des Beschlusses 2024/03 wird aufgehoben"), amendments (whole or of a point),
replacements, continuations and implementations, plus the Quelle column (based on).

The plan is written next to the protocols as `manifest.jsonl`, one JSON object per session:

    {"number": 7, "date": "2011-08-16", "file": "itplr-00007-2011-08-16-protokoll.txt",
     "place": …, "chair": "HE",
     "resolutions": [{"id": "2011/19", "identifier": "B-2011/19-IT", "top": "12",
                      "section": "Datennutzung", "points": ["1", "2", "2.1", "2.2"],
                      "outcome": "adopted", "unanimous": true, "majority": false,
                      "abstained": ["HB"], "against": [], "redacted": false,
                      "consent": false, "taken_off_green_list": false}, …],
     "references": [{"source": "2011/19", "point": "2", "relation": "repeals_part",
                     "target": "2010/04", "points": ["3"], "target_kind": "resolution",
                     "form": "Ziffer 3 des Beschlusses 2010/04 wird aufgehoben"}, …],
     "sources": [{"top": "12", "source": "2011/19", "target": "2010/04"}, …],
     "mandates": [{"source": "2011/19", "point": "1", "assignee": "fitko",
                   "deadline": {"kind": "date", "date": "2012-06-30"}}, …]}

`relation` uses the loader's names (loaders/records.py RelationKind). Every session is drawn
from its own random stream seeded with (seed, number), and the earlier sessions fix which
resolutions exist, so the first N sessions of a bigger run are the same files: one more
protocol is simply session N + 1.

CLI: python -m bench.synth_protocols N OUT_DIR [--seed S] [--sessions-per-year K]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.jsonl"
FIRST_YEAR = 2010
SESSIONS_PER_YEAR = 4
LINE_WIDTH = 88
GREEN_LIST = "Vorschlag Grüne Liste"

# -- vocabulary ------------------------------------------------------------------------------

PLACES = ["Berlin", "Hansestadt Stralsund", "Mainz", "Dresden", "Hannover", "Kiel", "Erfurt",
          "Wiesbaden", "Saarbrücken", "Potsdam", "Magdeburg", "Schwerin", "Freie Hansestadt "
          "Bremen", "Hamburg", "München", "Stuttgart", "Düsseldorf", "Videokonferenz"]
LAENDER = ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST",
           "SH", "TH"]
LAND_NAMES = {"BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg",
              "HB": "Bremen", "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern",
              "NI": "Niedersachsen", "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz",
              "SL": "Saarland", "SN": "Sachsen", "ST": "Sachsen-Anhalt",
              "SH": "Schleswig-Holstein", "TH": "Thüringen"}
SECTIONS = ["Übergreifendes", "Informationssicherheit", "Digitale Infrastruktur",
            "Digitale Transformation", "Digitale Anwendungen", "Datennutzung",
            "Föderale Zusammenarbeit", "Standardisierung"]
# (title, subtitles): what the agenda of a session is about
TOPICS = [
    ("Registermodernisierung", ["Gesamtsteuerung", "Zeitplan der Anbindung"]),
    ("Deutsche Verwaltungscloud", ["Betriebsmodell", "Skalierung auf weitere Länder"]),
    ("Föderales Informationsmanagement", ["Qualität der Leistungsbeschreibungen"]),
    ("Nachnutzung von EfA-Leistungen", ["Stand der Anbindung", "Finanzierungsmodell"]),
    ("Barrierefreiheit digitaler Verwaltungsangebote", ["Prüfverfahren"]),
    ("Open-Source-Strategie der Verwaltung", ["Zentrum für Digitale Souveränität"]),
    ("Digitale Souveränität", ["Marktanalyse", "Strategische Abhängigkeiten"]),
    ("Portalverbund", ["Weiterentwicklung der Suchdienste"]),
    ("Nutzerkonten und Postfächer", ["Konsolidierung", "Migrationsplan"]),
    ("Elektronische Aktenführung", ["Gemeinsame Mindestanforderungen"]),
    ("XÖV-Standards", ["Pflege und Betrieb", "Priorisierung neuer Vorhaben"]),
    ("Geodateninfrastruktur", ["Gemeinsame Dienste von Bund und Ländern"]),
    ("Krisenkommunikation der Verwaltung", ["Notfallplattform", "Übungsplanung"]),
    ("Informationssicherheit in Kommunen", ["Basisschutz", "Beratungsangebote"]),
    ("Verbindungsnetz", ["Leistungsfähigkeit", "Sicherheitsanforderungen"]),
    ("Künstliche Intelligenz in der Verwaltung", ["Anwendungsfälle", "Leitplanken"]),
    ("Föderale Datenstrategie", ["Datenlabore", "Datenkompetenz"]),
    ("Wirtschaftsplan der FITKO", ["Eckwerte", "Mittelfristige Planung"]),
    ("Digitale Identitäten", ["Anbindung an Verwaltungsleistungen"]),
    ("Elektronische Rechnung", ["Empfangsplattformen", "Zustellwege"]),
    ("Unternehmenskonto", ["Verbreitung", "Anbindung der Fachverfahren"]),
    ("Fachkräfte für die Verwaltungsdigitalisierung", ["Ausbildungsinitiative"]),
    ("Föderale IT-Architektur", ["Architekturrichtlinie", "Zielbild"]),
    ("Standardisierungsagenda", ["Jahresplanung", "Bedarfsmeldungen der Länder"]),
    ("Produktportfolio des IT-Planungsrats", ["Lebenszyklus der Produkte"]),
    ("Digitalisierung der Justiz", ["Schnittstellen zur Verwaltung"]),
    ("Bildungsplattformen", ["Zeugnisse und Nachweise"]),
    ("Gemeinsame Beschaffung", ["Rahmenverträge", "Musterverträge"]),
    ("Green IT", ["Energieverbrauch der Rechenzentren"]),
    ("Digitale Kommunen", ["Unterstützung der Landkreise", "Pilotregionen"]),
]
# assignees: (accusative, nominative, gazetteer key)
ASSIGNEES = [
    ("die FITKO", "Die FITKO", "fitko"),
    ("den Bund", "Der Bund", "Bund"),
    ("die Länder", "Die Länder", "laender"),
    ("das Föderale IT-Standardisierungsboard (FIT-SB)", "Das Föderale IT-Standardisierungsboard",
     "fit-sb"),
    ("das föderale IT-Architekturboard", "Das föderale IT-Architekturboard", "fit-ab"),
    ("das BSI", "Das BSI", "bsi"),
    ("das BVA", "Das BVA", "bva"),
    ("die KoSIT", "Die KoSIT", "kosit"),
    ("die AG Informationssicherheit", "Die AG Informationssicherheit", "ag-infosic"),
    ("die Steuerungsgruppe NOOTS", "Die Steuerungsgruppe NOOTS", "steuerungsgruppe-noots"),
    ("das Schwerpunktthema Datennutzung", "Das Schwerpunktthema Datennutzung",
     "schwerpunkt-datennutzung"),
    ("Hessen", "Hessen", "HE"),
    ("Hamburg", "Hamburg", "HH"),
    ("Bremen", "Bremen", "HB"),
    ("Sachsen-Anhalt", "Sachsen-Anhalt", "ST"),
    ("Bayern", "Bayern", "BY"),
    ("Nordrhein-Westfalen", "Nordrhein-Westfalen", "NW"),
]
WEIGHTS = [9, 6, 5, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
# duty verbs of a body as the subject of a sentence: (verb, separable particle)
SUBJECT_DUTIES = [("legt", "vor"), ("erstellt", ""), ("übermittelt", ""), ("prüft", ""),
                  ("berichtet", "")]
OBJECTS = ["einen Umsetzungsplan", "ein Konzept", "einen Sachstandsbericht", "eine Bedarfsanalyse",
           "einen Vorschlag für eine Governance", "eine Kostenschätzung", "einen Zeitplan",
           "eine Übersicht der beteiligten Stellen", "einen Evaluationsbericht",
           "einen Vorschlag für Kennzahlen"]
INFINITIVES = ["vorzulegen", "zu erarbeiten", "zu erstellen", "vorzubereiten", "abzustimmen"]
PLAIN = [
    "Der IT-Planungsrat nimmt den Bericht zum Vorhaben „{t}“ zustimmend zur Kenntnis.",
    "Der IT-Planungsrat stimmt dem vorgelegten Grobkonzept zum Vorhaben „{t}“ zu.",
    "Der IT-Planungsrat bekräftigt die Bedeutung des Vorhabens „{t}“ für die föderale "
    "Zusammenarbeit.",
    "Der IT-Planungsrat dankt {land} für das bisherige Engagement im Vorhaben „{t}“.",
    "Der IT-Planungsrat beschließt die Eckpunkte zum Vorhaben „{t}“ in der vorgelegten Fassung.",
    "Der IT-Planungsrat empfiehlt seinen Mitgliedern, die Ergebnisse des Vorhabens „{t}“ "
    "nachzunutzen.",
    "Der IT-Planungsrat stellt fest, dass die Arbeitspakete des Vorhabens „{t}“ im Zeitplan "
    "liegen.",
    "Die Ergebnisse werden im föderalen Verbund veröffentlicht und in {year2} evaluiert.",
]
AMOUNT = ("Der IT-Planungsrat stellt für das Vorhaben „{t}“ Mittel in Höhe von maximal {k} TEUR "
          "aus dem Wirtschaftsplan {year} bereit.")
EU_ACTS = [
    ("Verordnung (EU) 2024/903", "reg/2024/903"),
    ("Verordnung (EU) 2018/1724", "reg/2018/1724"),
    ("Verordnung (EU) Nr. 910/2014", "reg/2014/910"),
    ("Richtlinie (EU) 2019/1024", "dir/2019/1024"),
]
EU_SENTENCE = ("Bei der Umsetzung sind die Anforderungen der {act} zu beachten und mit der "
               "Nationalen Kontaktstelle abzustimmen.")
STATEMENTS = [
    "Dank für die gute Vorbereitung der Unterlagen.",
    "Die Finanzierung der Folgejahre sei noch nicht abschließend geklärt.",
    "Die Kommunen sollten frühzeitig eingebunden werden.",
    "Es werde um eine kurze Frist für Rückmeldungen gebeten.",
    "Die Erfahrungen aus den Pilotländern seien überwiegend positiv.",
    "Der Aufwand für die Anbindung der Fachverfahren werde höher eingeschätzt.",
    "Eine Abstimmung mit den Fachministerkonferenzen sei erforderlich.",
    "Man unterstütze das Vorhaben ausdrücklich und biete Mitarbeit an.",
    "Die Zeitplanung sei ambitioniert, aber erreichbar.",
    "Eine Anlage mit weiteren Einzelheiten werde im Nachgang versendet.",
]
NOTES = [
    "{name} unterstützt das Vorhaben, weist aber darauf hin, dass die Finanzierung in den "
    "kommenden Haushaltsjahren unter dem Vorbehalt der parlamentarischen Beratungen steht.",
    "{name} bittet darum, die kommunalen Belange bei der weiteren Ausgestaltung angemessen "
    "zu berücksichtigen und die Länder frühzeitig zu beteiligen.",
    "{name} begrüßt die Ergebnisse und regt an, die Erfahrungen der Pilotländer in einem "
    "gemeinsamen Bericht zusammenzufassen.",
]


# -- the plan --------------------------------------------------------------------------------


@dataclass
class _Known:
    """An adopted resolution of an earlier session that later ones may refer to."""

    id: str
    points: int
    dead_points: set[int] = field(default_factory=set)
    alive: bool = True


@dataclass
class _History:
    resolutions: list[_Known] = field(default_factory=list)

    def pick(self, rng: random.Random, *, alive: bool = True, min_points: int = 0,
             tries: int = 8) -> _Known | None:
        """Mostly recent resolutions, sometimes any earlier one, as references run."""
        n = len(self.resolutions)
        if not n:
            return None
        for _ in range(tries):
            if rng.random() < 0.7:
                idx = n - 1 - min(n - 1, int(rng.expovariate(1 / 60)))
            else:
                idx = rng.randrange(n)
            known = self.resolutions[idx]
            if (known.alive or not alive) and known.points >= min_points:
                if min_points and len(known.dead_points) >= known.points:
                    continue
                return known
        return None


@dataclass
class _Item:
    top: str
    section: str
    title: str
    subtitles: list[str]
    goal: str
    sources: list[str]  # as written in the Quelle column
    reporters: list[str]
    resolution: dict[str, Any] | None = None
    lines: list[str] = field(default_factory=list)  # resolution text, wrapped
    notes: list[tuple[str | None, str]] = field(default_factory=list)
    statements: list[tuple[str, list[str]]] = field(default_factory=list)
    redacted_discussion: bool = False
    outcome: str | None = None


def _date(d: dt.date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def session_date(number: int, rng: random.Random, per_year: int) -> dt.date:
    year = FIRST_YEAR + (number - 1) // per_year
    slot = (number - 1) % per_year
    month = 1 + (slot * 12) // per_year + (12 // per_year) // 2
    return dt.date(year, min(month, 12), rng.randint(8, 27))


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int = LINE_WIDTH) -> list[str]:
    """Lines as a PDF's text layer has them. A line never starts with a number: "25 Prozent"
    or "49. Sitzung" at a line start reads as an agenda item or a point."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        if not current or len(current) + 1 + len(word) <= width:
            current = f"{current} {word}" if current else word
        elif not word[:1].isdigit():
            lines.append(current)
            current = word
        else:  # carry the word before the number down with it
            head, _, last = current.rpartition(" ")
            if head and not last[:1].isdigit():
                lines.append(head)
                current = f"{last} {word}"
            else:
                current = f"{current} {word}"
    if current:
        lines.append(current)
    return lines


class _Session:
    def __init__(self, number: int, seed: int, history: _History, per_year: int,
                 year_counter: dict[int, int]) -> None:
        self.number = number
        self.rng = random.Random(f"beschlussgraph-synth/{seed}/{number}")
        self.history = history
        self.date = session_date(number, self.rng, per_year)
        self.year = self.date.year
        self.year_counter = year_counter
        self.references: list[dict[str, Any]] = []
        self.sources: list[dict[str, Any]] = []
        self.mandates: list[dict[str, Any]] = []
        self.new_known: list[_Known] = []
        self._place = ""

    # -- references ----------------------------------------------------------------------

    def _id_text(self, target: str, case: str) -> str:
        """A resolution id in one of the forms the protocols use, in a grammatical case."""
        year, num = target.split("/")
        noun = {"nom": "der Beschluss", "acc": "den Beschluss", "gen": "des Beschlusses"}[case]
        form = self.rng.random()
        if form < 0.65:
            return f"{noun} {target}"
        if form < 0.8:
            return f"{noun} B-{year}/{num}-IT"
        if form < 0.9:
            return f"{noun} Nr. {target}"
        ipr = {"nom": "der IT-Planungsratsbeschluss", "acc": "den IT-Planungsratsbeschluss",
               "gen": "des IT-Planungsratsbeschlusses"}[case]
        return f"{ipr} {target}"

    def _reference(self, source: str, point: str | None) -> str | None:
        """One sentence stating a reference to an earlier resolution; recorded in the plan."""
        rng = self.rng
        kind = rng.choices(
            ["cites", "repeals", "repeals_part", "amends", "amends_part", "replaces",
             "continues", "implements"],
            weights=[30, 10, 12, 7, 10, 8, 12, 8])[0]
        if kind in ("repeals_part", "amends_part"):
            target = self.history.pick(rng, min_points=1)
        else:
            target = self.history.pick(rng, alive=kind != "cites")
        if target is None:
            return None
        points: list[str] = []
        if kind.endswith("_part"):
            free = [p for p in range(1, target.points + 1) if p not in target.dead_points]
            chosen = sorted(rng.sample(free, k=min(len(free), rng.choice([1, 1, 1, 2]))))
            points = [str(p) for p in chosen]
            ziffer = ("Ziffer " + points[0] if len(points) == 1
                      else "Ziffern " + " und ".join(points))
        t = target.id
        topic = rng.choice(TOPICS)[0]
        if kind == "cites":
            sentence = rng.choice([
                f"Der IT-Planungsrat verweist auf {self._id_text(t, 'acc')} und bittet um "
                f"Berücksichtigung der dort genannten Ziele.",
                f"Grundlage ist {self._id_text(t, 'nom')}.",
                f"Die Arbeiten zum Vorhaben „{topic}“ stützen sich auf die Ergebnisse "
                f"gemäß Beschluss {t}.",
                f"Die Planung berücksichtigt die bisherigen Festlegungen (Beschluss {t}).",
            ])
        elif kind == "repeals":
            sentence = rng.choice([
                f"{_upper_first(self._id_text(t, 'nom'))} wird aufgehoben.",
                f"Der IT-Planungsrat hebt {self._id_text(t, 'acc')} auf, da die dort "
                f"beschriebenen Aufgaben erledigt sind.",
                f"Mit diesem Beschluss wird {self._id_text(t, 'nom')} aufgehoben.",
            ])
            target.alive = False
        elif kind == "repeals_part":
            plural = len(points) > 1
            sentence = rng.choice([
                f"{ziffer} des Beschlusses {t} {'werden' if plural else 'wird'} aufgehoben.",
                f"Der IT-Planungsrat hebt {'die ' + ziffer} des Beschlusses {t} auf.",
            ])
            target.dead_points.update(int(p) for p in points)
        elif kind == "amends":
            sentence = rng.choice([
                f"Der IT-Planungsrat ändert seinen Beschluss {t} dahingehend, dass die "
                f"Berichte künftig jährlich vorgelegt werden.",
                f"{_upper_first(self._id_text(t, 'nom'))} wird wie folgt geändert: "
                f"Die Frist verlängert sich um zwölf Monate.",
            ])
        elif kind == "amends_part":
            plural = len(points) > 1
            sentence = rng.choice([
                f"Der IT-Planungsrat ändert {ziffer} des Beschlusses {t} wie folgt: "
                f"„Die Berichte erfolgen halbjährlich.“",
                f"{ziffer} des Beschlusses {t} {'werden' if plural else 'wird'} neu gefasst: "
                f"„Die Federführung liegt bei der FITKO.“",
            ])
        elif kind == "replaces":
            sentence = rng.choice([
                f"Dieser Beschluss ersetzt {self._id_text(t, 'acc')}.",
                f"{_upper_first(self._id_text(t, 'nom'))} wird durch diesen Beschluss ersetzt.",
            ])
            target.alive = False
        elif kind == "continues":
            acc, _nom, _key = ASSIGNEES[0]
            sentence = rng.choice([
                f"In Fortführung des Beschlusses {t} setzt der IT-Planungsrat die Arbeiten "
                f"zum Vorhaben „{topic}“ im bisherigen Rahmen fort.",
                f"In Fortführung des Beschlusses {t} bestätigt der IT-Planungsrat die "
                f"Federführung von {acc.removeprefix('die ')} für das Vorhaben „{topic}“.",
            ])
        else:  # implements
            sentence = (f"In Umsetzung des Beschlusses {t} wird das Vorhaben „{topic}“ "
                        f"in den Regelbetrieb überführt.")
        self.references.append({
            "source": source, "point": point, "relation": kind, "target": t,
            "points": points, "target_kind": "resolution", "form": sentence})
        return sentence

    def _eu_act(self, source: str, point: str | None) -> str:
        act, key = self.rng.choice(EU_ACTS)
        sentence = EU_SENTENCE.format(act=act)
        self.references.append({
            "source": source, "point": point, "relation": "cites", "target": key,
            "points": [], "target_kind": "eu_act", "form": sentence})
        return sentence

    # -- mandates and plain sentences ----------------------------------------------------

    def _deadline(self) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        kind = rng.choice(["date", "date", "session", "quarter", "quarter_word"])
        if kind == "session":
            n = self.number + rng.randint(1, 3)
            text = rng.choice([f"bis zur {n}. Sitzung", f"bis zur {n}. Sitzung des "
                               f"IT-Planungsrats"])
            return text, {"kind": "session", "session": n}
        year = self.year + rng.randint(1, 2)
        if kind == "date":
            month = rng.choice([3, 6, 9, 12])
            day = {3: 31, 6: 30, 9: 30, 12: 31}[month]
            d = dt.date(year, month, day)
            return f"bis zum {_date(d)}", {"kind": "date", "date": d.isoformat()}
        quarter = rng.randint(1, 4)
        end = dt.date(year, quarter * 3, {1: 31, 2: 30, 3: 30, 4: 31}[quarter])
        if kind == "quarter":
            return f"bis Q{quarter}/{year}", {"kind": "quarter", "date": end.isoformat()}
        return f"im {quarter}. Quartal {year}", {"kind": "quarter", "date": end.isoformat()}

    def _assignee(self) -> tuple[str, str, str]:
        return self.rng.choices(ASSIGNEES, weights=WEIGHTS)[0]

    def _mandate(self, source: str, point: str | None, topic: str) -> str:
        rng = self.rng
        acc, nom, key = self._assignee()
        deadline, planned = self._deadline()
        obj = rng.choice(OBJECTS)
        form = rng.randrange(5)
        if form == 0:
            sentence = (f"Der IT-Planungsrat beauftragt {acc}, {deadline} {obj} zum Vorhaben "
                        f"„{topic}“ {rng.choice(INFINITIVES)}.")
        elif form == 1:
            sentence = (f"Der IT-Planungsrat bittet {acc}, {obj} zum Vorhaben „{topic}“ "
                        f"{deadline} {rng.choice(INFINITIVES)}.")
        elif form == 2:
            sentence = (f"Der IT-Planungsrat fordert {acc} auf, {deadline} {obj} zum Vorhaben "
                        f"„{topic}“ vorzulegen.")
        elif form == 3 and key != "laender":
            verb, particle = rng.choice(SUBJECT_DUTIES)
            if verb == "berichtet":
                sentence = f"{nom} berichtet {deadline} über den Stand des Vorhabens „{topic}“."
            else:
                tail = f" {particle}" if particle else ""
                sentence = f"{nom} {verb} {deadline} {obj} zum Vorhaben „{topic}“{tail}."
        else:
            acc, nom, key = ("die Länder", "Die Länder", "laender")
            sentence = (f"Die Länder werden gebeten, {deadline} {obj} zum Vorhaben „{topic}“ "
                        f"an die FITKO zu übermitteln.")
        self.mandates.append({"source": source, "point": point, "assignee": key,
                              "deadline": planned})
        return sentence

    def _plain(self, topic: str) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return AMOUNT.format(t=topic, k=rng.randrange(50, 2500, 10), year=self.year + 1)
        return rng.choice(PLAIN).format(t=topic, land=LAND_NAMES[rng.choice(LAENDER)],
                                        year2=self.year + 2)

    def _sentence(self, source: str, point: str | None, topic: str,
                  refs_left: list[int]) -> str:
        """One point's text: a reference where one is due, else a mandate or a statement."""
        rng = self.rng
        if refs_left[0] > 0:
            ref = self._reference(source, point)
            refs_left[0] -= 1
            if ref is not None:
                return ref
        r = rng.random()
        if r < 0.55:
            return self._mandate(source, point, topic)
        if r < 0.6:
            return self._eu_act(source, point)
        return self._plain(topic)

    # -- one resolution --------------------------------------------------------------------

    def _resolution(self, item: _Item) -> None:
        rng = self.rng
        self.year_counter[self.year] = self.year_counter.get(self.year, 0) + 1
        serial = self.year_counter[self.year]
        rid = f"{self.year}/{serial:02d}"
        identifier = f"B-{self.year}/{serial:02d}-IT"
        topic = item.title
        n_refs = 0 if not self.history.resolutions else rng.choices([0, 1, 2],
                                                                    weights=[45, 40, 15])[0]
        refs_left = [n_refs]
        lines: list[str] = []
        n_points = rng.choices([0, 1, 2, 3, 4, 5, 6], weights=[18, 8, 22, 20, 16, 10, 6])[0]
        numbers: list[str] = []
        if n_points == 0:
            # The loader does not end a sentence at "… Beschluss 2010/18. Die Länder werden
            # gebeten …" (a digit before the full stop), which hides the mandate after it; a
            # mandate therefore leads when the preamble has two sentences.
            sentences = []
            for _ in range(rng.randint(1, 2)):
                before, refs_before = len(self.mandates), len(self.references)
                text = self._sentence(rid, None, topic, refs_left)
                if any(text == seen for _, seen in sentences):  # said once is enough
                    del self.mandates[before:], self.references[refs_before:]
                    continue
                sentences.append((len(self.mandates) == before, text))
            lines += _wrap(" ".join(text for _, text in sorted(sentences, key=lambda s: s[0])))
        else:
            if rng.random() < 0.3:
                lines += _wrap(f"Der IT-Planungsrat fasst zum Vorhaben „{topic}“ auf Grundlage "
                               f"der vorgelegten Unterlagen folgenden Beschluss:")
            sub_at = rng.randint(1, n_points) if rng.random() < 0.12 else 0
            for p in range(1, n_points + 1):
                number = str(p)
                numbers.append(number)
                if p == sub_at:
                    # like 2.1/2.2 of B-2025/46-IT: the sub-points finish the point's sentence
                    acc, _nom, key = self._assignee()
                    lines += _wrap(f"{number}. Zur Vorbereitung der weiteren Schritte bittet der "
                                   f"IT-Planungsrat {acc}:")
                    subs = rng.randint(2, 3)
                    for s in range(1, subs + 1):
                        sub = f"{number}.{s}"
                        numbers.append(sub)
                        deadline, planned = self._deadline()
                        joint = " sowie" if s == subs - 1 else "," if s < subs else "."
                        lines += _wrap(f"{sub}. {deadline} {rng.choice(OBJECTS)} zum Vorhaben "
                                       f"„{topic}“ {rng.choice(INFINITIVES)}{joint}")
                        self.mandates.append({"source": rid, "point": sub, "assignee": key,
                                              "deadline": planned})
                    continue
                lines += _wrap(f"{number}. {self._sentence(rid, number, topic, refs_left)}")
            if rng.random() < 0.1:
                lines[-1] += " Die Umsetzung erfolgt gemäß Ziffer 1 und 2 dieses Beschlusses."
                lines[-1:] = _wrap(lines[-1])
        item.lines = lines
        item.resolution = {
            "id": rid, "identifier": identifier, "top": item.top, "section": item.section,
            "points": numbers, "outcome": "adopted", "unanimous": True, "majority": False,
            "abstained": [], "against": [], "redacted": False, "consent": False,
            "taken_off_green_list": False}
        self.new_known.append(_Known(rid, n_points))

    def _outcome(self, item: _Item) -> None:
        res = item.resolution
        assert res is not None
        rng = self.rng
        r = rng.random()
        land = rng.choice(LAENDER)
        other = rng.choice([x for x in LAENDER if x != land])
        if r < 0.6:
            text = "Der Beschluss wird einstimmig angenommen."
        elif r < 0.7:
            text = "Der Beschluss wird einstimmig, bei Enthaltung  angenommen."
            res["redacted"] = True
        elif r < 0.8:
            text = f"Der Beschluss wird einstimmig, bei Enthaltung von {land} angenommen."
            res["abstained"] = [land]
        elif r < 0.87:
            text = f"Der Beschluss wird mehrheitlich, bei Gegenstimme von {land} angenommen."
            res.update(unanimous=False, majority=True, against=[land])
        elif r < 0.91:
            text = (f"Der Beschluss wird mehrheitlich bei Gegenstimmen von {land} und {other} "
                    f"angenommen.")
            res.update(unanimous=False, majority=True, against=[land, other])
        elif r < 0.95:
            text = "Der Beschluss wird zur Kenntnis genommen."
            res.update(outcome="taken_note", unanimous=False)
        else:
            text = "Der Beschluss wird abgelehnt."
            res.update(outcome="rejected", unanimous=False)
            self.new_known.pop()  # a rejected resolution is nobody's target
        item.outcome = text

    # -- the session -----------------------------------------------------------------------

    def build(self) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        n_res = rng.randint(15, 25)
        n_disc = rng.randint(3, 6)
        sections = rng.sample(SECTIONS, k=rng.randint(4, 6))
        tops = rng.sample(range(1, n_res + n_disc + 12), k=n_res + n_disc)
        placed: dict[str, list[_Item]] = {s: [] for s in [*sections, GREEN_LIST]}
        green_share = rng.uniform(0.4, 0.7)
        taken_off: _Item | None = None
        for i, top in enumerate(tops):
            is_resolution = i < n_res
            title, subtitles = rng.choice(TOPICS)
            subs = rng.sample(subtitles, k=rng.randint(1, len(subtitles)))
            if is_resolution and rng.random() < green_share:
                section = GREEN_LIST
            else:
                section = rng.choice(sections)
            sources: list[str] = []
            if is_resolution and rng.random() < 0.5:
                for _ in range(rng.choice([1, 1, 2, 3])):
                    known = self.history.pick(rng, alive=False)
                    if known is not None:
                        y, n = known.id.split("/")
                        text = f"B-{y}/{n}-IT"
                        if text not in sources:
                            sources.append(text)
                if rng.random() < 0.1:
                    sources.append(f"B-{self.year}/{rng.randint(1, 20):02d}-AL")
            elif not is_resolution and self.history.resolutions:
                known = self.history.pick(rng, alive=False)
                if known is not None:
                    y, n = known.id.split("/")
                    sources.append(f"B-{y}/{n}-IT")
            reporters = rng.sample(["FITKO", "Bund", *LAENDER], k=rng.choice([1, 1, 2, 3]))
            if not is_resolution and rng.random() < 0.5:
                title = "Bericht des Themenpaten"
                subs = ["Impuls und strategischer Rahmen", "Mündlicher Bericht ohne Unterlagen"][
                    : rng.randint(1, 2)]
            item = _Item(f"{top:02d}", section, title, subs,
                         "Beschluss" if is_resolution else "Diskussion", sources, reporters)
            placed[section].append(item)
        # one green-list item is sometimes taken off the list and debated in its section
        if placed[GREEN_LIST] and rng.random() < 0.3:
            taken_off = placed[GREEN_LIST].pop(rng.randrange(len(placed[GREEN_LIST])))
            taken_off.section = rng.choice(sections)
            placed[taken_off.section].append(taken_off)
        order = [*sections, GREEN_LIST]
        for s in order:
            placed[s].sort(key=lambda it: it.top)
        # resolution numbers run in print order, like B-2025/31-IT … B-2025/52-IT in the seed
        for s in order:
            for item in placed[s]:
                if item.goal == "Beschluss":
                    self._resolution(item)
                    assert item.resolution is not None
                    if s == GREEN_LIST:
                        item.resolution["consent"] = True
                    else:
                        self._outcome(item)
                    if item is taken_off:
                        item.resolution["taken_off_green_list"] = True
                    for src in item.sources:
                        m = re.fullmatch(r"B-(\d{4})/(\d+)-(IT|AL)", src)
                        assert m
                        target = f"{m.group(1)}/{m.group(2)}" + ("-AL" if m.group(3) == "AL"
                                                                 else "")
                        self.sources.append({"top": item.top, "source": item.resolution["id"],
                                             "target": target})
                self._discussion(item)
        chair = rng.choice(LAENDER)
        consent_text = "Einstimmiger Beschluss über den Vorschlag der Grünen Liste."
        text = self._render(order, placed, chair, taken_off, consent_text)
        resolutions = [it.resolution for s in order for it in placed[s] if it.resolution]
        plan = {
            "number": self.number, "date": self.date.isoformat(), "file": file_name(
                self.number, self.date),
            "place": self._place, "chair": chair, "resolutions": resolutions,
            "references": self.references, "sources": self.sources, "mandates": self.mandates}
        return text, plan

    def _discussion(self, item: _Item) -> None:
        rng = self.rng
        if item.resolution is not None and rng.random() < 0.2:
            if rng.random() < 0.5:
                land = rng.choice(LAENDER)
                item.notes.append((LAND_NAMES[land], rng.choice(NOTES).format(
                    name="Das Land " + LAND_NAMES[land])))
            else:
                item.notes.append((None, ""))
        if item.resolution is not None and item.resolution["consent"]:
            return  # the Grüne Liste is adopted without debate
        r = rng.random()
        if r < 0.25:
            item.redacted_discussion = True
            return
        if r < 0.4:
            return  # "ON Diskussion / Keine Aussprache."
        for _ in range(rng.randint(1, 4)):
            speaker = rng.choice(["Bund", *LAENDER, "DLT"])
            bullets = rng.sample(STATEMENTS, k=rng.randint(1, 3))
            item.statements.append((speaker, bullets))

    # -- layout ----------------------------------------------------------------------------

    def _render(self, order: list[str], placed: dict[str, list[_Item]], chair: str,
                taken_off: _Item | None, consent_text: str) -> str:
        rng = self.rng
        self._place = rng.choice(PLACES)
        start = rng.choice(["09:00", "09:15", "09:30", "10:00", "13:00"])
        end_h = int(start[:2]) + rng.randint(2, 4)
        stand = self.date + dt.timedelta(days=rng.randint(20, 60))
        page = _Pager(rng)
        page.line(f" {self.number}. IT-Planungsratssitzung", None)
        page.line("Protokoll", None)
        page.line(f"Datum:   {_date(self.date)}", None)
        page.line(f"Zeitlicher Ablauf: {start} – {end_h:02d}:{rng.randint(0, 59):02d} Uhr", None)
        page.line(f"Ort:   {self._place}", None)
        page.line(f"Stand:   {_date(stand)}", None)
        # TOP 00: the opening, with the decision on the Grüne Liste in its summary
        page.section("Begrüßung", "Begrüßung")
        page.line("00 Begrüßung", None, head=True)
        for sub in ["Begrüßung durch den Vorsitz des IT-Planungsrats",
                    "Feststellung der Beschlussfähigkeit",
                    f"Bestätigung des Protokolls der {self.number - 1}. Sitzung"
                    if self.number > 1 else "Feststellung der Tagesordnung",
                    "Feststellung der finalen Tagesordnung",
                    "Beschluss über den Vorschlag der Grünen Liste"]:
            page.line(f" {sub}", None, head=True)
        page.line(chair, None, head=True)
        page.line("ON Diskussion", "Begrüßung")
        if rng.random() < 0.5:
            speaker = rng.choice(LAENDER)
            page.line(f"{speaker}:", "Begrüßung")
            wrapped = _wrap(rng.choice(STATEMENTS), 80)
            for i, ln in enumerate(wrapped):
                page.line(f" {ln}" if i == 0 else ln, "Begrüßung")
        page.redacted(1)
        summary = ("Bestätigung der Beschlussfähigkeit. Feststellung der finalen Tagesordnung.")
        if taken_off is not None:
            summary += (f" TOP {taken_off.top} wird von der Grünen Liste genommen und im Rahmen "
                        f"der Sitzung beraten.")
        summary += " " + consent_text
        page.paragraph(summary, "Begrüßung")
        for section in order:
            items = placed[section]
            if not items:
                continue
            header = "Thema" if section == GREEN_LIST else section
            page.section(section, header)
            for item in items:
                self._render_item(page, item, header)
        page.trailing_headers("Thema" if placed[GREEN_LIST] else order[-1])
        return page.text()

    def _render_item(self, page: _Pager, item: _Item, header: str) -> None:
        rng = self.rng
        title_lines = _wrap(f"{item.top} {item.title}", 40)
        for ln in title_lines:
            page.line(ln, None, head=True)
        for sub in item.subtitles:
            for i, ln in enumerate(_wrap(sub, 36)):
                page.line(f" {ln}" if i == 0 else ln, None, head=True)
        # Ziel, Quelle and BE share the first line, then wrap in their narrow columns
        quelle = [f"{s}," for s in item.sources[:-1]] + item.sources[-1:]
        be = [f"{r}," for r in item.reporters[:-1]] + item.reporters[-1:]
        # the loader reads the joined cells as sources first, then reporters: a reporter may
        # share the first line only when no second source follows
        cells = [*quelle, *be]
        take = 2 if len(quelle) == 1 else 1
        first = item.goal + (" " if quelle else "  ") + " ".join(cells[:take])
        page.line(first.rstrip(), None, head=True)
        for ln in cells[take:]:
            page.line(ln, None, head=True)
        checked = "☒" if item.goal == "Beschluss" else "☐"
        page.line(f"  {checked} Beschluss   ☐ Beschlussempfehlung (IT-PLR)", header)
        note = "☒" if item.notes and item.notes[0][0] else "☐"
        page.line(f"{note} Protokollnotiz   ☐ Follow-Up", header)
        if item.resolution is not None:
            page.line(f"BV Beschluss {item.resolution['identifier']}", header)
            for ln in item.lines:
                page.line(ln, header)
        for author, text in item.notes:
            if author is None:
                page.line("PN", header)
                page.redacted(rng.randint(2, 8), header)
            else:
                page.line(f"PN Protokollnotiz ({author})", header)
                for ln in _wrap(text):
                    page.line(ln, header)
        if item.redacted_discussion:
            page.line("ON", header)
            page.redacted(rng.randint(4, 30), header)
        elif item.resolution is None or not item.resolution["consent"]:
            page.line("ON Diskussion", header)
            if not item.statements:
                page.line("Keine Aussprache.", header)
            for speaker, bullets in item.statements:
                page.line(f"{speaker}:", header)
                for bullet in bullets:
                    wrapped = _wrap(bullet, 80)
                    page.line(f" {wrapped[0]}", header)
                    for ln in wrapped[1:]:
                        page.line(ln, header)
        if item.outcome is not None:
            page.line(item.outcome, header)


class _Pager:
    """Lays out lines double-spaced and breaks pages, repeating the table header.

    A header may not fall between an item's number line and its checkboxes (the loader finds
    an item by its checkboxes), nor right after the section label. In the Grüne Liste the
    header reads `TOP Thema …`, and a short unpunctuated line before it would read as a new
    section label, so a break there waits for a line that ends a sentence.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out: list[str] = []
        self.left = rng.randint(22, 28)
        self.last_real = ""

    def _emit(self, text: str) -> None:
        self.out.append(text + " \n\n")

    def line(self, text: str, header: str | None, head: bool = False) -> None:
        self._emit(text)
        if text.strip():
            self.last_real = text.strip()
        self.left -= 1
        if self.left <= 0 and header is not None and not head and self._safe(header):
            self.page_break(header)

    def _safe(self, header: str) -> bool:
        if header != "Thema":
            return True
        return len(self.last_real) >= 60 or self.last_real.endswith((".", ":", ","))

    def page_break(self, header: str) -> None:
        # the last line of a page is not followed by a blank line in the text layer
        self.out[-1] = self.out[-1][:-1]
        self.out.append(f" TOP {header} Ziel Quelle BE \n\n")
        self.left = self.rng.randint(22, 28)

    def paragraph(self, text: str, header: str | None) -> None:
        for ln in _wrap(text):
            self.line(ln, header)

    def redacted(self, n: int, header: str | None = None) -> None:
        for _ in range(n):
            self.out.append(self.rng.choice([" ", "  "]) + "\n\n")
            self.left -= 1
            if self.left <= 0 and header is not None and self._safe(header):
                self.page_break(header)

    def section(self, label: str, header: str) -> None:
        # the label line and the header belong together; a page may end right before them
        self.out.append(f" {label}  \n\n")
        self.out.append(f"TOP {header} Ziel Quelle BE \n\n")
        self.left -= 2

    def trailing_headers(self, header: str) -> None:
        """Some protocols end with pages that only hold the repeated header."""
        if self.rng.random() < 0.3 and self._safe(header):
            for _ in range(self.rng.randint(1, 3)):
                self.page_break(header)

    def text(self) -> str:
        return "".join(self.out)


# -- API -------------------------------------------------------------------------------------


def file_name(number: int, date: dt.date) -> str:
    return f"itplr-{number:05d}-{date.isoformat()}-protokoll.txt"


def iter_sessions(n_sessions: int, seed: int = 0, per_year: int = SESSIONS_PER_YEAR,
                  ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(text, plan) of sessions 1..n_sessions, in order."""
    history = _History()
    year_counter: dict[int, int] = {}
    for number in range(1, n_sessions + 1):
        session = _Session(number, seed, history, per_year, year_counter)
        text, plan = session.build()
        history.resolutions.extend(session.new_known)
        yield text, plan


def generate(n_sessions: int, seed: int, out_dir: Path,
             per_year: int = SESSIONS_PER_YEAR) -> list[Path]:
    """Write sessions 1..n_sessions and their plan (manifest.jsonl) into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with (out_dir / MANIFEST).open("w", encoding="utf-8") as manifest:
        for text, plan in iter_sessions(n_sessions, seed, per_year):
            path = out_dir / plan["file"]
            path.write_text(text, encoding="utf-8")
            manifest.write(json.dumps(plan, ensure_ascii=False) + "\n")
            paths.append(path)
    return paths


def read_manifest(out_dir: Path) -> list[dict[str, Any]]:
    with (Path(out_dir) / MANIFEST).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth_protocols",
        description="Write N synthetic council protocols (and manifest.jsonl, their plan).")
    parser.add_argument("n", type=int, metavar="N", help="number of sessions")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sessions-per-year", type=int, default=SESSIONS_PER_YEAR)
    args = parser.parse_args(argv)
    if args.n < 1 or args.sessions_per_year < 1:
        parser.error("N and --sessions-per-year must be at least 1")
    paths = generate(args.n, args.seed, args.out_dir, args.sessions_per_year)
    plans = read_manifest(args.out_dir)
    n_res = sum(len(p["resolutions"]) for p in plans)
    n_refs = sum(len(p["references"]) for p in plans)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} protocols ({plans[0]['date']} … {plans[-1]['date']}), {n_res} "
          f"resolutions, {n_refs} references, {size / 1e6:.1f} MB in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
