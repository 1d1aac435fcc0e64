"""Conflicts between source documents about one resolution: a protocol and the register (or
two protocols) stating different titles or decision dates. Both values stay in the graph;
`kg validate` reports them through `find_conflicts` (listed in kg.validate.CHECKS).
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.namespaces import sparql_prefixes
from kg.store import OxigraphStore
from kg.terms import IRI
from kg.validate import Finding

_PROPERTIES = {"title": "eli:title", "date": "eli:date_document"}
_LABELS = {"title": ("Titel", "title"), "date": ("Beschlussdatum", "decision date")}


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


def find_conflicts(store: OxigraphStore) -> list[Finding]:
    findings: list[Finding] = []
    for key, prop in _PROPERTIES.items():
        rows = store.select(sparql_prefixes() + f"""
            SELECT DISTINCT ?r ?id ?g ?v WHERE {{
              GRAPH ?g {{ ?r a bg:Resolution ; {prop} ?v ; prov:wasDerivedFrom ?g }}
              OPTIONAL {{ ?r eli:id_local ?id }}
            }} ORDER BY ?r ?g""")
        values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        ids: dict[str, str] = {}
        for row in rows:
            r = _text(row["r"])
            values[r][_norm(_text(row["v"]))].add(_text(row["g"]) + " = " + repr(_text(row["v"])))
            ids[r] = _text(row["id"]) or r
        de, en = _LABELS[key]
        for r, by_value in sorted(values.items()):
            if len(by_value) < 2:
                continue
            stated = "; ".join(sorted(s for group in by_value.values() for s in group))
            findings.append(Finding(
                "Warning",
                f"{ids[r]}: sources disagree on the {en} (Quellen widersprechen sich beim "
                f"{de}); both values are kept: {stated}",
                focus=r,
            ))
    return findings


def _text(term: object) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, IRI) else str(term)
