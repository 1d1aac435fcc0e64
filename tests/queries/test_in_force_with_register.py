"""`in-force-on-date` over protocol + register: undated register decisions stay in (their
year's 1 January assumed, and said so), partial repeals show."""

from __future__ import annotations

import pytest

from cli.main import main
from kg.settings import SAMPLES_DIR
from kg.store import StoreDirectory
from queries import load_catalogue


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    store = tmp_path_factory.mktemp("in-force") / "store"
    assert main(["--store", str(store), "load", str(SAMPLES_DIR)]) == 0
    query = load_catalogue().get("in-force-on-date")
    result = StoreDirectory(store).open_read_only().select(
        query.text, substitutions=query.bind({"date": "2026-01-01"}))
    return {str(r["id"]): r for r in result}


def test_undated_register_decision_with_a_repealed_point(rows):
    # register: 2025/02 has no date; B-2025/33-IT point 5 repeals its Ziffer 3 (protocol l. 436)
    r = rows["2025/02"]
    assert (r["dateAssumed"], r["partiallyRepealed"]) == (True, True)


def test_repealed_decisions_are_out(rows):
    assert "2022/43" not in rows  # repealed by B-2025/39-IT (protocol l. 1088-1092)
    assert rows["2025/39"]["dateAssumed"] is False
