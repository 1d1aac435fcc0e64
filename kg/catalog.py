"""A DCAT (and VoID) description of the knowledge graph itself.

Written as a post-load step into `<base>graph/katalog`, and served by the API through
`catalog_turtle` (suggested routes: `/.well-known/void` and `/catalog`). The description is
computed from the store (source documents, vocabulary graphs, load times, triple counts), so
it never drifts from what is actually loaded.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kg.iris import Minter
from kg.namespaces import BG, CPOV, DCAT, DCT, ELI, FOAF, ORG, PREFIXES, PROV, RDF, RDFS, SKOS
from kg.settings import Settings
from kg.store import OxigraphStore
from kg.terms import IRI, Literal, Quad, Term, de, en, lit
from kg.vocab import META_GRAPH

if TYPE_CHECKING:
    from kg.pipeline import Changes

VOID = "http://rdfs.org/ns/void#"  # not in kg.namespaces yet (asked the lead to add it)
LICENCE = "https://spdx.org/licenses/EUPL-1.2.html"  # as the ontology and pyproject state
_MEDIA = "http://www.iana.org/assignments/media-types/"
DUMPS = {  # format → (route below the public base URL, media type)
    "trig": ("dump.trig", "application/trig"),
    "nquads": ("dump.nq", "application/n-quads"),
}


def public_base_url(settings: Settings) -> str:
    """Where the API answers when no proxy sits in front of it (`kg serve`)."""
    return f"http://{settings.host}:{settings.port}/"


def refresh_catalog(store: OxigraphStore, settings: Settings,
                    changes: Changes | None = None) -> None:
    """Post-load step: rewrite `<base>graph/katalog` (run last: it counts the triples)."""
    minter = Minter(settings.base_iri)
    graph = minter.graph("katalog")
    # the size follows from the last count and what this load wrote, without a scan
    size = size_without_scan(store, recorded_size(store, graph))
    total = size - store.count_quads(graph.value) if size is not None else None
    # replace_graph writes the difference: a few triples per load, not the whole catalogue
    store.replace_graph(graph, catalog_quads(store, settings, graph=graph, total=total))


def size_without_scan(store: OxigraphStore, recorded: int | None) -> int | None:
    """The quads in the named graphs now without counting them: the `recorded` size plus
    what this generation wrote, or what it wrote into a store that started empty; None
    when neither is known."""
    delta = getattr(store, "quads_delta", None)
    if recorded is not None and delta is not None:
        return int(recorded + delta)
    return getattr(store, "known_size", lambda: None)()  # type: ignore[no-any-return]


def recorded_size(store: OxigraphStore, graph: IRI) -> int | None:
    """The quads in the named graphs when the catalogue `graph` was written (its
    void:triples, which leaves the catalogue out, plus the catalogue); None without one."""
    rows = store.select(f"SELECT ?n WHERE {{ GRAPH {graph.n3()} {{ ?d <{VOID}triples> ?n }} }}")
    if not rows or rows[0]["n"] is None:
        return None
    return int(str(rows[0]["n"])) + store.count_quads(graph.value)


def catalog_turtle(store: OxigraphStore, settings: Settings, base_url: str | None = None) -> str:
    """The description as Turtle, for `/.well-known/void` and `/catalog`. Pass the URL the
    request came in on as `base_url` so the endpoint and dump links are the reachable ones."""
    minter = Minter(settings.base_iri)
    graph = minter.graph("katalog")
    recorded = recorded_size(store, graph)
    total = recorded - store.count_quads(graph.value) if recorded is not None else None
    quads = catalog_quads(store, settings, graph=graph, base_url=base_url, total=total)
    # rdflib only for this pretty Turtle: a web front imports it on the first request here
    import rdflib  # noqa: PLC0415

    g = rdflib.Graph()
    for prefix, iri in {**PREFIXES, "void": VOID, "foaf": FOAF, "m8g": CPOV}.items():
        g.bind(prefix, iri)
    g.parse(data="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o, _ in quads),
            format="nt")
    return g.serialize(format="turtle")


def catalog_quads(store: OxigraphStore, settings: Settings, *, graph: IRI,
                  base_url: str | None = None, total: int | None = None) -> list[Quad]:
    """The catalogue; `total` is the number of quads it describes (counted when None)."""
    minter = Minter(settings.base_iri)
    url = base_url or public_base_url(settings)
    url = url if url.endswith("/") else url + "/"
    out: list[Quad] = []

    def add(s: IRI, p: str, o: Term | str) -> None:
        out.append((s, IRI(p), IRI(o) if isinstance(o, str) else o, graph))

    base = IRI(minter.base.rstrip("/"))
    catalog = minter.child(base, "katalog")
    dataset = minter.child(base, "datensatz", "beschlussgraph")
    publisher = minter.child(base, "herausgeber", "beschlussgraph")
    service = minter.child(dataset, "dienst", "sparql")

    add(catalog, RDF + "type", DCAT + "Catalog")
    add(catalog, DCT + "title", de("Beschlussgraph – Katalog"))
    add(catalog, DCT + "title", en("Beschlussgraph catalogue"))
    add(catalog, DCT + "description", de("Datensätze und Dienste des Wissensgraphen der "
                                         "Beschlüsse des IT-Planungsrats."))
    add(catalog, DCT + "description", en("Datasets and services of the knowledge graph of "
                                         "the IT-Planungsrat's resolutions."))
    add(catalog, DCT + "publisher", publisher)
    add(catalog, DCT + "license", LICENCE)
    add(catalog, DCAT + "dataset", dataset)
    add(catalog, DCAT + "service", service)

    add(publisher, RDF + "type", FOAF + "Agent")
    add(publisher, FOAF + "name", de("Projekt Beschlussgraph"))
    add(publisher, FOAF + "name", en("Beschlussgraph project"))

    sources = _source_documents(store)
    vocabularies = _vocabularies(store)
    stamps = [at for _, _, at in sources] + [at for *_, at in vocabularies]
    modified = max(stamps) if stamps else dt.datetime.now(dt.UTC).replace(microsecond=0)

    add(dataset, RDF + "type", DCAT + "Dataset")
    add(dataset, RDF + "type", VOID + "Dataset")
    add(dataset, DCT + "title", de("Beschlussgraph: Beschlüsse des IT-Planungsrats"))
    add(dataset, DCT + "title", en("Beschlussgraph: resolutions of the IT-Planungsrat"))
    add(dataset, DCT + "description", de(
        "Beschlüsse, Ziffern, Verweise, Aufträge, Fristen, Abstimmungen und Sitzungen des "
        "IT-Planungsrats als RDF (ELI, ORG, CPOV), verknüpft mit EuroVoc, EIF, EU-Rechtsakten "
        "(ELI/CELEX), deutschen Gesetzen und den Ländern (NUTS, Wikidata)."))
    add(dataset, DCT + "description", en(
        "Resolutions, points, references, mandates, deadlines, votes and sessions of the "
        "IT-Planungsrat as RDF (ELI, ORG, CPOV), linked to EuroVoc, the EIF, EU acts "
        "(ELI/CELEX), German laws and the Länder (NUTS, Wikidata)."))
    add(dataset, DCT + "publisher", publisher)
    add(dataset, DCT + "license", LICENCE)
    rights = minter.child(dataset, "rechte")
    add(dataset, DCT + "rights", rights)
    add(rights, RDF + "type", DCT + "RightsStatement")
    add(rights, RDFS + "label", en(
        "Extracted from the published protocols of the IT-Planungsrat; reference vocabularies "
        "keep their own licences (see the dct:source datasets)."))
    add(dataset, DCT + "language", "http://publications.europa.eu/resource/authority/language/DEU")
    add(dataset, DCT + "modified", lit(modified))
    add(dataset, DCAT + "keyword", de("IT-Planungsrat"))
    add(dataset, DCAT + "keyword", de("Beschlüsse"))
    add(dataset, DCAT + "keyword", en("interoperability"))
    add(dataset, DCAT + "theme", "http://eurovoc.europa.eu/6894")  # electronic government
    add(dataset, DCT + "spatial", minter.land("Bund"))
    add(dataset, VOID + "triples", lit(store.count_quads() if total is None else total))
    add(dataset, VOID + "uriSpace", Literal(minter.base))
    add(dataset, VOID + "sparqlEndpoint", url + "sparql")
    for vocabulary in (ELI, ORG, CPOV, PROV, DCT, SKOS, DCAT, BG):
        add(dataset, VOID + "vocabulary", vocabulary.rstrip("#/") if vocabulary != CPOV
            else "http://data.europa.eu/m8g")
    add(dataset, DCAT + "landingPage", url)

    for doc, title, loaded_at in sources:
        add(dataset, DCT + "source", doc)
        add(dataset, PROV + "wasDerivedFrom", doc)
        add(doc, RDF + "type", DCAT + "Dataset")
        add(doc, DCT + "title", Literal(title))
        add(doc, DCT + "modified", lit(loaded_at))
        add(dataset, VOID + "subset", doc)
    for vocab, title, licence, loaded_at in vocabularies:
        add(dataset, DCT + "source", vocab)
        add(catalog, DCAT + "dataset", vocab)
        add(vocab, RDF + "type", DCAT + "Dataset")
        add(vocab, DCT + "title", en(title))
        add(vocab, DCT + "modified", lit(loaded_at))
        if licence:
            add(vocab, DCT + "license", licence)

    add(service, RDF + "type", DCAT + "DataService")
    add(service, DCT + "title", de("SPARQL-Endpunkt (nur lesend)"))
    add(service, DCT + "title", en("SPARQL endpoint (read-only)"))
    add(service, DCAT + "endpointURL", url + "sparql")
    add(service, DCT + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
    add(service, DCAT + "servesDataset", dataset)

    sparql_dist = minter.child(dataset, "verteilung", "sparql")
    add(dataset, DCAT + "distribution", sparql_dist)
    add(sparql_dist, RDF + "type", DCAT + "Distribution")
    add(sparql_dist, DCT + "title", en("SPARQL endpoint"))
    add(sparql_dist, DCAT + "accessURL", url + "sparql")
    add(sparql_dist, DCAT + "accessService", service)
    for fmt, (route, media) in DUMPS.items():
        dist = minter.child(dataset, "verteilung", fmt)
        add(dataset, DCAT + "distribution", dist)
        add(dataset, VOID + "dataDump", url + route)
        add(dist, RDF + "type", DCAT + "Distribution")
        add(dist, DCT + "title", en(f"Dump of all named graphs ({fmt})"))
        add(dist, DCAT + "downloadURL", url + route)
        add(dist, DCAT + "accessURL", url + route)
        add(dist, DCAT + "mediaType", _MEDIA + media)
        add(dist, DCT + "license", LICENCE)
    return out


def _source_documents(store: OxigraphStore) -> list[tuple[IRI, str, dt.datetime]]:
    rows = store.select(
        "SELECT ?g ?title ?at WHERE { ?g a bg:SourceDocument . "
        "OPTIONAL { ?g dct:title ?title } OPTIONAL { ?g bg:loadedAt ?at } }",
        prefixes={"bg": BG, "dct": DCT})
    found: dict[IRI, tuple[IRI, str, dt.datetime]] = {}
    # sorted here: the engine's ORDER BY over IRIs took 0.17 of 0.25 s at 5,000 documents
    for row in sorted(rows, key=lambda r: str(getattr(r["g"], "value", ""))):
        g = row["g"]
        if isinstance(g, IRI) and g not in found:
            found[g] = (g, str(row["title"] or g.value), _when(row["at"]))
    return list(found.values())


def _vocabularies(store: OxigraphStore) -> list[tuple[IRI, str, str | None, dt.datetime]]:
    rows = store.select(
        f"SELECT ?g ?title ?licence ?at WHERE {{ GRAPH {META_GRAPH.n3()} {{ ?g dct:modified "
        "?at ; dct:title ?title FILTER(lang(?title) = 'en') OPTIONAL { ?g dct:license "
        "?licence } } } ORDER BY ?g", prefixes={"dct": DCT})
    return [(row["g"], str(row["title"]), str(row["licence"]) if row["licence"] else None,
             _when(row["at"])) for row in rows if isinstance(row["g"], IRI)]


def _when(value: object) -> dt.datetime:
    if value is None:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
