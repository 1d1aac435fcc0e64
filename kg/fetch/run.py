"""One `kg fetch` run: robots.txt, then decision pages (by id or year by year), then the
session pages and protocol PDFs they link, each through the cache.

A file fetched less than `fresh_s` ago is kept without a request (so an interrupted run
resumes where it stopped); an older one is asked for again conditionally (If-None-Match,
If-Modified-Since) and kept on 304. Every problem is reported with its URL and the run goes
on; only a site that cannot be reached at all (`NetworkDown`) ends it early.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kg.fetch.cache import Cache, Record, new_record
from kg.fetch.client import (
    ClientConfig,
    Fetched,
    FetchError,
    NetworkDown,
    PoliteClient,
    default_user_agent,
)
from kg.fetch.page import PageFacts, decode_page, read_page
from kg.fetch.plan import DecisionId, page_urls, same_decision
from kg.fetch.robots import Robots, read_robots
from kg.settings import Settings

PDF_HEADER_WINDOW = 1024  # a PDF may carry junk before %PDF- (PDF 1.7, annex H.3)
NO_DECISION_HINT = "no line like '26.11.2025 | 48. Sitzung | Beschluss 2025/33'"


class Progress(Protocol):
    def phase(self, name: str, total: int | None = None) -> None: ...
    def advance(self, label: str = "") -> None: ...
    def note(self, message: str) -> None: ...  # worth knowing; hidden with --quiet
    def problem(self, message: str) -> None: ...  # something was not fetched; always shown


class Outcome(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # 304, or the same bytes again
    KEPT = "kept"  # fresh in the cache, not asked for
    MISS = "miss"  # 404 / 410
    DISALLOWED = "disallowed"  # robots.txt


@dataclass
class Got:
    outcome: Outcome
    url: str
    path: Path
    content: bytes = b""
    record: Record | None = None  # the cached record (kept, unchanged)
    fetched: Fetched | None = None  # a new body to store (new, updated)

    @property
    def content_type(self) -> str | None:
        return self.fetched.headers.get("content-type") if self.fetched else None


@dataclass
class FetchReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    decisions: list[str] = field(default_factory=list)  # ids found this run
    sessions: int = 0
    protocols: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed_parts: int = 0
    requests: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Fetcher:
    def __init__(self, client: PoliteClient, cache: Cache, robots: Robots, base_url: str,
                 progress: Progress, *, fresh_s: float,
                 now: Callable[[], dt.datetime] = _utc_now) -> None:
        self.client = client
        self.cache = cache
        self.robots = robots
        self.base_url = base_url
        self.progress = progress
        self.fresh_s = fresh_s
        self.now = now
        self.report = FetchReport()
        self.linked_pdfs: dict[str, str] = {}  # PDF → the page that linked it first
        self.linked_sessions: dict[str, str] = {}

    # -- one resource through the cache ------------------------------------------------------

    def get(self, url: str, kind: str) -> Got:
        path = self.cache.path_for(kind, url)
        record = self.cache.complete(path)
        if record is not None and record.age_s(self.now()) < self.fresh_s:
            return Got(Outcome.KEPT, url, path, path.read_bytes(), record)
        if not self.robots.allowed(url):
            return Got(Outcome.DISALLOWED, url, path)
        fetched = self.client.get(url, etag=record.etag if record else None,
                                  last_modified=record.last_modified if record else None)
        if fetched.status == 304 and record is not None:
            return Got(Outcome.UNCHANGED, url, path, path.read_bytes(), record)
        if fetched.status in (404, 410):
            if record is not None:
                self._warn(f"{url}: {fetched.status} now; the copy fetched at "
                           f"{record.fetched_at} stays in {path}")
            return Got(Outcome.MISS, url, path)
        if fetched.status != 200:
            raise FetchError(url, f"HTTP {fetched.status}; not kept")
        if (record is not None
                and record.served_digest == hashlib.sha256(fetched.content).hexdigest()):
            # a server without validators sent the same bytes again: nothing to rewrite
            return Got(Outcome.UNCHANGED, url, path, path.read_bytes(), record)
        outcome = Outcome.UPDATED if record is not None else Outcome.NEW
        return Got(outcome, url, path, fetched.content, None, fetched)

    def _store(self, got: Got, kind: str, **page: str | None) -> None:
        assert got.fetched is not None
        self.cache.store(got.path, got.content, new_record(
            url=got.url, final_url=got.fetched.final_url, headers=got.fetched.headers,
            content=got.content, kind=kind, now=self.now(), **page))

    def _store_page(self, got: Got, kind: str, text: str, served_charset: str,
                    declared: str | None, **page: str | None) -> None:
        """A page in UTF-8, whatever charset it was served in (the loaders read UTF-8)."""
        served = got.content
        got.content = text.encode("utf-8")
        self._store(got, kind, charset="utf-8", served_charset=served_charset,
                    declared_charset=declared,
                    served_sha256=(hashlib.sha256(served).hexdigest()
                                   if got.content != served else None), **page)

    def _text(self, got: Got) -> tuple[str, str, str | None, str]:
        """A page's text, the charset that read it and the one declared, and its final URL."""
        if got.record is not None:  # as stored: UTF-8
            record = got.record
            return (got.content.decode(record.charset or "utf-8", errors="replace"),
                    record.served_charset or "utf-8", record.declared_charset,
                    record.final_url)
        assert got.fetched is not None
        decoded = decode_page(got.url, got.content, got.content_type)
        if decoded.warning:
            self._warn(decoded.warning)
        return decoded.text, decoded.charset, decoded.declared, got.fetched.final_url

    def _fail(self, message: str) -> None:
        self.report.failures.append(message)
        self.progress.problem(message)

    def _warn(self, message: str) -> None:
        self.report.warnings.append(message)
        self.progress.note(f"warning: {message}")

    # -- decision pages ----------------------------------------------------------------------

    def decision(self, decision: DecisionId, *, explicit: bool) -> bool:
        """Fetch the page of one decision; True when a page showing a decision was found."""
        urls = page_urls(self.base_url, decision)
        # the address a cached copy came from first: no probe of the other form on a rerun
        cached = [u for u in urls if self.cache.complete(self.cache.path_for("page", u))]
        disallowed: list[str] = []
        for url in cached + [u for u in urls if u not in cached]:
            try:
                got = self.get(url, "page")
            except NetworkDown:
                raise
            except FetchError as exc:
                self._fail(f"{exc} (decision {decision})")
                return False
            if got.outcome is Outcome.DISALLOWED:
                disallowed.append(url)
            elif got.outcome is not Outcome.MISS:
                return self._decision_page(decision, got)
        if disallowed:
            self.report.counts[Outcome.DISALLOWED] += 1
            self._fail(f"{', '.join(disallowed)}: disallowed by robots.txt; not fetched "
                       f"(decision {decision})")
            return False
        self.report.counts[Outcome.MISS] += 1
        if explicit:
            self._fail(f"{' and '.join(urls)}: not found (404); decision {decision} has no page "
                       "at the addresses its id predicts")
        return False

    def _decision_page(self, decision: DecisionId, got: Got) -> bool:
        text, charset, declared, final_url = self._text(got)
        facts = read_page(text, final_url, self.base_url)
        if got.record is None:
            if facts.decision is None:
                self._fail(f"{got.url}: no decision on this page ({NO_DECISION_HINT}); "
                           "not kept")
                return False
            if not same_decision(facts.decision, decision):
                self._warn(f"{got.url}: the page shows decision {facts.decision}, "
                           f"not {decision}; kept under its address")
            self._store_page(got, "page", text, charset, declared,
                             decision=facts.decision, title=facts.title)
        self.report.counts[got.outcome] += 1
        self.report.decisions.append(facts.decision or str(decision))
        self._remember_links(facts, got.url)
        return True

    def _remember_links(self, facts: PageFacts, page_url: str) -> None:
        for url in facts.protocol_pdfs:
            self.linked_pdfs.setdefault(url, page_url)
        for url in facts.session_pages:
            self.linked_sessions.setdefault(url, page_url)

    def decisions_by_id(self, ids: list[DecisionId]) -> None:
        self.progress.phase("decision pages", len(ids))
        for decision in ids:
            self.decision(decision, explicit=True)
            self.progress.advance(str(decision))

    def decisions_by_year(self, years: Iterable[int], max_misses: int) -> None:
        for year in years:
            self.progress.phase(f"decision pages {year}")
            number, misses, found = 0, 0, 0
            while misses < max_misses:
                number += 1
                hit = self.decision(DecisionId(year, number), explicit=False)
                misses = 0 if hit else misses + 1
                found += hit
                self.progress.advance(f"{year}/{number:02d}")
            first_miss = number - max_misses + 1
            self.progress.note(f"{year}: {found} decision pages; stopped after {max_misses} "
                               f"consecutive misses ({year}/{first_miss:02d} to "
                               f"{year}/{number:02d})")

    # -- session pages and protocol PDFs -----------------------------------------------------

    def session_pages(self) -> None:
        """The session pages the decision pages link, for their protocol links; one level
        only (a session page's links to other sessions are not followed), so a run never
        wanders through the site."""
        self.progress.phase("session pages", len(self.linked_sessions))
        for url, linked_from in list(self.linked_sessions.items()):
            got = self._linked(url, "session", linked_from)
            if got is not None:
                text, charset, declared, final_url = self._text(got)
                if got.record is None:
                    self._store_page(got, "session", text, charset, declared)
                self.report.counts[got.outcome] += 1
                self.report.sessions += 1
                self._remember_links(read_page(text, final_url, self.base_url), url)
            self.progress.advance(url)

    def protocols(self) -> None:
        self.progress.phase("protocol PDFs", len(self.linked_pdfs))
        for url, linked_from in self.linked_pdfs.items():
            got = self._linked(url, "protocol", linked_from)
            if got is not None and got.record is None:
                if b"%PDF-" not in got.content[:PDF_HEADER_WINDOW]:
                    self._fail(f"{url}: not a PDF (Content-Type {got.content_type}, starts "
                               f"with {got.content[:16]!r}; linked from {linked_from}); "
                               "not kept")
                    got = None
                else:
                    self._store(got, "protocol")
            if got is not None:
                self.report.counts[got.outcome] += 1
                self.report.protocols += 1
            self.progress.advance(url)

    def _linked(self, url: str, kind: str, linked_from: str) -> Got | None:
        """A file another page links: anything but a body (new or cached) is a failure."""
        try:
            got = self.get(url, kind)
        except NetworkDown:
            raise
        except FetchError as exc:
            self._fail(f"{exc} (linked from {linked_from})")
            return None
        if got.outcome is Outcome.MISS:
            self.report.counts[Outcome.MISS] += 1
            self._fail(f"{url}: not found (404; linked from {linked_from})")
            return None
        if got.outcome is Outcome.DISALLOWED:
            self.report.counts[Outcome.DISALLOWED] += 1
            self._fail(f"{url}: disallowed by robots.txt; not fetched (linked from "
                       f"{linked_from})")
            return None
        return got


