"""Writers that collide, die or run out of disk (issue 9 items 4 and 7), with real `kg load`
processes: nothing is ever lost or half loaded, and a reader is served throughout."""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.synth_protocols import generate
from kg.settings import SAMPLES_DIR
from kg.store import StoreDirectory
from tests.processes import alive

pytestmark = pytest.mark.slow

SEED = SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"
KG = [sys.executable, "-m", "cli.main"]


def kg(store: Path, *args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen([*KG, "--store", str(store), *args, "-q"], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=Path(__file__).resolve().parents[2], **kw)  # type: ignore[arg-type]


def graphs(store: Path) -> set[str]:
    s = StoreDirectory(store).open_read_only()
    try:
        return {g for g in s.named_graphs() if "/graph/itplr-" in g}
    finally:
        s.close()


def triples(store: Path) -> int:
    s = StoreDirectory(store).open_read_only()
    try:
        return s.count_quads()
    finally:
        s.close()


@pytest.fixture(scope="module")
def protocols(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(12, seed=7, out_dir=tmp_path_factory.mktemp("synthetic"))


class Reader(threading.Thread):
    """Opens the current generation and counts its triples, again and again."""

    def __init__(self, store: Path) -> None:
        super().__init__(daemon=True)
        self.store = store
        self.stop = threading.Event()
        self.reads: list[int] = []
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.reads.append(triples(self.store))
            except Exception as exc:  # noqa: BLE001 - any failure of a reader is the finding
                self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)


def _wait_for_lock(store: Path, process: subprocess.Popen[str]) -> None:
    lock = store / "writer.lock"
    for _ in range(600):
        if lock.exists() and lock.read_text().strip() == str(process.pid):
            return
        time.sleep(0.02)
    raise AssertionError("the writer never took the lock")


def test_two_writers_at_once_both_land_with_wait(tmp_path: Path,
                                                 protocols: list[Path]) -> None:
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED)).wait(120) == 0
    reader = Reader(store)
    reader.start()
    first = kg(store, "load", *map(str, protocols[:6]), "--wait")
    second = kg(store, "load", *map(str, protocols[6:]), "--wait")
    outcomes = [(p.wait(300), p.communicate()[1]) for p in (first, second)]
    reader.stop.set()
    reader.join(30)
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert len(graphs(store)) == 1 + len(protocols)  # the seed and all twelve
    assert reader.errors == []
    assert reader.reads and min(reader.reads) > 0


def test_a_second_writer_without_wait_is_told_who_loads(tmp_path: Path,
                                                        protocols: list[Path]) -> None:
    store = tmp_path / "store"
    first = kg(store, "load", *map(str, protocols))
    _wait_for_lock(store, first)
    second = kg(store, "load", str(SEED))
    _, err = second.communicate(timeout=120)
    assert second.returncode == 2
    assert f"store busy: {store} is being loaded by PID {first.pid}" in " ".join(err.split())
    assert first.wait(300) == 0
    assert len(graphs(store)) == len(protocols)


@pytest.mark.parametrize("victim", ["first", "second"])
def test_kill_9_of_a_writer_loses_nothing(tmp_path: Path, protocols: list[Path],
                                          victim: str) -> None:
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED)).wait(120) == 0
    before = triples(store)
    reader = Reader(store)
    reader.start()
    first = kg(store, "load", *map(str, protocols[:6]), "--wait")
    _wait_for_lock(store, first)
    second = kg(store, "load", *map(str, protocols[6:]), "--wait")
    time.sleep(0.5)
    if victim == "first":
        first.kill()  # SIGKILL
        first.wait(60)
        assert second.wait(300) == 0, second.communicate()[1]
        expected = {p.stem for p in protocols[6:]}
    else:
        second.kill()
        second.wait(60)
        assert first.wait(300) == 0, first.communicate()[1]
        expected = {p.stem for p in protocols[:6]}
    reader.stop.set()
    reader.join(30)
    assert reader.errors == []
    assert min(reader.reads) >= before
    loaded = {g.rsplit("/", 1)[-1] for g in graphs(store)}
    assert loaded == {SEED.stem, *expected}
    # the lock of the dead writer is gone: a third load goes ahead at once
    rest = protocols[:6] if victim == "first" else protocols[6:]
    assert kg(store, "load", *map(str, rest)).wait(300) == 0
    assert len(graphs(store)) == 1 + len(protocols)


def _small_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))


def test_disk_full_is_one_message_and_the_store_is_unchanged(tmp_path: Path,
                                                              protocols: list[Path]) -> None:
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED)).wait(120) == 0
    before = triples(store)
    process = kg(store, "load", *map(str, protocols), preexec_fn=_small_files)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 2
    message = " ".join(err.split())
    assert "the disk is full or a file size limit was reached" in message
    assert "the store is unchanged" in message
    assert "Traceback" not in err
    assert triples(store) == before
    assert graphs(store) == {g for g in graphs(store) if SEED.stem in g}


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc: Linux, as the tests run)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_the_parsing_processes_end_with_a_killed_load(tmp_path: Path,
                                                      protocols: list[Path]) -> None:
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED)).wait(120) == 0
    holder = kg(store, "load", *map(str, protocols[:6]), "--wait")
    _wait_for_lock(store, holder)
    # the second load waits for the lock with its pool of parsing processes already started
    waiting = kg(store, "load", *map(str, protocols[6:]), "--wait", "--jobs", "2")
    workers: set[int] = set()
    for _ in range(600):
        workers = _children(waiting.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    assert len(workers) >= 2, "the load started no parsing processes"
    waiting.kill()  # SIGKILL: no clean-up runs in the load
    waiting.wait(60)
    for _ in range(300):
        if not any(alive(w) for w in workers):
            break
        time.sleep(0.1)
    assert [w for w in workers if alive(w)] == []
    assert holder.wait(300) == 0
    assert {g.rsplit("/", 1)[-1] for g in graphs(store)} == \
        {SEED.stem, *(p.stem for p in protocols[:6])}
