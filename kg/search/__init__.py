"""Full-text search over resolutions, their points, agenda items, protocol notes and
statements (issue 14, item 2).

Why tantivy rather than SQLite FTS5: tantivy ships a Snowball German stemmer that already
folds "ue"/"ü" and "ss"/"ß" ("Gruene" and "Grüne" both stem to `grun`), BM25 ranking with
per-field boosts, and a snippet generator that returns the highlighted ranges, all in one
wheel; FTS5 has no German stemmer of its own (a Python tokenizer callback per token would be
needed) and its `snippet()` marks only the terms of its own tokenizer. Tantivy's segments are
write-once files, so the index of a new store generation can start as hard links to the
previous one (kg/search/index.py) and a load costs what it changed.

- `kg.search.index`: schema, German analyzer, where an index lives, opening and copying it.
- `kg.search.extract`: the searchable entries of document graphs, read with SPARQL.
- `kg.search.step`: the post-load step `refresh_search` (incremental with the load).
- `kg.search.query`: the user's words → a tantivy query, hits with HTML snippets.
"""