@dataclass
class Plan:
    ids: list[DecisionId] = field(default_factory=list)  # explicit ids; empty: the years
    years: range = range(0)


def client_config(settings: Settings, base_url: str) -> ClientConfig:
    return ClientConfig(
        base_url=base_url,
        user_agent=settings.fetch_user_agent or default_user_agent(settings.fetch_contact_url),
        interval_s=settings.fetch_interval_s, timeout_s=settings.fetch_timeout_s,
        retries=settings.fetch_retries, max_waits=settings.fetch_max_waits,
        max_retry_after_s=settings.fetch_max_retry_after_s,
        max_bytes=settings.max_file_bytes)


def fetch_record(settings: Settings, dest: Path, plan: Plan, progress: Progress, *,
                 base_url: str, fresh_s: float) -> FetchReport:
    """The whole run. Raises NetworkDown (the site unreachable), RobotsUnreadable and
    CacheBusy (another run writes into `dest`)."""
    cache = Cache(dest)
    config = client_config(settings, base_url)
    with cache.locked(), PoliteClient(config) as client:
        removed = remove_leftovers(cache)
        client.on_wait = progress.note
        progress.phase("robots.txt", 1)
        robots = read_robots(client, base_url, config.user_agent)
        client.allowed = robots.allowed
        progress.advance(robots.url)
        delay = robots.crawl_delay
        if delay is not None and delay > client.interval_s:
            client.interval_s = delay
            progress.note(f"robots.txt asks for {delay:g} s between requests; honoured")
        fetcher = Fetcher(client, cache, robots, base_url, progress, fresh_s=fresh_s)
        fetcher.report.removed_parts = removed
        try:
            if plan.ids:
                fetcher.decisions_by_id(plan.ids)
            else:
                fetcher.decisions_by_year(plan.years, settings.fetch_max_misses)
            fetcher.session_pages()
            fetcher.protocols()
        finally:
            fetcher.report.requests = client.requests
    return fetcher.report


def remove_leftovers(cache: Cache) -> int:
    """Delete the temporary files of an interrupted run (they are never complete)."""
    parts = cache.leftovers()
    for part in parts:
        part.unlink(missing_ok=True)
    return len(parts)
