"""The `kg` command line: a face at the top, beside `api/`; no layer imports it."""
