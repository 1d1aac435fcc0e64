"""kg.collector.paused: the cycle collector is off inside and as it was after, nested too."""

from __future__ import annotations

import gc

import pytest

from kg import collector


@pytest.fixture
def collector_on() -> None:
    gc.enable()
    yield
    gc.enable()


def test_paused_and_restored(collector_on: None) -> None:
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # the projection, inside a load
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not end the outer one
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_on: None) -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_restored_after_an_error(collector_on: None) -> None:
    with pytest.raises(KeyError), collector.paused():
        raise KeyError("x")
    assert gc.isenabled()


@collector.paused()
def _decorated() -> bool:
    return gc.isenabled()


def test_as_a_decorator(collector_on: None) -> None:
    assert _decorated() is False
    assert gc.isenabled()
