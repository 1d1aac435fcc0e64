"""The searchable entries of document graphs, read from the store with SPARQL.

Each query reads `GRAPH ?doc` of source documents only: with `?doc` bound (substitutions,
never formatted into the text) it reads one document, unbound it reads every document in one
pass (a rebuild, or a load that wrote most of the store).

What becomes an entry:
- a resolution: title (boosted) and its preamble, or its whole text when it has no points
  with text of their own (the points are entries themselves, so a hit says which Ziffer);
- a point: its text, shown with the resolution's id and title;
- an agenda item: title and subtitles (boosted), the summary;
- a protocol note and a statement: their text and author or speaker, shown with the agenda
  item.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from kg.namespaces import sparql_prefixes
from kg.terms import IRI

# A query per document costs about as much as four documents' share of one pass over all of
# them (bench/search_speed.py): up to this many documents, or a quarter of the store, are
# read one by one, more in one pass
PER_DOCUMENT_LIMIT = 40
ONE_PASS_SHARE = 4

_COUNT_DOCUMENTS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a bg:SourceDocument } }"

_RESOLUTIONS = """
SELECT ?doc ?s ?id ?ident ?title ?text ?preamble ?date WHERE {
  GRAPH ?doc {
    ?doc a bg:SourceDocument .
    ?s a bg:Resolution ; eli:id_local ?id .
    OPTIONAL { ?s bg:identifier ?ident }
    OPTIONAL { ?s eli:title ?title }
    OPTIONAL { ?s bg:text ?text }
    OPTIONAL { ?s bg:preamble ?preamble }
    OPTIONAL { ?s eli:date_document ?date }
  }
}"""

_POINTS = """
SELECT ?doc ?s ?res ?number ?text WHERE {
  GRAPH ?doc {
    ?doc a bg:SourceDocument .
    ?s a bg:ResolutionPoint ; eli:is_part_of ?res ; eli:number ?number ; bg:text ?text .
  }
}"""

_AGENDA_ITEMS = """
SELECT ?doc ?s ?top ?title ?subtitle ?summary ?date ?session WHERE {
  GRAPH ?doc {
    ?doc a bg:SourceDocument .
    ?s a bg:AgendaItem ; dct:title ?title .
    OPTIONAL { ?s bg:topNumber ?top }
    OPTIONAL { ?s bg:subtitle ?subtitle }
    OPTIONAL { ?s bg:summary ?summary }
    OPTIONAL { ?s bg:session ?sess . ?sess bg:sessionNumber ?session .
               OPTIONAL { ?sess dct:date ?date } }
  }
}"""

_NOTES_AND_STATEMENTS = """
SELECT ?doc ?s ?kind ?text ?who ?item ?top ?itemTitle ?date ?session WHERE {
  GRAPH ?doc {
    ?doc a bg:SourceDocument .
    VALUES (?type ?kind) { (bg:ProtocolNote "note") (bg:Statement "statement") }
    ?s a ?type ; bg:text ?text .
    OPTIONAL { ?s bg:authorLabel ?who }
    OPTIONAL { ?s bg:speakerLabel ?who }
    OPTIONAL {
      ?s bg:agendaItem ?item .
      OPTIONAL { ?item bg:topNumber ?top }
      OPTIONAL { ?item dct:title ?itemTitle }
      OPTIONAL { ?item bg:session ?sess . ?sess bg:sessionNumber ?session .
                 OPTIONAL { ?sess dct:date ?date } }
    }
  }
}"""

_KIND_WORDS = {"note": "Protokollnotiz", "statement": "Wortbeitrag"}


@dataclass
class Entry:
    """One index entry: what is searched (`ids`, `title`, `body`) and what a hit shows."""

    graph: str
    iri: str
    kind: str
    ident: str
    label: str
    title: str = ""
    body: str = ""
    date: str = ""
    page: str = ""  # the IRI whose page shows the entry
    anchor: str = ""
    ids: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, object]:
        return {"graph": self.graph, "iri": self.iri, "kind": self.kind, "ident": self.ident,
                "label": self.label, "ids": " ".join(self.ids), "title": self.title,
                "body": self.body, "date": self.date, "page": self.page or self.iri,
                "anchor": self.anchor}


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.value if isinstance(value, IRI) else str(value)


def _top_words(top: str, session: str) -> str:
    parts = [f"TOP {top}" if top else "", f"{session}. Sitzung" if session else ""]
    return ", ".join(p for p in parts if p)


class _Reader:
    def __init__(self, store: object, documents: Sequence[str] | None) -> None:
        self.store = store
        self.prefixes = sparql_prefixes()
        self.one_pass = documents is None
        if documents is not None and len(documents) > PER_DOCUMENT_LIMIT:
            rows = store.select(self.prefixes + _COUNT_DOCUMENTS)  # type: ignore[attr-defined]
            self.one_pass = len(documents) * ONE_PASS_SHARE > int(rows[0]["n"])

    def rows(self, query: str, documents: Sequence[str] | None) -> Iterator[dict[str, object]]:
        text = self.prefixes + query
        if documents is None or self.one_pass:
            wanted = None if documents is None else set(documents)
            for row in self.store.select(text):  # type: ignore[attr-defined]
                if wanted is None or _text(row.get("doc")) in wanted:
                    yield row
            return
        for doc in documents:
            yield from self.store.select(  # type: ignore[attr-defined]
                text, substitutions={"doc": IRI(doc)})


def document_entries(nquads: bytes) -> bytes:
    """The entries of one document from its own N-Quads, packed (`unpack_entries`): the same
    queries over a store that holds only this document, run in the process that parsed it, so
    that a load's search step reads no document from the store. Packed, since a load holds
    the entries of all its documents until that step (zlib: a fifth of the pickle)."""
    from kg.store import OxigraphStore  # noqa: PLC0415  (the parsing processes' store)

    return zlib.compress(pickle.dumps(read_entries(OxigraphStore.of_nquads(nquads), None)), 1)


def unpack_entries(packed: bytes) -> list[Entry]:
    entries: list[Entry] = pickle.loads(zlib.decompress(packed))  # noqa: S301  (our own)
    return entries


def source_documents(store: object) -> list[str]:
    """The graph IRIs of every source document in the store."""
    rows = store.select(sparql_prefixes() + "SELECT ?g WHERE { GRAPH ?g { ?g a "  # type: ignore[attr-defined]
                        "bg:SourceDocument } }")
    return sorted(_text(row["g"]) for row in rows)


def read_entries(store: object, documents: Sequence[str] | None) -> list[Entry]:
    """The entries of `documents` (graph IRIs), or of every source document (None)."""
    reader = _Reader(store, documents)
    entries = _resolutions_and_points(reader, documents)
    entries.extend(_agenda_items(reader, documents))
    entries.extend(_notes_and_statements(reader, documents))
    return entries


def _resolutions_and_points(reader: _Reader, documents: Sequence[str] | None) -> list[Entry]:
    resolutions: dict[tuple[str, str], Entry] = {}
    texts: dict[tuple[str, str], tuple[str, str]] = {}  # key -> (text, preamble)
    for row in reader.rows(_RESOLUTIONS, documents):
        key = (_text(row["doc"]), _text(row["s"]))
        entry = resolutions.get(key)
        if entry is None:
            local_id = _text(row["id"])
            entry = resolutions[key] = Entry(graph=key[0], iri=key[1], kind="resolution",
                                             ident=local_id, label="", ids=[local_id])
        title = _text(row.get("title"))
        if title and title not in entry.title:
            entry.title = (entry.title + " " + title).strip()
            entry.label = entry.label or title
        ident = _text(row.get("ident"))
        if ident and ident not in entry.ids:
            entry.ids.append(ident)
        entry.date = entry.date or _text(row.get("date"))
        texts[key] = (texts.get(key, ("", ""))[0] or _text(row.get("text")),
                      texts.get(key, ("", ""))[1] or _text(row.get("preamble")))
    points: list[Entry] = []
    with_points: set[tuple[str, str]] = set()
    for row in reader.rows(_POINTS, documents):
        doc, res = _text(row["doc"]), _text(row["res"])
        parent = resolutions.get((doc, res))
        number = _text(row["number"])
        with_points.add((doc, res))
        # a point of a resolution this document does not describe: "2025/02" from its IRI
        ident = f"{parent.ident if parent else '/'.join(res.rsplit('/', 2)[-2:])} Ziffer {number}"
        points.append(Entry(
            graph=doc, iri=_text(row["s"]), kind="point", ident=ident,
            label=parent.label if parent else "", body=_text(row["text"]),
            date=parent.date if parent else "", page=res, anchor=f"ziffer-{number}",
            ids=[ident]))
    entries: list[Entry] = []
    for key, entry in resolutions.items():
        text, preamble = texts.get(key, ("", ""))
        entry.body = preamble if key in with_points else (text or preamble)
        if entry.title or entry.body:  # a resolution only cited here has neither
            entries.append(entry)
    return entries + points


def _agenda_items(reader: _Reader, documents: Sequence[str] | None) -> Iterable[Entry]:
    items: dict[tuple[str, str], Entry] = {}
    subtitles: dict[tuple[str, str], list[str]] = {}
    summaries: dict[tuple[str, str], list[str]] = {}
    for row in reader.rows(_AGENDA_ITEMS, documents):
        key = (_text(row["doc"]), _text(row["s"]))
        if key not in items:
            ident = _top_words(_text(row.get("top")), _text(row.get("session")))
            items[key] = Entry(graph=key[0], iri=key[1], kind="agenda_item", ident=ident,
                               label=_text(row["title"]), title=_text(row["title"]),
                               date=_text(row.get("date")), ids=[ident])
        for value, bucket in ((row.get("subtitle"), subtitles), (row.get("summary"), summaries)):
            text = _text(value)
            if text and text not in bucket.setdefault(key, []):
                bucket[key].append(text)
    for key, entry in items.items():
        # sorted: the rows come in the store's order, which another store of the same
        # triples need not share (the parsing process's, kg.ingest)
        entry.title = " ".join([entry.title, *sorted(subtitles.get(key, []))])
        entry.body = "\n".join(sorted(summaries.get(key, [])))
    return items.values()


def _notes_and_statements(reader: _Reader, documents: Sequence[str] | None) -> Iterable[Entry]:
    found: dict[tuple[str, str], Entry] = {}
    for row in reader.rows(_NOTES_AND_STATEMENTS, documents):
        key = (_text(row["doc"]), _text(row["s"]))
        if key in found:
            continue
        kind = _text(row["kind"])
        who = _text(row.get("who"))
        where = _top_words(_text(row.get("top")), _text(row.get("session")))
        ident = " ".join(p for p in (_KIND_WORDS[kind], who) if p)
        ident = f"{ident}, {where}" if where else ident
        item = _text(row.get("item"))
        # the author or speaker is searched with the title: "Bayern" finds Bayern's notes
        found[key] = Entry(graph=key[0], iri=key[1], kind=kind, ident=ident,
                           label=_text(row.get("itemTitle")), title=who, body=_text(row["text"]),
                           date=_text(row.get("date")), page=item or key[1], ids=[])
    return found.values()
