"""pyvis render time and page load in headless Chromium for graphs of 300, 2,000 and 10,000
nodes (synthetic resolutions, kg/analysis/synthetic.py; the "all resolutions" view in lanes).

Run: .venv/bin/python bench/graph_render.py [--nodes 300 2000 10000] [--timeout-s 180]

Prints per size, measured in this one run: building the pyvis network (status of every node,
styles, the lane layout), rendering the page (the network again plus the template,
vis-network inlined), the page size, and in Chromium (1280×800) the time from navigation until
the network has been drawn (precomputed layout, physics off; from 600 nodes clustered into one
node per chain and per year first), the nodes then drawn, and the on-screen label size at the
first zoom. Targets (issue 14): page generation ≤ 0.5 s and first paint ≤ 3 s at 2,000 nodes.
Needs /usr/bin/chromium for the load column; without it the column says so. Bounded by
--timeout-s per page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.analysis.projection import project  # noqa: E402
from kg.analysis.synthetic import synthetic_quads  # noqa: E402
from kg.graphs.export import CHROMIUM_ARGS, ExportError, chromium_path  # noqa: E402
from kg.graphs.render import RenderOptions, build_network, render_html  # noqa: E402
from kg.graphs.views import all_view  # noqa: E402
from kg.store import OxigraphStore  # noqa: E402

BASE = "https://w3id.org/beschlussgraph/id/"
ON = dt.date(2031, 1, 1)


def page_load(html_path: Path, timeout_s: float) -> str:
    try:
        executable = chromium_path()
        from playwright.sync_api import Error as PlaywrightError  # noqa: PLC0415
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except (ExportError, ImportError) as exc:
        return f"n/a ({exc})"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                start = time.perf_counter()
                page.goto(html_path.as_uri(), timeout=timeout_s * 1000)
                page.wait_for_function("window.graphReady === true", timeout=timeout_s * 1000)
                elapsed = time.perf_counter() - start
                total = page.evaluate("window.network.body.data.nodes.length")
                drawn = page.evaluate("window.network.body.nodeIndices.length")
                label_px = page.evaluate("window.network.getScale() * "
                                         "window.graphMeta.font_px")
            finally:
                browser.close()
    except PlaywrightError as exc:
        return f"failed ({str(exc).splitlines()[0][:60]})"
    return f"{elapsed:.2f}s ({drawn:,} of {total:,} nodes drawn, labels {label_px:.1f} px)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[300, 2_000, 10_000])
    parser.add_argument("--timeout-s", type=float, default=180.0)
    args = parser.parse_args(argv or [])
    print(f"  {'nodes':>7} {'edges':>7} {'network':>9} {'html':>8} {'size':>9}  page load")
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-graph-") as tmp:
        for n in args.nodes:
            store = OxigraphStore.in_memory()
            store.add_quads(synthetic_quads(n, BASE))
            proj = project(store)
            view = all_view(proj, points="none")
            opts = RenderOptions(BASE, on=ON)
            start = time.perf_counter()
            net = build_network(proj, view, opts)
            t_net = time.perf_counter() - start
            start = time.perf_counter()
            html = render_html(proj, view, opts)
            t_html = time.perf_counter() - start
            path = Path(tmp) / f"graph-{n}.html"
            path.write_text(html, encoding="utf-8")
            load = page_load(path, args.timeout_s)
            rows.append((len(net.nodes), t_html))
            print(f"  {len(net.nodes):>7,} {len(net.edges):>7,} {t_net:>8.2f}s {t_html:>7.2f}s "
                  f"{len(html) / 1e6:>7.1f}MB  {load}")
    for (n1, t1), (n2, t2) in zip(rows, rows[1:], strict=False):
        print(f"  html render {n2:,} vs {n1:,} nodes: ×{t2 / t1:.1f} for ×{n2 / n1:.0f} nodes")


if __name__ == "__main__":
    main(sys.argv[1:])
