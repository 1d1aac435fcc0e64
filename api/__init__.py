"""HTTP face of the graph: SPARQL endpoint, resource pages, REST API (FastAPI).

Kept free of imports on purpose: query worker processes import `api.query_worker` and must
not pay for FastAPI. Build the app with `api.app.create_app(settings)`.
"""
