"""Minimal RDF terms and N-Quads serialisation.

The build step produces plain tuples of these terms; only `kg.store` turns them into
pyoxigraph objects. Keeping the terms tiny keeps the pure layers free of store imports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True, slots=True)
class IRI:
    value: str

    def n3(self) -> str:
        return "<" + _escape_iri(self.value) + ">"

    def __str__(self) -> str:
        return self.value

    # Pickled by its constructor: rows come from the query workers pickled, and the default
    # of a frozen dataclass with slots restores each field through dataclasses.fields (11,000
    # rows of a body's page: 79 -> 25 ms to unpickle, 118 -> 32 ms to pickle)
    def __reduce__(self) -> tuple[type[IRI], tuple[str]]:
        return IRI, (self.value,)


@dataclass(frozen=True, slots=True)
class Literal:
    value: str
    datatype: str = _XSD + "string"
    lang: str | None = None

    def __reduce__(self) -> tuple[type[Literal], tuple[str, str, str | None]]:
        return Literal, (self.value, self.datatype, self.lang)

    def n3(self) -> str:
        body = '"' + _escape_string(self.value) + '"'
        if self.lang:
            return f"{body}@{self.lang}"
        if self.datatype == _XSD + "string":
            return body
        return f"{body}^^<{self.datatype}>"


Term = IRI | Literal
Quad = tuple[IRI, IRI, Term, IRI]


def lit(value: object, lang: str | None = None) -> Literal:
    """A typed literal from a Python value (bool, int, Decimal, date, datetime, time, str)."""
    if lang is not None:
        return Literal(str(value), _RDF_LANG, lang)
    if isinstance(value, bool):
        return Literal("true" if value else "false", _XSD + "boolean")
    if isinstance(value, int):
        return Literal(str(value), _XSD + "integer")
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." not in text:
            text += ".0"
        return Literal(text, _XSD + "decimal")
    if isinstance(value, dt.datetime):
        return Literal(_datetime_text(value), _XSD + "dateTime")
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), _XSD + "date")
    if isinstance(value, dt.time):
        return Literal(value.strftime("%H:%M:%S"), _XSD + "time")
    return Literal(str(value))


def _datetime_text(value: dt.datetime) -> str:
    """The canonical lexical form, as the engine writes it back ("Z" for UTC, no trailing
    zeros in the seconds): a graph rewritten with the same instant is then the same text,
    and its diff (kg.store.replace_graph) is empty instead of every such triple."""
    text = value.replace(microsecond=0, tzinfo=None).isoformat()
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    offset = value.utcoffset()
    if offset is None:
        return text
    return text + ("Z" if offset == dt.timedelta(0) else value.isoformat()[-6:])


def de(text: str) -> Literal:
    return Literal(text, _RDF_LANG, "de")


def en(text: str) -> Literal:
    return Literal(text, _RDF_LANG, "en")


# what _escape_string and _escape_iri change: most values have none of it, and a regex says so
# in C far faster than the loops below (N-Triples of a million analysis triples: 13 -> 1 s)
_STRING_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f\ud800-\udfff]')
_IRI_SPECIAL = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def _escape_string(value: str) -> str:
    if not _STRING_SPECIAL.search(value):
        return value
    out = []
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")  # lone surrogates cannot be encoded as UTF-8
        else:
            out.append(ch)
    return "".join(out)


_IRI_FORBIDDEN = set('<>"{}|^`\\ ')


def _escape_iri(value: str) -> str:
    if not _IRI_SPECIAL.search(value):
        return value
    return "".join(
        f"%{ord(c):02X}" if (c in _IRI_FORBIDDEN or ord(c) <= 0x20) else c for c in value
    )


def to_nquads(quads: list[Quad]) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads)
