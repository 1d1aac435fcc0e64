"""Keep the projection of a store generation, in a process of its own.

A load that recomputes only the region of the analysis it changed (kg/analysis/region.py)
does not project the whole record, so its generation starts without a kept projection
(kg/analysis/cache.py). The first page or command that needs one then projected the whole
record itself: 13 s at 1,000 synthetic sessions, and the first `/beschluesse` after such a
load took 106 s at 5,000. The server (api/keeping.py) starts this process as soon as it sees
such a generation, so that the projection is kept before anyone asks for it in the usual
case; whoever asks while it runs waits for it (`kg.analysis.cache.projection_of`) instead of
projecting the record a second time beside it, and the web front's own process never spends
its time on the projection.

The projection is `cache.project_generation`'s: the projection of the generation before,
carried forward with what the load changed where the load noted a base
(kg/analysis/carry.py), else the whole record projected; written with `cache.save` like the
load's own. One keeper per generation: `start` takes an
exclusive lock on `gen-N.projection/keeper.lock` and hands the locked descriptor to the
child, so the lock is held exactly as long as the keeper lives (`cache.keeper_running`).
The keeper ends with the process that started it (kg/lifetime.py).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from kg.analysis.cache import KEEPER_LOCK, is_kept, project_generation, save, sidecar
from kg.lifetime import end_with_parent


def start(generation: Path) -> subprocess.Popen[bytes] | None:
    """A keeper projecting `generation`; None when its projection is kept already, another
    keeper is at it, or the store directory may not be written."""
    if is_kept(generation):
        return None
    try:
        sidecar(generation).mkdir(exist_ok=True)
        fd = os.open(sidecar(generation) / KEEPER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None  # a keeper holds it
        # the child inherits the locked descriptor; closing ours below keeps the lock held
        return subprocess.Popen(
            [sys.executable, "-m", "kg.analysis.keeper", str(generation), str(os.getpid())],
            pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    generation, parent = (argv if argv is not None else sys.argv[1:])[:2]
    end_with_parent(int(parent))
    path = Path(generation)
    if not is_kept(path):
        save(path, project_generation(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
