"""The bg: terms the analysis writes (documented in TERMS.md), with German and English labels.

States and relations are plain strings inside the analysis; this module maps them to IRIs and
labels in one place, for the derived graph, the CLI and the graph views.
"""

from __future__ import annotations

from typing import Literal

from kg.namespaces import bg
from kg.terms import IRI

State = Literal["in_force", "amended", "partially_repealed", "repealed", "replaced", "expired",
                "not_yet_in_force", "rejected", "unknown"]

STATES: tuple[State, ...] = ("in_force", "amended", "partially_repealed", "repealed", "replaced",
                             "expired", "not_yet_in_force", "rejected", "unknown")

STATE_IRIS: dict[State, IRI] = {
    "in_force": bg.InForce,
    "amended": bg.Amended,
    "partially_repealed": bg.PartiallyRepealed,
    "repealed": bg.Repealed,
    "replaced": bg.Replaced,
    "expired": bg.Expired,
    "not_yet_in_force": bg.NotYetInForce,
    "rejected": bg.NotAdopted,
    "unknown": bg.StatusUnknown,
}

STATE_LABELS: dict[State, tuple[str, str]] = {  # (de, en)
    "in_force": ("in Kraft", "in force"),
    "amended": ("geändert", "amended"),
    "partially_repealed": ("teilweise aufgehoben", "partially repealed"),
    "repealed": ("aufgehoben", "repealed"),
    "replaced": ("ersetzt", "replaced"),
    "expired": ("ausgelaufen", "expired"),
    "not_yet_in_force": ("noch nicht in Kraft", "not yet in force"),
    "rejected": ("nicht angenommen", "not adopted"),
    "unknown": ("unbekannt (nicht geladen)", "unknown (not loaded)"),
}

# Relations between resolutions as the projection names them (edge key), with the property
# they come from and labels. Order = specificity: the first one present between two nodes
# names the edge in views.
RELATIONS: dict[str, tuple[str, str, str]] = {  # key -> (property CURIE, de, en)
    "replaces": ("bg:replaces", "ersetzt", "replaces"),
    "repeals": ("eli:repeals", "hebt auf", "repeals"),
    "amends": ("eli:amends", "ändert", "amends"),
    "continues": ("bg:continues", "führt fort", "continues"),
    "extends": ("bg:extends", "verlängert", "extends"),
    "implements": ("bg:implements", "setzt um", "implements"),
    "based_on": ("bg:basedOn", "Quelle", "based on"),
    "cites": ("eli:cites", "zitiert", "cites"),
}
SPECIFICITY = list(RELATIONS)

# Relations that change their target (chains) and those that build on it (impact).
CHANGE_RELATIONS = frozenset({"replaces", "repeals", "amends", "continues", "extends"})
DEPENDENCY_RELATIONS = frozenset({"amends", "continues", "extends", "implements", "based_on",
                                  "cites"})

CHAIN_KINDS: dict[str, tuple[str, str]] = {  # relation -> chain kind (de, en)
    "repeals": ("Aufhebung", "repeal"),
    "amends": ("Änderung", "amendment"),
    "replaces": ("Ersetzung", "replacement"),
    "continues": ("Fortführung", "continuation"),
    "extends": ("Verlängerung", "extension"),
}

# Kinds of bg:StatusEvent (kg/analysis/events.py): concept IRI and labels (de, en)
EVENT_KIND_IRIS: dict[str, IRI] = {
    "adoption": bg.Adoption,
    "rejection": bg.Rejection,
    "entry_into_force": bg.EntryIntoForce,
    "repeal": bg.Repeal,
    "replacement": bg.Replacement,
    "amendment": bg.Amendment,
    "expiry": bg.Expiry,
}
EVENT_KIND_LABELS: dict[str, tuple[str, str]] = {
    "adoption": ("Beschlussfassung", "adoption"),
    "rejection": ("Ablehnung", "rejection"),
    "entry_into_force": ("Inkrafttreten", "entry into force"),
    "repeal": ("Aufhebung", "repeal"),
    "replacement": ("Ersetzung", "replacement"),
    "amendment": ("Änderung", "amendment"),
    "expiry": ("Fristablauf", "expiry"),
}

MandateState = Literal["open", "due", "overdue", "taken_up", "lapsed", "not_yet_issued"]
MANDATE_STATE_IRIS: dict[str, IRI] = {
    "open": bg.MandateOpen,
    "due": bg.MandateDue,
    "overdue": bg.MandateOverdue,
    "taken_up": bg.MandateTakenUp,
    "lapsed": bg.MandateLapsed,
}
MANDATE_STATE_LABELS: dict[str, tuple[str, str]] = {
    "open": ("offen", "open"),
    "due": ("fällig", "due"),
    "overdue": ("überfällig", "overdue"),
    "taken_up": ("aufgegriffen", "taken up"),
    "lapsed": ("gegenstandslos", "lapsed"),
    "not_yet_issued": ("noch nicht erteilt", "not yet issued"),
}
