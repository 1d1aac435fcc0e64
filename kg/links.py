"""Post-load step: the links graph `<base>graph/links`.

Joins the data graphs to the EU and German reference vocabularies, offline, from the fact
tables in `ontology/vocab/` and the curated files in `ontology/links/`:

* Länder and Bund: labels, codes, NUTS, Wikidata, EuroVoc, DCAT-AP.de, GeoNames;
* bodies: types and ORG relations (sub-organisations, memberships, lead Land);
* EuroVoc subjects (`eli:is_about`) and EIF layers/principles of resolutions, each kept with
  the matched term as a reified `bg:SubjectAssignment`;
* interoperability-assessment relevance (Regulation (EU) 2024/903, Art. 3);
* EU acts (CELEX, title, type, date, cited articles) and German laws (title, link).

Two parts, so that a load costs what it changed (DESIGN.md §5):

* the curated part (Länder, bodies, EuroVoc labels, the EIF scheme, EU acts, German laws)
  depends on the curated files only: `refresh_links` rewrites `<base>graph/links` after each
  load, cheaply, since the union follows only its changes; with it the one fact that depends
  on what is loaded, the German label by number of a resolution that is only cited
  ("Beschluss 2022/14", kg/citations.py), which a later load of that resolution replaces by
  its own "id: title";
* the text part (subjects, EIF assignments, cited articles, assessment relevance) belongs to
  one document: `document_links` computes it from that document's own quads, in the process
  that parses it, and it is written into the document's graph and replaced with it.

Editing a curated CSV and reloading the documents is all it takes to change a link.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.citations import eu_act_labels, eu_article_labels, law_labels, resolution_labels
from kg.document_index import DocumentIndex
from kg.iris import Minter, slugify
from kg.namespaces import BG, CPOV, DCT, ELI, ORG, OWL, RDF, RDFS, SKOS
from kg.settings import ONTOLOGY_DIR, Settings
from kg.store import OxigraphStore, query_capped
from kg.terms import IRI, Literal, Quad, Term, de, en, lit
from loaders.gazetteer import Entry, read_entries

if TYPE_CHECKING:
    from kg.pipeline import Changes

VOCAB_DIR = ONTOLOGY_DIR / "vocab"
LINKS_DIR = ONTOLOGY_DIR / "links"
GAZETTEER_CSV = ONTOLOGY_DIR / "gazetteer.csv"

INTEROPERABLE_EUROPE_ACT = "http://data.europa.eu/eli/reg/2024/903/oj"
_RESOURCE_TYPE = "http://publications.europa.eu/resource/authority/resource-type/"
_WIKIDATA = "http://www.wikidata.org/entity/"
_CURIES = {"rdf": RDF, "rdfs": RDFS, "org": ORG, "m8g": CPOV, "cpov": CPOV, "bg": BG,
           "skos": SKOS, "eli": ELI, "owl": OWL, "dct": DCT}
_PREFIXES = {"bg": BG, "eli": ELI, "dct": DCT, "rdfs": RDFS, "rdf": RDF}

# Text fields searched for subjects and EIF cues, in order of preference for the evidence
# kept (a point names the place more precisely than the whole text does).
_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "?r eli:title ?v . BIND(?r AS ?src)"),
    ("subtitle", "?r bg:agendaItem|^bg:resolution ?src . ?src bg:subtitle ?v"),
    ("section", "?r bg:agendaItem|^bg:resolution ?i . ?i bg:section ?src . ?src rdfs:label ?v"),
    ("preamble", "?r bg:preamble ?v . BIND(?r AS ?src)"),
    ("point", "?src eli:is_part_of ?r ; bg:text ?v"),
    ("text", "?r bg:text ?v . BIND(?r AS ?src)"),
)
# EIF cues are statements of intent of the resolution itself: section labels (the council's
# strategic areas) do not count.
_EIF_FIELDS = ("title", "subtitle", "preamble", "point", "text")


class CuratedFileError(ValueError):
    """A row of a curated CSV that cannot be used; the message names file and line."""


# -- curated files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One row of a term → concept mapping (EuroVoc mapping or EIF cue)."""

    term: str
    pattern: re.Pattern[str]
    target: str  # EuroVoc concept IRI or EIF id
    line: int


def read_csv(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; checks the header so a renamed column fails loudly."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = set(required) - set(reader.fieldnames or ())
            if missing:
                raise CuratedFileError(f"{path}:1: missing columns {sorted(missing)}")
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
                    for row in reader]
    except OSError as exc:
        raise CuratedFileError(f"{path}: cannot be read ({exc})") from exc


def read_rules(path: Path, target_column: str) -> list[Rule]:
    rules = []
    for line, row in read_csv(path, ("term" if "mapping" in path.name else "cue", "pattern",
                                     target_column)):
        term = row.get("term") or row.get("cue") or ""
        source = row["pattern"] or r"\b" + re.escape(term) + r"\b"
        try:
            pattern = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise CuratedFileError(f"{path}:{line}: bad pattern {source!r}: {exc}") from exc
        if not row[target_column]:
            raise CuratedFileError(f"{path}:{line}: empty {target_column}")
        rules.append(Rule(term, pattern, row[target_column], line))
    return rules


def normalise(text: str) -> str:
    """Undo the line layout of the text layer: a hyphen at a line end before a lower-case
    letter is a syllable break ("Schwerpunktthe-\\nmen"), before a capital it is part of
    the word ("IT-\\nPlanungsrat"); all other whitespace runs become one space."""
    text = re.sub(r"(\w)-\s*\n\s*(?=[a-zäöüß])", r"\1", text)
    text = re.sub(r"(\w-)\s*\n\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# -- the builder -------------------------------------------------------------------------------


class _Links:
    def __init__(self, minter: Minter, graph: IRI | None = None, scope: str = "") -> None:
        self.m = minter
        self.graph = graph or minter.graph("links")
        self.scope = scope  # distinguishes assignments of one resolution from two documents
        self.quads: list[Quad] = []
        self._seen: set[tuple[IRI, IRI, Term]] = set()

    def add(self, s: IRI, p: str, o: Term | str) -> None:
        obj = IRI(o) if isinstance(o, str) else o
        key = (s, IRI(p), obj)
        if key not in self._seen:
            self._seen.add(key)
            self.quads.append((s, IRI(p), obj, self.graph))

    def mint(self, *parts: str) -> IRI:
        """IRIs below the data base that kg.iris has no method for yet (eif/…, rolle/…):
        built through Minter.child on the base so the base handling stays in one place."""
        iri = IRI(self.m.base.rstrip("/"))
        for kind, key in zip(parts[::2], parts[1::2], strict=False):
            iri = self.m.child(iri, kind, key)
        return iri


def refresh_links(store: OxigraphStore, settings: Settings,
                  changes: Changes | None = None) -> None:
    """Post-load step: rewrite `<base>graph/links` from the curated files; the labels by
    number only for the resolutions the load's documents mention (`changes`), all of them
    when `changes` is None. Only the difference is written."""
    minter = Minter(settings.base_iri)
    graph = minter.graph("links")
    quads = build_curated_links(minter)
    if changes is None or not store.has_graph(graph):
        quads += _unlabelled_resolutions(store, graph)
    else:
        mentioned = changes.mentioned(store)
        # the labels kept were checked against the other graphs when they were written, and
        # only a load that mentions a resolution can state its label elsewhere
        kept = [q for q in _labels_by_number(store, graph) if q[0].value not in mentioned]
        quads += _unlabelled_resolutions(store, graph, mentioned)
        store.replace_graph(graph, without_restated(store, quads, graph) + kept)
        return
    store.replace_graph(graph, without_restated(store, quads, graph))


_UNLABELLED = """
    PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
    PREFIX eli: <http://data.europa.eu/eli/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?r ?id WHERE {{ {values}
      GRAPH ?g {{ ?r a bg:Resolution ; eli:id_local ?id }}
      FILTER NOT EXISTS {{ GRAPH ?h {{ ?r rdfs:label ?label }}
                           FILTER(?h != {graph} && LANGMATCHES(LANG(?label), "de")) }}
    }}"""


def _unlabelled_resolutions(store: OxigraphStore, graph: IRI,
                            among: set[str] | None = None) -> list[Quad]:
    """A German label by number ("Beschluss 2022/14") for the resolutions that no loaded
    document describes (only cited ones): a described one has the build's "id: title".
    Computed again for what a load mentions, so a resolution loaded later loses it."""
    if among is not None and not among:
        return []
    values = "" if among is None else \
        "VALUES ?r { " + " ".join(IRI(r).n3() for r in sorted(among)) + " }"
    # named graphs only, the links graph left out: independent of the state of the union
    result = query_capped(store, _UNLABELLED.format(values=values, graph=graph.n3()),
                          max_rows=10**9, max_bytes=10**12, union_default=False)
    quads: list[Quad] = []
    for r, id_local in result.rows:
        if isinstance(r, IRI) and isinstance(id_local, Literal):
            label = resolution_labels(str(id_local.value))[0]
            quads.append((r, IRI(RDFS + "label"), de(label), graph))
    return sorted(quads, key=lambda q: q[0].value)


def _labels_by_number(store: OxigraphStore, graph: IRI) -> list[Quad]:
    """The labels by number the links graph holds now."""
    # EXISTS, not a join: the engine read every resolution of the record first (0.36 s at
    # 5,000 sessions, now 0.08)
    rows = store.select(f"""SELECT ?r ?label WHERE {{
        GRAPH {graph.n3()} {{ ?r rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "de")) }}
        FILTER EXISTS {{ ?r a bg:Resolution }} }}""", prefixes=_PREFIXES)
    return [(row["r"], IRI(RDFS + "label"), de(str(row["label"])), graph) for row in rows
            if isinstance(row["r"], IRI)]


def document_links(quads: list[Quad], minter: Minter, graph: IRI, scope: str,
                   doc: DocumentIndex | None = None) -> list[Quad]:
    """The text part of the links of one document, from its own quads (`doc`: their index,
    when the caller built it already), in its graph."""
    doc = doc or DocumentIndex(quads)
    b = _Links(minter, graph, scope)
    texts = _resolution_texts(doc)
    _subjects(b, texts)
    _eif_assignments(b, texts, _eif_kinds(minter.base))
    _cited_articles(b, doc, _acts(minter.base))
    _assessment_relevance(b, doc, texts)
    stated = {(q[0], q[1], q[2]) for q in quads}
    return [q for q in b.quads if (q[0], q[1], q[2]) not in stated]


def add_document_links(store: OxigraphStore, minter: Minter, graph: IRI) -> None:
    """The text links of a graph that is already in `store` (hand-written fixtures), added
    to it; documents loaded with `kg load` get theirs in kg.ingest."""
    store.add_quads(document_links(store.graph_quads(graph), minter, graph,
                                   scope=graph.value.rsplit("/", 1)[-1]))


@functools.cache
def _eif_kinds(base: str) -> dict[str, str]:
    return _eif_scheme(_Links(Minter(base)))


@functools.cache
def _acts(base: str) -> dict[str, str]:
    return _eu_acts(_Links(Minter(base)))


def without_restated(store: OxigraphStore, quads: list[Quad], graph: IRI | None = None,
                     chunk: int = 500) -> list[Quad]:
    """Drop the triples another graph already states (the gazetteer's labels and types, the
    build's `bg:EUAct` types), so that each fact has one provenance graph. (The default graph
    is a set union since `kg load` materialises it, so this is no longer about counting.)
    Read by subject and property, each triple once (DISTINCT): everything the subjects have
    in every graph grew with the documents that mention a body (0.44 s at 5,000 sessions,
    now 0.08). The objects are compared here, not in the query: Virtuoso matched some
    literals given in VALUES differently."""
    pairs = sorted({(q[0], q[1]) for q in quads}, key=lambda t: (t[0].value, t[1].value))
    existing: set[tuple[IRI, IRI, Term]] = set()
    own = f"FILTER(?g != {graph.n3()})" if graph is not None else ""  # `graph`'s own facts
    for i in range(0, len(pairs), chunk):
        values = " ".join(f"({s.n3()} {p.n3()})" for s, p in pairs[i:i + chunk])
        result = query_capped(
            store, f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?s ?p) {{ {values} }} "
                   f"GRAPH ?g {{ ?s ?p ?o }} {own} }}",
            max_rows=10**9, max_bytes=10**12)
        for s, p, o in result.rows:
            if isinstance(s, IRI) and isinstance(p, IRI) and isinstance(o, IRI | Literal):
                existing.add((s, p, o))
    return [q for q in quads if (q[0], q[1], q[2]) not in existing]


def build_curated_links(minter: Minter) -> list[Quad]:
    b = _Links(minter)
    gazetteer = {e.key: e for e in read_entries(GAZETTEER_CSV)}
    _laender(b, gazetteer)
    _bodies(b, gazetteer)
    _eurovoc_labels(b)
    _eif_scheme(b)
    _eu_acts(b)
    _german_laws(b)
    return b.quads


# -- Länder ------------------------------------------------------------------------------------


def _laender(b: _Links, gazetteer: dict[str, Entry]) -> None:
    path = VOCAB_DIR / "laender.csv"
    for line, row in read_csv(path, ("code", "name_de", "name_en", "nuts1", "wikidata")):
        code = row["code"]
        entry = gazetteer.get(code)
        if entry is None or entry.kind != "land":
            raise CuratedFileError(f"{path}:{line}: Land code {code!r} is not in {GAZETTEER_CSV}")
        land = b.m.land(code)
        b.add(land, RDF + "type", BG + ("Federation" if code == "Bund" else "Land"))
        b.add(land, RDF + "type", CPOV + "PublicOrganisation")
        b.add(land, RDF + "type", ORG + "Organization")
        # the gazetteer's labels are the preferred ones (the build uses them too: one
        # prefLabel per language); the table's official names are kept as alternatives
        b.add(land, SKOS + "prefLabel", de(entry.label_de))
        b.add(land, SKOS + "prefLabel", en(entry.label_en))
        if row["name_de"] != entry.label_de:
            b.add(land, SKOS + "altLabel", de(row["name_de"]))
        if row["name_en"] != entry.label_en:
            b.add(land, SKOS + "altLabel", en(row["name_en"]))
        b.add(land, SKOS + "notation", Literal(code))
        if row["nuts1"]:
            # a literal of its own, not a second skos:notation: shapes.ttl allows one
            # notation per Land (the code), and a typed notation would break that
            b.add(land, BG + "nutsCode", Literal(row["nuts1"]))
        if row["wikidata"]:
            b.add(land, OWL + "sameAs", _WIKIDATA + row["wikidata"])
        if row.get("eurovoc_uri"):
            b.add(land, SKOS + "exactMatch", row["eurovoc_uri"])
        if row.get("dcatde_statekey_uri"):
            # Bund's cell is the DCAT-AP.de *level* "federal", related rather than equal
            match = "relatedMatch" if code == "Bund" else "exactMatch"
            b.add(land, SKOS + match, row["dcatde_statekey_uri"])
        if row.get("geonames_uri"):
            b.add(land, DCT + "spatial", row["geonames_uri"])


