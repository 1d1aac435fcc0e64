"""A load's memory between its phases (kg/memory.py, kg/loading.py): freed heap memory goes
back to the system, and the parsing processes are gone before the post-load steps run."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import pytest

import kg.pipeline
from kg.loading import load_paths
from kg.memory import release_freed_memory
from kg.settings import SAMPLES_DIR, Settings

# 300 MB in blocks above Python's small-object allocator, made and freed by a thread (glibc
# then keeps them in that thread's heap), with one block made after them that stays
PROBE = """
import threading
from kg.memory import release_freed_memory
def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 // 2**20
kept = []
def work():
    blocks = [bytes(1000) for _ in range(300_000)]
    kept.append(bytes(1000))
    del blocks
thread = threading.Thread(target=work)
thread.start()
thread.join()
before = rss_mb()
released = release_freed_memory()
print(before, rss_mb(), released)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_goes_back_to_the_system() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    before, after, released = int(out[0]), int(out[1]), out[2]
    assert released == "True"
    assert before >= 300  # the freed blocks were still held ...
    assert after <= before - 250  # ... and are given back


def test_release_is_safe_to_repeat() -> None:
    assert release_freed_memory() == release_freed_memory()


seen_children: list[list[str]] = []


def record_children(store, settings, changes=None):  # type: ignore[no-untyped-def]
    seen_children.append([p.name for p in multiprocessing.active_children()])


def test_parsing_processes_end_before_the_post_load_steps(tmp_path, monkeypatch) -> None:
    # two documents, two parsing processes; the probe runs as the first post-load step
    monkeypatch.setattr(kg.pipeline, "POST_LOAD_STEPS",
                        ["tests.kg.test_memory:record_children", *kg.pipeline.POST_LOAD_STEPS])
    seen_children.clear()
    report = load_paths([SAMPLES_DIR], Settings(store=tmp_path / "store"), jobs=2)
    assert report.ok
    assert sorted(p.path.name for p in report.loaded) == [
        "itplr-48-2025-11-26-protokoll.txt", "itplr-register"]
    assert seen_children == [[]]
