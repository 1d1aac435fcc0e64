"""The store's errors: what cannot be opened, what is busy, a query that does not parse."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass



class StoreError(Exception):
    """A store that cannot be opened or written; the message says what to do."""


class StoreBusy(StoreError):
    """Another process holds the writer lock of the store."""


class QuerySyntaxError(ValueError):
    """A SPARQL text that does not parse; the message says where and, briefly, why."""

    @classmethod
    def explain(cls, query: str, message: str) -> QuerySyntaxError:
        return cls(explain_syntax_error(query, message))


_POSITION = re.compile(r"error at (\d+):(\d+): ")


def explain_syntax_error(query: str, message: str) -> str:
    """Oxigraph lists every character it would accept; keep the position, name an unknown
    prefix, and shorten the list of alternatives to what a person can read."""
    m = _POSITION.search(message)
    if m and "Prefix not found" in message:
        line, column = int(m.group(1)), int(m.group(2))
        lines = query.split("\n")
        before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        prefix = name.group(1) or "" if name else ""
        start = column - len(name.group(0)) if name else column
        return (f"unknown prefix {prefix}: at line {line}, column {start}: declare it with "
                f"PREFIX {prefix}: <…>")
    head, sep, alternatives = message.partition("expected one of ")
    if sep and len(alternatives) > 80:
        cut = alternatives.rfind(", ", 0, 80)
        return f"{head}expected one of {alternatives[:cut if cut > 0 else 80]}, …"
    return message