# -- bodies ------------------------------------------------------------------------------------

_ROLES = {
    "mitglied": ("Mitglied", "member"),
    "federfuehrung": ("Federführung", "lead"),
    "beratend": ("beratendes Mitglied", "advisory member"),
}


def _bodies(b: _Links, gazetteer: dict[str, Entry]) -> None:
    path = LINKS_DIR / "bodies.csv"
    for slug, (label_de, label_en) in _ROLES.items():
        role = b.mint("rolle", slug)
        b.add(role, RDF + "type", ORG + "Role")
        b.add(role, SKOS + "prefLabel", de(label_de))
        b.add(role, SKOS + "prefLabel", en(label_en))
    for line, row in read_csv(path, ("subject", "relation", "object", "role", "source")):
        where = f"{path}:{line}"
        subject = _entity(b, row["subject"], gazetteer, where)
        relation = row["relation"]
        if relation == "rdf:type":
            b.add(subject, RDF + "type", _curie(row["object"], where))
        elif relation in ("org:subOrganizationOf", "org:linkedTo"):
            target = _entity(b, row["object"], gazetteer, where)
            b.add(subject, _curie(relation, where), target)
            if relation == "org:subOrganizationOf":
                b.add(target, ORG + "hasSubOrganization", subject)
        elif relation in ("org:hasMember", "bg:leadLand"):
            member = _entity(b, row["object"], gazetteer, where)
            if row["role"] not in _ROLES:
                raise CuratedFileError(f"{where}: role must be one of {sorted(_ROLES)}")
            if relation == "bg:leadLand":
                b.add(subject, BG + "leadLand", member)
            b.add(subject, ORG + "hasMember", member)
            b.add(member, ORG + "memberOf", subject)
            key = row["object"].split(":", 1)[1]
            membership = b.m.child(subject, "mitgliedschaft", slugify(key))
            b.add(membership, RDF + "type", ORG + "Membership")
            b.add(membership, ORG + "organization", subject)
            b.add(membership, ORG + "member", member)
            b.add(membership, ORG + "role", b.mint("rolle", row["role"]))
            b.add(subject, ORG + "hasMembership", membership)
            if row["source"]:
                b.add(membership, DCT + "source", en(row["source"]))
        else:
            raise CuratedFileError(f"{where}: unknown relation {relation!r}")


def _entity(b: _Links, ref: str, gazetteer: dict[str, Entry], where: str) -> IRI:
    """`gremium:<slug>` or `land:<code>`, checked against the gazetteer."""
    kind, _, key = ref.partition(":")
    entry = gazetteer.get(key)
    expected = {"gremium": "body", "land": "land"}.get(kind)
    if expected is None or entry is None or entry.kind != expected:
        raise CuratedFileError(f"{where}: {ref!r} is not a {kind or '?'} of {GAZETTEER_CSV}")
    return b.m.body(key) if kind == "gremium" else b.m.land(key)


def _curie(value: str, where: str) -> str:
    prefix, _, local = value.partition(":")
    if prefix not in _CURIES or not local:
        raise CuratedFileError(f"{where}: {value!r} is not a known prefixed name")
    return _CURIES[prefix] + local


# -- EuroVoc -----------------------------------------------------------------------------------


def _eurovoc_labels(b: _Links) -> None:
    path = LINKS_DIR / "eurovoc_labels_de.csv"
    for line, row in read_csv(path, ("concept_uri", "label_de")):
        if not row["concept_uri"].startswith("http://eurovoc.europa.eu/"):
            raise CuratedFileError(f"{path}:{line}: not a EuroVoc concept IRI")
        concept = IRI(row["concept_uri"])
        b.add(concept, SKOS + "prefLabel", de(row["label_de"]))
        # EuroVoc's own German label was not available offline: say so on the concept
        b.add(concept, BG + "projectProvidedLabel", de(row["label_de"]))


@dataclass(frozen=True)
class TextField:
    resolution: IRI
    field: str
    source: IRI  # the resource whose text this is (resolution, point, agenda item, section)
    text: str


