"""The pace of the polite client, read from the sleeps it asks for (a clock and a sleep of
our own, so nothing here depends on how fast the machine is)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.fetch.client import ClientConfig, PoliteClient, default_user_agent
from tests.fetch.conftest import Route, Site


class FakeTime:
    """A clock that moves only when the client sleeps (or a test lets time pass)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def client(site: Site, fake: FakeTime, **config: float) -> PoliteClient:
    return PoliteClient(ClientConfig(base_url=site.base_url, user_agent="test/1", **config),
                        sleep=fake.sleep, clock=fake.clock)


@pytest.fixture
def site(make_site: Callable[[], Site]) -> Site:
    site = make_site()
    site.routes["/a"] = Route(body=b"a")
    site.routes["/b"] = Route(body=b"b")
    return site


def test_one_request_per_interval(site: Site) -> None:
    fake = FakeTime()
    with client(site, fake, interval_s=1.0) as http:
        http.get(f"{site.base_url}/a")
        fake.now += 0.25  # the caller spent a quarter second between the two
        http.get(f"{site.base_url}/b")
        fake.now += 5.0  # a long pause: no wait needed
        http.get(f"{site.base_url}/a")
    assert fake.sleeps == [0.75]
    assert http.requests == 3


# (answers before the page, interval, the sleeps asked for, the interval afterwards)
WAITS = [
    ([(429, {"Retry-After": "7"})], 1.0, [7.0], 2.0),  # waited as asked; then half the pace
    ([(503, {"Retry-After": "7"})], 1.0, [7.0], 1.0),  # 503: the pace stays
    ([(503, {})], 1.0, [2.0], 1.0),  # no Retry-After: a back-off, doubling from the interval
    ([(503, {}), (503, {})], 1.0, [2.0, 4.0], 1.0),
]


@pytest.mark.parametrize(("before", "interval", "sleeps", "after"), WAITS)
def test_busy_answers_are_waited_out(site: Site, before: list[tuple[int, dict[str, str]]],
                                     interval: float, sleeps: list[float],
                                     after: float) -> None:
    site.routes["/a"].before = list(before)
    fake = FakeTime()
    with client(site, fake, interval_s=interval, max_waits=3, max_retry_after_s=60) as http:
        fetched = http.get(f"{site.base_url}/a")
    assert (fetched.status, fetched.content) == (200, b"a")
    assert fake.sleeps == sleeps  # the interval passed during each wait: no extra sleep
    assert http.interval_s == after


def test_the_default_user_agent_names_project_version_and_contact() -> None:
    from importlib.metadata import version  # noqa: PLC0415

    assert default_user_agent("https://example.org/contact") == (
        f"Beschlussgraph/{version('beschlussgraph')} (+https://example.org/contact; kg fetch)")
