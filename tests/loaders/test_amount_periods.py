"""Issue 12 item 4: money by budget year. Each amount gets the period it is for when the text
says so (a year, "ab 2027", "jährlich"), whether it is a ceiling, and its purpose."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.amounts import find_amounts
from loaders.records import Protocol, Span

from .conftest import resolution

SPAN = Span("x.txt", 1, 1)


@pytest.mark.parametrize(("res", "point", "index", "value", "kind", "year", "ceiling",
                          "purpose"), [
    # l. 88-92 B-2025/31-IT Ziffer 1: "beschließt die Eckwerte für 2027 und 2028 in Höhe der
    # bereits festgelegten maximalen Gesamtsumme von 213.183.843 Euro für 2027 und
    # 223.843.035 Euro für 2028": two ceilings, one per budget year (not the decision's 2025)
    ("2025/31", "1", 0, Decimal("213183843"), "year", 2027, True,
     "die Eckwerte für 2027 und 2028"),
    ("2025/31", "1", 1, Decimal("223843035"), "year", 2028, True,
     "die Eckwerte für 2027 und 2028"),
    # l. 1196-1200 B-2025/41-IT Ziffer 1: "stellt … die benötigten Ressourcen für die
    # Durchführung der Evaluation in Höhe von maximal 400 TEUR über die FITKO bereit": a ceiling,
    # no year stated
    ("2025/41", "1", 0, Decimal("400000"), None, None, True,
     "die benötigten Ressourcen für die Durchführung der Evaluation"),
])
def test_seed_amounts(seed: Protocol, res: str, point: str, index: int, value: Decimal,
                      kind: str | None, year: int | None, ceiling: bool, purpose: str) -> None:
    amount = next(p for p in resolution(seed, res).points if p.number == point).amounts[index]
    assert (amount.value, amount.period_kind, amount.budget_year, amount.maximum,
            amount.purpose) == (value, kind, year, ceiling, purpose)
    assert isinstance(amount.value, Decimal)


@pytest.mark.parametrize(("text", "expected"), [
    # issue 12 item 4 phrasings: a year, "ab 2027", "jährlich"
    ("Für 2027 werden 5 Mio. Euro bereitgestellt.", [("year", 2027, "Für 2027")]),
    ("Die FITKO erhält ab 2027 jährlich 2,5 Mio. Euro für den Betrieb der Plattform.",
     [("from_year", 2027, "ab 2027")]),
    ("Die FITKO erhält jährlich bis zu 300.000 Euro.", [("annual", None, "jährlich")]),
    ("Dafür stehen 1,2 Mio. Euro pro Jahr zur Verfügung.", [("annual", None, "pro Jahr")]),
    ("Der IT-Planungsrat gibt Mittel in Höhe von 250.000 Euro frei.", [(None, None, None)]),
    # the year of another clause does not carry over
    ("Im Jahr 2026 wird evaluiert, die FITKO erhält 100.000 Euro.", [(None, None, None)]),
])
def test_period_phrasings(text: str, expected: list[tuple[str | None, int | None, str | None]]
                          ) -> None:
    assert [(a.period_kind, a.budget_year, a.period_text)
            for a in find_amounts(text, SPAN)] == expected


@pytest.mark.parametrize(("text", "purpose"), [
    # l. 119 of tests/loaders/protocols/itplr-60: no determiner, the noun before "in Höhe von"
    ("Der IT-Planungsrat gibt Mittel in Höhe von 250.000 Euro frei.", "Mittel"),
    ("Die FITKO erhält ab 2027 jährlich 2,5 Mio. Euro für den Betrieb der Plattform.",
     "den Betrieb der Plattform"),
])
def test_purpose_as_written(text: str, purpose: str) -> None:
    (amount,) = find_amounts(text, SPAN)
    assert amount.purpose == purpose
