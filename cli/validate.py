"""`kg validate`: check the store (or an RDF file) against the SHACL shapes and the conflict
checks. Exit 0 when it conforms, 1 on violations, 2 when validation cannot run."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from rich.table import Table

from cli.output import fail, out
from kg.settings import Settings
from kg.store import StoreError, open_store
from kg.validate import (
    SEVERITIES,
    Finding,
    ValidationReport,
    ValidationSetupError,
    Violation,
    default_shapes_files,
    validate_file,
    validate_store,
)

_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="check the data against the SHACL shapes and the conflict checks",
        description="Validate the store (or --data FILE) against ontology/shapes*.ttl and run "
                    "the conflict checks. Exit 0: conforms; 1: violations; 2: cannot validate.")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument("--shapes", nargs="+", action="extend", type=Path, metavar="FILE",
                   help="shapes files to use instead of ontology/shapes*.ttl")
    p.add_argument("--data", type=Path, metavar="FILE",
                   help="validate this RDF file (ttl, nt, nq, trig, …) instead of the store")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    shapes = args.shapes if args.shapes else default_shapes_files()
    try:
        if args.data is not None:
            report = validate_file(args.data, shapes)
        else:
            store = open_store(settings)
            report = validate_store(store, shapes)
    except (StoreError, ValidationSetupError) as exc:
        fail(str(exc))
        return 2
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_text(report, settings.base_iri)
    return 0 if report.conforms else 1


# -- text output -----------------------------------------------------------------------------


def print_text(report: ValidationReport, base_iri: str) -> None:
    """One table per severity, grouped by shape and path (a count and up to three example
    focus nodes per row), then the conflict-check findings, then a summary line."""
    for severity in SEVERITIES:
        rows = [v for v in report.violations if v.severity == severity]
        if rows:
            out.print(_violations_table(rows, severity, base_iri))
    if report.findings:
        out.print(_findings_table(report.findings, base_iri))
    counts = report.counts
    tail = (f"{report.data_triples} triples, {len(report.shapes_files)} shapes file(s), "
            f"{len(report.checks)} conflict check(s)")
    if report.conforms:
        extra = ", ".join(f"{counts[s]} {s.lower()}(s)" for s in ("Warning", "Info") if counts[s])
        out.print(f"[bold green]conforms[/] ({tail}{'; ' + extra if extra else ''})")
    else:
        summary = ", ".join(f"{n} {s.lower()}(s)" for s, n in counts.items() if n)
        out.print(f"[bold red]does not conform:[/] {summary} ({tail})")


def _examples(focus: list[str]) -> str:
    unique = sorted(set(focus))
    more = f"\n… {len(unique) - 3} more" if len(unique) > 3 else ""
    return "\n".join(unique[:3]) + more


def _table(title: str, style: str, first: str) -> Table:
    table = Table(title=f"[{style}]{title}[/]", show_lines=True, expand=True)
    table.add_column(first, overflow="fold", ratio=4)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("message", overflow="fold", ratio=5)
    table.add_column("examples", overflow="fold", ratio=3)
    return table


def _violations_table(violations: list[Violation], severity: str, base: str) -> Table:
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in violations:
        shape = v.source_shape.removesuffix("/" + v.path) if v.path else v.source_shape
        groups[(shape.removeprefix("bgsh:"), v.path or "")].append(v)
    table = _table(f"SHACL: {len(violations)} {severity.lower()}(s)", _STYLE[severity],
                   "shape / path")
    for (shape, path), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        messages = sorted({_short_text(v.message, base) for v in items})
        message = messages[0] + (f" (+{len(messages) - 1} similar)" if len(messages) > 1 else "")
        where = f"{shape}\n[dim]{path}[/]" if path else shape
        table.add_row(where, str(len(items)), message,
                      _examples([_short(v.focus, base) for v in items]))
    return table


def _findings_table(findings: list[Finding], base: str) -> Table:
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.check, f.severity, f.message)].append(f)
    table = _table(f"conflict checks: {len(findings)} finding(s)", "bold", "check / severity")
    for (check, severity, message), items in sorted(groups.items()):
        table.add_row(f"{check}\n[{_STYLE[severity]}]{severity}[/]", str(len(items)),
                      _short_text(message, base),
                      _examples([_short(f.focus, base) for f in items if f.focus]))
    return table


def _short(iri: str | None, base: str) -> str:
    if iri is None:
        return ""
    return "id:" + iri[len(base):] if iri.startswith(base) else iri


def _short_text(text: str, base: str) -> str:
    return text.replace("<" + base, "<id:")
