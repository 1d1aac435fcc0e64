"""How graph views look: node colour by status, node shape by kind, edge style by relation,
and the legend built from the same tables (so the legend can never disagree with the picture).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.analysis.vocab import RELATIONS, STATE_LABELS

# Colour-blind-friendly enough: status hues differ in lightness too.
STATE_COLOURS: dict[str, str] = {
    "in_force": "#2e7d32",
    "amended": "#f9a825",
    "partially_repealed": "#ef6c00",
    "repealed": "#c62828",
    "replaced": "#6a1b9a",
    "expired": "#757575",
    "not_yet_in_force": "#0288d1",
    "rejected": "#424242",
    "unknown": "#bdbdbd",
}

KIND_SHAPES: dict[str, str] = {
    "resolution": "dot",
    "point": "diamond",
    "session": "box",
    "body": "triangle",
    "land": "hexagon",
    "eu_act": "star",
    "law": "square",
    "external": "triangleDown",
}
KIND_COLOURS: dict[str, str] = {  # kinds without a status
    "session": "#546e7a",
    "body": "#8d6e63",
    "land": "#00897b",
    "eu_act": "#1565c0",
    "law": "#5d4037",
    "external": "#9e9d24",
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "resolution": ("Beschluss", "resolution"),
    "point": ("Ziffer", "point"),
    "session": ("Sitzung", "session"),
    "body": ("Gremium", "body"),
    "land": ("Land", "Land"),
    "eu_act": ("EU-Rechtsakt", "EU act"),
    "law": ("Gesetz", "law"),
    "external": ("Beschluss eines anderen Gremiums", "other body's decision"),
}
KIND_SIZES = {"resolution": 16, "point": 8, "session": 14, "body": 12, "land": 12,
              "eu_act": 14, "law": 12, "external": 12}


@dataclass(frozen=True)
class EdgeStyle:
    colour: str
    width: float
    dashes: bool | list[int]
    label_de: str
    label_en: str


_STRUCTURAL: dict[str, EdgeStyle] = {
    "part_of": EdgeStyle("#cfd8dc", 1, False, "Teil von", "part of"),
    "sub_point_of": EdgeStyle("#cfd8dc", 1, False, "Unterziffer von", "sub-point of"),
    "session": EdgeStyle("#90a4ae", 1, [2, 4], "in Sitzung", "in session"),
    "passed_by": EdgeStyle("#a1887f", 1, [2, 4], "beschlossen von", "passed by"),
    "assigns": EdgeStyle("#26a69a", 1, [6, 4], "beauftragt", "assigns"),
}
_RELATION_STYLES: dict[str, tuple[str, float, bool | list[int]]] = {
    "replaces": ("#6a1b9a", 3, False),
    "repeals": ("#c62828", 3, False),
    "amends": ("#f9a825", 2.5, [8, 4]),
    "continues": ("#00838f", 2.5, False),
    "extends": ("#00838f", 2, [8, 4]),
    "implements": ("#1565c0", 2, [2, 3]),
    "based_on": ("#78909c", 1.5, [6, 3]),
    "cites": ("#b0bec5", 1, False),
}
EDGE_STYLES: dict[str, EdgeStyle] = {
    **{rel: EdgeStyle(c, w, d, RELATIONS[rel][1], RELATIONS[rel][2])
       for rel, (c, w, d) in _RELATION_STYLES.items()},
    **_STRUCTURAL,
}
LABELLED_EDGES = frozenset(_RELATION_STYLES) - {"cites"}


def node_colour(kind: str, state: str | None) -> str:
    if kind in ("resolution", "point"):
        return STATE_COLOURS.get(state or "unknown", STATE_COLOURS["unknown"])
    return KIND_COLOURS.get(kind, "#9e9e9e")


def legend(kinds: set[str], states: set[str], relations: set[str]) -> dict[str, list[dict]]:
    """Legend entries for what a view shows: {"kinds": [...], "states": [...], "edges": [...]}."""
    return {
        "kinds": [{"key": k, "shape": KIND_SHAPES[k], "colour": KIND_COLOURS.get(k, "#616161"),
                   "de": KIND_LABELS[k][0], "en": KIND_LABELS[k][1]}
                  for k in KIND_SHAPES if k in kinds],
        "states": [{"key": s, "colour": STATE_COLOURS[s], "de": STATE_LABELS[s][0],  # type: ignore[index]
                    "en": STATE_LABELS[s][1]} for s in STATE_COLOURS if s in states],
        "edges": [{"key": r, "colour": EDGE_STYLES[r].colour, "width": EDGE_STYLES[r].width,
                   "dashes": bool(EDGE_STYLES[r].dashes), "de": EDGE_STYLES[r].label_de,
                   "en": EDGE_STYLES[r].label_en} for r in EDGE_STYLES if r in relations],
    }
