"""Decide, by parsing, whether a query may run on the public endpoint.

Refused with 400: any SPARQL Update (LOAD, INSERT, DROP, …) and any query with a SERVICE
pattern, because Oxigraph would fetch the SERVICE IRI from the server (a server-side request
forgery). The decision comes from rdflib's SPARQL parser: the query is parsed and its tree
walked for `ServiceGraphPattern`; a query rdflib cannot parse while it might contain SERVICE
is refused too (fail closed).

Parsing with rdflib costs ~15 ms, so it is skipped when it cannot change the verdict: SPARQL
keywords are ASCII and case-insensitive, and `\\uXXXX` escapes are expanded before parsing
(by rdflib and Oxigraph alike), so a query whose escape-expanded, lower-cased text contains
none of "service", "load" and "from" has no SERVICE pattern, no LOAD and no dataset clause,
and Oxigraph's own parser is the judge of its syntax (its query parser rejects every update).
Verdicts are cached by query text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate

_DATASET_CLAUSE = re.compile(r"\bfrom\s+(named\s+)?(<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)


@dataclass(frozen=True)
class QueryCheck:
    """The verdict on one query text."""

    refused: str | None = None  # error code: "service_not_allowed", "update_not_allowed",
    #                             "malformed_query"
    message: str | None = None
    has_dataset_clause: bool = False  # FROM / FROM NAMED present: do not force the union


def _walk(node: object, name: str) -> bool:
    """True if a parse-tree node named `name` occurs under `node`."""
    stack = [node]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == name:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))  # type: ignore[call-overload]
    return False


def _as_update(text: str) -> QueryCheck | None:
    """A refusal if `text` is a SPARQL Update, else None."""
    try:
        update = parseUpdate(text)
    except (ParseBaseException, ValueError):
        return None
    requests = update.get("request") or []
    names = {getattr(r, "name", "") for r in requests}
    if not names:
        return None
    if "Load" in names:
        return QueryCheck("update_not_allowed",
                          "LOAD is not allowed: this endpoint is read-only and never fetches "
                          "URLs")
    kinds = ", ".join(sorted(n.upper() for n in names))
    return QueryCheck("update_not_allowed",
                      f"SPARQL Update ({kinds}) is not allowed: this endpoint is read-only; "
                      "load data with `kg load`")


@functools.lru_cache(maxsize=2048)
def check_query(text: str) -> QueryCheck:
    try:
        expanded = expandUnicodeEscapes(text).lower()
    except ValueError as exc:
        return QueryCheck("malformed_query", str(exc))
    # LOAD exists only in updates, which Store.query could never run; it is still parsed
    # and refused by name so that the answer says why
    risky = "service" in expanded or "load" in expanded
    has_from = "from" in expanded
    if not risky and not has_from:
        return QueryCheck()
    try:
        tree = parseQuery(text)
    except (ParseBaseException, ValueError) as exc:
        update = _as_update(text)
        if update is not None:
            return update
        if risky:
            return QueryCheck("malformed_query",
                              f"the query does not parse, so it cannot be checked for SERVICE "
                              f"and is refused: {exc}")
        # Oxigraph will report the syntax error; guess the dataset clause from the text
        return QueryCheck(has_dataset_clause=bool(_DATASET_CLAUSE.search(expanded)))
    if _walk(tree, "ServiceGraphPattern"):
        return QueryCheck("service_not_allowed",
                          "SERVICE is not allowed: this endpoint does not query other "
                          "endpoints (federation would let it fetch arbitrary URLs)")
    return QueryCheck(has_dataset_clause=_walk(tree, "DatasetClause"))


def describe_update(text: str) -> QueryCheck | None:
    """Used on a syntax error: say "updates are refused" rather than "expected SELECT"."""
    return _as_update(text)
