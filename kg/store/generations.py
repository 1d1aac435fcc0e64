"""The directory of generations: the writer lock, a new generation written beside the
current one and switched in only on success."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.store.engine import OxigraphStore
from kg.store.errors import StoreBusy, StoreError

if TYPE_CHECKING:
    pass


_GEN = re.compile(r"^gen-(\d{6})$")
# files beside a generation that belong to it (gen-000007.search, …), pruned with it
_GEN_SIDECAR = re.compile(r"^(gen-\d{6})\.[a-z]+$")



class StoreDirectory:
    """A store location holding generations of the database and a `current` symlink."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    def exists(self) -> bool:
        return self.current_link.exists()

    def current_path(self) -> Path | None:
        if not self.current_link.exists():
            return None
        return self.current_link.resolve()

    def open_read_only(self) -> OxigraphStore:
        path = self.current_path()
        if path is None:
            raise StoreError(
                f"no store at {self.root}: load data first, e.g. `kg load data/samples`"
            )
        return OxigraphStore.open_generation(path, read_only=True)

    @property
    def lock_path(self) -> Path:
        return self.root / "writer.lock"

    @contextlib.contextmanager
    def locked(self, wait: bool = False,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """The writer lock: one `kg load` per store at a time. The kernel releases a flock
        when its process dies, so a killed writer leaves no stale lock behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                if not wait:
                    raise StoreBusy(f"store busy: {self.root} is being loaded by PID {holder}; "
                                    "wait for it or run with --wait") from None
                if on_wait:
                    on_wait(f"waiting for PID {holder} to finish loading {self.root} …")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # releases the flock

    @contextlib.contextmanager
    def writing(self) -> Iterator[OxigraphStore]:
        """A writable copy of the current generation, switched in only on success. The
        caller holds `locked()`."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in self.root.iterdir() if (m := _GEN.match(p.name))]
        new_path = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        current = self.current_path()
        try:
            if current is not None:
                source = OxigraphStore.open_generation(current, read_only=True)
                source.backup(new_path)
                source.close()
            store = OxigraphStore.open_generation(new_path, read_only=False)
            if current is None:
                store.quads_at_open = 0
        except (OSError, RuntimeError, StoreError) as exc:
            shutil.rmtree(new_path, ignore_errors=True)
            raise StoreError(f"cannot prepare a new store generation in {self.root}: "
                             f"{_describe_io(exc)}") from exc
        store.track_changes()
        try:
            yield store
            store.finish_union()
            store.flush()
        except OSError as exc:
            # disk full, file size limit, I/O error: one message; the old generation stays
            store.close()
            shutil.rmtree(new_path, ignore_errors=True)
            for sidecar in self.root.glob(new_path.name + ".*"):
                shutil.rmtree(sidecar, ignore_errors=True)
            raise StoreError(f"cannot write the new store generation in {self.root}: "
                             f"{_describe_io(exc)}; the store is unchanged") from exc
        except BaseException:
            store.close()
            shutil.rmtree(new_path, ignore_errors=True)
            for sidecar in self.root.glob(new_path.name + ".*"):
                shutil.rmtree(sidecar, ignore_errors=True)
            raise
        store.close()
        tmp_link = self.root / "current.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        tmp_link.symlink_to(new_path.name)
        os.replace(tmp_link, self.current_link)
        self._prune(keep={new_path.name, current.name if current else ""})

    def _prune(self, keep: set[str]) -> None:
        # a generation left by a writer that was killed is older than `keep`; removing it is
        # safe because we hold the writer lock
        for p in self.root.iterdir():
            if _GEN.match(p.name) and p.name not in keep:
                shutil.rmtree(p, ignore_errors=True)
            elif (m := _GEN_SIDECAR.match(p.name)) and m.group(1) not in keep:
                shutil.rmtree(p, ignore_errors=True)


def _describe_io(exc: BaseException) -> str:
    full = ("No space left", "File too large", "Disk quota exceeded")
    if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)) \
            or any(text in str(exc) for text in full):
        return f"the disk is full or a file size limit was reached ({exc})"
    return str(exc)
