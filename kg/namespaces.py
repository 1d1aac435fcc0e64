"""The one place where namespace IRIs are spelled (see ontology/MODEL.md)."""

from __future__ import annotations

from kg.terms import IRI

BG = "https://w3id.org/beschlussgraph/ontology#"
DEFAULT_BASE = "https://w3id.org/beschlussgraph/id/"
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
CPOV = "http://data.europa.eu/m8g/"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
SH = "http://www.w3.org/ns/shacl#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"

PREFIXES: dict[str, str] = {
    "bg": BG,
    "eli": ELI,
    "org": ORG,
    "cpov": CPOV,
    "prov": PROV,
    "dct": DCT,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "schema": SCHEMA,
    "dcat": DCAT,
}


def sparql_prefixes(extra: dict[str, str] | None = None) -> str:
    """PREFIX lines for every project prefix (plus `extra`), for queries and the editor."""
    items = {**PREFIXES, **(extra or {})}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in items.items())


class _Namespace:
    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> IRI:
        if name.startswith("__"):
            raise AttributeError(name)
        term = IRI(self._base + name)
        setattr(self, name, term)  # IRIs are immutable: later lookups skip __getattr__
        return term

    def __getitem__(self, name: str) -> IRI:
        return IRI(self._base + name)


bg = _Namespace(BG)
eli = _Namespace(ELI)
org = _Namespace(ORG)
cpov = _Namespace(CPOV)
prov = _Namespace(PROV)
dct = _Namespace(DCT)
skos = _Namespace(SKOS)
rdf = _Namespace(RDF)
rdfs = _Namespace(RDFS)
xsd = _Namespace(XSD)
schema = _Namespace(SCHEMA)
