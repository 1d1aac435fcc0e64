"""The shapes, row by row: each row changes the valid fixture with one SPARQL update and
names exactly the results it must cause, as (focus, path, constraint component)."""

from __future__ import annotations

import pytest

from kg.namespaces import DEFAULT_BASE
from kg.validate import ValidationReport, validate_graph
from tests.ontology.conftest import SHAPES, mutate

R = "eli/itplr/beschluss/2025/31"  # the loaded resolution of the fixture
STUB = "eli/itplr/beschluss/2025/02"  # a resolution that is only cited
TOP = "sitzung/itplr/48/top/03"

Expected = set[tuple[str, str | None, str]]


def results(report: ValidationReport, severity: str) -> Expected:
    return {(v.focus.removeprefix(DEFAULT_BASE), v.path, v.constraint)
            for v in report.violations if v.severity == severity}


VIOLATIONS = [
    # the fixture itself is a complete, valid dataset
    pytest.param("", set(), id="valid-fixture"),
    # a point without eli:is_part_of: violation on that path
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/1> eli:is_part_of ?r }}",
                 {(f"{R}/ziffer/1", "eli:is_part_of", "MinCount")}, id="point-without-is_part_of"),
    # eli:is_part_of pointing to something that is not a bg:Resolution
    pytest.param(f"DELETE {{ <{R}/ziffer/1> eli:is_part_of ?r }} "
                 f"INSERT {{ <{R}/ziffer/1> eli:is_part_of <land/HB> }} "
                 f"WHERE {{ <{R}/ziffer/1> eli:is_part_of ?r }}",
                 {(f"{R}/ziffer/1", "eli:is_part_of", "Class"),
                  (f"{R}/ziffer/1", None, "SPARQL")}, id="point-part-of-non-resolution"),
    # a resolution id "2025/3x" breaks the canonical pattern
    pytest.param(f'DELETE {{ <{R}> eli:id_local ?i }} INSERT {{ <{R}> eli:id_local "2025/3x" }} '
                 f"WHERE {{ <{R}> eli:id_local ?i }}",
                 {(R, "eli:id_local", "Pattern")}, id="id-2025/3x"),
    # the id as written ("B-2025/31-IT") is not the canonical id
    pytest.param(f'DELETE {{ <{R}> eli:id_local ?i }} '
                 f'INSERT {{ <{R}> eli:id_local "B-2025/31-IT" }} WHERE {{ <{R}> eli:id_local ?i }}',
                 {(R, "eli:id_local", "Pattern")}, id="id-as-written"),
    # AL-Runde and follow-up ids are canonical too (on the stub, which has no kind type)
    pytest.param(f'DELETE {{ <{STUB}> eli:id_local ?i }} INSERT {{ <{STUB}> eli:id_local '
                 f'"2025/09-AL" }} WHERE {{ <{STUB}> eli:id_local ?i }}', set(), id="id-AL"),
    pytest.param(f'DELETE {{ <{STUB}> eli:id_local ?i }} INSERT {{ <{STUB}> eli:id_local '
                 f'"F-2025/03" }} WHERE {{ <{STUB}> eli:id_local ?i }}', set(), id="id-follow-up"),
    # a council resolution may not carry an AL-Runde id (the numbers collide)
    pytest.param(f'DELETE {{ <{R}> eli:id_local ?i }} INSERT {{ <{R}> eli:id_local "2025/31-AL" }} '
                 f"WHERE {{ <{R}> eli:id_local ?i }}",
                 {(R, "eli:id_local", "Not")}, id="council-with-AL-id"),
    # an AL-Runde decision typed as such needs the -AL id
    pytest.param(f"INSERT DATA {{ <{STUB}> a bg:ALRundeDecision }}",
                 {(STUB, "eli:id_local", "Pattern")}, id="AL-decision-with-council-id"),
    # two canonical ids for one resolution
    pytest.param(f'INSERT DATA {{ <{R}> eli:id_local "2025/32" }}',
                 {(R, "eli:id_local", "MaxCount")}, id="two-ids"),
    # a cited stub without any id
    pytest.param(f"DELETE WHERE {{ <{STUB}> eli:id_local ?i }}",
                 {(STUB, "eli:id_local", "MinCount")}, id="stub-without-id"),
    # a loaded resolution (with prov:wasDerivedFrom) needs a title ...
    pytest.param(f"DELETE WHERE {{ <{R}> eli:title ?t }}",
                 {(R, "eli:title", "SPARQL")}, id="loaded-without-title"),
    # ... and the deciding body
    pytest.param(f"DELETE WHERE {{ <{R}> eli:passed_by ?b }}",
                 {(R, "eli:passed_by", "SPARQL")}, id="loaded-without-passed_by"),
    # an English title breaks the @de contract
    pytest.param(f'DELETE {{ <{R}> eli:title ?t }} INSERT {{ <{R}> eli:title "Key figures"@en }} '
                 f"WHERE {{ <{R}> eli:title ?t }}",
                 {(R, "eli:title", "LanguageIn")}, id="title-not-german"),
    # a resolution loaded from a protocol always has the session date
    pytest.param(f"DELETE WHERE {{ <{R}> eli:date_document ?d }}",
                 {(R, "eli:date_document", "SPARQL")}, id="protocol-resolution-undated"),
    # eli:date_document as a plain string instead of xsd:date
    pytest.param(f'DELETE {{ <{R}> eli:date_document ?d }} '
                 f'INSERT {{ <{R}> eli:date_document "26.11.2025" }} '
                 f"WHERE {{ <{R}> eli:date_document ?d }}",
                 {(R, "eli:date_document", "Datatype")}, id="date-not-xsd-date"),
    # the materialised alignment eli:LegalResource is missing
    pytest.param(f"DELETE DATA {{ <{R}> a eli:LegalResource }}",
                 {(R, "rdf:type", "HasValue"),
                  # the reference citing it no longer finds an eli:LegalResource
                  (f"{R}/verweis/1", "bg:citing", "Class")},
                 id="resolution-not-eli-legal-resource"),
    # a point number "3a" is not of the form 3 / 2.1
    pytest.param(f'DELETE {{ <{R}/ziffer/1> eli:number ?n }} '
                 f'INSERT {{ <{R}/ziffer/1> eli:number "3a" }} '
                 f"WHERE {{ <{R}/ziffer/1> eli:number ?n }}",
                 {(f"{R}/ziffer/1", "eli:number", "Pattern")}, id="point-number-3a"),
    # a sub-point 2.1 without bg:parentPoint
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/2.1> bg:parentPoint ?p }}",
                 {(f"{R}/ziffer/2.1", "bg:parentPoint", "SPARQL")}, id="subpoint-without-parent"),
    # a point read from the document but not listed by eli:has_part
    pytest.param(f"DELETE DATA {{ <{R}> eli:has_part <{R}/ziffer/1> }}",
                 {(f"{R}/ziffer/1", None, "SPARQL")}, id="point-not-in-has_part"),
    # a point read from the document without source lines
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/1> bg:lineStart ?s ; bg:lineEnd ?e }}",
                 {(f"{R}/ziffer/1", "bg:lineStart", "SPARQL"),
                  (f"{R}/ziffer/1", "bg:lineEnd", "SPARQL")}, id="point-without-lines"),
    # a cited point of a stub (no text, no source) is fine without lines and has_part
    pytest.param(f"DELETE WHERE {{ <{STUB}/ziffer/3> eli:number ?n }} ;"
                 f'INSERT DATA {{ <{STUB}/ziffer/3> eli:number "3" }}', set(), id="cited-point"),
    # bg:lineStart > bg:lineEnd is no shape (the union mixes documents): see
    # test_validate_report.py::test_reversed_ranges_are_found_graph_by_graph
    pytest.param(f"DELETE {{ <{R}/abstimmung> bg:lineStart ?s }} "
                 f"INSERT {{ <{R}/abstimmung> bg:lineStart 99 }} "
                 f"WHERE {{ <{R}/abstimmung> bg:lineStart ?s }}", set(), id="lines-reversed"),
    # a start line without an end line
    pytest.param(f"DELETE WHERE {{ <{R}/abstimmung> bg:lineEnd ?e }}",
                 {(f"{R}/abstimmung", "bg:lineEnd", "MinCount")}, id="line-end-missing"),
    # page numbers are integers, in pairs
    pytest.param(f'INSERT DATA {{ <{R}/abstimmung> bg:pageStart "3" }}',
                 {(f"{R}/abstimmung", "bg:pageStart", "Datatype"),
                  # a string cannot be compared with 1 either
                  (f"{R}/abstimmung", "bg:pageStart", "MinInclusive"),
                  (f"{R}/abstimmung", "bg:pageEnd", "MinCount")}, id="page-start-string"),
    # line numbers are 1-based integers
    pytest.param(f"DELETE {{ <{R}/abstimmung> bg:lineStart ?s }} "
                 f"INSERT {{ <{R}/abstimmung> bg:lineStart 0 }} "
                 f"WHERE {{ <{R}/abstimmung> bg:lineStart ?s }}",
                 {(f"{R}/abstimmung", "bg:lineStart", "MinInclusive")}, id="line-zero"),
    # an extracted resource without prov:wasDerivedFrom
    pytest.param(f"DELETE WHERE {{ <{TOP}/wortbeitrag/1> prov:wasDerivedFrom ?g }}",
                 {(f"{TOP}/wortbeitrag/1", "prov:wasDerivedFrom", "MinCount")},
                 id="statement-without-provenance"),
    # prov:wasDerivedFrom must name a described source document
    pytest.param(f"DELETE {{ <{TOP}> prov:wasDerivedFrom ?g }} "
                 f"INSERT {{ <{TOP}> prov:wasDerivedFrom <graph/unknown> }} "
                 f"WHERE {{ <{TOP}> prov:wasDerivedFrom ?g }}",
                 {(TOP, "prov:wasDerivedFrom", "Class")}, id="derived-from-unknown-document"),
    # a mandate with neither bg:assignee nor bg:unresolvedAssignee
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/2/auftrag/1> bg:assignee ?a }}",
                 {(f"{R}/ziffer/2/auftrag/1", None, "Or")}, id="mandate-without-assignee"),
    # an unknown assignee kept as written is enough
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/2/auftrag/1> bg:assignee ?a }} ;"
                 f'INSERT DATA {{ <{R}/ziffer/2/auftrag/1> bg:unresolvedAssignee "die KoSIT" }}',
                 set(), id="mandate-unresolved-assignee"),
    # a mandate without bg:issuedBy
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/2/auftrag/1> bg:issuedBy ?r }}",
                 {(f"{R}/ziffer/2/auftrag/1", "bg:issuedBy", "MinCount")},
                 id="mandate-without-issuer"),
    # a deadline written as a German date string instead of xsd:date
    pytest.param(f"DELETE {{ <{R}/ziffer/2/auftrag/1> bg:deadline ?d }} "
                 f'INSERT {{ <{R}/ziffer/2/auftrag/1> bg:deadline "30.06.2026" }} '
                 f"WHERE {{ <{R}/ziffer/2/auftrag/1> bg:deadline ?d }}",
                 {(f"{R}/ziffer/2/auftrag/1", "bg:deadline", "Datatype")},
                 id="deadline-not-xsd-date"),
    # a deadline kind outside the list
    pytest.param(f"DELETE {{ <{R}/ziffer/2/auftrag/1> bg:deadlineKind ?k }} "
                 f'INSERT {{ <{R}/ziffer/2/auftrag/1> bg:deadlineKind "soon" }} '
                 f"WHERE {{ <{R}/ziffer/2/auftrag/1> bg:deadlineKind ?k }}",
                 {(f"{R}/ziffer/2/auftrag/1", "bg:deadlineKind", "In")}, id="deadline-kind"),
    # a vote without outcome
    pytest.param(f"DELETE WHERE {{ <{R}/abstimmung> bg:outcome ?o }}",
                 {(f"{R}/abstimmung", "bg:outcome", "MinCount")}, id="vote-without-outcome"),
    # an outcome from the wrong scheme (a form, not an outcome)
    pytest.param(f"DELETE {{ <{R}/abstimmung> bg:outcome ?o }} "
                 f"INSERT {{ <{R}/abstimmung> bg:outcome bg:FormBeschluss }} "
                 f"WHERE {{ <{R}/abstimmung> bg:outcome ?o }}",
                 {(f"{R}/abstimmung", "bg:outcome", "In")}, id="vote-outcome-not-in-scheme"),
    # two outcomes for one vote
    pytest.param(f"INSERT DATA {{ <{R}/abstimmung> bg:outcome bg:Rejected }}",
                 {(f"{R}/abstimmung", "bg:outcome", "MaxCount")}, id="vote-two-outcomes"),
    # a vote no resolution points to
    pytest.param(f"DELETE DATA {{ <{R}> bg:vote <{R}/abstimmung> }}",
                 {(f"{R}/abstimmung", "^bg:vote", "MinCount")}, id="vote-orphan"),
    # unanimous as the string "ja"
    pytest.param(f"DELETE {{ <{R}/abstimmung> bg:unanimous ?u }} "
                 f'INSERT {{ <{R}/abstimmung> bg:unanimous "ja" }} '
                 f"WHERE {{ <{R}/abstimmung> bg:unanimous ?u }}",
                 {(f"{R}/abstimmung", "bg:unanimous", "Datatype")}, id="unanimous-not-boolean"),
    # a protocol note with no author, no author label and not redacted
    pytest.param(f"DELETE WHERE {{ <{TOP}/protokollnotiz/1> bg:author ?a ; bg:authorLabel ?l }}",
                 {(f"{TOP}/protokollnotiz/1", None, "Or")}, id="note-without-author"),
    # a redacted note needs no author
    pytest.param(f"DELETE WHERE {{ <{TOP}/protokollnotiz/1> bg:author ?a ; bg:authorLabel ?l ; "
                 f"bg:redacted ?r }} ; INSERT DATA {{ <{TOP}/protokollnotiz/1> bg:redacted true }}",
                 set(), id="note-redacted"),
    # an amount as xsd:double instead of xsd:decimal
    pytest.param(f"DELETE {{ <{R}/betrag/1> bg:amountValue ?v }} "
                 f"INSERT {{ <{R}/betrag/1> bg:amountValue 1.5e6 }} "
                 f"WHERE {{ <{R}/betrag/1> bg:amountValue ?v }}",
                 {(f"{R}/betrag/1", "bg:amountValue", "Datatype")}, id="amount-double"),
    # an amount without currency
    pytest.param(f"DELETE WHERE {{ <{R}/betrag/1> bg:currency ?c }}",
                 {(f"{R}/betrag/1", "bg:currency", "MinCount")}, id="amount-without-currency"),
    # a currency that is not an ISO code
    pytest.param(f"DELETE {{ <{R}/betrag/1> bg:currency ?c }} "
                 f'INSERT {{ <{R}/betrag/1> bg:currency "Euro" }} '
                 f"WHERE {{ <{R}/betrag/1> bg:currency ?c }}",
                 {(f"{R}/betrag/1", "bg:currency", "Pattern")}, id="currency-not-iso"),
    # an amount nothing mentions
    pytest.param(f"DELETE DATA {{ <{R}> bg:mentionsAmount <{R}/betrag/1> }}",
                 {(f"{R}/betrag/1", "^bg:mentionsAmount", "MinCount")}, id="amount-orphan"),
    # an agenda item without title
    pytest.param(f"DELETE WHERE {{ <{TOP}> dct:title ?t }}",
                 {(TOP, "dct:title", "MinCount")}, id="agenda-item-without-title"),
    # an agenda item without session
    pytest.param(f"DELETE WHERE {{ <{TOP}> bg:session ?s }}",
                 {(TOP, "bg:session", "MinCount")}, id="agenda-item-without-session"),
    # an agenda item without TOP number
    pytest.param(f"DELETE WHERE {{ <{TOP}> bg:topNumber ?n }}",
                 {(TOP, "bg:topNumber", "MinCount")}, id="agenda-item-without-number"),
    # a checkbox value outside the form scheme
    pytest.param(f"INSERT DATA {{ <{TOP}> bg:checked bg:Adopted }}",
                 {(TOP, "bg:checked", "In")}, id="checked-not-a-form"),
    # a session without number and with a string date
    pytest.param("DELETE WHERE { <sitzung/itplr/48> bg:sessionNumber ?n ; dct:date ?d } ;"
                 'INSERT DATA { <sitzung/itplr/48> dct:date "26.11.2025" }',
                 {("sitzung/itplr/48", "bg:sessionNumber", "MinCount"),
                  ("sitzung/itplr/48", "dct:date", "Datatype")}, id="session-number-date"),
    # a reference whose direct triple is missing (reified and direct must agree)
    pytest.param(f"DELETE DATA {{ <{R}> bg:repealsPartOf <{STUB}> }}",
                 {(f"{R}/verweis/1", "bg:relation", "SPARQL")}, id="reference-without-triple"),
    # a reference relation that is not a reference property
    pytest.param(f"DELETE {{ <{R}/verweis/1> bg:relation ?r }} "
                 f"INSERT {{ <{R}/verweis/1> bg:relation eli:cited_by }} "
                 f"WHERE {{ <{R}/verweis/1> bg:relation ?r }}",
                 {(f"{R}/verweis/1", "bg:relation", "In"),
                  (f"{R}/verweis/1", "bg:relation", "SPARQL")}, id="reference-bad-relation"),
    # a statement without the speaker as written
    pytest.param(f"DELETE WHERE {{ <{TOP}/wortbeitrag/1> bg:speakerLabel ?l }}",
                 {(f"{TOP}/wortbeitrag/1", "bg:speakerLabel", "MinCount")},
                 id="statement-without-speaker-label"),
    # a Land without an English label
    pytest.param('DELETE DATA { <land/HB> skos:prefLabel "Bremen"@en }',
                 {("land/HB", "skos:prefLabel", "QualifiedMinCount")}, id="land-without-en"),
    # a Land not typed m8g:PublicOrganisation (CPOV alignment not materialised)
    pytest.param("DELETE DATA { <land/HB> a m8g:PublicOrganisation }",
                 {("land/HB", "rdf:type", "HasValue")}, id="land-not-cpov"),
    # an external decision without the deciding body
    pytest.param("DELETE WHERE { <beschluss/dmk/2024-10-15> eli:passed_by ?b }",
                 {("beschluss/dmk/2024-10-15", "eli:passed_by", "MinCount")},
                 id="external-without-body"),
    # a source document with a checksum that is not SHA-256 hex
    pytest.param('DELETE WHERE { <graph/doc> bg:sha256 ?s } ; '
                 'INSERT DATA { <graph/doc> bg:sha256 "abc" }',
                 {("graph/doc", "bg:sha256", "Pattern")}, id="document-bad-sha256"),
]


