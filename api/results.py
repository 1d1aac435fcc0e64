"""SPARQL 1.1 result serialisers (JSON, XML, CSV, TSV) over kg terms, with row/byte caps.

They run inside the query workers: rows arrive as kg terms from `kg.store.query_capped`, are
written one by one, and writing stops before the byte cap is crossed, so a capped result is
still a well-formed document. A truncated JSON result carries `"truncated": true` at its top
level (SPARQL JSON clients ignore unknown members); every format also gets the
`X-Result-Truncated` header from the router.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.store import BlankNodeTerm, ResultTerm
from kg.terms import IRI

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TABULAR_MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}

Row = Sequence[ResultTerm | None]


@dataclass
class Serialised:
    body: bytes
    media_type: str
    rows: int
    truncated: str | None  # None, "rows", "bytes"


# -- per-format pieces: header, one row, footer ---------------------------------------------


def _json_term(term: ResultTerm) -> dict[str, str]:
    if isinstance(term, IRI):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNodeTerm):
        return {"type": "bnode", "value": term.id}
    out = {"type": "literal", "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype != XSD_STRING:
        out["datatype"] = term.datatype
    return out


# xml.sax.saxutils would do, but it imports urllib.request, http.client and ssl into every
# query worker (api/query_process.py) for two replace calls
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _xml_escape(text: str) -> str:
    return text.translate(_TEXT_ESCAPES)


def _xml_attr(value: str) -> str:
    """`value` as a double-quoted XML attribute value."""
    return '"' + value.translate(_ATTR_ESCAPES) + '"'


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry most C0 controls; replace them rather than emit a broken document
    cleaned = "".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else "\ufffd" for ch in text)
    return _xml_escape(cleaned)


def _xml_term(term: ResultTerm) -> str:
    if isinstance(term, IRI):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, BlankNodeTerm):
        return f"<bnode>{_xml_text(term.id)}</bnode>"
    if term.lang:
        return f"<literal xml:lang={_xml_attr(term.lang)}>{_xml_text(term.value)}</literal>"
    if term.datatype != XSD_STRING:
        return (f"<literal datatype={_xml_attr(term.datatype)}>"
                f"{_xml_text(term.value)}</literal>")
    return f"<literal>{_xml_text(term.value)}</literal>"


def _csv_value(term: ResultTerm | None) -> str:
    if term is None:
        return ""
    if isinstance(term, IRI):
        return term.value
    if isinstance(term, BlankNodeTerm):
        return "_:" + term.id
    return term.value


def _tsv_value(term: ResultTerm | None) -> str:
    if term is None:
        return ""
    if isinstance(term, IRI):
        return term.n3()
    if isinstance(term, BlankNodeTerm):
        return "_:" + term.id
    return term.n3()


def _csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()


def _pieces(fmt: str, variables: list[str]) -> tuple[str, Callable[[Row, bool], str], str]:
    """(header, row writer(row, first), footer) of a SELECT result in `fmt`."""
    if fmt == "json":
        head = '{"head":{"vars":' + json.dumps(variables) + '},"results":{"bindings":['

        def json_row(row: Row, first: bool) -> str:
            binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True)
                       if t is not None}
            return ("" if first else ",") + json.dumps(binding, ensure_ascii=False)

        return head, json_row, "]}"
    if fmt == "xml":
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                + "".join(f"<variable name={_xml_attr(v)}/>" for v in variables)
                + "</head><results>")

        def xml_row(row: Row, _first: bool) -> str:
            cells = "".join(f"<binding name={_xml_attr(v)}>{_xml_term(t)}</binding>"
                            for v, t in zip(variables, row, strict=True) if t is not None)
            return f"<result>{cells}</result>"

        return head, xml_row, "</results></sparql>\n"
    if fmt == "csv":
        return (_csv_line(variables),
                lambda row, _first: _csv_line([_csv_value(t) for t in row]), "")
    if fmt == "tsv":
        return ("\t".join("?" + v for v in variables) + "\n",
                lambda row, _first: "\t".join(_tsv_value(t) for t in row) + "\n", "")
    raise ValueError(f"unknown result format {fmt!r}")


def serialise_select(fmt: str, variables: list[str], rows: Sequence[Row], *,
                     truncated: str | None, max_bytes: int) -> Serialised:
    """Write `rows`, stopping before `max_bytes`; `truncated` says whether rows were already
    cut by the row cap."""
    head, write_row, foot = _pieces(fmt, variables)
    marker = ',"truncated":true}' if fmt == "json" else ""
    parts = [head]
    size = len(head.encode())
    # room for the footer and, for JSON, the truncation member
    reserve = len(foot.encode()) + len(marker) + 1
    written = 0
    for row in rows:
        piece = write_row(row, written == 0)
        piece_size = len(piece.encode())
        if size + piece_size + reserve > max_bytes:
            truncated = "bytes"
            break
        parts.append(piece)
        size += piece_size
        written += 1
    if fmt == "json":
        parts.append("]}" + (marker if truncated else "}"))
    else:
        parts.append(foot)
    return Serialised("".join(parts).encode(), TABULAR_MEDIA_TYPES[fmt], written, truncated)


def serialise_boolean(fmt: str, value: bool) -> Serialised:
    """ASK results exist in JSON and XML only; other requests get JSON (the router decides)."""
    text = "true" if value else "false"
    if fmt == "xml":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{text}</boolean></sparql>\n")
        return Serialised(body.encode(), TABULAR_MEDIA_TYPES["xml"], 1, None)
    return Serialised(('{"head":{},"boolean":' + text + "}").encode(),
                      TABULAR_MEDIA_TYPES["json"], 1, None)


def literal_of(term: ResultTerm | None) -> str | None:
    """The plain value of a term for HTML and REST views (IRI value, literal lexical form)."""
    if term is None:
        return None
    if isinstance(term, IRI):
        return term.value
    if isinstance(term, BlankNodeTerm):
        return "_:" + term.id
    return term.value

