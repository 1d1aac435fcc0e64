"""Conversion between kg.terms and pyoxigraph's terms and Python values."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.terms import IRI, Literal

if TYPE_CHECKING:
    pass



def to_ox(term: IRI | Literal) -> ox.NamedNode | ox.Literal:
    if isinstance(term, IRI):
        return ox.NamedNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))


XSD_STRING_IRI = "http://www.w3.org/2001/XMLSchema#string"


def to_python(term: object) -> object:
    """A pyoxigraph term as a plain value: IRIs and blank nodes as str, literals converted."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(sys.intern(term.value))  # one string per IRI, as in plain_value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        if dtype.endswith("#integer") or dtype.endswith("#int") or dtype.endswith("#long"):
            return int(term.value)
        if dtype.endswith("#boolean"):
            return term.value in ("true", "1")
        if dtype.endswith("#decimal") or dtype.endswith("#double"):
            return float(term.value)
        return term.value
    return str(term)


def plain_value(term: object) -> object:
    kind = type(term)
    if kind is ox.NamedNode:
        # one string per IRI, however many rows name it: a projection keeps each IRI as a
        # node key and again in every adjacency and record that refers to it (at 1,000
        # sessions 596 -> 440 MB, and its pickle 59 -> 35 MB)
        return sys.intern(term.value)  # type: ignore[attr-defined]
    if kind is ox.Literal and term.datatype.value == XSD_STRING_IRI:  # type: ignore[attr-defined]
        return term.value  # type: ignore[attr-defined]
    return to_python(term)


def to_term(value: IRI | Literal | str | int | bool) -> ox.NamedNode | ox.Literal:
    """A bindable RDF term for `substitutions=` (never string formatting into queries)."""
    if isinstance(value, IRI | Literal):
        return to_ox(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value),
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(str(value))


@dataclass(frozen=True, slots=True)
class BlankNodeTerm:
    """A blank node in a result row (kg.terms has no blank nodes; results do)."""

    id: str

    def __reduce__(self) -> tuple[type[BlankNodeTerm], tuple[str]]:  # as kg.terms.IRI's
        return BlankNodeTerm, (self.id,)


ResultTerm = IRI | Literal | BlankNodeTerm


def to_result_term(term: object) -> ResultTerm | None:
    """A pyoxigraph term as a kg term, keeping datatype and language (unlike `to_python`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNodeTerm(term.value)
    if isinstance(term, ox.Literal):
        return Literal(term.value, term.datatype.value, term.language)
    # RDF 1.2 triple terms: shown as their N-Triples text rather than dropped
    return Literal(str(term))
