"""The samples loaded with `kg load data/samples` conform to ontology/shapes.ttl."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cli.main import main
from kg.namespaces import DEFAULT_BASE
from kg.validate import ValidationReport, compact, validate_store
from tests.ontology.conftest import ROOT, SHAPES, open_store

SAMPLES = ROOT / "data" / "samples"
B = DEFAULT_BASE + "eli/itplr/beschluss/"

# (reference, relation, cited resolution, repealed/amended points) of every partial repeal or
# amendment (and the one citation of a single point) in the samples: protocol 48 (TOP 09,
# point 5) and the register rows
PARTIAL_REFERENCES = {
    (B + "2025/33/verweis/itplr-48-2025-11-26-protokoll/2", "bg:repealsPartOf", B + "2025/02", ("3",)),
    (B + "2025/33/verweis/itplr-register/2", "bg:repealsPartOf", B + "2025/02", ("3",)),
    (B + "2024/21/verweis/itplr-register/1", "eli:cites", B + "2024/02", ("2",)),  # "Ziffer 2"
    (B + "2022/37/verweis/itplr-register/1", "bg:repealsPartOf", B + "2022/14", ("5",)),
    (B + "2025/03/verweis/itplr-register/1", "bg:repealsPartOf", B + "2023/44", ("2", "3")),
    (B + "2024/01/verweis/itplr-register/1", "bg:amendsPartOf", B + "2022/43", ("1",)),
    (B + "2025/01/verweis/itplr-register/1", "bg:amendsPartOf", B + "2022/43", ("1", "2")),
    (B + "2025/01/verweis/itplr-register/2", "bg:amendsPartOf", B + "2024/19", ("1", "2")),
}


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store: Path = tmp_path_factory.mktemp("seed") / "store"
    assert main(["--store", str(store), "load", str(SAMPLES)]) == 0
    return store


@pytest.fixture(scope="module")
def seed_report(seed_store: Path) -> ValidationReport:
    return validate_store(open_store(seed_store), [SHAPES],
                          ["kg.validate:source_ranges_per_document"])


def describe(report: ValidationReport) -> str:
    groups = Counter((v.source_shape, v.path, v.message) for v in report.violations
                     if v.severity == "Violation")
    lines = [f"{n} x {shape} {path}: {message}" for (shape, path, message), n in groups.items()]
    lines += [f"{f.check}: {f.message} ({f.focus})" for f in report.findings]
    return "\n".join(lines)


def test_seed_conforms(seed_report: ValidationReport) -> None:
    assert seed_report.conforms, describe(seed_report)


def test_partial_references_name_their_points(seed_store: Path) -> None:
    rows = open_store(seed_store).select(
        "PREFIX bg: <https://w3id.org/beschlussgraph/ontology#> "
        "SELECT ?r ?relation ?cited (GROUP_CONCAT(?n; separator=' ') AS ?points) WHERE { "
        "?r bg:relation ?relation ; bg:cited ?cited ; bg:targetPoint ?p . "
        "?p <http://data.europa.eu/eli/ontology#number> ?n } GROUP BY ?r ?relation ?cited")
    found = {(str(row["r"]), compact(str(row["relation"])), str(row["cited"]),
              tuple(sorted(str(row["points"]).split()))) for row in rows}
    assert found == PARTIAL_REFERENCES


def test_seed_is_substantial(seed_report: ValidationReport) -> None:
    # the check above must not pass because nothing was loaded
    assert seed_report.data_triples > 3000
