"""One factory for every command and the API: the store a setting names, embedded or remote."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.store.engine import OxigraphStore
from kg.store.generations import StoreDirectory

if TYPE_CHECKING:
    from kg.settings import Settings





def is_remote(location: object) -> bool:
    """A store named by URL (`http://…`, `virtuoso+http://…`, …) rather than a directory."""
    return isinstance(location, str) and "://" in location


def store_label(settings: Settings) -> str:
    """The store as users see it in messages: the directory, or the URL without credentials."""
    if is_remote(settings.store) or settings.store_query_url:
        from kg.remote import Endpoints  # noqa: PLC0415  (httpx only for remote stores)

        return Endpoints.from_settings(settings).label
    return str(settings.store)


def open_store(settings: Settings, writable: bool = False, *, wait: bool = False,
               on_wait: Callable[[str], None] | None = None) -> Any:
    """The store of `settings`: an embedded generation (a directory) or a SPARQL server
    (a URL, kg.remote).

    writable=False: a store open for reading (`OxigraphStore` read-only or `RemoteStore`);
    StoreError when there is none or the server cannot be reached.
    writable=True: a context manager that takes the writer lock (embedded: `wait`,
    `on_wait`) and yields a writable store; leaving it without error publishes the writes
    (embedded: the new generation is switched in; remote: the union default graph is brought
    up to date), an error leaves the embedded store as it was and the remote store in a state
    the next load repairs."""
    if is_remote(settings.store) or settings.store_query_url:
        from kg.remote import RemoteStore  # noqa: PLC0415

        if writable:
            return RemoteStore.writing(settings, wait=wait, on_wait=on_wait)
        return RemoteStore.from_settings(settings)
    directory = StoreDirectory(Path(settings.store))
    if not writable:
        return directory.open_read_only()

    @contextlib.contextmanager
    def _writing() -> Iterator[OxigraphStore]:
        with directory.locked(wait=wait, on_wait=on_wait), directory.writing() as store:
            yield store

    return _writing()
