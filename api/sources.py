"""Source lines for resource pages: the text-layer lines a fact was extracted from.

Only for text documents found among the bundled sources (data/samples) whose SHA-256 equals
the one recorded in the document's graph (`bg:sha256`), so the line numbers are the loader's.
Lines are split the way loaders/read.py splits them; nothing is parsed.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from kg.settings import SAMPLES_DIR

SOURCE_DIRS: tuple[Path, ...] = (SAMPLES_DIR,)
MAX_EXCERPT_LINES = 200


@functools.lru_cache(maxsize=16)
def _lines(path: Path, mtime_ns: int, sha256: str) -> tuple[str, ...] | None:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def excerpt(document: str | None, sha256: str | None, start: int | None, end: int | None,
            dirs: tuple[Path, ...] = SOURCE_DIRS) -> list[tuple[int, str]] | None:
    """(line number, text) for the non-blank lines start..end, or None when unavailable."""
    if not document or not sha256 or not start or not end or Path(document).name != document:
        return None
    if not document.lower().endswith(".txt"):
        return None
    for folder in dirs:
        path = folder / document
        try:
            stat = path.stat()
        except OSError:
            continue
        lines = _lines(path, stat.st_mtime_ns, sha256)
        if lines is None:
            continue
        last = min(end, len(lines), start + MAX_EXCERPT_LINES - 1)
        return [(n, lines[n - 1].rstrip()) for n in range(start, last + 1)
                if lines[n - 1].strip()]
    return None
