"""Post-load step: the reference vocabularies, each in its own named graph.

Why separate graphs: several SEMIC files declare the same ontology node
(`<http://data.europa.eu/m8g>`) with different labels; merged, their metadata would mix, and
a query could no longer tell which vocabulary defines a term. Why skip unchanged files: the
store keeps its graphs from one generation to the next, so reloading 6 000 triples on every
`kg load` would only cost time.

Load metadata (file, sha256, time, triple count, licence) goes to `urn:vocab:meta`, never
into a vocabulary graph, so each graph holds exactly the triples of its file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.namespaces import BG, DCAT, DCT, RDF, SKOS
from kg.settings import ONTOLOGY_DIR, Settings
from kg.store import OxigraphStore
from kg.terms import IRI, Literal, Quad, de, en, lit

if TYPE_CHECKING:
    from kg.pipeline import Changes

VOCAB_DIR = ONTOLOGY_DIR / "vocab"
ONTOLOGY_FILE = ONTOLOGY_DIR / "beschlussgraph.ttl"
EUROVOC_SUBSET = VOCAB_DIR / "eurovoc" / "subset.csv"
META_GRAPH = IRI("urn:vocab:meta")
EUROVOC_SCHEME = IRI("http://eurovoc.europa.eu/100141")

_CC_BY = "https://creativecommons.org/licenses/by/4.0/"
_ISA_OML = "https://joinup.ec.europa.eu/category/licence/isa-open-metadata-licence-v11"
_PDDL = "http://www.opendatacommons.org/licenses/pddl/1.0/"
_EUPL = "https://spdx.org/licenses/EUPL-1.2.html"
_VOID_TRIPLES = IRI("http://rdfs.org/ns/void#triples")


@dataclass(frozen=True)
class Vocabulary:
    """One shipped RDF file and the named graph it is loaded into."""

    key: str  # graph IRI is urn:vocab:{key}
    file: Path
    fmt: str  # a key of kg.store.GRAPH_FORMATS
    title_en: str
    title_de: str
    upstream: str  # the namespace / document the file is a copy of
    licence: str | None = None  # licence IRI, where the source states one
    rights: str | None = None  # free-text rights statement where no licence IRI fits
    base_iri: str | None = None  # for files with relative IRIs
    expected_triples: int | None = None  # as counted by the collector (shared/vocab README)

    @property
    def graph(self) -> IRI:
        return IRI(f"urn:vocab:{self.key}")


VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary("eli", VOCAB_DIR / "eli" / "eli.rdf", "rdfxml",
               "ELI Metadata Ontology 1.5", "ELI-Metadatenontologie 1.5",
               "http://data.europa.eu/eli/ontology",
               rights="EU Publications Office; licence not stated in the file (OP reuse policy "
                      "expected, not verified)", expected_triples=1541),
    Vocabulary("org", VOCAB_DIR / "org" / "org.ttl", "turtle",
               "W3C Organization Ontology", "W3C-Organisationsontologie",
               "http://www.w3.org/ns/org", licence=_PDDL, expected_triples=748),
    Vocabulary("cpov", VOCAB_DIR / "cpov" / "core-public-organisation-ap.ttl", "turtle",
               "Core Public Organisation Vocabulary 2.1.2",
               "Kernvokabular Öffentliche Organisation 2.1.2",
               "http://data.europa.eu/m8g", licence=_CC_BY, expected_triples=116),
    Vocabulary("cpov-shacl", VOCAB_DIR / "cpov" / "core-public-organisation-ap-SHACL.ttl",
               "turtle", "Core Public Organisation Vocabulary 2.1.2, SHACL shapes",
               "Kernvokabular Öffentliche Organisation 2.1.2, SHACL-Formen",
               "http://data.europa.eu/m8g", licence=_CC_BY, expected_triples=760),
    Vocabulary("locn", VOCAB_DIR / "core-location" / "legacy_locn.ttl", "turtle",
               "ISA Core Location Vocabulary 1.00", "ISA-Kernvokabular Ort 1.00",
               "http://www.w3.org/ns/locn", licence=_ISA_OML,
               # the file links its diagram as the relative IRI <locn.svg>
               base_iri="http://www.w3.org/ns/locn", expected_triples=206),
    Vocabulary("core-location", VOCAB_DIR / "core-location" / "core-location.ttl", "turtle",
               "SEMIC Core Location Vocabulary 2.1.1", "SEMIC-Kernvokabular Ort 2.1.1",
               "http://data.europa.eu/m8g", licence=_CC_BY, expected_triples=108),
    Vocabulary("person", VOCAB_DIR / "core-person" / "legacy_person.ttl", "turtle",
               "ISA Person Core Vocabulary", "ISA-Kernvokabular Person",
               "http://www.w3.org/ns/person", licence=_ISA_OML, expected_triples=107),
    Vocabulary("core-person", VOCAB_DIR / "core-person" / "core-person.ttl", "turtle",
               "SEMIC Core Person Vocabulary 2.1.1", "SEMIC-Kernvokabular Person 2.1.1",
               "http://data.europa.eu/m8g", licence=_CC_BY, expected_triples=118),
    Vocabulary("regorg", VOCAB_DIR / "core-business" / "regorg.ttl", "turtle",
               "Registered Organization Vocabulary", "Vokabular eingetragene Organisation",
               "http://www.w3.org/ns/regorg",
               rights="W3C namespace document; no licence statement in the file",
               expected_triples=84),
    Vocabulary("core-business", VOCAB_DIR / "core-business" / "core-business.ttl", "turtle",
               "SEMIC Core Business Vocabulary 2.2.0", "SEMIC-Kernvokabular Unternehmen 2.2.0",
               "http://data.europa.eu/m8g", licence=_CC_BY, expected_triples=91),
    Vocabulary("dcat", VOCAB_DIR / "dcat" / "dcat3.ttl", "turtle",
               "Data Catalog Vocabulary (DCAT) 3", "Datenkatalog-Vokabular (DCAT) 3",
               "http://www.w3.org/ns/dcat", licence=_CC_BY, expected_triples=1695),
)

ONTOLOGY = Vocabulary("beschlussgraph", ONTOLOGY_FILE, "turtle",
                      "Beschlussgraph ontology", "Beschlussgraph-Ontologie",
                      "https://w3id.org/beschlussgraph/ontology", licence=_EUPL)

EUROVOC = Vocabulary("eurovoc", EUROVOC_SUBSET, "csv",
                     "EuroVoc (59-concept subset, release 2021-06-04)",
                     "EuroVoc (Auswahl von 59 Begriffen, Ausgabe 2021-06-04)",
                     "http://eurovoc.europa.eu/100141",
                     rights="EuroVoc © European Union, Publications Office")


def all_vocabularies() -> list[Vocabulary]:
    """Every vocabulary graph this step maintains (the ontology only when its file exists)."""
    items = [*VOCABULARIES, EUROVOC]
    if ONTOLOGY.file.exists():
        items.append(ONTOLOGY)
    return items


def load_vocabularies(store: OxigraphStore, settings: Settings,
                      changes: Changes | None = None) -> None:
    """Post-load step: (re)load each vocabulary file whose content changed."""
    del settings  # vocabulary graphs do not depend on the data base IRI
    previous = _recorded(store)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    meta: list[Quad] = []
    for vocab in all_vocabularies():
        digest = sha256_of(vocab.file)
        before = previous.get(vocab.graph.value)
        if before and before[0] == digest and store.count_quads(vocab.graph.value) > 0:
            loaded_at = before[1]
        else:
            _load(store, vocab)
            loaded_at = now
        meta.extend(_meta_quads(vocab, digest, loaded_at, store.count_quads(vocab.graph.value)))
    if not ONTOLOGY.file.exists():
        store.drop_graph(ONTOLOGY.graph)  # a stale copy would outlive the deleted file
    store.replace_graph(META_GRAPH, meta)


def sha256_of(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise FileNotFoundError(f"{path}: vocabulary file cannot be read ({exc}); "
                                "restore it from ../shared/vocab") from exc


def _load(store: OxigraphStore, vocab: Vocabulary) -> None:
    if vocab.fmt == "csv":
        store.replace_graph(vocab.graph, list(eurovoc_quads(vocab.file, vocab.graph)))
        return
    try:
        store.load_file(vocab.file, vocab.graph, vocab.fmt, base_iri=vocab.base_iri)
    except SyntaxError as exc:  # pyoxigraph reports parse errors with line and column
        raise ValueError(f"{vocab.file}: not valid {vocab.fmt}: {exc}") from exc


def _recorded(store: OxigraphStore) -> dict[str, tuple[str, dt.datetime]]:
    rows = store.select(
        f"SELECT ?g ?sha ?at WHERE {{ GRAPH {META_GRAPH.n3()} "
        "{ ?g bg:sha256 ?sha ; dct:modified ?at } }",
        prefixes={"bg": BG, "dct": DCT},
    )
    found: dict[str, tuple[str, dt.datetime]] = {}
    for row in rows:
        found[str(row["g"])] = (str(row["sha"]), dt.datetime.fromisoformat(str(row["at"])))
    return found


def _meta_quads(vocab: Vocabulary, digest: str, loaded_at: dt.datetime,
                triples: int) -> Iterator[Quad]:
    g = vocab.graph
    rel = vocab.file.relative_to(ONTOLOGY_DIR.parent).as_posix()
    yield g, IRI(RDF + "type"), IRI(DCAT + "Dataset"), META_GRAPH
    yield g, IRI(DCT + "title"), en(vocab.title_en), META_GRAPH
    yield g, IRI(DCT + "title"), de(vocab.title_de), META_GRAPH
    yield g, IRI(DCT + "source"), IRI(vocab.upstream), META_GRAPH
    yield g, IRI(BG + "sourceFile"), Literal(rel), META_GRAPH
    yield g, IRI(BG + "sha256"), Literal(digest), META_GRAPH
    yield g, IRI(DCT + "modified"), lit(loaded_at), META_GRAPH
    yield g, _VOID_TRIPLES, lit(triples), META_GRAPH
    if vocab.licence:
        yield g, IRI(DCT + "license"), IRI(vocab.licence), META_GRAPH
    if vocab.rights:
        yield g, IRI(DCT + "rights"), en(vocab.rights), META_GRAPH


def eurovoc_quads(path: Path, graph: IRI) -> Iterator[Quad]:
    """SKOS for the EuroVoc subset (en + fr labels as published; no German labels exist
    in the source, the project's own are in the links graph)."""
    a, label = IRI(RDF + "type"), IRI(SKOS + "prefLabel")
    concept_cls, scheme_cls = IRI(SKOS + "Concept"), IRI(SKOS + "ConceptScheme")
    yield EUROVOC_SCHEME, a, scheme_cls, graph
    yield EUROVOC_SCHEME, label, en("EuroVoc"), graph
    schemes: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            uri = row.get("concept_uri", "").strip()
            if not uri.startswith("http://eurovoc.europa.eu/"):
                raise ValueError(f"{path}:{line}: concept_uri must be a EuroVoc IRI, got {uri!r}")
            c = IRI(uri)
            yield c, a, concept_cls, graph
            yield c, IRI(SKOS + "inScheme"), EUROVOC_SCHEME, graph
            yield c, label, en(row["pref_label_en"]), graph
            if row.get("pref_label_fr"):
                yield c, label, Literal(row["pref_label_fr"], RDF + "langString", "fr"), graph
            for broader in _split(row.get("broader_uri", "")):
                yield c, IRI(SKOS + "broader"), IRI(broader), graph
            micro = _split(row.get("microthesaurus_uri", ""))
            names = _split(row.get("microthesaurus_label_en", ""))
            for i, scheme in enumerate(micro):
                yield c, IRI(SKOS + "inScheme"), IRI(scheme), graph
                if i < len(names):
                    schemes[scheme] = names[i]
    for scheme, name in sorted(schemes.items()):
        notation, _, text = name.partition(" ")  # "0436 executive power and public service"
        s = IRI(scheme)
        yield s, a, scheme_cls, graph
        yield s, label, en(text or name), graph
        if notation.isdigit():
            yield s, IRI(SKOS + "notation"), Literal(notation), graph


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


__all__ = ["VOCABULARIES", "META_GRAPH", "Vocabulary", "all_vocabularies", "load_vocabularies",
           "eurovoc_quads", "sha256_of"]
