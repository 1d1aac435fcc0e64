"""The fetch cache: each file as the server sent it, beside a sidecar record (JSON).

Layout under DIR: `pages/<slug>.html` (decision pages), `sessions/<slug>.session` (session
pages, read only for their links; the suffix keeps `kg load` from taking them for decisions),
`protocols/<name>.pdf`; each with `<file>.fetch.json`. Pages are kept in UTF-8 (the loaders
read UTF-8 only): one served in another charset is transcoded, and its sidecar keeps the
served charset and the sha256 of the served bytes. A file counts as complete only when its
sidecar exists and names its size and sha256: the file is written under a temporary name and
renamed, then the sidecar likewise, so an interrupted run leaves nothing that looks complete
and the next run fetches it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOCK_NAME = ".fetch.lock"
SIDECAR_SUFFIX = ".fetch.json"
PART_SUFFIX = ".part"
FOLDERS = {"page": ("pages", ".html"), "session": ("sessions", ".session"),
           "protocol": ("protocols", ".pdf")}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Record:
    url: str  # as asked
    final_url: str  # after redirects within the site
    fetched_at: str  # ISO 8601, UTC
    etag: str | None
    last_modified: str | None
    content_type: str | None
    sha256: str
    bytes: int
    kind: str  # page | session | protocol
    charset: str | None = None  # pages: the file's charset (always utf-8)
    served_charset: str | None = None  # pages: the charset that decoded the served bytes
    declared_charset: str | None = None  # pages: what the server or the page declared
    served_sha256: str | None = None  # pages served in another charset: the served bytes
    decision: str | None = None  # pages: the decision id the page shows, e.g. "2025/06"
    title: str | None = None  # pages: the page's <h1>, as read with `charset`

    @property
    def served_digest(self) -> str:
        return self.served_sha256 or self.sha256

    def age_s(self, now: dt.datetime) -> float:
        return (now - dt.datetime.fromisoformat(self.fetched_at)).total_seconds()


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


class CacheBusy(Exception):
    """Another `kg fetch` writes into the same folder."""


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One run per folder: a second one would delete the first one's temporary files.
        The lock goes with the process, so a killed run leaves none behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_NAME, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "?"
                raise CacheBusy(f"{self.root}: another kg fetch (PID {holder}) is writing "
                                "into this folder; wait for it to end") from exc
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()

    def path_for(self, kind: str, url: str) -> Path:
        """The file for `url`: named after the last path segment; a second URL with the same
        name (another folder on the site) gets a short hash of its URL added."""
        folder, suffix = FOLDERS[kind]
        segment = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
        stem = _UNSAFE.sub("-", segment).strip("-.") or "index"
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
        path = self.root / folder / f"{stem}{suffix}"
        taken = self._read_sidecar(path)
        if taken is not None and taken.url != url:
            digest = hashlib.sha256(url.encode()).hexdigest()[:8]
            path = path.with_name(f"{stem}-{digest}{suffix}")
        return path

    def _read_sidecar(self, path: Path) -> Record | None:
        try:
            data = json.loads(sidecar_of(path).read_text(encoding="utf-8"))
            return Record(**data)
        except (OSError, ValueError, TypeError):
            return None

    def complete(self, path: Path) -> Record | None:
        """The record of a file fetched in full (size and sha256 match), else None."""
        record = self._read_sidecar(path)
        if record is None:
            return None
        try:
            content = path.read_bytes()
        except OSError:
            return None
        if len(content) != record.bytes or hashlib.sha256(content).hexdigest() != record.sha256:
            return None
        return record

    def store(self, path: Path, content: bytes, record: Record) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, content)
        _write_atomic(sidecar_of(path),
                      (json.dumps(asdict(record), ensure_ascii=False, indent=1) + "\n").encode())

    def leftovers(self) -> list[Path]:
        """Temporary files an interrupted run left behind."""
        return sorted(self.root.rglob(f"*{PART_SUFFIX}")) if self.root.exists() else []


def _write_atomic(path: Path, content: bytes) -> None:
    part = path.with_name(path.name + PART_SUFFIX)
    with open(part, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)


def new_record(*, url: str, final_url: str, headers: Mapping[str, str], content: bytes,
               kind: str, now: dt.datetime, **page: str | None) -> Record:
    return Record(url=url, final_url=final_url, fetched_at=now.isoformat(timespec="seconds"),
                  etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                  content_type=headers.get("content-type"),
                  sha256=hashlib.sha256(content).hexdigest(), bytes=len(content), kind=kind,
                  **page)
