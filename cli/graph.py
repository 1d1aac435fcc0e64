"""`kg graph ID|--session N|--all|--chain ID|--timeline -o FILE`: an interactive graph page
(.html, vis-network inlined, no CDN) or a static image for reports (.svg drawn in Python,
.png rendered by headless Chromium)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.analysis import _date, _projection, _resolve
from cli.output import fail, out
from kg.graphs import export
from kg.graphs.render import DEFAULT_LINK_PREFIX, RenderOptions, render_html
from kg.graphs.views import View, all_view, chain_view, neighbourhood, session_view, timeline_view
from kg.settings import Settings

FORMATS = (".html", ".svg", ".png")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("graph", help="interactive graph page (.html) or image (.svg/.png)",
                       description="Draw a resolution's neighbourhood, a session, a chain, the "
                                   "timeline or everything. Nodes are coloured by status on "
                                   "--on, shaped by kind; a click opens the resource page.")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("id", nargs="?", help="resolution id (its n-hop neighbourhood)")
    what.add_argument("--session", type=int, metavar="N", help="the resolutions of session N")
    what.add_argument("--all", action="store_true", help="every resolution")
    what.add_argument("--chain", metavar="ID", help="the chain of changes ID belongs to")
    what.add_argument("--timeline", action="store_true",
                      help="resolutions by date with repeal/replace/amend edges")
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="FILE.html, FILE.svg or FILE.png")
    p.add_argument("--hops", type=int, default=1, help="neighbourhood depth (default 1)")
    p.add_argument("--on", type=_date, default=None, help="status date (default: today)")
    p.add_argument("--points", choices=("none", "changed", "all"), default="changed",
                   help="points in --all (default: the changed ones)")
    p.add_argument("--link-prefix", default=DEFAULT_LINK_PREFIX,
                   help="where resource pages live: prefix + IRI path after the base IRI "
                        "(default /id/; e.g. http://127.0.0.1:8000/id/)")
    p.set_defaults(func=run)


def build_view(args: argparse.Namespace, settings: Settings, proj) -> View | None:  # noqa: ANN001
    if args.session is not None:
        try:
            return session_view(proj, args.session)
        except KeyError as exc:
            fail(str(exc.args[0]))
            return None
    if args.all:
        return all_view(proj, points=args.points)
    if args.timeline:
        return timeline_view(proj)
    text = args.chain or args.id
    iri = _resolve(proj, text, settings)
    if iri is None:
        return None
    return chain_view(proj, iri) if args.chain else neighbourhood(proj, iri, args.hops)


def run(args: argparse.Namespace, settings: Settings) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in FORMATS:
        fail(f"{args.output}: the output must end in one of {', '.join(FORMATS)}")
        return 2
    proj = _projection(settings)
    if proj is None:
        return 2
    view = build_view(args, settings, proj)
    if view is None:
        return 1
    opts = RenderOptions(base_iri=settings.base_iri, link_prefix=args.link_prefix, on=args.on)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        args.output.write_text(render_html(proj, view, opts), encoding="utf-8")
    elif suffix == ".svg":
        args.output.write_text(export.render_svg(proj, view, opts), encoding="utf-8")
    else:
        try:
            export.render_png(render_html(proj, view, opts), args.output)
        except export.ExportError as exc:
            fail(str(exc))
            return 2
    out.print(f"{view.title}: {len(view.nodes)} nodes, {len(view.edges)} edges → {args.output}")
    return 0
