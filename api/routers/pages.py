"""The query page at `/`: YASGUI (served from api/static/vendor, no CDN) with the project's
prefixes preloaded, example queries, the named queries of the catalogue (queries/rq; loaded
into the editor, their parameters are linked to the form at /queries/{name}), result IRIs
linked to their pages on this server, and shareable URLs (`/?query=…`, YASGUI's own link
format)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from api.data import page_prefix
from api.deps import SettingsDep
from api.i18n import language, script_strings
from api.templating import TEMPLATES
from kg.namespaces import PREFIXES, sparql_prefixes
from kg.settings import Settings
from queries.catalogue import CatalogueError, load_catalogue

log = logging.getLogger(__name__)

router = APIRouter(tags=["pages"])
FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.svg"

# (title, query without prefixes); the page prepends the project's PREFIX lines. The default
# graph is the set union of the documents' graphs (materialised by `kg load`); DISTINCT still
# merges rows that differ only in what the query leaves out (e.g. a reference as protocol and
# register each state it).
EXAMPLES: list[tuple[str, str]] = [
    ("Beschlüsse einer Sitzung", """SELECT DISTINCT ?beschluss ?id ?titel WHERE {
  ?beschluss a bg:Resolution ;
             eli:id_local ?id ;
             eli:title ?titel ;
             bg:session/bg:sessionNumber 48 .
}
ORDER BY ?id"""),
    ("Aufhebungen und Änderungen", """SELECT DISTINCT ?beschluss ?beziehung ?ziel ?beleg WHERE {
  ?verweis a bg:Reference ;
           bg:citing ?beschluss ;
           bg:relation ?beziehung ;
           bg:cited ?ziel .
  OPTIONAL { ?verweis bg:evidence ?beleg }
  FILTER(?beziehung IN (eli:repeals, bg:repealsPartOf, eli:amends, bg:amendsPartOf,
                        bg:replaces))
}"""),
    ("Aufträge mit Fristen", """SELECT DISTINCT ?beschluss ?an ?frist ?auftrag WHERE {
  ?m a bg:Mandate ;
     bg:issuedBy ?beschluss ;
     bg:deadline ?frist ;
     bg:action ?auftrag .
  OPTIONAL { ?m bg:assignee/rdfs:label ?an FILTER(LANG(?an) = "de") }
}
ORDER BY ?frist"""),
    ("Verweise nach Art", """SELECT ?beziehung (COUNT(DISTINCT ?verweis) AS ?anzahl) WHERE {
  ?verweis a bg:Reference ; bg:relation ?beziehung .
}
GROUP BY ?beziehung
ORDER BY DESC(?anzahl)"""),
    ("Enthaltungen und Gegenstimmen", """# named, or "geschwärzt" where the name is blanked
SELECT ?id ?ergebnis ?art ?wer
WHERE {
  ?beschluss eli:id_local ?id ; bg:vote ?v .
  ?v bg:outcome ?ergebnis .
  {
    ?v bg:abstainedBy/skos:notation ?wer . BIND("Enthaltung" AS ?art)
  } UNION {
    ?v bg:redactedAbstentions true . BIND("Enthaltung" AS ?art) BIND("geschwärzt" AS ?wer)
  } UNION {
    ?v bg:votedAgainstBy/skos:notation ?wer . BIND("Gegenstimme" AS ?art)
  } UNION {
    ?v bg:redactedVotesAgainst true . BIND("Gegenstimme" AS ?art) BIND("geschwärzt" AS ?wer)
  }
}
ORDER BY ?id"""),
    ("Beschreibung eines Beschlusses", """DESCRIBE ?beschluss WHERE {
  ?beschluss eli:id_local "2025/33" .
}"""),
]


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> FileResponse:
    """Pages link /static/favicon.svg; browsers that ask /favicon.ico anyway (graph views,
    /docs) get the same picture instead of a 404."""
    return FileResponse(FAVICON, media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse, summary="SPARQL query page (YASGUI)")
async def query_page(request: Request, settings: SettingsDep,
                     query: str | None = None) -> HTMLResponse:
    return render_query_page(request, settings, query)


def render_query_page(request: Request, settings: Settings, query: str | None = None
                      ) -> HTMLResponse:
    """The editor page; with `query` (from `/?query=…` or a browser opening
    `/sparql?query=…`) that query is in the editor instead of the first example."""
    prefixes = sparql_prefixes({"id": settings.base_iri})
    examples = [{"title": title, "query": prefixes + "\n" + body} for title, body in EXAMPLES]
    # the .rq text as it is (it declares its own prefixes); a parameter stays the variable
    # ?_name in the editor, /sparql cannot bind it: the page links the query's form instead
    root = request.scope.get("root_path", "")
    try:
        catalogue = list(load_catalogue())
    except CatalogueError as exc:  # the hand-written examples still work; /queries says why
        log.error("named queries left off the query page: %s", exc)
        catalogue = []
    named = [{"name": q.name, "title": q.title_de, "title_en": q.title_en, "query": q.text,
              "params": [{"name": p.name, "default": p.default} for p in q.params],
              "page": f"{root}/queries/{q.name}"} for q in catalogue]
    config = {
        "endpoint": str(request.url_for("sparql")),
        "baseIri": settings.base_iri,
        "pagePrefix": request.scope.get("root_path", "") + page_prefix(settings.base_iri),
        "root": request.scope.get("root_path", ""),
        "prefixes": PREFIXES | {"id": settings.base_iri},
        "defaultQuery": query if query and query.strip() else examples[0]["query"],
        "examples": examples,
        "namedQueries": named,
        "strings": script_strings(language(request)),
    }
    return TEMPLATES.TemplateResponse(request, "index.html", {
        "config": json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
        "examples": examples,
        "named_queries": named,
        "endpoint": config["endpoint"],
        "editor_query": config["defaultQuery"],
    })
