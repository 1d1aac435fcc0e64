"""`kg search TEXT`: full-text search over resolutions, points, agenda items, protocol notes
and statements (kg/search), ranked, with the matches highlighted in the terminal."""

from __future__ import annotations

import argparse
import html
import json
import re

from rich.text import Text

from cli.output import err, fail, out
from kg.settings import Settings

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
KIND_LABELS = {"resolution": "Beschluss", "point": "Ziffer", "agenda_item": "TOP",
               "note": "Protokollnotiz", "statement": "Wortbeitrag"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search", help="full-text search (German stemming; \"phrase\", prefix*, -exclude)",
        description="Search titles and texts of resolutions and points, agenda items, "
                    "protocol notes and statements. Every word must occur; \"…\" is a "
                    "phrase, word* a prefix, -word excludes (after --: kg search -- "
                    "Interoperabilität -FITKO). Exit 0 with hits, 1 without, 2 on an error "
                    "(no store, no search index, bad input).")
    p.add_argument("text", nargs="+", help="the words to search for")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="hits to show (1–100)")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="hits to skip")
    p.add_argument("--kind", action="append", metavar="KIND",
                   choices=sorted(KIND_LABELS),
                   help="only hits of this kind (repeatable): " + ", ".join(KIND_LABELS))
    p.add_argument("--json", action="store_true", help="the hits as JSON (snippets as HTML)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kg.search.index import SearchIndexMissing  # noqa: PLC0415  (tantivy: only here)
    from kg.search.query import SearchQueryError, search  # noqa: PLC0415

    text = " ".join(args.text)
    try:
        result = search(settings, text, limit=args.limit, offset=args.offset,
                        kinds=args.kind)
    except SearchIndexMissing as exc:
        fail(str(exc))
        return 2
    except SearchQueryError as exc:
        fail(f"search {text!r}: {exc}")
        return 2
    if args.json:
        print(json.dumps({"query": result.query, "total": result.total,
                          "offset": result.offset, "limit": result.limit,
                          "hits": [h.as_json() for h in result.hits]},
                         ensure_ascii=False, indent=2))
        return 0 if result.hits else 1
    if not result.hits:
        if not args.quiet:
            err.print(f"no hits for {text!r}")
        return 1
    for n, hit in enumerate(result.hits, start=result.offset + 1):
        head = Text(f"{n:>3}. ")
        head.append(f"[{KIND_LABELS.get(hit.kind, hit.kind)}] ", style="dim")
        head.append(hit.id, style="bold")
        if hit.title:
            head.append(f"  {hit.title}")
        if hit.date:
            head.append(f"  ({hit.date})", style="dim")
        out.print(head)
        out.print(Text("     ").append_text(highlighted(hit.snippet)))
        out.print(Text("     " + hit.iri, style="dim"))
    if not args.quiet:
        shown = f"{result.offset + 1}–{result.offset + len(result.hits)}"
        more = f"; --offset {result.offset + len(result.hits)} for more" \
            if result.has_more else ""
        err.print(f"hits {shown} of {result.total}{more}")
    return 0


def highlighted(snippet: str) -> Text:
    """A snippet's HTML (matches in <mark>, the rest escaped) as rich text."""
    text = Text()
    at = 0
    for m in _MARK.finditer(snippet):
        text.append(html.unescape(snippet[at:m.start()]))
        text.append(html.unescape(m.group(1)), style="bold black on yellow")
        at = m.end()
    text.append(html.unescape(snippet[at:]))
    return text
