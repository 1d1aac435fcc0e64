"""bench/scale.py's bookkeeping (no timings): how it reads kg load's report and how it
decides that a size would not fit the budget."""

from __future__ import annotations

import pytest

from bench.scale import Result, Run, _documents, extrapolate


def _result(n: int, load_s: float | None) -> Result:
    r = Result(n)
    r.load_s = load_s
    return r


@pytest.mark.parametrize(("done", "n", "expected"), [
    ([], 100, None),  # nothing measured yet: the first size always runs
    ([_result(10, 5.0)], 100, 50.0),  # one size: linear
    ([_result(10, 5.0), _result(100, 500.0)], 1000, 50_000.0),  # quadratic growth continues
    ([_result(10, 5.0), _result(100, 20.0)], 1000, 200.0),  # sublinear counts as linear
    ([_result(10, 5.0), _result(100, None)], 1000, 500.0),  # a size that did not load
])
def test_extrapolate(done, n, expected):
    got = extrapolate(done, n)
    if expected is None:
        assert got is None
    else:
        assert got is not None and got[0] == pytest.approx(expected)


def test_documents_read_from_the_summary_line_even_when_wrapped():
    run = Run([], 1.0, 1, "…\nloaded 998 of\n1,000 documents, 12 triples in 1 s\n",
              "error: a.txt:1: not a council protocol (skipped;\nthe store keeps …)\n" * 2)
    loaded, first = _documents(run, 1000)
    assert loaded == 998
    assert first.endswith("not a council protocol")


def test_documents_counted_from_failures_without_a_summary():
    run = Run([], 1.0, 1, "", "x (skipped; …)\ny (skipped; …)\n")
    assert _documents(run, 5)[0] == 3
