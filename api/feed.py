"""An Atom 1.0 feed (RFC 4287) of new resolutions and of changes (repeal, replacement,
amendment), newest first, written with xml.etree.

Entries are dated by the day they took effect (decision date; effective date of a change),
the only dates the record states; `updated` of the feed is the newest entry's date. Entry ids
are the resolution IRI for a new resolution and the affected IRI with a fragment naming the
change for a change, so a reader sees each fact once however often the feed is fetched.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from api import changes
from api.browse import display_id, id_key
from api.data import Linker
from kg.analysis.projection import Projection

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    date: dt.date
    link: str
    summary: str
    category: str  # beschluss | aufhebung | ersetzung | aenderung


def entries(proj: Projection, linker: Linker, absolute: str) -> list[Entry]:
    """`absolute`: scheme and host this server is reached at, for the entries' links."""
    out: list[Entry] = []
    for r in proj.resolutions():
        data = proj.node(r)
        if not data.get("loaded") or data.get("date") is None \
                or data.get("outcome") == "rejected":
            continue
        ident = display_id(data)
        out.append(Entry(r, f"Beschluss {ident}: {data.get('title') or ''}".strip(": "),
                         data["date"], absolute + (linker.page(r) or ""),
                         f"{ident} beschlossen am {data['date']:%d.%m.%Y}", "beschluss"))
    for row in changes.rows(proj, changes.changes(proj), linker):
        if row["effective"] is None:
            continue
        label = changes.TYPES[row["type"]][0]
        target = row["affected_identifier"] + (f" Ziffer {row['point']}" if row["point"] else "")
        local = row["affecting"].replace("/", "-")
        page = linker.page(row["affected_iri"])
        out.append(Entry(
            f"{row['point_iri'] or row['affected_iri']}#{row['type']}-{local}",
            f"{label}: {target} durch {row['affecting_identifier']}", row["effective"],
            absolute + (page + "/aenderungen" if page else ""),
            f"{target} {changes.note(row)}", {"repeal": "aufhebung", "replacement": "ersetzung",
                                              "amendment": "aenderung"}[row["type"]]))
    return sorted(out, key=lambda e: (e.date, e.category == "beschluss", id_key(e.title)),
                  reverse=True)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(found: list[Entry], feed_url: str, site_url: str, limit: int = 100) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "de"})

    def add(parent: ET.Element, tag: str, content: str | None = None, **attrs: str
            ) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if content is not None:
            element.text = content
        return element

    shown = found[:limit]
    add(feed, "id", feed_url)
    add(feed, "title", "Beschlussgraph: neue Beschlüsse und Änderungen des IT-Planungsrats")
    add(feed, "updated", _stamp(shown[0].date) if shown else "1970-01-01T00:00:00Z")
    author = add(feed, "author")
    add(author, "name", "Beschlussgraph")
    add(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=site_url, type="text/html")
    add(feed, "generator", "Beschlussgraph")
    for e in shown:
        entry = add(feed, "entry")
        add(entry, "id", e.id)
        add(entry, "title", e.title)
        add(entry, "updated", _stamp(e.date))
        add(entry, "published", _stamp(e.date))
        add(entry, "link", rel="alternate", href=e.link, type="text/html")
        add(entry, "category", term=e.category)
        add(entry, "summary", e.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
