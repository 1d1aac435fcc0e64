"""Freed memory given back to the system between the phases of a load.

glibc's allocator keeps what a program frees in its heaps for reuse, one heap per thread
that allocated, and returns little of it on its own. Oxigraph's bulk loader allocates in
threads of its own, so a load left its whole write phase's working memory held but unused:
at 1,000 sessions 478 MB after the write phase, of which `malloc_trim` gave back 196 MB,
and the analysis' projection was then added on top instead of reusing it (the load's peak
1.12 GB -> 0.87 GB together with interned IRIs, kg/store/convert.py `plain_value`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from functools import cache


def release_freed_memory() -> bool:
    """Return the heaps' free memory to the system; False where the C library cannot
    (not glibc: musl and macOS have no malloc_trim, and need none of this)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim
