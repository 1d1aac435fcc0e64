"""A web front that answers SPARQL imports none of the libraries only the pages use: networkx
(analysis), pyvis and IPython (graphs), rdflib (catalogue, service description). They come
with the first request that needs them (issue 11: the front's share of the endpoint's memory,
69 instead of 88 MB after start). Checked on `sys.modules` of a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg.settings import PROJECT_ROOT

LAZY = {"networkx", "pyvis", "IPython", "rdflib"}

# serves the requests in argv[2:] with the app as shipped (its query workers included), then
# prints each status, the last body and the top-level modules imported
PROBE = """
import json, sys
from fastapi.testclient import TestClient
from api.app import create_app
from kg.settings import Settings
statuses = []
with TestClient(create_app(Settings(store=sys.argv[1]))) as client:
    for url in sys.argv[2:]:
        response = client.get(url, headers={"Accept": "text/csv, text/turtle;q=0.9"})
        statuses.append(response.status_code)
print(json.dumps({"statuses": statuses, "body": response.text,
                  "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""
COUNT = ("/sparql?query=PREFIX bg: <https://w3id.org/beschlussgraph/ontology%23> "
         "SELECT (COUNT(?r) AS ?n) WHERE { ?r a bg:CouncilResolution }")


def served(store: Path, *urls: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(store), *urls], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_sparql_needs_none_of_them(sample_store: Path) -> None:
    out = served(sample_store, "/health", COUNT)
    assert out["statuses"] == [200, 200]
    assert out["body"].split() == ["n", "128"]
    assert set(out["modules"]) & LAZY == set()


def test_they_come_with_the_pages_that_use_them(sample_store: Path) -> None:
    # the chains (networkx), a graph page (pyvis), the service description (rdflib)
    out = served(sample_store, COUNT, "/analysis/chains", "/graph/resolution/2025/33",
                 "/sparql")
    assert out["statuses"] == [200, 200, 200, 200]
    assert "sd:Service" in out["body"]
    assert set(out["modules"]) & LAZY == LAZY
