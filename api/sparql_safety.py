"""Decide whether a query may run on the public endpoint, on the tokens Oxigraph itself reads.

Refused with 400: any SPARQL Update (LOAD, INSERT, DROP, …), any query with a SERVICE
keyword (Oxigraph would fetch the SERVICE IRI from the server: a server-side request forgery),
and queries nested deeper than Oxigraph's recursive parser survives (it overflows its stack
and kills the process at a few thousand levels).

Why a lexer and not a parser: the guard must see the keywords the engine sees. A second
parser with another grammar can be fooled — rdflib ended a `#` comment only at a line feed,
Oxigraph also at a carriage return, so `#\\rSERVICE <…>` ran a SERVICE call that rdflib
never saw. SPARQL keywords cannot hide anywhere but in comments, string literals and IRIs,
so a lexer that follows Oxigraph's token rules for exactly those three (comments end at CR
or LF; the four string forms with their escapes; IRIREF without spaces, braces or quotes)
finds every keyword the engine could execute. It is fail-closed on the one point where
engines differ: `\\uXXXX` escapes. Oxigraph expands them inside IRIs and strings only, the
SPARQL spec everywhere; the text is lexed both ways and a keyword seen in either refuses.

The lexer is one compiled regular expression run once over the text: linear time, no
recursion, so a 1 MB query is checked in milliseconds and deep nesting cannot crash it.
The worker processes that execute queries cannot open network sockets at all
(api/sandbox.py), so a future gap here would still fetch nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MAX_NESTING = 200  # Oxigraph's parser recursion overflows at a few thousand levels

_TOKEN = re.compile(
    r"""
      (?P<ws>[\x20\t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
               |'(?:[^'\\\r\n]|\\.)*(?:'|\Z)
               |"(?:[^"\\\r\n]|\\.)*(?:"|\Z))
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\.-])*)
    | (?P<word>[^\W\d][\w]*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UPDATE_WORDS = {"load", "insert", "delete", "clear", "drop", "create", "add", "move", "copy",
                 "with"}


@dataclass(frozen=True)
class QueryCheck:
    """The verdict on one query text."""

    refused: str | None = None  # error code: "service_not_allowed", "update_not_allowed",
    #                             "query_too_complex"
    message: str | None = None
    has_dataset_clause: bool = False  # FROM / FROM NAMED present: do not force the union


@dataclass(frozen=True)
class _Scan:
    words: frozenset[str]  # bare words, lower case
    heads: frozenset[str]  # bare words and the parts of prefixed names a keyword could open
    depth: int


def _expand_escapes(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(replace, text)


def _scan(text: str) -> _Scan:
    """The bare words (keywords and function names), the places a keyword could start, and
    the deepest nesting.

    Oxigraph matches keywords without a word boundary: `SERVICE:x`, `SERVICEex:x` and
    `SERVICESILENT<…>` all run a SERVICE call. So a prefixed name's prefix, and each part of
    its local name after a dot, count as places where a keyword may begin."""
    words: set[str] = set()
    heads: set[str] = set()
    depth = deepest = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            word = m.group().lower()
            words.add(word)
            heads.add(word)
        elif kind == "pname":
            prefix, _, local = m.group().lower().partition(":")
            heads.add(prefix)
            heads.update(local.split(".")[1:])
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return _Scan(frozenset(words), frozenset(heads), deepest)


@functools.lru_cache(maxsize=2048)
def check_query(text: str) -> QueryCheck:
    scans = [_scan(text)]
    if "\\u" in text or "\\U" in text:
        scans.append(_scan(_expand_escapes(text)))
    words = frozenset().union(*(s.words for s in scans))
    heads = frozenset().union(*(s.heads for s in scans))
    depth = max(s.depth for s in scans)
    if any(head.startswith("service") for head in heads):
        return QueryCheck("service_not_allowed",
                          "SERVICE is not allowed: this endpoint does not query other "
                          "endpoints (federation would let it fetch arbitrary URLs)")
    if any(head.startswith("load") for head in heads):
        return QueryCheck("update_not_allowed",
                          "LOAD is not allowed: this endpoint is read-only and never fetches "
                          "URLs")
    update = sorted(words & _UPDATE_WORDS)
    if update:
        return QueryCheck("update_not_allowed",
                          f"SPARQL Update ({', '.join(w.upper() for w in update)}) is not "
                          "allowed: this endpoint is read-only; load data with `kg load`")
    if depth > MAX_NESTING:
        return QueryCheck("query_too_complex",
                          f"the query nests brackets {depth} levels deep; at most "
                          f"{MAX_NESTING} are accepted")
    return QueryCheck(has_dataset_clause=any(head.startswith("from") for head in heads))


def describe_update(text: str) -> QueryCheck | None:
    """Used on a syntax error: say "updates are refused" rather than "expected SELECT"."""
    check = check_query(text)
    return check if check.refused == "update_not_allowed" else None
