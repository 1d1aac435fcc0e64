"""A child process that ends with the process that started it.

Killed with -9, a parent cannot stop its children: the load's parsing processes would wait
for ever on their task pipe (each forked one holds its other end open too), and a query
worker in the middle of a long query would run it to the end. Linux delivers a signal to a
child whose parent dies if the child asks for it (PR_SET_PDEATHSIG). The signal follows the
thread that started the child, not the process: the load starts its parsing processes from
its main thread, and the server's query pool its workers from threads of its own that live
as long as the pool (api/query_worker.py). Elsewhere this does nothing; idle children still
notice the closed pipe.
"""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def end_with_parent(parent_pid: int) -> None:
    """Call first thing in the child; `parent_pid` is the parent's pid as the parent saw it
    (the parent may have died before the call, and then the child exits at once)."""
    if sys.platform != "linux":
        return
    import ctypes  # noqa: PLC0415 (children only)

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)
