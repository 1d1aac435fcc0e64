"""Searching: the user's words → a tantivy query → hits with HTML snippets.

The words (German stemming, so "Beschlüsse" finds "Beschluss", "Gruene" finds "Grüne"):
- every word must occur (in the title, the text or the identifiers of one entry);
- `"…"` a phrase; `word*` a prefix ("Registermod*"); `-word` excludes;
- a title hit weighs `TITLE_BOOST` times a text hit, an identifier ("B-2025/33-IT")
  `IDS_BOOST` times: a resolution named so comes before one that only mentions it.

One index per store generation is opened and kept (like kg/analysis/cache.py keeps one
projection); a load switches `current`, and the next search opens the new one.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import tantivy

from kg.search.index import (
    KINDS,
    SCHEMA,
    german_analyzer,
    open_index,
    plain_analyzer,
    reader_location,
)
from kg.settings import Settings
from kg.store import is_remote

TITLE_BOOST = 3.0
IDS_BOOST = 4.0
PREFIX_EXPANSIONS = 64  # most frequent terms a prefix stands for, per field
SNIPPET_CHARS = 220
MAX_QUERY_CHARS = 500
MAX_WORDS = 20
MAX_LIMIT = 100

_WORD = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


class SearchQueryError(ValueError):
    """A search text that cannot be searched; the message says why."""


@dataclass(frozen=True)
class Hit:
    iri: str
    id: str
    kind: str
    title: str
    date: str | None
    snippet: str  # HTML: matches in <mark>, everything else escaped
    score: float
    page: str  # the IRI whose page shows the hit (the resolution of a point)
    anchor: str | None  # "ziffer-3" on that page

    def as_json(self) -> dict[str, object]:
        return {"iri": self.iri, "id": self.id, "kind": self.kind, "title": self.title,
                "date": self.date, "snippet": self.snippet, "score": round(self.score, 4),
                "page": self.page, "anchor": self.anchor}


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int  # distinct resources that match
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.hits) < self.total


@dataclass(frozen=True)
class _Word:
    positions: list[tuple[int, str]]  # (position, stem): a phrase when more than one
    raw: list[tuple[int, str]]  # (position, lowercase token) for the identifiers
    prefix: bool
    exclude: bool


class SearchIndex:
    """One opened index; `search` is safe to call from several threads."""

    def __init__(self, path: Path, *, live: bool = False) -> None:
        self.path = path
        self._index = open_index(path)
        self._live = live  # a remote store's index changes in place: reload per search
        self._stem = german_analyzer()
        self._plain = plain_analyzer()

    def search(self, text: str, *, limit: int = 10, offset: int = 0,
               kinds: list[str] | None = None) -> SearchResult:
        if not 1 <= limit <= MAX_LIMIT:
            raise SearchQueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if offset < 0:
            raise SearchQueryError("offset must be 0 or more")
        unknown = sorted(set(kinds or ()) - set(KINDS))
        if unknown:
            raise SearchQueryError(f"unknown kind {', '.join(unknown)}; known: "
                                   f"{', '.join(KINDS)}")
        words = self._words(text)
        if self._live:
            self._index.reload()
        searcher = self._index.searcher()
        query = self._query(searcher, words, kinds)
        if query is None:
            return SearchResult(text, [], 0, offset, limit)
        return self._collect(searcher, text, query, limit, offset)

    # -- the words

    def _words(self, text: str) -> list[_Word]:
        text = text.strip()
        if not text:
            raise SearchQueryError("empty search: give one or more words")
        if len(text) > MAX_QUERY_CHARS:
            raise SearchQueryError(f"search text longer than {MAX_QUERY_CHARS} characters")
        words: list[_Word] = []
        for m in _WORD.finditer(text):
            exclude = bool(m.group(1) or m.group(3))
            phrase = m.group(2)
            token = phrase if phrase is not None else m.group(4)
            # a prefix of one letter would stand for a large part of the dictionary
            prefix = phrase is None and token.endswith("*") and len(token.rstrip("*")) > 1
            raw = [(i, t) for i, t in enumerate(self._plain.analyze(token.rstrip("*")))]
            stems = [(i, s[0]) for i, t in raw if (s := self._stem.analyze(t))]
            if raw:
                words.append(_Word(stems, raw, prefix, exclude))
        if len(words) > MAX_WORDS:
            raise SearchQueryError(f"more than {MAX_WORDS} words")
        return words

    # -- the query

    def _query(self, searcher: tantivy.Searcher, words: list[_Word],
               kinds: list[str] | None) -> tantivy.Query | None:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for word in words:
            fields = self._word_query(searcher, word)
            if fields is None:
                continue  # a stopword ("die", "und") alone: ignored
            occur = tantivy.Occur.MustNot if word.exclude else tantivy.Occur.Must
            clauses.append((occur, fields))
        if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
            return None
        if kinds:
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "kind", k))
                 for k in kinds])))
        return tantivy.Query.boolean_query(clauses)

    def _word_query(self, searcher: tantivy.Searcher, word: _Word) -> tantivy.Query | None:
        should: list[tantivy.Query] = []
        for field, boost in (("title", TITLE_BOOST), ("body", 1.0)):
            q = self._text_query(searcher, field, word)
            if q is not None:
                should.append(q if boost == 1.0 else tantivy.Query.boost_query(q, boost))
        if len(word.raw) == 1 and not word.prefix:
            should.append(tantivy.Query.boost_query(
                tantivy.Query.term_query(SCHEMA, "ids", word.raw[0][1]), IDS_BOOST))
        elif len(word.raw) > 1:
            should.append(tantivy.Query.boost_query(
                tantivy.Query.phrase_query(SCHEMA, "ids", word.raw), IDS_BOOST))
        if not should:
            return None
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in should])

    def _text_query(self, searcher: tantivy.Searcher, field: str,
                    word: _Word) -> tantivy.Query | None:
        if not word.positions:
            return None
        if word.prefix:
            start = word.positions[-1][1]
            terms = [t for t, _ in searcher.terms_with_prefix(field, start,
                                                             limit=PREFIX_EXPANSIONS)]
            if not terms:
                return tantivy.Query.empty_query()
            # the expanded terms, not a prefix automaton: the snippets can mark them
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, field, t))
                 for t in terms])
        if len(word.positions) == 1:
            return tantivy.Query.term_query(SCHEMA, field, word.positions[0][1])
        return tantivy.Query.phrase_query(SCHEMA, field, word.positions)

    # -- hits

    def _collect(self, searcher: tantivy.Searcher, text: str, query: tantivy.Query,
                 limit: int, offset: int) -> SearchResult:
        # an entry per document graph: a resolution in the protocol and in the register is
        # one hit (the better one); fetch more until the page is full of distinct ones
        want = offset + limit
        fetch = want * 2 + 10
        while True:
            result = searcher.search(query, limit=fetch, count=True)
            seen: dict[str, tuple[float, tantivy.Document]] = {}
            for score, address in result.hits:
                doc = searcher.doc(address)
                iri = doc.get_first("iri")
                if iri not in seen:
                    seen[iri] = (score, doc)
            if len(seen) > want or len(result.hits) >= result.count:
                break
            fetch *= 4
        duplicates = len(result.hits) - len(seen)
        exhausted = len(result.hits) >= result.count
        # the count of distinct resources is exact when every entry was read; otherwise the
        # duplicates of the part read are taken as the estimate
        total = len(seen) if exhausted else result.count - duplicates
        body = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, "body")
        body.set_max_num_chars(SNIPPET_CHARS)
        title = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, "title")
        title.set_max_num_chars(SNIPPET_CHARS)
        # equal scores in the order of their IRIs, not of the index's insertion (which
        # follows the order the documents were parsed in)
        ranked = sorted(seen.items(), key=lambda item: (-item[1][0], item[0]))
        hits = [self._hit(score, doc, body, title)
                for _, (score, doc) in ranked[offset:want]]
        return SearchResult(text, hits, total, offset, limit)

    def _hit(self, score: float, doc: tantivy.Document, body: tantivy.SnippetGenerator,
             title: tantivy.SnippetGenerator) -> Hit:
        snippet = _marked(body.snippet_from_doc(doc), doc.get_first("body") or "")
        if snippet is None:
            snippet = _marked(title.snippet_from_doc(doc), doc.get_first("title") or "")
        if snippet is None:
            text = doc.get_first("body") or doc.get_first("title") or ""
            snippet = html.escape(_shorten(text))
        return Hit(iri=doc.get_first("iri"), id=doc.get_first("ident"),
                   kind=doc.get_first("kind"), title=doc.get_first("label") or "",
                   date=doc.get_first("date") or None, snippet=snippet, score=score,
                   page=doc.get_first("page"), anchor=doc.get_first("anchor") or None)


def _marked(snippet: tantivy.Snippet, text: str) -> str | None:
    """The fragment as HTML with the matches in <mark>, "…" where `text` (the field it was
    cut from) goes on; None when nothing matched in it. Tantivy's ranges are UTF-8 byte
    offsets into the fragment."""
    ranges = snippet.highlighted()
    if not ranges:
        return None
    cut = snippet.fragment_range()
    before = "… " if cut.start > 0 else ""
    after = " …" if cut.end < len(text.strip().encode("utf-8")) else ""
    raw = snippet.fragment().encode("utf-8")
    parts: list[str] = []
    at = 0
    for r in sorted(ranges, key=lambda r: r.start):
        if r.start < at:
            continue
        parts.append(html.escape(raw[at:r.start].decode("utf-8", "replace")))
        parts.append("<mark>" + html.escape(raw[r.start:r.end].decode("utf-8", "replace"))
                     + "</mark>")
        at = r.end
    parts.append(html.escape(raw[at:].decode("utf-8", "replace")))
    return before + "".join(parts).strip() + after


def _shorten(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + " …"


# -- one index per generation -----------------------------------------------------------------

_lock = threading.Lock()
_cached: dict[Path, SearchIndex] = {}


def current_index(settings: Settings) -> SearchIndex:
    """The index of the current store generation (or KG_SEARCH_DIR for a remote store).
    Raises kg.search.index.SearchIndexMissing, or kg.store.StoreError without a store."""
    path = reader_location(settings)
    with _lock:
        cached = _cached.get(path)
        if cached is None:
            cached = SearchIndex(path, live=is_remote(settings.store)
                                 or bool(settings.store_query_url))
            _cached.clear()  # keep one: older generations are pruned by the next load
            _cached[path] = cached
        return cached


def search(settings: Settings, text: str, *, limit: int = 10, offset: int = 0,
           kinds: list[str] | None = None) -> SearchResult:
    return current_index(settings).search(text, limit=limit, offset=offset, kinds=kinds)