def _resolution_texts(doc: DocumentIndex) -> list[TextField]:
    """Every text of every resolution of the document, in `_FIELDS` order."""
    found: list[TextField] = []
    resolutions = doc.instances(BG + "Resolution")

    def items_of(r: IRI) -> list[IRI]:
        return [i for i in (*doc.objects(r, BG + "agendaItem"),
                            *doc.subjects(BG + "resolution", r)) if isinstance(i, IRI)]

    for name in (f for f, _ in _FIELDS):
        rows: set[tuple[IRI, IRI, str]] = set()
        for r in resolutions:
            if name in ("title", "preamble", "text"):
                prop = {"title": ELI + "title", "preamble": BG + "preamble",
                        "text": BG + "text"}[name]
                rows.update((r, r, str(v.value)) for v in doc.objects(r, prop)
                            if isinstance(v, Literal))
            elif name == "subtitle":
                rows.update((r, i, str(v.value)) for i in items_of(r)
                            for v in doc.objects(i, BG + "subtitle") if isinstance(v, Literal))
            elif name == "section":
                rows.update((r, sec, str(v.value)) for i in items_of(r)
                            for sec in doc.objects(i, BG + "section") if isinstance(sec, IRI)
                            for v in doc.objects(sec, RDFS + "label")
                            if isinstance(v, Literal))
            else:  # point
                rows.update((r, p, str(v.value)) for p in doc.subjects(ELI + "is_part_of", r)
                            for v in doc.objects(p, BG + "text") if isinstance(v, Literal))
        for r, src, v in sorted(rows, key=lambda row: (row[0].value, row[1].value, row[2])):
            if v:
                found.append(TextField(r, name, src, normalise(v)))
    return found


@functools.cache
def read_curated_rules(path: Path, target_column: str) -> list[Rule]:
    """read_rules, once per process (the parsing workers use them for every document)."""
    return read_rules(path, target_column)


_SEPARATOR = "\x00"  # between texts: no rule pattern can match it (checked in _matches)


def _matches(texts: list[TextField], rules: list[Rule]) -> list[tuple[int, int, str]]:
    """(text index, rule index, matched text) of the first match of each rule in each text,
    in text order, then rule order: what a search of every rule in every text gives. A rule
    is searched only in the texts that hold a word every match of it must contain (most
    rules in most texts: none), found with str.find over the joined texts."""
    joined = _SEPARATOR.join(field.text for field in texts)
    starts: list[int] = []
    position = 0
    for field in texts:
        starts.append(position)
        position += len(field.text) + 1
    lowered = joined.lower()
    # Python's re scans far faster without IGNORECASE: match lower-case patterns against the
    # lower-cased text, and take the matched words from the original
    folded = len(lowered) == len(joined)
    found: list[tuple[int, int, str]] = []
    for k, rule in enumerate(rules):
        if re.search(r"(?<!\\)(\.|\^|\$|\[\^)", rule.pattern.pattern):
            # a pattern that could run across the separator is searched text by text
            found.extend((i, k, m.group(0)) for i, field in enumerate(texts)
                         if (m := rule.pattern.search(field.text)))
            continue
        pattern, text = ((_lower_case(rule.pattern.pattern), lowered) if folded
                         else (rule.pattern, joined))
        words = _necessary_words(pattern.pattern) if folded else None
        if words is None:
            candidates: Iterable[int] = range(len(texts))
        else:
            candidates = sorted({bisect.bisect_right(starts, at) - 1
                                 for word in words for at in _occurrences(text, word)})
        for i in candidates:
            # the texts are searched apart: no match crosses the separator, and \b sees it
            # as the end of a text
            m = pattern.search(text, starts[i], starts[i] + len(texts[i].text))
            if m:
                found.append((i, k, joined[m.start():m.end()]))
    return sorted(found)


