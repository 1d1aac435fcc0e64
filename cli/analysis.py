"""`kg status`, `kg impact`, `kg chains`, `kg findings`, `kg mandates`: the dependency analysis
(kg/analysis) computed live from the store, for any date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from rich.table import Table
from rich.tree import Tree

from cli.output import fail, out, print_table, print_trees
from kg.analysis import dependencies as deps
from kg.analysis.cache import kept_chains, projection_of, saved_projection
from kg.analysis.mandates import (
    DUE_DAYS,
    MAX_DUE_DAYS,
    by_assignee,
    mandate_states,
    state_meaning,
)
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex, status_of
from kg.analysis.vocab import CHAIN_KINDS, MANDATE_STATE_LABELS, RELATIONS
from kg.iris import Minter
from kg.settings import Settings
from kg.store import StoreError, open_store, store_label

_STATE_STYLE = {"in_force": "green", "amended": "yellow", "partially_repealed": "dark_orange",
                "repealed": "red", "replaced": "magenta", "expired": "grey50",
                "not_yet_in_force": "cyan", "rejected": "grey50", "unknown": "grey50"}


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date: {text!r} (use 2025-11-26 or 26.11.2025)")


def _count_from(least: int, most: int | None = None) -> Callable[[str], int]:
    """An integer option in [least, most], as the REST routes bound the same parameter."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < least or (most is not None and value > most):
            bounds = f"from {least} to {most}" if most is not None else f"{least} or more"
            raise argparse.ArgumentTypeError(f"{value} is out of range ({bounds})")
        return value
    return parse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="status of a resolution and its points on a date",
                       description="In force, amended, partially repealed, repealed, replaced, "
                                   "expired or not yet in force, with the reasons.")
    p.add_argument("id", help="resolution id: 2025/33, B-2025/33-IT, 2025/02-AL")
    p.add_argument("--on", type=_date, default=None, help="date (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_status, read_only=True)

    p = sub.add_parser("impact", help="what depends on a resolution (if it were repealed)")
    p.add_argument("id")
    p.add_argument("--depth", type=_count_from(1, deps.MAX_IMPACT_DEPTH), default=None,
                   help="follow dependencies this deep (1 to 20, as REST's depth)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_impact, read_only=True)

    p = sub.add_parser("chains", help="groups of resolutions connected by repeal, amendment, "
                                      "replacement, continuation or extension, with each "
                                      "relation and its date; '→' only for a succession "
                                      "(replacement or repeal of the whole resolution)")
    p.add_argument("--kind", action="append", choices=sorted(k[1] for k in CHAIN_KINDS.values()),
                   help="only chains with this kind of link (repeatable)")
    p.add_argument("id", nargs="?", help="only the chain containing this resolution")
    p.add_argument("--id", dest="id", help=argparse.SUPPRESS)  # the older spelling
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_chains, read_only=True)

    p = sub.add_parser("findings", help="cycles, most-cited, references to repealed parts and "
                                        "to resolutions not loaded")
    p.add_argument("--on", type=_date, default=None, help="date (default: today)")
    p.add_argument("--top", type=int, default=10,
                   help="how many most-cited to list; 'cited by' counts the distinct "
                        "resolutions that refer to a resolution or one of its points with any "
                        "relation (cites, repeals, amends, replaces, continues, extends, "
                        "implements, based on), as the named query most-cited does")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_findings, read_only=True)

    p = sub.add_parser("mandates", help="open, due and overdue mandates on a date, per body "
                                        "and Land")
    p.add_argument("--on", type=_date, default=None, help="date (default: today)")
    p.add_argument("--due-days", type=_count_from(0, MAX_DUE_DAYS), default=DUE_DAYS,
                   help="'due' window in days (0 to 365, as REST's due_days)")
    p.add_argument("--state", action="append", choices=sorted(MANDATE_STATE_LABELS),
                   help="only these states (repeatable)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_mandates, read_only=True)


# What the last command read, held until the process ends: the `kg` executable leaves
# without freeing it (cli/main.py, _exit_now), which at 100,000 resolutions would take 0.7 s
# once the command's own frame let go of it. In-process callers (tests) keep at most one.
_held: list[object] = []


def _hold(data: Projection) -> Projection:
    _held[:] = [data]
    return data


def _projection(settings: Settings) -> Projection | None:
    """The whole record's projection, kept beside the store generation after the first use
    (kg/analysis/cache.py)."""
    try:
        return _hold(projection_of(settings))
    except StoreError as exc:
        fail(str(exc))
        return None


def _resolve(proj: Projection | deps.ChainSet, text: str, settings: Settings
             ) -> str | None:
    iri = proj.lookup(text, Minter(settings.base_iri))
    if iri is None:
        fail(f"no resolution {text!r} in {store_label(settings)} (ids look like 2025/33, "
             "B-2025/33-IT, 2025/02-AL)")
    return iri


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _local(args: argparse.Namespace, settings: Settings,
           read: Callable[[Any, str], Projection]) -> tuple[str, Projection] | int:
    """The resolution `args.id` and the part of the store `read` takes around it (the cost
    follows that part, not the record), or the exit code after saying what is wrong."""
    from kg.analysis.local import find_resolution  # noqa: PLC0415

    try:
        store = open_store(settings)
    except StoreError as exc:
        fail(str(exc))
        return 2
    iri = find_resolution(store, args.id, Minter(settings.base_iri))
    if iri is None:
        fail(f"no resolution {args.id!r} in {store_label(settings)} (ids look like 2025/33, "
             "B-2025/33-IT, 2025/02-AL)")
        return 1
    return iri, read(store, iri)


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    from kg.analysis.local import around  # noqa: PLC0415

    found = _local(args, settings, around)
    if isinstance(found, int):
        return found
    iri, proj = found
    on = args.on or dt.date.today()
    status = StatusIndex(proj).resolution(iri, on)
    if args.json:
        _print_json(status.to_dict())
        return 0
    data = proj.node(iri)
    title = f" — {data['title']}" if data.get("title") else ""
    style = _STATE_STYLE[status.state]
    tree = Tree(f"[bold]{status.id}[/]{title}: [{style}]{status.label()}[/] (Stand {on:%d.%m.%Y})")
    for reason in status.reasons:
        tree.add(reason.text("de"))
    for point in status.points:
        ps = _STATE_STYLE[point.state]
        node = tree.add(f"Ziffer {proj.node(point.iri).get('number')}: [{ps}]{point.label()}[/]")
        if point.state not in ("in_force", status.state) or \
                any(r.point for r in point.reasons):
            for reason in point.reasons:
                node.add(reason.text("de"))
    out.print(tree)
    return 0


# Beyond this many dependents, reading them level by level costs about what projecting the
# whole record costs (at 100,000 resolutions, 2010/01 with 41,000: 64 s level by level, 81 s
# projecting), and the whole projection is kept: the next `kg impact` or `kg chains` answers
# in 5 s instead of another minute.
LOCAL_IMPACT_BUDGET = 2_000


def run_impact(args: argparse.Namespace, settings: Settings) -> int:
    from kg.analysis.local import TooManyDependents, dependents  # noqa: PLC0415

    # a kept projection of the whole record answers at once, however far the dependents
    # reach; without one, only the dependents are read (cheap unless they are many)
    saved = saved_projection(settings)
    if saved is not None:
        _hold(saved)
    else:
        try:
            found = _local(args, settings, lambda store, iri: dependents(
                store, iri, args.depth, budget=LOCAL_IMPACT_BUDGET))
        except TooManyDependents:
            saved = _projection(settings)
            if saved is None:
                return 2
        else:
            if isinstance(found, int):
                return found
            iri, proj = found
    if saved is not None:
        resolved = _resolve(saved, args.id, settings)
        if resolved is None:
            return 1
        iri, proj = resolved, saved
    result = deps.impact(proj, iri, args.depth)
    if args.json:
        _print_json({
            "target": iri, "points": result.points,
            "dependents": [{"iri": d.iri, "id": proj.label(d.iri), "depth": d.depth,
                            "relation": d.relation, "via": proj.label(d.via)}
                           for d in result.dependents],
            "mandates": [m.iri for m in result.mandates],
            "changes": [{"target": proj.label(lk.target), "relation": lk.relation,
                         "points": list(lk.points)} for lk in result.changes],
        })
        return 0
    now = status_of(proj, iri, dt.date.today())
    if now.state in ("repealed", "replaced"):  # already gone: say what depended on it
        out.print(f"[bold]{proj.label(iri)} ist {now.label()}[/]; was darauf aufbaute "
                  f"({len(result.points)} Ziffern, {len(result.mandates)} Aufträge):")
    else:
        out.print(f"[bold]Wenn {proj.label(iri)} aufgehoben würde[/] "
                  f"({len(result.points)} Ziffern, {len(result.mandates)} Aufträge):")
    if not result.dependents:
        out.print("  kein geladener Beschluss baut darauf auf.")
    else:
        print_table(["Beschluss", "Tiefe", "Beziehung", "über", "Titel"],
                    [[proj.label(d.iri), str(d.depth), RELATIONS[d.relation][1],
                      proj.label(d.via), proj.node(d.iri).get("title") or ""]
                     for d in result.dependents])
    for m in result.mandates:
        who = ", ".join([proj.label(a) for a in m.assignees] + m.unresolved)
        out.print(f"  Auftrag entfällt: {who}: {m.action[:90]}")
    for lk in result.changes:
        pts = f" Ziffer {', '.join(lk.points)}" if lk.points else ""
        out.print(f"  bleibt wirksam: {proj.label(iri)} {RELATIONS[lk.relation][1]} "
                  f"{proj.label(lk.target)}{pts}")
    return 0


def run_chains(args: argparse.Namespace, settings: Settings) -> int:
    # the chains kept with the projection: a tenth of the projection to read
    proj = kept_chains(settings)
    if proj is None:
        whole = _projection(settings)
        if whole is None:
            return 2
        # a projection made just now was kept with its chains
        proj = kept_chains(settings) or deps.ChainSet.of(whole)
    found = proj.of_kinds(set(args.kind) if args.kind else None)
    if args.id:
        iri = _resolve(proj, args.id, settings)
        if iri is None:
            return 1
        found = [c for c in found if iri in c.members]
    if args.json:
        _print_json([{"label": deps.group_label(proj, c, "en"),
                      "members": [proj.label(m) for m in c.members], "kinds": c.kinds,
                      "successions": [[proj.label(m) for m in line] for line in c.successions],
                      "links": [{"source": proj.label(lk.source), "relation": lk.relation,
                                 "target": proj.label(lk.target), "points": list(lk.points),
                                 "date": lk.date, "date_assumed": lk.date_assumed,
                                 "succession": deps.is_succession(lk)}
                                for lk in c.links]} for c in found])
        return 0
    if not found:
        out.print("keine Ketten")
    # a group of connected resolutions, not a sequence: the arrows only where one resolution
    # takes the place of another (replacement or repeal of the whole)
    german = {en: de for de, en in CHAIN_KINDS.values()}  # the kinds as the lines say them
    print_trees([(f"{deps.group_label(proj, c)} ({', '.join(german.get(k, k) for k in c.kinds)})",
                  "bold",
                  [f"Nachfolge: {deps.succession_label(proj, line)}" for line in c.successions]
                  + [deps.link_text(proj, lk) for lk in c.links])
                 for c in found])
    return 0


def run_findings(args: argparse.Namespace, settings: Settings) -> int:
    proj = _projection(settings)
    if proj is None:
        return 2
    on = args.on or dt.date.today()
    cyc = deps.cycles(proj)
    cited = deps.most_cited(proj, args.top)
    stale = deps.stale_references(proj, on)
    unloaded = deps.unloaded_references(proj)
    if args.json:
        _print_json({
            "on": on,
            "cycles": [[proj.label(m) for m in c.members] for c in cyc],
            "most_cited": [{"id": proj.label(c.iri), "iri": c.iri, "count": c.count}
                           for c in cited],
            "stale_references": [{"citing": proj.label(s.citing), "target": proj.label(s.target),
                                  "relation": s.relation, "state": s.target_state,
                                  "ended_by": [proj.label(b) for b in s.ended_by],
                                  "ended_on": s.ended_on, "after_end": s.after_end}
                                 for s in stale],
            "unloaded": [{"id": proj.label(u.iri), "iri": u.iri,
                          "citing": [proj.label(a) for a, _ in u.citing]} for u in unloaded],
        })
        return 0
    out.print(f"[bold]Zyklen[/]: {len(cyc)}")
    for c in cyc:
        out.print("  " + " → ".join(f"{proj.label(u)} ({RELATIONS[r][1]})" for u, _, r in c.links))
    print_table(["meistzitiert", "zitiert von (Beschlüsse)"],
                [[proj.label(c.iri), str(c.count)] for c in cited],
                title="Meistzitiert: verschiedene Beschlüsse, die mit irgendeiner Beziehung auf "
                      "den Beschluss oder eine Ziffer verweisen")
    print_table(["Beschluss", "verweist auf", "Beziehung", "Zustand", "durch", "danach?"],
                [[proj.label(s.citing), proj.label(s.target), RELATIONS[s.relation][1],
                  s.target_state, ", ".join(proj.label(b) for b in s.ended_by),
                  "ja" if s.after_end else "nein"] for s in stale],
                title=f"Verweise auf Aufgehobenes ({on:%d.%m.%Y})")
    print_table(["nicht geladen", "zitiert von"],
                [[proj.label(u.iri), ", ".join(proj.label(a) for a, _ in u.citing)]
                 for u in unloaded],
                title="Verweise auf nicht geladene Beschlüsse")
    return 0


def run_mandates(args: argparse.Namespace, settings: Settings) -> int:
    proj = _projection(settings)
    if proj is None:
        return 2
    on = args.on or dt.date.today()
    states = mandate_states(proj, on, args.due_days)
    if args.state:
        states = [s for s in states if s.state in args.state]
    if args.json:
        _print_json({"on": on, "mandates": [s.to_dict(proj) for s in states]})
        return 0
    grouped = by_assignee(proj, states)
    shown = ("open", "due", "overdue", "taken_up", "lapsed")
    table = Table("Adressat", *(MANDATE_STATE_LABELS[k][0] for k in shown),
                  title=f"Aufträge am {on:%d.%m.%Y}")
    for who in sorted(grouped):
        row = grouped[who]
        table.add_row(who, *(str(len(row.get(k, []))) for k in shown))
    out.print(table)
    # what the words mean: the graph knows deadlines, never completions
    for state in shown:
        out.print(state_meaning(state, "de", args.due_days))
    for s in states:
        if s.state in ("due", "overdue", "taken_up"):
            who = ", ".join([proj.label(a) for a in s.mandate.assignees] + s.mandate.unresolved)
            colour = {"overdue": "red", "due": "yellow"}.get(s.state, "green")
            out.print(f"[{colour}]"
                      f"{MANDATE_STATE_LABELS[s.state][0]}[/] {proj.label(s.mandate.resolution)}"
                      f" {who}: {s.reason} — {s.mandate.action[:80]}")
    return 0
