"""Expected results of the named queries: how rows are written to and compared with
`tests/queries/expected/<store>/<case>.json`.

Values are made readable and stable: IRIs under the data base become `id:…`, ontology terms
`bg:…` (the other project prefixes likewise), literals their lexical value (integers, booleans
and decimals as JSON numbers and booleans). A file also keeps `evidence`: the protocol lines
that back the expectation, written by hand when the result was checked against the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.namespaces import DEFAULT_BASE, PREFIXES
from kg.store import OxigraphStore
from kg.terms import IRI
from queries.catalogue import NamedQuery

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"


@dataclass(frozen=True)
class Case:
    """One run of a named query on one test store."""

    store: str  # "seed" or "extended"
    query: str
    params: dict[str, str] = field(default_factory=dict)
    label: str = ""  # distinguishes several cases of one query

    @property
    def key(self) -> str:
        return f"{self.query}--{self.label}" if self.label else self.query

    @property
    def path(self) -> Path:
        return EXPECTED_DIR / self.store / f"{self.key}.json"


def show(value: object) -> object:
    if isinstance(value, IRI):
        text = value.value
        if text.startswith(DEFAULT_BASE):
            return "id:" + text[len(DEFAULT_BASE):]
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns):
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"
    return value


def run_case(store: OxigraphStore, query: NamedQuery, params: dict[str, str]
             ) -> tuple[list[str], list[dict[str, object]]]:
    result = store.query(query.bound_text(query.bind(params)))
    rows = [{v: show(row.get(v)) for v in result.variables} for row in result.rows]
    return result.variables, rows


def canonical(rows: list[dict[str, object]], ordered: bool) -> list[dict[str, object]]:
    """Rows as compared: in query order when the query has ORDER BY, else sorted."""
    if ordered:
        return rows
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))


def read_expected(case: Case) -> dict[str, object]:
    return json.loads(case.path.read_text(encoding="utf-8"))


def write_expected(case: Case, query: NamedQuery, variables: list[str],
                   rows: list[dict[str, object]]) -> None:
    """Rewrite the result part of the file, keeping the hand-written evidence."""
    evidence: list[str] = []
    if case.path.exists():
        evidence = list(read_expected(case).get("evidence", []))  # type: ignore[arg-type]
    case.path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "query": query.name,
        "store": case.store,
        "params": case.params,
        "ordered": query.ordered,
        "evidence": evidence,
        "variables": variables,
        "rows": canonical(rows, query.ordered),
    }
    case.path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
