"""Bund, the Länder and "die Länder" (issue 12, item 9): the Bund is the federation and no
Land, the group "die Länder" is its own node with the 16 Länder as members, and the
IT-Planungsrat has the Bund and the 16 Länder as members (IT-Staatsvertrag), which the named
query `council-members` returns."""

from __future__ import annotations

from kg.store import OxigraphStore
from queries import load_catalogue

BASE = "https://w3id.org/beschlussgraph/id/"
BG = "https://w3id.org/beschlussgraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
LAENDER = ["BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV", "NI", "NW", "RP", "SH", "SL", "SN",
           "ST", "TH"]


def _v(term: object) -> str:
    return str(getattr(term, "value", term))


def _codes(store: OxigraphStore, sparql: str) -> list[str]:
    rows = store.select(f"PREFIX bg: <{BG}> PREFIX org: <{ORG}> {sparql}")
    return sorted(_v(row["x"]).rsplit("/", 1)[-1] for row in rows)


def test_bund_is_the_federation_not_a_land(seed_store: OxigraphStore) -> None:
    assert _codes(seed_store, "SELECT DISTINCT ?x WHERE { ?x a bg:Federation }") == ["Bund"]
    assert _codes(seed_store, "SELECT DISTINCT ?x WHERE { ?x a bg:Land }") == LAENDER
    assert not seed_store.ask(f"ASK {{ <{BASE}land/Bund> a <{BG}Land> }}")


def test_die_laender_is_a_group_of_the_16_laender(seed_store: OxigraphStore) -> None:
    group = f"<{BASE}gremium/laender>"
    assert _codes(seed_store, f"SELECT DISTINCT ?x WHERE {{ {group} org:hasMember ?x }}") == LAENDER
    assert _codes(seed_store, f"SELECT DISTINCT ?x WHERE {{ ?x org:memberOf {group} }}") == LAENDER
    assert not seed_store.ask(f"ASK {{ {group} a <{BG}Land> }}")
    assert not seed_store.ask(f"ASK {{ {group} a <{BG}Federation> }}")
    assert seed_store.ask(f"ASK {{ {group} a <{ORG}OrganizationalCollaboration> }}")
    # each Land is a member with a membership of its own (role "Mitglied")
    n = seed_store.select(f"""SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{
        {group} <{ORG}hasMembership> ?ms . ?ms <{ORG}member> ?m }}""")[0]["n"]
    assert int(_v(n)) == 16


def test_the_council_has_bund_and_16_laender(seed_store: OxigraphStore) -> None:
    council = f"<{BASE}gremium/it-planungsrat>"
    voting = _codes(seed_store, f"""SELECT DISTINCT ?x WHERE {{ {council} org:hasMember ?x .
        {{ ?x a bg:Land }} UNION {{ ?x a bg:Federation }} }}""")
    assert voting == sorted(["Bund", *LAENDER])
    assert not seed_store.ask(f"ASK {{ {council} <{ORG}hasMember> <{BASE}gremium/laender> }}")


def _run(store: OxigraphStore, **params: str) -> list[dict[str, object]]:
    query = load_catalogue().get("council-members")
    return store.select(query.bound_text(query.bind(params)))


def test_council_members_query_returns_the_17(seed_store: OxigraphStore) -> None:
    rows = _run(seed_store)
    assert len(rows) == 17
    assert [(_v(r["code"]), _v(r["kind"])) for r in rows] == [
        ("Bund", "Federation"), *((code, "Land") for code in LAENDER)]
    first = rows[0]
    assert (_v(first["nameDe"]), _v(first["nameEn"])) == ("Bund", "Federation")
    bavaria = next(r for r in rows if _v(r["code"]) == "BY")
    assert (_v(bavaria["nameDe"]), _v(bavaria["nameEn"])) == ("Bayern", "Bavaria")
    assert {_v(r["role"]) for r in rows} == {"member"}


def test_council_members_with_advisory_adds_the_three_municipal_associations(
        seed_store: OxigraphStore) -> None:
    rows = _run(seed_store, advisory="true")
    assert len(rows) == 20
    extra = sorted(_v(r["code"]) for r in rows if _v(r["kind"]) == "body")
    assert extra == ["DLT", "DST", "DStGB"]


def test_council_members_of_the_laender_group_and_the_steering_circle(
        seed_store: OxigraphStore) -> None:
    assert [_v(r["code"]) for r in _run(seed_store, body="Länder")] == LAENDER
    # protocol of the 48th session, TOP 09: "Gemeldet hätten sich dafür BB, BY, HB, HE, HH,
    # MV, NW, SL, TH und der Bund. Diese Gruppe stelle den erweiterten Steuerungskreis dar."
    assert [_v(r["code"]) for r in _run(seed_store, body="erw. Steuerungskreis")] == [
        "Bund", "BB", "BY", "HB", "HE", "HH", "MV", "NW", "SL", "TH"]
