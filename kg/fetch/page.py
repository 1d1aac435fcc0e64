"""Reading a fetched page: its charset, the decision it shows, and the links worth following.

HTML is parsed with selectolax (lexbor) and read through CSS selectors; regular expressions
only ever see the page's extracted text (the decision line), never its markup.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from kg.fetch.client import same_site

# "26.11.2025 | 48. Sitzung | B-2025/33-IT", "05.10.2017 | 24. Sitzung | Beschluss 2017/48",
# older pages "Entscheidung 2012/05", circular procedures "Umlaufverfahren" instead of a session
DECISION_LINE = re.compile(
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*\|\s*"
    r"(?:(?P<session>\d+)\.\s*Sitzung|(?P<circular>Umlaufverfahren))\s*\|\s*"
    r"(?:(?:Beschluss|Entscheidung)(?:\s+Nr\.)?\s+(?P<id>\d{4}/\d+)\b"
    r"|B-(?P<bid>\d{4}/\d+)-IT\b)")
SESSION_TEXT = re.compile(r"^\s*\d+\.\s*Sitzung\b")
# charsets that decode any byte sequence, so a wrong declaration never fails loudly
SINGLE_BYTE_WESTERN = {"latin-1", "iso8859-1", "iso8859-15", "cp1252", "ascii"}
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class Decoded:
    text: str
    charset: str  # the one that decoded the page
    declared: str | None  # from the HTTP header, else the page's <meta>
    warning: str | None = None


@dataclass
class PageFacts:
    decision: str | None  # "2025/33"; None: the page shows no decision line
    date: str | None = None
    session: int | None = None
    circular: bool = False
    title: str | None = None
    protocol_pdfs: list[str] = field(default_factory=list)
    session_pages: list[str] = field(default_factory=list)


def _charset_param(content_type: str | None) -> str | None:
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_content_charset()
    return charset.strip() if charset else None


def meta_charset(content: bytes) -> str | None:
    # <meta> declarations are ASCII; latin-1 maps every byte, so the markup survives any charset
    tree = LexborHTMLParser(content[:4096].decode("latin-1"))
    node = tree.css_first("meta[charset]")
    if node is not None and node.attributes.get("charset"):
        return (node.attributes["charset"] or "").strip() or None
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "content-type":
            return _charset_param(node.attributes.get("content"))
    return None


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _is_utf8_with_non_ascii(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(byte > 0x7F for byte in content)


def decode_page(url: str, content: bytes, content_type: str | None) -> Decoded:
    """The page's text by its declared charset (HTTP header, else <meta>); a declaration that
    is unknown, does not decode, or hides UTF-8 behind a single-byte charset is overruled,
    with a warning naming the URL."""
    if content.startswith(UTF8_BOM):
        return Decoded(content[3:].decode("utf-8", errors="replace"), "utf-8",
                       _charset_param(content_type) or meta_charset(content))
    header = _charset_param(content_type)
    meta = meta_charset(content)
    declared = header or meta
    problems: list[str] = []
    for name in dict.fromkeys(n for n in (header, meta) if n):
        codec = _codec(name)
        origin = "HTTP header" if name == header else "<meta>"
        if codec is None:
            problems.append(f"unknown charset {name!r} ({origin})")
            continue
        if codec in SINGLE_BYTE_WESTERN and _is_utf8_with_non_ascii(content):
            problems.append(f"declared {name} ({origin}) but the bytes are UTF-8")
            continue
        try:
            text = content.decode(codec)
        except UnicodeDecodeError as exc:
            problems.append(f"declared {name} ({origin}) does not decode it "
                            f"(byte 0x{content[exc.start]:02x} at offset {exc.start})")
            continue
        warning = (f"{url}: {'; '.join(problems)}; read as {codec}") if problems else None
        return Decoded(text, codec, declared, warning)
    for codec in ("utf-8", "cp1252"):
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        if declared is None and codec == "utf-8":
            return Decoded(text, codec, None)  # undeclared UTF-8: the web's default, no news
        reason = "; ".join(problems) or "no charset declared and the bytes are not UTF-8"
        return Decoded(text, codec, declared, f"{url}: {reason}; read as {codec}")
    reason = "; ".join(problems) or "no charset declared"
    return Decoded(content.decode("latin-1"), "iso8859-1", declared,
                   f"{url}: {reason}; neither UTF-8 nor windows-1252, read as latin-1")


def read_page(text: str, page_url: str, base_url: str) -> PageFacts:
    """The decision a page shows (its id line) and the protocol PDFs and session pages it
    links within the site."""
    tree = LexborHTMLParser(text)
    body = tree.body
    plain = " ".join((body.text(separator=" ") if body is not None else "").split())
    match = DECISION_LINE.search(plain)
    title_node = tree.css_first("h1")
    title = " ".join(title_node.text(separator=" ").split()) if title_node is not None else None
    facts = PageFacts(decision=None, title=title or None)
    if match:
        facts.decision = match["id"] or match["bid"]
        facts.date = match["date"]
        facts.session = int(match["session"]) if match["session"] else None
        facts.circular = bool(match["circular"])
    facts.protocol_pdfs, facts.session_pages = page_links(tree, page_url, base_url)
    return facts


def page_links(tree: LexborHTMLParser, page_url: str,
               base_url: str) -> tuple[list[str], list[str]]:
    """Links within the site to protocol PDFs (a .pdf whose address or link text says
    "Protokoll") and to session pages (link text "48. Sitzung", or /sitzung in the path)."""
    pdfs: dict[str, None] = {}
    sessions: dict[str, None] = {}
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        target = urljoin(page_url, href).split("#", 1)[0]
        if not same_site(base_url, target) or target == page_url:
            continue
        path = urlsplit(target).path.lower()
        label = " ".join(anchor.text(separator=" ").split())
        if path.endswith(".pdf"):
            if "protokoll" in path or "protokoll" in label.lower():
                pdfs[target] = None
        elif SESSION_TEXT.match(label) or "/sitzung" in path:
            sessions[target] = None
    return list(pdfs), list(sessions)
