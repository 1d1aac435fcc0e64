"""Named, parameterised SPARQL queries for analysts (issue 5).

`load_catalogue()` reads `queries/rq/*.rq`; see `queries.catalogue` for the header format and
how parameters are bound (`?_name` variables, written in as constants by `kg.sparql_inline`).
"""

from queries.catalogue import (
    Catalogue,
    CatalogueError,
    NamedQuery,
    Parameter,
    ParameterError,
    UnknownQueryError,
    load_catalogue,
)

__all__ = [
    "Catalogue",
    "CatalogueError",
    "NamedQuery",
    "Parameter",
    "ParameterError",
    "UnknownQueryError",
    "load_catalogue",
]
