"""Every named query against stored expected results (tests/queries/expected/).

Each expected file was produced once by running the query (`pytest --update-golden`) and then
checked by hand against the protocol text; its `evidence` lists the protocol lines that back
the rows (seed: data/samples/itplr-48-2025-11-26-protokoll.txt, extended: that file plus
tests/queries/protocols/itplr-49-2026-03-18-protokoll.txt). Rows are compared in order when
the query has ORDER BY, as sets otherwise.
"""

from __future__ import annotations

import pytest

from kg.store import OxigraphStore
from queries import load_catalogue
from tests.queries.golden import Case, canonical, read_expected, run_case, write_expected

CASES = [
    # -- seed protocol (48th session) ------------------------------------------------------
    Case("seed", "resolutions-of-session"),  # 22 resolutions B-2025/31 … /52
    Case("seed", "resolution-text"),  # 2025/33: points 1–5
    Case("seed", "resolution-text", {"resolution": "B-2025/42-IT"}, "preamble"),  # preamble
    Case("seed", "references-outgoing"),  # 2025/33: Quelle ×3, cites 2020/58, repealsPartOf 2025/02 Z3
    Case("seed", "references-outgoing", {"resolution": "B-2025/43-IT"}, "laws"),  # laws, SDG-VO
    Case("seed", "references-incoming"),  # 2025/06: Quelle of TOP 19 and "In Umsetzung"
    Case("seed", "references-incoming", {"resolution": "2022/42"}, "agenda-sources"),  # 5 TOPs
    Case("seed", "repealed-resolutions"),  # 2022/43 whole, 2025/02 Ziffer 3
    Case("seed", "amended-resolutions"),  # the seed amends nothing
    Case("seed", "supersession-chain"),  # 2025/39 → 2022/43
    Case("seed", "in-force-on-date"),  # all 22 on 2026-01-01
    Case("seed", "in-force-on-date", {"date": "2025-11-25"}, "day-before"),  # none yet
    Case("seed", "mandates-open-on-date"),  # 2026-01-01: 2 overdue deadlines in Dec 2025
    Case("seed", "mandates-open-on-date", {"date": "2026-07-01", "assignee": "FITKO"},
         "fitko-july-2026"),  # FITKO: 15.12.2025 overdue, Q3/2026 open
    Case("seed", "mandate-counts-per-body"),  # per addressee on 2026-01-01
    Case("seed", "mandates-due-in-quarter"),  # FITKO, Q3/2026: 2025/34 Ziffer 2 and 5
    Case("seed", "mandates-due-in-quarter", {"year": "2025", "quarter": "4"},
         "fitko-2025-q4"),  # FITKO, Q4/2025: 2025/33 Ziffer 2 (15.12.2025)
    Case("seed", "mandates-of-resolution"),  # 2025/34: FIT-SB, FITKO, SPT Datennutzung
    Case("seed", "laender-as-reporters"),  # BE column, Länder and Bund only
    Case("seed", "laender-as-reporters", {"land": "Hamburg"}, "hamburg"),  # by name
    Case("seed", "spokespersons-per-conference"),  # 2025/39: 15 conferences
    Case("seed", "land-roles"),  # HB
    Case("seed", "protocol-notes-by-author"),  # BY ×2, FITKO, 2 redacted
    Case("seed", "statements-by-speaker", {"speaker": "HH"}, "hh"),  # 4 statements by HH
    Case("seed", "votes-with-abstentions-or-against"),  # 2025/34, 2025/35: redacted abstention
    Case("seed", "consent-agenda-items"),  # Grüne Liste, TOP 34 taken off
    Case("seed", "resolutions-citing-eu-acts"),  # 2024/1689, 2024/903 Art. 3, 2018/1724 ×2
    Case("seed", "resolutions-citing-german-laws"),  # OZG § 11 Nr. 2, HwO, BBiG, IDNrG, GO
    Case("seed", "external-decisions-referenced"),  # DMK 2024/10/15
    Case("seed", "resolutions-by-eif-layer"),  # semantic: 2025/34 and its points 1, 3, 4
    Case("seed", "resolutions-by-eif-layer", {"layer": "technisch"}, "technical"),  # 2025/46
    Case("seed", "resolutions-by-eurovoc-subject"),  # Informationssicherheit: 2025/32
    Case("seed", "amounts-per-year"),  # 2025: 213 183 843 + 223 843 035 + 400 000 EUR
    Case("seed", "amounts-decided"),  # the three amounts one by one
    Case("seed", "bodies-lifecycle"),  # Steuerungskreis, temporäre AG, AG RaBe, PG/AG EfA
    Case("seed", "most-cited"),  # 2022/42, Quelle of 5 reports
    Case("seed", "unloaded-references"),  # 25 referenced (DMK 2024/10/15 too), none loaded
    Case("seed", "agenda-items-without-resolution"),  # 8 items
    Case("seed", "full-text-search", {"q": "NOOTS"}),  # 13 places
    Case("seed", "sessions-overview"),  # 48th session
    Case("seed", "mentions-of-body"),  # BVA: 2025/40 Ziffer 4
    Case("seed", "council-members"),  # IT-PLR: Bund + 16 Länder (IT-Staatsvertrag)
    Case("seed", "resolutions-involving", {"body": "ST"}, "st"),  # reporter, asked, named, Länder
    # -- seed + fictional 49th session (tests/queries/protocols) -----------------------------
    Case("extended", "repealed-resolutions"),  # + 2025/33 replaced, 2025/39 repealed
    Case("extended", "amended-resolutions"),  # 2025/34 Ziffer 2 by 2026/02
    Case("extended", "supersession-chain", {"resolution": "2022/43"}),  # two steps
    Case("extended", "in-force-on-date", {"date": "2026-04-01"}),  # without 2025/33, /39, 2026/03
    Case("extended", "votes-with-abstentions-or-against"),  # BY, SN abstain; HH; BW, BY, HE
    Case("extended", "mandates-open-on-date", {"date": "2026-04-01"}),  # session deadline
    Case("extended", "spokespersons-per-conference", {"date": "2026-04-01"}),  # 2026/04 current
    Case("extended", "amounts-per-year"),  # + 2026: 1.5 Mio. EUR
    Case("extended", "bodies-lifecycle"),  # + rejected Projektgruppe Open Data, AG RaBe ends
    Case("extended", "resolutions-citing-eu-acts"),  # + Richtlinie (EU) 2019/1024
    Case("extended", "sessions-overview"),  # 48 and 49
    Case("extended", "consent-agenda-items", {"session": "49"}),  # TOP 06 and 31 on the list
    Case("extended", "mandates-due-in-quarter"),  # + 2026/01 Ziffer 2 (30.09.2026)
    Case("extended", "land-roles", {"land": "BY"}),  # abstention, vote against, spokesperson
    Case("extended", "protocol-notes-by-author", {"author": "HE"}, "hessen"),  # PN (Hessen)
    Case("extended", "resolutions-involving"),  # BY: named, against, abstains, notes, Länder
]