def _occurrences(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


@functools.cache
def _necessary_words(source: str) -> tuple[str, ...] | None:
    """Words one of which every match of the pattern contains, or None when there are none
    of 3 characters or more."""
    import re._parser as parser  # noqa: PLC0415  (the engine's own reading of the pattern)

    def words(sequence: Iterable[tuple[object, object]]) -> tuple[str, ...] | None:
        # the longest run of plain characters, else the words of a group or of alternatives
        # the sequence cannot match without
        best = run = ""
        inner: tuple[str, ...] | None = None
        for op, value in sequence:
            run = run + chr(value) if op is parser.LITERAL else ""  # type: ignore[arg-type]
            best = max(best, run, key=len)
            if inner is None and op is parser.BRANCH:
                alternatives = [words(alt) for alt in value[1]]  # type: ignore[index]
                if all(alternatives):
                    inner = tuple(w for alt in alternatives for w in alt)  # type: ignore[union-attr]
            elif inner is None and op is parser.SUBPATTERN:
                inner = words(value[3])  # type: ignore[index]
        return (best,) if len(best) >= 3 else inner

    return words(parser.parse(source))


@functools.cache
def _lower_case(source: str) -> re.Pattern[str]:
    """The pattern for lower-cased text: letters outside escapes lowered (an upper-case
    escape such as \\W means something else, so escapes are kept as they are)."""
    parts = re.split(r"(\\.)", source)
    return re.compile("".join(part if part.startswith("\\") else part.lower()
                              for part in parts))


def _subjects(b: _Links, texts: list[TextField]) -> None:
    rules = read_curated_rules(LINKS_DIR / "eurovoc_mapping.csv", "concept_uri")
    first: dict[tuple[IRI, str], tuple[Rule, TextField, str]] = {}
    for i, k, matched in _matches(texts, rules):
        field, rule = texts[i], rules[k]
        first.setdefault((field.resolution, rule.target), (rule, field, matched))
    _assignments(b, first, "thema", lambda _: ELI + "is_about")


def _assignments(b: _Links, first: dict[tuple[IRI, str], tuple[Rule, TextField, str]],
                 kind: str, predicate_of: Callable[[str], str]) -> None:
    """One direct triple and one `bg:SubjectAssignment` (a reified statement keeping the
    evidence) per subject and concept, numbered in concept order."""
    by_subject: dict[IRI, list[tuple[str, Rule, TextField, str]]] = {}
    for (subject, target), (rule, field, matched) in first.items():
        by_subject.setdefault(subject, []).append((target, rule, field, matched))
    for subject, items in sorted(by_subject.items(), key=lambda kv: kv[0].value):
        for k, (target, rule, field, matched) in enumerate(sorted(items, key=lambda i: i[0]),
                                                           start=1):
            concept = IRI(target) if target.startswith("http") else b.mint("eif", target)
            predicate = predicate_of(target)
            b.add(subject, predicate, concept)
            a = b.m.child(subject, kind, f"{b.scope}-{k}" if b.scope else k)
            b.add(a, RDF + "type", BG + "SubjectAssignment")
            b.add(a, RDF + "type", RDF + "Statement")
            b.add(a, RDF + "subject", subject)
            b.add(a, RDF + "predicate", predicate)
            b.add(a, RDF + "object", concept)
            b.add(a, BG + "matchedTerm", de(matched))
            b.add(a, BG + "mappingTerm", de(rule.term))
            b.add(a, BG + "matchedIn", Literal(field.field))
            b.add(a, BG + "evidenceSource", field.source)


# -- EIF ---------------------------------------------------------------------------------------


def _eif_scheme(b: _Links) -> dict[str, str]:
    """The EIF as a SKOS scheme under `<base>eif`; returns id → kind (layer/principle)."""
    path = VOCAB_DIR / "eif.csv"
    labels = {row["id"]: row["label_de"]
              for _, row in read_csv(LINKS_DIR / "eif_labels_de.csv", ("id", "label_de"))}
    scheme = b.mint("eif", "")  # <base>eif
    b.add(scheme, RDF + "type", SKOS + "ConceptScheme")
    b.add(scheme, SKOS + "prefLabel", de("Europäischer Interoperabilitätsrahmen (EIF)"))
    b.add(scheme, SKOS + "prefLabel", en("European Interoperability Framework (EIF)"))
    b.add(scheme, DCT + "source",
          "https://interoperable-europe.ec.europa.eu/collection/nifo-national-interoperability"
          "-framework-observatory/european-interoperability-framework-detail")
    kinds: dict[str, str] = {}
    for line, row in read_csv(path, ("id", "label_en", "kind", "eif_number")):
        eif_id, kind = row["id"], row["kind"]
        if kind not in ("principle", "layer"):
            raise CuratedFileError(f"{path}:{line}: kind must be principle or layer")
        if eif_id not in labels:
            raise CuratedFileError(f"{LINKS_DIR / 'eif_labels_de.csv'}: no German label for "
                                   f"{eif_id} ({path}:{line})")
        kinds[eif_id] = kind
        c = b.mint("eif", eif_id)
        b.add(c, RDF + "type", SKOS + "Concept")
        b.add(c, RDF + "type", BG + ("EifPrinciple" if kind == "principle" else "EifLayer"))
        b.add(c, SKOS + "inScheme", scheme)
        b.add(c, SKOS + "topConceptOf", scheme)
        b.add(scheme, SKOS + "hasTopConcept", c)
        b.add(c, SKOS + "prefLabel", en(row["label_en"]))
        b.add(c, SKOS + "prefLabel", de(labels[eif_id]))
        b.add(c, BG + "projectProvidedLabel", de(labels[eif_id]))
        b.add(c, SKOS + "notation", Literal(row["eif_number"]))
        if row.get("category"):
            b.add(c, SKOS + "scopeNote", en(row["category"]))
        if row.get("eif_recommendations"):
            b.add(c, SKOS + "note", en("EIF 2017 recommendations " + row["eif_recommendations"]))
    return kinds


def _eif_assignments(b: _Links, texts: list[TextField], kinds: dict[str, str]) -> None:
    rules = read_curated_rules(LINKS_DIR / "eif_cues.csv", "eif_id")
    for rule in rules:
        if rule.target not in kinds:
            raise CuratedFileError(f"{LINKS_DIR / 'eif_cues.csv'}:{rule.line}: unknown EIF id "
                                   f"{rule.target!r} (see {VOCAB_DIR / 'eif.csv'})")

    def predicate(target: str) -> str:
        return BG + ("addressesEifLayer" if kinds[target] == "layer"
                     else "addressesEifPrinciple")

    first: dict[tuple[IRI, str], tuple[Rule, TextField, str]] = {}
    cues = [field for field in texts if field.field in _EIF_FIELDS]
    for i, k, matched in _matches(cues, rules):
        field, rule = cues[i], rules[k]
        first.setdefault((field.resolution, rule.target), (rule, field, matched))
        if field.field == "point":  # point by point, as B-2025/34-IT states them
            first.setdefault((field.source, rule.target), (rule, field, matched))
    _assignments(b, first, "eif", predicate)


# -- EU acts and German laws -------------------------------------------------------------------


# acts the sources cite that ontology/vocab/eu_acts.csv (a verbatim copy) lacks
EXTRA_EU_ACTS = Path(__file__).resolve().parent.parent / "ontology" / "links" / "eu_acts_extra.csv"


def _eu_acts(b: _Links) -> dict[str, str]:
    """Every act of eu_acts.csv and eu_acts_extra.csv; returns ELI IRI → CELEX."""
    acts: dict[str, str] = {}
    rows = [(path, line, row) for path in (VOCAB_DIR / "eu_acts.csv", EXTRA_EU_ACTS)
            for line, row in read_csv(path, ("short_name", "title_en", "celex", "eli_uri",
                                             "date"))]
    for path, line, row in rows:
        m = re.fullmatch(r"http://data\.europa\.eu/eli/(reg|dir|dec)/(\d{4})/(\d+)/oj",
                         row["eli_uri"])
        if not m or not re.fullmatch(r"3\d{4}[RLD]\d{4}", row["celex"]):
            raise CuratedFileError(f"{path}:{line}: ELI {row['eli_uri']!r} or CELEX "
                                   f"{row['celex']!r} has an unexpected form")
        kind, year, number = m.groups()
        act = IRI(row["eli_uri"])
        acts[act.value] = row["celex"]
        b.add(act, RDF + "type", ELI + "LegalResource")
        b.add(act, RDF + "type", BG + "EUAct")
        b.add(act, ELI + "id_local", Literal(row["celex"]))
        b.add(act, BG + "celex", Literal(row["celex"]))
        b.add(act, ELI + "title", en(row["title_en"]))
        b.add(act, ELI + "title_short", en(row["short_name"]))
        b.add(act, ELI + "type_document", _RESOURCE_TYPE + kind.upper())
        if row["date"]:
            b.add(act, ELI + "date_document", lit(dt.date.fromisoformat(row["date"])))
        label_de, label_en = eu_act_labels(kind, year, number)
        b.add(act, RDFS + "label", de(label_de))
        b.add(act, RDFS + "label", en(label_en))
        b.add(act, RDFS + "seeAlso", f"https://eur-lex.europa.eu/eli/{kind}/{year}/{number}/oj")
    return acts


def article_iri(act: str, article: str) -> IRI:
    """ELI of an article as EUR-Lex forms it: …/reg/2024/903/oj → …/reg/2024/903/art_3/oj."""
    return IRI(act.removesuffix("/oj") + f"/art_{article}/oj")


def _references(doc: DocumentIndex) -> list[tuple[IRI, Term, str, Term | None]]:
    """(citing, cited, article, evidence) of every reference that names an article."""
    found = []
    for ref in doc.instances(BG + "Reference"):
        for citing in doc.objects(ref, BG + "citing"):
            for cited in doc.objects(ref, BG + "cited"):
                for art in doc.objects(ref, BG + "article"):
                    evidence = doc.objects(ref, BG + "evidence") or [None]
                    found.extend((citing, cited, str(art.value), ev)  # type: ignore[misc]
                                 for ev in evidence)
    return found  # type: ignore[return-value]


def _cited_articles(b: _Links, doc: DocumentIndex, acts: dict[str, str]) -> None:
    for citing, act_term, art, _ in _references(doc):
        act, number = str(act_term.value), art.strip()  # type: ignore[union-attr]
        if act not in acts or not re.fullmatch(r"\d+[a-z]?", number):
            continue
        art_iri = article_iri(act, number)
        b.add(art_iri, RDF + "type", ELI + "LegalResourceSubdivision")
        b.add(art_iri, RDF + "type", BG + "EUActArticle")
        b.add(art_iri, ELI + "is_part_of", IRI(act))
        b.add(IRI(act), ELI + "has_part", art_iri)
        b.add(art_iri, ELI + "number", Literal(number))
        # the act named with the article: "Verordnung (EU) 2024/903, Art. 3"
        label_de, label_en = eu_article_labels(act, number)
        b.add(art_iri, RDFS + "label", de(label_de))
        b.add(art_iri, RDFS + "label", en(label_en))
        b.add(citing, ELI + "cites", art_iri)  # type: ignore[arg-type]


def _german_laws(b: _Links) -> None:
    path = VOCAB_DIR / "de_laws.csv"
    for line, row in read_csv(path, ("abbreviation", "title_de", "short_title_de", "gii_url")):
        abbr = row["abbreviation"]
        if not abbr:
            raise CuratedFileError(f"{path}:{line}: empty abbreviation")
        if not row["title_de"]:
            # unverified rows (IT-NetzG) describe nothing; a citation of such a law is
            # typed by the build and then flagged by shapes-links.ttl (no title)
            continue
        law = b.m.law(abbr)
        b.add(law, RDF + "type", ELI + "LegalResource")
        b.add(law, RDF + "type", BG + "GermanLaw")
        b.add(law, BG + "abbreviation", Literal(abbr))
        b.add(law, ELI + "title_alternative", de(abbr))
        b.add(law, ELI + "title", de(row["title_de"]))
        if row["short_title_de"]:
            b.add(law, ELI + "title_short", de(row["short_title_de"]))
        # the build labels a cited law the same way (kg.citations): one label per language
        label_de, label_en = law_labels(abbr)
        b.add(law, RDFS + "label", de(label_de))
        b.add(law, RDFS + "label", en(label_en))
        if row["gii_url"]:
            b.add(law, RDFS + "seeAlso", row["gii_url"])
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.get("date_ausfertigung", "")):
            b.add(law, ELI + "date_document",
                  lit(dt.date.fromisoformat(row["date_ausfertigung"])))
        if row.get("bgbl_reference"):
            b.add(law, BG + "bgblReference", Literal(row["bgbl_reference"]))


