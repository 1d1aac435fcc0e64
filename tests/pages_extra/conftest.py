"""Fixtures of the extra page tests: the sample store, the in-process app and headless
Chromium come from tests/api (the same real parts: `kg load data/samples` into a store on
disk, query workers as processes, Debian's chromium)."""

from tests.api.conftest import browser, client, sample_store  # noqa: F401
