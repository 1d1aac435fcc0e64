"""api.data.order_key sorts the keys of a page's entries as SPARQL's ORDER BY would (the
engine's sort was most of the cost of a body's page at 1,000 sessions)."""

from __future__ import annotations

import pytest

from api.data import order_key
from kg.store import BlankNodeTerm
from kg.terms import IRI, Literal

XSD = "http://www.w3.org/2001/XMLSchema#"
A, B = IRI("https://example.org/a"), IRI("https://example.org/b")


@pytest.mark.parametrize(("rows", "names", "expected"), [
    # unbound first, then blank nodes, IRIs, literals
    ([{"v": Literal("x")}, {"v": A}, {}, {"v": BlankNodeTerm("b0")}], ["v"],
     [{}, {"v": BlankNodeTerm("b0")}, {"v": A}, {"v": Literal("x")}]),
    # integers by value (session 10 after session 9), strings by their characters
    ([{"v": Literal("10", XSD + "integer")}, {"v": Literal("9", XSD + "integer")}], ["v"],
     [{"v": Literal("9", XSD + "integer")}, {"v": Literal("10", XSD + "integer")}]),
    ([{"v": Literal("10")}, {"v": Literal("9")}], ["v"],
     [{"v": Literal("10")}, {"v": Literal("9")}]),
    # the second key decides a tie of the first: a note's TOP, then its IRI
    ([{"top": Literal("06"), "x": B}, {"top": Literal("06"), "x": A}, {"top": Literal("01")}],
     ["top", "x"],
     [{"top": Literal("01")}, {"top": Literal("06"), "x": A}, {"top": Literal("06"), "x": B}]),
    # a number that is not one sorts with the strings, after the numbers
    ([{"v": Literal("n/a", XSD + "integer")}, {"v": Literal("3", XSD + "integer")}], ["v"],
     [{"v": Literal("3", XSD + "integer")}, {"v": Literal("n/a", XSD + "integer")}]),
])
def test_order_key_sorts_as_sparql(rows: list[dict], names: list[str],
                                   expected: list[dict]) -> None:
    assert sorted(rows, key=lambda row: order_key(row, names)) == expected