@pytest.mark.parametrize(("update", "expected"), VIOLATIONS)
def test_violations(update: str, expected: Expected) -> None:
    report = validate_graph(mutate(update), [SHAPES])
    assert results(report, "Violation") == expected
    assert report.conforms is (not expected)


WARNINGS = [
    # a resolution from a register row without a date: the source's gap, a warning only
    pytest.param(f"DELETE WHERE {{ <{R}> eli:date_document ?d }} ; "
                 'DELETE WHERE { <graph/doc> bg:documentKind ?k } ; '
                 'INSERT DATA { <graph/doc> bg:documentKind "register" }',
                 {(R, "eli:date_document", "SPARQL")}, id="register-resolution-undated"),
    # a deadline of kind "quarter" should also be given as a date
    pytest.param(f"DELETE WHERE {{ <{R}/ziffer/2/auftrag/1> bg:deadline ?d ; bg:deadlineKind ?k }}"
                 f' ; INSERT DATA {{ <{R}/ziffer/2/auftrag/1> bg:deadlineKind "quarter" }}',
                 {(f"{R}/ziffer/2/auftrag/1", "bg:deadline", "SPARQL")}, id="quarter-no-date"),
    # a note whose author the gazetteer did not resolve (label only) is kept with a warning
    pytest.param(f"DELETE WHERE {{ <{TOP}/protokollnotiz/1> bg:author ?a }}",
                 {(f"{TOP}/protokollnotiz/1", None, "Or")}, id="note-author-unresolved"),
    # a session that ends before it starts
    pytest.param('DELETE WHERE { <sitzung/itplr/48> bg:endTime ?e } ; '
                 'INSERT DATA { <sitzung/itplr/48> bg:endTime "08:00:00"^^xsd:time }',
                 {("sitzung/itplr/48", "bg:startTime", "LessThanOrEquals")},
                 id="session-ends-before-start"),
]


@pytest.mark.parametrize(("update", "expected"), WARNINGS)
def test_warnings_do_not_break_conformance(update: str, expected: Expected) -> None:
    report = validate_graph(mutate(update), [SHAPES])
    assert results(report, "Warning") == expected
    assert results(report, "Violation") == set()
    assert report.conforms is True


def test_messages_in_english_and_german() -> None:
    report = validate_graph(mutate(f"DELETE WHERE {{ <{R}> eli:title ?t }}"), [SHAPES])
    (violation,) = report.violations
    assert violation.message == "A loaded resolution (with prov:wasDerivedFrom) needs eli:title."
    assert violation.message_de == (
        "Ein geladener Beschluss (mit prov:wasDerivedFrom) braucht eli:title.")
    assert violation.source_shape == "bgsh:LoadedResolutionShape"


def test_anonymous_property_shape_is_named_by_node_shape_and_path() -> None:
    report = validate_graph(mutate(f"DELETE WHERE {{ <{R}/ziffer/1> eli:is_part_of ?r }}"),
                            [SHAPES])
    (violation,) = report.violations
    assert violation.source_shape == "bgsh:ResolutionPointShape/eli:is_part_of"
    assert violation.message == "A point needs exactly one eli:is_part_of, its bg:Resolution."
