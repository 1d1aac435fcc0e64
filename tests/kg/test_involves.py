"""bg:involves (kg/involvement.py): every Land or body a decision involves, written with each
document, equal load after load to the ways it stands for joined over the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.loading import load_paths
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreDirectory

ROOT = Path(__file__).resolve().parents[1]
P49 = ROOT / "queries" / "protocols" / "itplr-49-2026-03-18-protokoll.txt"
BASE = Settings().base_iri
# the ways as SPARQL joins over the union: what the lists filtered by body joined before
JOINED_WAYS = (
    "?r eli:passed_by ?v",
    "?r bg:agendaItem ?item . ?item bg:reporter ?v",
    "?m bg:issuedBy ?r ; bg:assignee ?v",
    "?r bg:mentions ?v",
    "?p eli:is_part_of ?r ; bg:mentions ?v",
    "?r bg:establishes|bg:continuesBody|bg:endsBody ?v",
    "?r bg:vote ?vote . ?vote bg:abstainedBy|bg:votedAgainstBy ?v",
    "?n bg:about ?r ; bg:author ?v",
    # "die Länder" involved: every Land with them
    f"?r bg:involves <{BASE}gremium/laender> . "
    f"?v <http://www.w3.org/ns/org#memberOf> <{BASE}gremium/laender>",
)
SIXTEEN = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST",
           "SH", "TH"}
PREFIXES = """PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""


def _load(store: Path, *paths: Path) -> None:
    report = load_paths(list(paths), Settings(store=store))
    assert report.ok, [str(e) for _, e in report.failed]


def _involved(store: Path, rid: str) -> set[str]:
    """The last path segment of every IRI `rid` involves: a body's slug, a Land's code."""
    s = StoreDirectory(store).open_read_only()
    rows = s.select(PREFIXES + f'SELECT ?v WHERE {{ ?r eli:id_local "{rid}" ; bg:involves ?v }}')
    return {str(row["v"].value).rsplit("/", 1)[-1] for row in rows}


def _derived_pairs(store: Path) -> set[tuple[str, str]]:
    s = StoreDirectory(store).open_read_only()
    rows = s.select(PREFIXES + "SELECT DISTINCT ?r ?v WHERE { GRAPH ?g { ?r bg:involves ?v } }")
    return {(row["r"].value, row["v"].value) for row in rows}


def _joined_pairs(store: Path) -> set[tuple[str, str]]:
    """The six ways joined over the union, as the lists did before the load derived them."""
    s = StoreDirectory(store).open_read_only()
    pairs = set()
    for way in JOINED_WAYS:
        rows = s.select(PREFIXES + f"SELECT ?r ?v WHERE {{ {way} . "
                        "{ ?r a bg:Resolution } UNION { ?r a bg:ExternalDecision } }")
        pairs |= {(row["r"].value, row["v"].value) for row in rows}
    return pairs


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data (a protocol and the register), then protocol 49 in a second load."""
    root = tmp_path_factory.mktemp("involves") / "store"
    _load(root, SAMPLES_DIR)
    _load(root, P49)
    return root


@pytest.mark.parametrize(("rid", "expected"), [
    # passed by the council; BE column "ST"; Sachsen-Anhalt is asked in its text, "unter
    # Beteiligung der fachpolitischen Sprecher:innen", "mit den zuständigen
    # Fachministerkonferenzen" (its text has no numbered points)
    ("2025/35", {"it-planungsrat", "ST", "fachpolitische-sprecher", "fachministerkonferenzen"}),
    # BE "ST, FIT-SB"; the text names the DMK's decision, "die Länderverwaltungen" (so every
    # Land) and the föderale IT-Standardisierungsboard (FIT-SB)
    ("2025/44", {"it-planungsrat", "ST", "fit-sb", "dmk", "laender", *SIXTEEN}),
    # BE Bund; Bayern's protocol note on it; the Länder named in its points, so every Land
    ("2025/45", {"it-planungsrat", "Bund", "laender", *SIXTEEN}),
    # BE HH; "letztmalige Fortführung der Projektgruppe AG RaBe": no points, the
    # resolution's own text names the group it continues
    ("2025/50", {"it-planungsrat", "HH", "ag-rabe"}),
    # BE HH; approves the rules of procedure of the Steuerungsgruppe NOOTS, named in its text
    ("2025/52", {"it-planungsrat", "HH", "steuerungsgruppe-noots"}),
    # BE Bund, FITKO; establishes the erweiterter Steuerungskreis (Ziffer 3), names the
    # Steuerungsgruppe NOOTS and the Länder
    ("2025/33", {"it-planungsrat", "Bund", "fitko", "steuerungsgruppe-noots",
                 "erweiterter-steuerungskreis", "laender", *SIXTEEN}),
    # a resolution of the register: passed by the council; its title names the
    # fachpolitische Sprecher
    ("2024/01", {"it-planungsrat", "fachpolitische-sprecher"}),
    # another body's decision, cited by 2025/44: passed by the DMK
    ("DMK 2024/10/15", {"dmk"}),
    # protocol 49, second load: BE "Bund, FITKO", a mandate to FITKO, BY and SN abstained
    ("2026/01", {"it-planungsrat", "Bund", "fitko", "BY", "SN"}),
    # BE TH; Hessen's protocol note (the Länder it names are no part of the resolution);
    # HH voted against
    ("2026/02", {"it-planungsrat", "TH", "HE", "HH"}),
    # BE HE; rejected with votes against from BW, BY and HE; "in den Ländern": every Land
    ("2026/03", {"it-planungsrat", "laender", *SIXTEEN}),
])
def test_a_resolution_involves_whom_its_documents_name(store: Path, rid: str,
                                                       expected: set[str]) -> None:
    assert _involved(store, rid) == expected


def test_the_derived_facts_equal_the_ways_joined(store: Path) -> None:
    derived = _derived_pairs(store)
    assert len(derived) > 150
    assert derived == _joined_pairs(store)


def test_a_replaced_protocol_takes_its_involvement_back(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _load(root, SAMPLES_DIR, P49)
    assert "SN" in _involved(root, "2026/01")
    # the same document (same file name) with the abstention of BY and SN gone
    changed = tmp_path / P49.name
    changed.write_text(P49.read_text(encoding="utf-8").replace(
        "mehrheitlich bei Enthaltung von BY und SN angenommen", "einstimmig angenommen"),
        encoding="utf-8")
    _load(root, changed)
    # BY still speaks in the discussion, which is no involvement; SN is gone
    assert _involved(root, "2026/01") == {"it-planungsrat", "Bund", "fitko"}
    assert _derived_pairs(root) == _joined_pairs(root)
