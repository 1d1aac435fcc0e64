"""Issue 12 item 4: the named query amounts-per-year groups by budget year, with exact
xsd:decimal totals (never floats). Evidence: seed l. 88-92, B-2025/31-IT Ziffer 1 "… in Höhe
der bereits festgelegten maximalen Gesamtsumme von 213.183.843 Euro für 2027 und 223.843.035
Euro für 2028"; l. 1196-1200, B-2025/41-IT Ziffer 1 "in Höhe von maximal 400 TEUR"."""

from __future__ import annotations

import json

import pytest

from kg.settings import Settings
from kg.store import StoreDirectory
from queries.catalogue import load_catalogue

XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
Row = dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def rows(bundled_settings: Settings) -> list[Row]:
    """The result as W3C SPARQL Results JSON (`kg query --format json`): typed literals."""
    store = StoreDirectory(bundled_settings.store).open_read_only()
    result = store.query(load_catalogue().get("amounts-per-year").text, result_format="json")
    assert result.raw is not None
    return json.loads(result.raw)["results"]["bindings"]


@pytest.mark.parametrize(("year", "total", "ceilings", "amounts"), [
    # l. 90 "213.183.843 Euro für 2027": budget year 2027, a ceiling ("maximalen Gesamtsumme")
    ("2027", "213183843", "213183843", "1"),
    # l. 92 "223.843.035 Euro für 2028"
    ("2028", "223843035", "223843035", "1"),
    # l. 1198-1200 "maximal 400 TEUR": no year stated, not counted in 2025
    (None, "400000", "400000", "1"),
])
def test_by_budget_year(rows: list[Row], year: str | None, total: str, ceilings: str,
                        amounts: str) -> None:
    (row,) = [r for r in rows if r.get("budgetYear", {}).get("value") == year]
    assert row["total"]["datatype"] == XSD_DECIMAL  # exact, not xsd:double
    assert row["ceilingTotal"]["datatype"] == XSD_DECIMAL
    assert row["total"]["value"].split(".")[0] == total  # lexical "213183843" or "….0"
    assert row["ceilingTotal"]["value"].split(".")[0] == ceilings
    assert row["amounts"]["value"] == amounts


def test_no_row_for_the_decision_year(rows: list[Row]) -> None:
    assert [r["budgetYear"]["value"] for r in rows if "budgetYear" in r] == ["2027", "2028"]
