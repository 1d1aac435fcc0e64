"""Caps on what one input document may cost: the loaders refuse larger input with a
LoaderError naming the file, instead of running out of memory or time (issue 9).

Plain data, passed down by the caller (kg.loading builds it from Settings: KG_MAX_FILE_BYTES
and friends); the loaders import no settings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputLimits:
    max_file_bytes: int = 50_000_000  # a protocol PDF is 0.2–5 MB; the register a few kB
    max_pages: int = 2_000  # a session protocol has 10–80 pages
    max_text_chars: int = 20_000_000  # the text layer after decompression and extraction
    max_line_chars: int = 100_000  # one line of text (a protocol line is < 200)
    # A PDF's streams other than images (page content, forms, fonts, object streams),
    # decoded: a protocol has a few MB. Checked before PDFium parses a page, because it
    # expands a page's whole content at once.
    max_decompressed_bytes: int = 100_000_000


DEFAULT_LIMITS = InputLimits()
