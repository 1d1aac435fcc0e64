from __future__ import annotations

from pathlib import Path

import pytest

from loaders.protocol import parse_protocol
from loaders.read import read_source
from loaders.records import Protocol

SEED = Path(__file__).resolve().parents[2] / "data" / "samples" / "itplr-48-2025-11-26-protokoll.txt"
PROTOCOLS = Path(__file__).resolve().parent / "protocols"


@pytest.fixture(scope="session")
def seed() -> Protocol:
    return parse_protocol(read_source(SEED))


def resolution(protocol: Protocol, canonical_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in protocol.resolutions if r.canonical_id == canonical_id)
