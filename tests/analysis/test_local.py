"""The projection around one resolution gives the status the whole projection gives, for
every resolution of the chain store (seed, register, sessions 49 and 50) on several dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.analysis.local import around, find_resolution
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.iris import Minter
from kg.settings import Settings
from kg.store import StoreDirectory

from .conftest import BASE, r

DATES = [dt.date(2024, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2027, 1, 1)]


def test_every_status_matches_the_whole_projection(chained: Projection,
                                                   chain_settings: Settings) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    whole = StatusIndex(chained)
    compared = 0
    for iri in chained.resolutions():
        local = StatusIndex(around(store, iri))
        for on in DATES:
            expected, got = whole.resolution(iri, on), local.resolution(iri, on)
            assert (got.state, [x.text("de") for x in got.reasons]) == \
                (expected.state, [x.text("de") for x in expected.reasons]), (iri, on)
            assert [(p.iri, p.state) for p in got.points] == \
                [(p.iri, p.state) for p in expected.points], (iri, on)
            compared += 1
    assert compared >= 4 * 130


@pytest.mark.parametrize(("text", "expected"), [
    ("2025/33", r("2025/33")),            # canonical
    ("B-2025/33-IT", r("2025/33")),       # as the protocol writes it
    (r("2026/01"), r("2026/01")),         # a full IRI
    ("2031/999", None),                   # well formed, not in the store
    ("Beschluss", None),                  # not an id
])
def test_find_resolution(chain_settings: Settings, text: str, expected: str | None) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    assert find_resolution(store, text, Minter(BASE)) == expected
