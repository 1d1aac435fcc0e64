"""Fixtures of the read step: the seed protocol and PDFs laid out from it at test time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED as SEED_TEXT
from tests.loaders_read.make_pdf import FONT_CANDIDATES, ProtocolPdf, find_font, make_protocol_pdf


def require_dejavu() -> None:
    """The seed's ☒/☐ need DejaVu Sans; with reportlab's fallback font they are drawn as
    [x]/[ ] and the PDF can no longer equal the .txt."""
    if find_font() not in FONT_CANDIDATES:
        pytest.skip("DejaVu Sans not installed (apt-get install fonts-dejavu-core)")


@pytest.fixture(scope="session")
def seed_text() -> Path:
    return SEED_TEXT


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> ProtocolPdf:
    """The seed laid out 48 lines a page, content stream in reading order (~0.1 s)."""
    require_dejavu()
    out = tmp_path_factory.mktemp("pdf") / "itplr-48-2025-11-26-protokoll.pdf"
    return make_protocol_pdf(SEED_TEXT, out)


@pytest.fixture(scope="session")
def scrambled_pdf(tmp_path_factory: pytest.TempPathFactory) -> ProtocolPdf:
    """The same pages, every word drawn on its own and in reverse order."""
    require_dejavu()
    out = tmp_path_factory.mktemp("pdf") / "itplr-48-scrambled.pdf"
    return make_protocol_pdf(SEED_TEXT, out, scrambled=True)
