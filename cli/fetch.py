"""`kg fetch DIR`: the council's decision pages and the protocol PDFs they link, into DIR.

Politeness lives in kg/fetch/client.py (pace, User-Agent, robots.txt, Retry-After); this
module parses the command line, shows progress and turns the run's report into one summary
line and the exit code: 0 all fetched, 1 something was not, 2 usage or the site unreachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cli.output import PhaseBars, err, fail, out

if TYPE_CHECKING:
    from kg.fetch.run import FetchReport
    from kg.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fetch", help="download decision pages and protocol PDFs into a folder",
        description="Download the council's decision pages (by id, or year by year until "
        "KG_FETCH_MAX_MISSES consecutive ids are missing) and the protocol PDFs they link, "
        "into DIR, each file with a sidecar record (.fetch.json). Polite: robots.txt, one "
        "request per KG_FETCH_INTERVAL_S (1 s), Retry-After honoured. A rerun keeps files "
        "younger than KG_FETCH_FRESH_S and asks for older ones conditionally. "
        "Then `kg load DIR` loads what was fetched.",
        epilog="exit codes: 0 everything fetched, 1 something was not (each named with its "
        "URL), 2 usage error or the site cannot be reached")
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the cache folder")
    p.add_argument("--since", type=int, metavar="YEAR",
                   help="first year of the year-by-year run (default: KG_FETCH_FIRST_YEAR, "
                        "2010)")
    p.add_argument("--until", type=int, metavar="YEAR",
                   help="last year of the run (default: this year)")
    p.add_argument("--ids", nargs="+", action="extend", default=[], metavar="ID",
                   help="only these decisions: 2025/06, 2025-06, B-2025/33-IT …")
    p.add_argument("--base-url", metavar="URL",
                   help="the site (default: KG_FETCH_BASE_URL, https://www.it-planungsrat.de)")
    p.add_argument("--revalidate", action="store_true",
                   help="ask again (conditionally) for every cached file, however fresh")
    p.set_defaults(func=run)


class _RichProgress(PhaseBars):
    """One bar per phase with the current address; silent with --quiet, except problems."""

    def advance(self, label: str = "") -> None:
        self.step(1, label)

    def note(self, message: str) -> None:
        if not self.quiet:
            err.print(message, markup=False)

    def problem(self, message: str) -> None:
        fail(_escape(message))


def _escape(text: str) -> str:
    from rich.markup import escape  # noqa: PLC0415

    return escape(text)


def _usage(args: argparse.Namespace, settings: Settings) -> tuple[Path, str, object] | str:
    """(DIR, base URL, plan) or the usage error to print."""
    from kg.fetch.plan import BadDecisionId, parse_decision_id  # noqa: PLC0415
    from kg.fetch.run import Plan  # noqa: PLC0415

    ids: list[str] = list(args.ids)
    directory: Path | None = args.dir
    # `--ids A B DIR`: argparse gives DIR to --ids; the last word that is no id is DIR
    if directory is None and ids:
        try:
            parse_decision_id(ids[-1])
        except BadDecisionId:
            directory = Path(ids.pop())
    if directory is None:
        return "missing DIR: the folder to fetch into, e.g. `kg fetch fetched/`"
    if directory.exists() and not directory.is_dir():
        return f"{directory} is not a folder"
    base_url = (args.base_url or settings.fetch_base_url).rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"--base-url {base_url!r}: expected http(s)://HOST[:PORT]"
    try:
        parsed = [parse_decision_id(i) for i in ids]
    except BadDecisionId as exc:
        return f"--ids: {exc}"
    this_year = dt.date.today().year
    since = args.since if args.since is not None else settings.fetch_first_year
    until = args.until if args.until is not None else this_year
    if parsed and (args.since is not None or args.until is not None):
        return "--ids and --since/--until exclude each other"
    if not 2000 <= since <= until:
        return f"--since {since} --until {until}: expected 2000 ≤ since ≤ until"
    if settings.fetch_max_misses < 1:
        return "KG_FETCH_MAX_MISSES must be at least 1"
    return directory, base_url, Plan(ids=parsed, years=range(since, until + 1))


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kg.fetch.cache import CacheBusy  # noqa: PLC0415
    from kg.fetch.client import NetworkDown  # noqa: PLC0415
    from kg.fetch.robots import RobotsUnreadable  # noqa: PLC0415
    from kg.fetch.run import fetch_record  # noqa: PLC0415

    usage = _usage(args, settings)
    if isinstance(usage, str):
        fail(usage)
        return 2
    directory, base_url, plan = usage
    quiet = bool(getattr(args, "quiet", False))
    fresh_s = 0.0 if args.revalidate else settings.fetch_fresh_s
    started = time.perf_counter()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with _RichProgress(quiet) as progress:
            report = fetch_record(settings, directory, plan, progress,  # type: ignore[arg-type]
                                  base_url=base_url, fresh_s=fresh_s)
    except (NetworkDown, RobotsUnreadable) as exc:
        fail(f"{_escape(str(exc))}; nothing more fetched (what is in {directory} stays)")
        return 2
    except CacheBusy as exc:
        fail(_escape(str(exc)))
        return 2
    except OSError as exc:
        fail(f"cannot write to {directory}: {exc}")
        return 2
    out.print(_summary(report, directory, time.perf_counter() - started), markup=False)
    return 0 if report.ok else 1


def _summary(report: FetchReport, directory: Path, elapsed: float) -> str:
    from kg.fetch.run import Outcome  # noqa: PLC0415

    c = report.counts
    parts = [f"{len(report.decisions)} decision pages, {report.sessions} session pages, "
             f"{report.protocols} protocol PDFs in {directory}:",
             f"{c[Outcome.NEW]} new, {c[Outcome.UPDATED]} updated, "
             f"{c[Outcome.UNCHANGED]} unchanged, {c[Outcome.KEPT]} kept (fresh);",
             f"{c[Outcome.MISS]} not found, {len(report.failures)} failed, "
             f"{len(report.warnings)} warnings;",
             f"{report.requests} requests in {elapsed:.1f} s"]
    if report.removed_parts:
        parts.append(f"({report.removed_parts} partial files of an interrupted run removed)")
    line = "fetched " + " ".join(parts)
    return line + (f". Next: kg load {directory}" if report.decisions or report.protocols
                   else "")
