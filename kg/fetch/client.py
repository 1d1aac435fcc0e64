"""The one HTTP client of `kg fetch`: paced, named, bounded.

Politeness is enforced here and nowhere else, so no caller can forget it: at most one request
per `interval_s` (a robots.txt Crawl-delay may lengthen it), a User-Agent naming the project,
redirects followed only within the site (and only where robots.txt allows), 429/503 waited out
as long as Retry-After asks if that stays under a cap, a bounded number of tries after a
timeout. Every failure is a `FetchError` whose message names the URL.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin, urlsplit

import httpx

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
BUSY = {429, 503}


class FetchError(Exception):
    """One URL could not be fetched; the message says which and why."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class NetworkDown(FetchError):
    """The site cannot be reached at all (no connection after the retries)."""


def default_user_agent(contact_url: str) -> str:
    try:
        version = metadata.version("beschlussgraph")
    except metadata.PackageNotFoundError:  # a checkout run without `pip install -e`
        version = "0"
    return f"Beschlussgraph/{version} (+{contact_url}; kg fetch)"


def site_key(url: str) -> tuple[str, int | None]:
    """Host without a leading `www.` (the council serves both names) and an explicit port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return (host[4:] if host.startswith("www.") else host), parts.port


def same_site(base_url: str, url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and site_key(url) == site_key(base_url)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); None when
    absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects within the site
    status: int
    headers: httpx.Headers
    content: bytes


@dataclass
class ClientConfig:
    base_url: str
    user_agent: str
    interval_s: float = 1.0
    timeout_s: float = 30.0
    retries: int = 2
    max_waits: int = 3
    max_retry_after_s: float = 120.0
    max_bytes: int = 50_000_000


class PoliteClient:
    def __init__(self, config: ClientConfig, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.interval_s = config.interval_s
        self.allowed: Callable[[str], bool] = lambda _url: True  # robots.txt, once read
        self.requests = 0
        self.on_wait: Callable[[str], None] = lambda _message: None
        self._sleep = sleep
        self._clock = clock
        self._last_start: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": config.user_agent},
            timeout=httpx.Timeout(config.timeout_s),
            follow_redirects=False,  # redirects are checked against the site and robots.txt
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pace(self) -> None:
        now = self._clock()
        if self._last_start is not None:
            wait = self._last_start + self.interval_s - now
            if wait > 0:
                self._sleep(wait)
        self._last_start = self._clock()
        self.requests += 1

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Fetched:
        """GET `url`; a 304 is returned as such (the caller keeps its copy)."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, response_headers, content = self._get_waiting(current, headers)
            if status not in REDIRECTS:
                return Fetched(url, current, status, response_headers, content)
            location = response_headers.get("location")
            if not location:
                raise FetchError(current, f"redirect ({status}) without a Location header")
            target = urljoin(current, location)
            if not same_site(self.config.base_url, target):
                raise FetchError(url, f"redirects ({status}) off the site to {target}; "
                                      "not followed")
            if not self.allowed(target):
                raise FetchError(url, f"redirects ({status}) to {target}, which robots.txt "
                                      "disallows; not followed")
            current = target
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects (last: {current})")

    def _get_waiting(self, url: str,
                     headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """One URL, waiting out 429/503 as Retry-After asks, within the caps."""
        waits = 0
        while True:
            status, response_headers, content = self._get_trying(url, headers)
            if status not in BUSY:
                return status, response_headers, content
            asked = retry_after_seconds(response_headers.get("retry-after"))
            if asked is not None and asked > self.config.max_retry_after_s:
                raise FetchError(url, f"{status}: the server asks to retry after {asked:.0f} s, "
                                      f"more than the cap of {self.config.max_retry_after_s:.0f} s "
                                      "(KG_FETCH_MAX_RETRY_AFTER_S); given up")
            if waits >= self.config.max_waits:
                raise FetchError(url, f"still {status} after waiting {waits} times as asked "
                                      "(KG_FETCH_MAX_WAITS); given up")
            waits += 1
            if status == 429:
                # asked to slow down: the rest of the run goes at half the pace, too
                self.interval_s = min(self.interval_s * 2, self.config.max_retry_after_s)
            # without Retry-After: back off from the interval, doubling, within the cap
            delay = asked if asked is not None else min(
                max(self.interval_s, 1.0) * 2 ** waits, self.config.max_retry_after_s)
            self.on_wait(f"{url}: {status}, waiting {delay:.0f} s as "
                         f"{'asked (Retry-After)' if asked is not None else 'a back-off'}")
            self._sleep(delay)

    def _get_trying(self, url: str,
                    headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """One request, tried again after a timeout or a dropped connection."""
        tries = self.config.retries + 1
        for attempt in range(1, tries + 1):
            self._pace()
            try:
                return self._request(url, headers)
            except httpx.TimeoutException as exc:
                if attempt == tries:
                    raise FetchError(url, f"timed out after {self.config.timeout_s:g} s "
                                          f"({tries} tries; KG_FETCH_TIMEOUT_S)") from exc
            except httpx.ConnectError as exc:
                if attempt == tries:
                    raise NetworkDown(url, f"cannot connect ({exc}; {tries} tries)") from exc
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError) as exc:
                if attempt == tries:
                    raise FetchError(url, f"connection dropped ({exc}; {tries} tries)") from exc
        raise AssertionError("unreachable")  # the loop returns or raises

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        with self._http.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.config.max_bytes:
                raise FetchError(url, f"{declared} bytes, more than the cap of "
                                      f"{self.config.max_bytes} (KG_MAX_FILE_BYTES)")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.config.max_bytes:
                    raise FetchError(url, f"more than {self.config.max_bytes} bytes "
                                          "(KG_MAX_FILE_BYTES); not kept")
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)
