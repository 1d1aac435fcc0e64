"""A guard for tests that hand a named pipe to a loader: if the loader blocks on it (the bug
these tests catch), a writer turns up after a while and closes at once, so the loader sees an
empty file and the test fails on its message instead of hanging the suite."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def unblocking(fifo: Path, after_s: float = 30.0) -> Iterator[None]:
    done = threading.Event()

    def writer() -> None:
        if done.wait(after_s):
            return
        with contextlib.suppress(OSError):  # ENXIO: nobody is blocked reading, nothing to do
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
