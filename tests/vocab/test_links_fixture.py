"""The links graph on the hand-written fixture (no parser involved), and the curated files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.links import (
    GAZETTEER_CSV,
    LINKS_DIR,
    VOCAB_DIR,
    CuratedFileError,
    article_iri,
    iter_terms,
    normalise,
    read_rules,
)
from loaders.gazetteer import read_entries

from .conftest import BASE, PREFIXES

R34 = BASE + "eli/itplr/beschluss/2025/34"
R42 = BASE + "eli/itplr/beschluss/2025/42"
LINKS = BASE + "graph/links"


def select(store, query: str) -> list[dict]:
    return store.select(query, prefixes=PREFIXES)


def test_links_graph_is_its_own_named_graph(fixture_store):
    assert LINKS in fixture_store.named_graphs()
    assert fixture_store.count_quads(LINKS) > 500


# -- EIF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("point", "layers"), [
    ("1", {"eif-layer-semantic"}),                       # "(adressiert die semantische …)"
    ("2", {"eif-layer-interoperability-governance"}),    # "(adressiert Governance Strukturen)"
    ("5", {"eif-layer-legal", "eif-layer-organisational"}),  # "rechtliche und organisatorische"
])
def test_eif_layers_point_by_point(fixture_store, point, layers):
    rows = select(fixture_store, f"SELECT ?l WHERE {{ <{R34}/ziffer/{point}> "
                                 "bg:addressesEifLayer ?l }")
    assert {str(r["l"]).rsplit("/", 1)[1] for r in rows} == layers


def test_resolution_collects_the_layers_of_its_points(fixture_store):
    rows = select(fixture_store, f"SELECT ?l WHERE {{ <{R34}> bg:addressesEifLayer ?l }}")
    assert {str(r["l"]).rsplit("/", 1)[1] for r in rows} == {
        "eif-layer-semantic", "eif-layer-interoperability-governance", "eif-layer-legal",
        "eif-layer-organisational"}


def test_eif_concepts_minted_under_the_base_with_labels(fixture_store):
    assert fixture_store.ask(
        'ASK { eif:eif-layer-semantic a skos:Concept , bg:EifLayer ; skos:inScheme id:eif ; '
        'skos:prefLabel "Semantic interoperability"@en , "Semantische Interoperabilität"@de ; '
        'skos:notation "3.5" ; bg:projectProvidedLabel "Semantische Interoperabilität"@de }',
        prefixes=PREFIXES)
    count = select(fixture_store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c skos:topConceptOf id:eif }")
    assert count[0]["n"] == 18  # 12 principles + 6 layers


def test_eif_assignment_keeps_the_cue_as_evidence(fixture_store):
    rows = select(fixture_store, f"""SELECT ?term ?cue ?in ?src WHERE {{
        ?a a bg:SubjectAssignment ; rdf:subject <{R34}/ziffer/1> ;
           rdf:predicate bg:addressesEifLayer ; rdf:object eif:eif-layer-semantic ;
           bg:matchedTerm ?term ; bg:mappingTerm ?cue ; bg:matchedIn ?in ;
           bg:evidenceSource ?src }}""")
    assert rows == [{"term": "semantische Interoperabilität", "cue": "semantische Interoperabilität",
                     "in": "point", "src": rows[0]["src"]}]
    assert str(rows[0]["src"]) == R34 + "/ziffer/1"


# -- EuroVoc ------------------------------------------------------------------------------------


def test_subjects_with_evidence(fixture_store):
    rows = select(fixture_store, f"""SELECT ?c ?term ?in WHERE {{
        <{R34}> eli:is_about ?c .
        ?a rdf:subject <{R34}> ; rdf:predicate eli:is_about ; rdf:object ?c ;
           bg:matchedTerm ?term ; bg:matchedIn ?in }}""")
    got = {str(r["c"]).rsplit("/", 1)[1]: (r["term"], r["in"]) for r in rows}
    # "Interoperabilität" in the title → administrative cooperation (no EuroVoc concept of its own)
    assert got["206"] == ("Interoperabilität", "title")
    # the section label "Digitale Transformation" → digitisation
    assert got["6191"] == ("Digitale Transformation", "section")
    # the first standardisation term of point 1 is the board's name
    assert got["2076"] == ("IT-Standardisierungsboard", "point")
    assert got["6894"] == ("IT-Planungsrat", "point")  # the broad fallback, last in the file


def test_german_label_of_eurovoc_concept_is_marked_project_provided(fixture_store):
    assert fixture_store.ask(
        'ASK { <http://eurovoc.europa.eu/6894> skos:prefLabel "E-Government"@de ; '
        'bg:projectProvidedLabel "E-Government"@de }', prefixes=PREFIXES)
    # the official labels stay in the EuroVoc graph, the German one is not there
    assert not fixture_store.ask(
        'ASK { GRAPH <urn:vocab:eurovoc> { <http://eurovoc.europa.eu/6894> skos:prefLabel ?l '
        'FILTER(lang(?l) = "de") } }', prefixes=PREFIXES)


# -- EU acts, assessment relevance -------------------------------------------------------------


def test_eu_act_described_with_celex_type_and_date(fixture_store):
    assert fixture_store.ask("""ASK {
        <http://data.europa.eu/eli/reg/2024/903/oj> a bg:EUAct , eli:LegalResource ;
            bg:celex "32024R0903" ; eli:id_local "32024R0903" ;
            eli:type_document <http://publications.europa.eu/resource/authority/resource-type/REG> ;
            eli:date_document "2024-03-13"^^xsd:date ;
            eli:title_short "Interoperable Europe Act"@en ;
            rdfs:label "Verordnung (EU) 2024/903"@de }""", prefixes=PREFIXES)


def test_article_iri_as_eur_lex_forms_it():
    assert article_iri("http://data.europa.eu/eli/reg/2024/903/oj", "3").value == \
        "http://data.europa.eu/eli/reg/2024/903/art_3/oj"


@pytest.mark.parametrize(("act", "label_en", "label_de"), [
    ("reg/2024/903", "Regulation (EU) 2024/903", "Verordnung (EU) 2024/903"),
    ("reg/2014/910", "Regulation (EU) No 910/2014", "Verordnung (EU) Nr. 910/2014"),  # pre-2015
    ("dir/2022/2555", "Directive (EU) 2022/2555", "Richtlinie (EU) 2022/2555"),
])
def test_eu_act_citation_labels(fixture_store, act, label_en, label_de):
    assert fixture_store.ask(f'ASK {{ <http://data.europa.eu/eli/{act}/oj> rdfs:label '
                             f'"{label_en}"@en , "{label_de}"@de }}', prefixes=PREFIXES)


def test_cited_article_and_assessment_relevance(fixture_store):
    art = "http://data.europa.eu/eli/reg/2024/903/art_3/oj"
    assert fixture_store.ask(f"""ASK {{
        <{R42}> eli:cites <{art}> ; bg:interoperabilityAssessmentRelevant true ;
            bg:interoperabilityAssessmentBasis <{art}> .
        <{art}> a eli:LegalResourceSubdivision ; eli:number "3" ;
            eli:is_part_of <http://data.europa.eu/eli/reg/2024/903/oj> }}""", prefixes=PREFIXES)
    evidence = select(fixture_store, f"SELECT ?e WHERE {{ <{R42}> "
                                     "bg:interoperabilityAssessmentEvidence ?e }")
    assert evidence == [{"e": "Interoperabilitäts-Assessment gemäß Verordnung (EU) 2024/903, "
                              "Art. 3"}]
    # silence is not a finding: no resolution is marked false
    assert not fixture_store.ask("ASK { ?r bg:interoperabilityAssessmentRelevant false }",
                                 prefixes=PREFIXES)


def test_german_laws_with_title_and_link(fixture_store):
    assert fixture_store.ask("""ASK {
        id:gesetz\\/egovg a bg:GermanLaw ; bg:abbreviation "EGovG" ;
            eli:title "Gesetz zur Förderung der elektronischen Verwaltung"@de ;
            eli:title_short "E-Government-Gesetz"@de ;
            rdfs:seeAlso <http://www.gesetze-im-internet.de/egovg/BJNR274910013.html> ;
            eli:date_document "2013-07-25"^^xsd:date }""", prefixes=PREFIXES)
    assert fixture_store.ask('ASK { id:gesetz\\/it-staatsvertrag bg:abbreviation '
                             '"IT-Staatsvertrag" }', prefixes=PREFIXES)


# -- Länder and bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(("nuts", "land"), [
    ("DE2", "BY"), ("DE1", "BW"), ("DEA", "NW"), ("DEG", "TH"), ("DE", "Bund")])
def test_land_by_nuts_code(fixture_store, nuts, land):
    rows = select(fixture_store, f'SELECT ?l WHERE {{ ?l bg:nutsCode "{nuts}" }}')
    assert [str(r["l"]) for r in rows] == [BASE + "land/" + land]


def test_land_external_identifiers(fixture_store):
    assert fixture_store.ask("""ASK { id:land\\/BY a bg:Land , m8g:PublicOrganisation ,
            org:Organization ;
        skos:prefLabel "Bayern"@de , "Bavaria"@en ; skos:notation "BY" ;
        owl:sameAs <http://www.wikidata.org/entity/Q980> ;
        skos:exactMatch <http://eurovoc.europa.eu/4835> ,
            <http://dcat-ap.de/def/politicalGeocoding/stateKey/09> ;
        dct:spatial <http://www.geonames.org/2951839/> }""", prefixes=PREFIXES)
    # the Bund: federal level is related to, not the same as, the Federal Republic
    assert fixture_store.ask("""ASK { id:land\\/Bund a bg:Federation ;
        skos:altLabel "Bundesrepublik Deutschland"@de ;
        skos:relatedMatch <http://dcat-ap.de/def/politicalGeocoding/level/federal> }""",
                             prefixes=PREFIXES)


def test_seventeen_members_of_the_council(fixture_store):
    rows = select(fixture_store, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { "
                                 "id:gremium\\/it-planungsrat org:hasMember ?m . ?m a ?t "
                                 "FILTER(?t IN (bg:Land, bg:Federation)) }")
    assert rows[0]["n"] == 17


@pytest.mark.parametrize("body", ["fitko", "fit-sb", "ag-infosic", "al-runde"])
def test_sub_organisations_of_the_council(fixture_store, body):
    assert fixture_store.ask(f"ASK {{ id:gremium\\/{body} org:subOrganizationOf "
                             "id:gremium\\/it-planungsrat }", prefixes=PREFIXES)


def test_working_group_with_lead_land_and_membership(fixture_store):
    assert fixture_store.ask("""ASK {
        id:gremium\\/ag-efa-finanzierung a bg:WorkingGroup ; bg:leadLand id:land\\/HE ;
            org:hasMembership ?m .
        ?m a org:Membership ; org:member id:land\\/HE ; org:role id:rolle\\/federfuehrung .
        id:rolle\\/federfuehrung skos:prefLabel "Federführung"@de , "lead"@en }""",
                             prefixes=PREFIXES)


def test_municipal_associations_are_advisory_members(fixture_store):
    rows = select(fixture_store, """SELECT ?b WHERE { id:gremium\\/it-planungsrat
        org:hasMembership ?m . ?m org:member ?b ; org:role id:rolle\\/beratend } ORDER BY ?b""")
    assert [str(r["b"]).rsplit("/", 1)[1] for r in rows] == ["dlt", "dst", "dstgb"]


def test_ministerial_conferences(fixture_store):
    rows = select(fixture_store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c org:linkedTo "
                                 "id:gremium\\/fachministerkonferenzen ; a bg:MinisterialConference }")
    assert rows[0]["n"] == 15  # the list of B-2025/39-IT


# -- curated files ------------------------------------------------------------------------------


def test_body_slugs_match_the_gazetteer():
    keys = {e.key: e.kind for e in read_entries(GAZETTEER_CSV)}
    with (LINKS_DIR / "bodies.csv").open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            for ref in (row["subject"], row["object"]):
                kind, _, key = ref.partition(":")
                if kind in ("gremium", "land"):
                    assert keys.get(key) == {"gremium": "body", "land": "land"}[kind], \
                        f"bodies.csv:{line}: {ref}"


def test_mapping_targets_are_subset_concepts():
    with (VOCAB_DIR / "eurovoc" / "subset.csv").open(encoding="utf-8", newline="") as fh:
        subset = {row["concept_uri"] for row in csv.DictReader(fh)}
    for rule in read_rules(LINKS_DIR / "eurovoc_mapping.csv", "concept_uri"):
        assert rule.target in subset, f"eurovoc_mapping.csv:{rule.line}"
    with (LINKS_DIR / "eurovoc_labels_de.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            assert row["concept_uri"] in subset
            assert row["comment"] == "project-provided"


@pytest.mark.parametrize(("text", "term", "hit"), [
    ("Die Steuerungsgruppe NOOTS", "Steuerverwaltung", False),   # steuern ≠ Steuer
    ("Gesundheitsministerkonferenz: Niedersachsen", "Gesundheit", False),  # a body name
    ("Datenaustausch im Gesundheitswesen", "Gesundheit", True),
    ("Rückzahlung der Schulden", "Bildung", False),                # Schulden ≠ Schule
    ("deutscher Schulen, Hochschulen", "Bildung", True),
    ("NOOTS-Staatsvertrag", "Verträge", False),                    # a treaty, not a contract
    ("einen Nachtrag zum bestehenden Vertrag", "Verträge", True),
    ("KI-Systeme des Marktplatzes", "Künstliche Intelligenz", True),
    ("die SDG2-Verfahren R1", "Single Digital Gateway", True),
])
def test_mapping_patterns(text, term, hit):
    rules = [r for r in read_rules(LINKS_DIR / "eurovoc_mapping.csv", "concept_uri")
             if r.term == term]
    assert rules, term
    assert bool(rules[0].pattern.search(text)) is hit


@pytest.mark.parametrize(("text", "cue", "hit"), [
    ("(adressiert die semantische Interoperabilität)", "semantische Interoperabilität", True),
    ("rechtliche und organisatorische Interoperabilitätsaufgaben", "rechtliche Interoperabilität",
     True),
    ("rechtliche und organisatorische Interoperabilitätsaufgaben",
     "organisatorische Interoperabilität", True),
    ("Bereitstellungsmöglichkeiten zu evaluieren", "Wirkungsmonitoring und Evaluation", False),
    ("und in 2028 evaluiert", "Wirkungsmonitoring und Evaluation", True),
])
def test_eif_cue_patterns(text, cue, hit):
    rules = [r for r in read_rules(LINKS_DIR / "eif_cues.csv", "eif_id") if r.term == cue]
    assert rules, cue
    assert bool(rules[0].pattern.search(text)) is hit


@pytest.mark.parametrize(("raw", "clean"), [
    ("IT-\nPlanungsrat", "IT-Planungsrat"),           # hyphen before a capital stays
    ("Schwerpunktthe-\nmen 2025", "Schwerpunktthemen 2025"),  # syllable break goes
    ("Verordnung (EU)\n2024/903,  Art. 3", "Verordnung (EU) 2024/903, Art. 3"),
])
def test_normalise_undoes_line_layout(raw, clean):
    assert normalise(raw) == clean


def test_bad_pattern_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "eurovoc_mapping.csv"
    bad.write_text("term,pattern,concept_uri\nok,ok,http://eurovoc.europa.eu/77\n"
                   "broken,(unclosed,http://eurovoc.europa.eu/77\n", encoding="utf-8")
    with pytest.raises(CuratedFileError, match=r"eurovoc_mapping.csv:3: bad pattern"):
        read_rules(bad, "concept_uri")


def test_every_written_term_is_listed_in_terms_md():
    terms = (LINKS_DIR / "TERMS.md").read_text(encoding="utf-8")
    for term in iter_terms():
        assert f"`bg:{term}`" in terms, term