# -- interoperability assessment -----------------------------------------------------------------

_ART3_TEXT = re.compile(
    r"(Verordnung|VO)\s*[(\[]EU[)\]]\s*2024/903\s*,?\s*Art(\.|ikel)\s*3\b", re.IGNORECASE)


def _assessment_relevance(b: _Links, doc: DocumentIndex, texts: list[TextField]) -> None:
    """`bg:interoperabilityAssessmentRelevant true` where a resolution cites Art. 3 of the
    Interoperable Europe Act (the interoperability assessment); never `false`, because
    silence in a resolution does not mean the assessment is irrelevant."""
    evidence: dict[IRI, str] = {}
    rows = [(r, ev) for r, cited, art, ev in _references(doc)
            if isinstance(r, IRI) and cited == IRI(INTEROPERABLE_EUROPE_ACT) and art == "3"]
    for r, ev in sorted(rows, key=lambda row: (row[0].value, str(row[1].value if row[1] else ""))):
        evidence.setdefault(r, normalise(str(ev.value) if ev is not None else ""))
    for field in texts:  # the text itself, should a parser miss the reference
        m = _ART3_TEXT.search(field.text)
        if m and field.field != "section":
            evidence.setdefault(field.resolution, _sentence_around(field.text, m.start()))
    article = article_iri(INTEROPERABLE_EUROPE_ACT, "3")
    for res, text in sorted(evidence.items(), key=lambda kv: kv[0].value):
        b.add(res, BG + "interoperabilityAssessmentRelevant", lit(True))
        b.add(res, BG + "interoperabilityAssessmentBasis", article)
        if text:
            b.add(res, BG + "interoperabilityAssessmentEvidence", de(text))


def _sentence_around(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos) + 2, 0) if text.rfind(". ", 0, pos) >= 0 else 0
    end = text.find(". ", pos)
    return text[start:end + 1 if end >= 0 else len(text)].strip()


def iter_terms() -> Iterator[str]:
    """The bg: terms this module writes (kept in step with ontology/links/TERMS.md)."""
    yield from ("nutsCode", "leadLand", "projectProvidedLabel",
                "SubjectAssignment", "matchedTerm", "mappingTerm", "matchedIn",
                "evidenceSource", "EifPrinciple", "EifLayer", "addressesEifLayer",
                "addressesEifPrinciple", "interoperabilityAssessmentRelevant",
                "interoperabilityAssessmentBasis", "interoperabilityAssessmentEvidence",
                "celex", "EUAct", "EUActArticle", "GermanLaw", "abbreviation",
                "bgblReference")

