"""One router per resource: sparql, rest, resources (linked-data pages), pages (query UI)."""