# Queries over the links graph (EuroVoc, EIF): written by kg.links after every load.
LINKS_QUERIES = {"resolutions-by-eif-layer", "resolutions-by-eurovoc-subject"}


def _store(case: Case, request: pytest.FixtureRequest) -> OxigraphStore:
    return request.getfixturevalue(f"{case.store}_store")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.store}:{c.key}")
def test_query_result_matches_expected(case: Case, request: pytest.FixtureRequest,
                                       update_golden: bool) -> None:
    store = _store(case, request)
    if case.query in LINKS_QUERIES and not store.ask(
            "ASK { ?s <https://w3id.org/beschlussgraph/ontology#addressesEifLayer> ?o }"):
        pytest.xfail("no links graph in the store (kg.links is not among the post-load steps)")
    query = load_catalogue().get(case.query)
    variables, rows = run_case(store, query, case.params)
    if update_golden or not case.path.exists():
        write_expected(case, query, variables, rows)
        if not update_golden:
            pytest.fail(f"{case.path} did not exist: written from the current output; check "
                        "it against the protocol, add its evidence, and run again")
        return
    expected = read_expected(case)
    assert expected["evidence"], f"{case.path}: no evidence lines (checked by hand?)"
    assert variables == expected["variables"]
    assert canonical(rows, query.ordered) == expected["rows"]


def test_every_query_has_a_checked_seed_result() -> None:
    seeded = {c.query for c in CASES if c.store == "seed"}
    assert sorted(set(load_catalogue().names()) - seeded) == []


def test_every_expected_file_belongs_to_a_case() -> None:
    from tests.queries.golden import EXPECTED_DIR  # noqa: PLC0415

    known = {c.path for c in CASES}
    stray = sorted(str(p.relative_to(EXPECTED_DIR)) for p in EXPECTED_DIR.rglob("*.json")
                   if p not in known)
    assert stray == []
