"""A query's parameters written into its text as RDF terms, before it runs: a named query's
(queries/catalogue.py), and every value a query is given for a remote store (kg/remote.py),
which has no `substitutions=` of its own.

Why not pyoxigraph's `substitutions=`: Oxigraph plans a query before it sees a substituted
value, so a parameter that picks one Land or one date cannot steer the join order
(`land-roles` at 1,000 synthetic sessions, the same text: past 60 s bound, 1.1 s written in),
and a value bound from outside reaches neither a MINUS nor a sub-SELECT that does not
project it. Written into the text, the value is a constant everywhere the query names it.

Where a parameter `?_x` stands, it becomes:
- in the top-level SELECT clause, outside parentheses: `(TERM AS ?_x)`, so the results keep
  the column;
- in a sub-SELECT's clause, outside parentheses: nothing (the constant is already written
  wherever the sub-SELECT reads it, and SPARQL forbids the top level to assign a variable a
  sub-SELECT projects);
- in GROUP BY or ORDER BY, outside parentheses: `(TERM)`, a bracketed expression;
- anywhere else: TERM.
Giving a parameter a value inside the query (`AS ?_x`, `VALUES ?_x`) is an error: its value
comes from the caller.

TERM is pyoxigraph's N-Triples serialisation of the bound term (quotes, backslashes and line
breaks escaped; the catalogue checks an IRI parameter for characters an IRI cannot hold), so
a caller's text can only ever be one constant of the query. Comments, strings and IRIs of the
query are left as they are (kg/sparql_lexer.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.sparql_lexer import TOKEN
from kg.store import to_term
from kg.terms import IRI, Literal


class InlineError(ValueError):
    """A query assigns a value to one of its parameters ("line N: …")."""


def inline_parameters(sparql: str, values: Mapping[str, IRI | Literal]) -> str:
    """`sparql` with each `?name` of `values` replaced by its term (see the module doc)."""
    terms = {name: str(to_term(value)) for name, value in values.items()}
    if not terms:
        return sparql
    parts: list[str] = []
    written = 0
    clause = "pattern"  # "projection" (SELECT …), "condition" (GROUP/ORDER BY …), "pattern"
    braces = 0  # a SELECT inside braces is a sub-SELECT
    depth = 0  # parentheses open in the current clause
    previous = ""  # the last keyword or punctuation read, upper-cased
    in_values_head = False  # between VALUES and its `{`
    for m in TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind in ("ws", "comment", "string", "iri"):
            continue
        text = m.group()
        if kind == "var":
            name = text[1:]
            if name in terms:
                if previous == "AS" or in_values_head:
                    line = sparql.count("\n", 0, m.start()) + 1
                    raise InlineError(f"line {line}: the query assigns a value to its "
                                      f"parameter ?{name}; its value comes from the caller")
                term = terms[name]
                if depth == 0 and clause == "projection":
                    term = f"({term} AS ?{name})" if braces == 0 else ""
                elif depth == 0 and clause == "condition":
                    term = f"({term})"
                parts.append(sparql[written:m.start()])
                parts.append(term)
                written = m.end()
            previous = ""
            continue
        word = text.upper() if kind == "word" else text
        if word == "SELECT":
            clause, depth = "projection", 0
        elif word in ("WHERE", "FROM", "HAVING", "LIMIT", "OFFSET") or text in ("{", "}"):
            clause, depth = "pattern", 0
        elif word == "BY" and previous in ("GROUP", "ORDER"):
            clause, depth = "condition", 0
        if text == "{":
            braces += 1
        elif text == "}":
            braces -= 1
        elif text == "(":
            depth += 1
        elif text == ")":
            depth = max(depth - 1, 0)
        if word == "VALUES":
            in_values_head = True
        elif text == "{":
            in_values_head = False
        previous = word
    parts.append(sparql[written:])
    return "".join(parts)
