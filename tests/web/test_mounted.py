"""The lists, the consolidated text and the feed mounted under a prefix (root_path): every
link they write carries the prefix once."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from kg.settings import Settings


def test_links_carry_the_prefix_once(web_store: Path) -> None:
    outer = FastAPI()
    outer.mount("/kg", create_app(Settings(store=web_store, query_workers=1)))
    with TestClient(outer) as client:
        pages = [client.get(url, headers={"accept": "text/html"}).text for url in (
            "/kg/beschluesse?session=46&limit=2", "/kg/sitzungen?limit=3",
            "/kg/id/eli/itplr/beschluss/2025/02/fassung?am=2025-11-25",
            "/kg/aenderungen?type=replacement")]
        links = [link for page in pages for link in re.findall(r'(?:href|action)="(/[^"]*)"', page)]
        assert links and all(link.startswith("/kg/") for link in links)
        assert not [link for link in links if link.startswith("/kg/kg")]
        assert "/kg/beschluesse?session=46&amp;limit=2&amp;offset=2" in links
        assert client.get("/kg/beschluesse.json?session=46&limit=2").json()["next"] == \
            "/kg/beschluesse.json?session=46&limit=2&offset=2"
        feed = ET.fromstring(client.get("/kg/feed.atom").content)
        hrefs = [e.get("href") for e in feed.iter("{http://www.w3.org/2005/Atom}link")]
        assert hrefs[:2] == ["http://testserver/kg/feed.atom", "http://testserver/kg/"]
        assert all(h.startswith("http://testserver/kg/") for h in hrefs)
        assert not [h for h in hrefs if "/kg/kg/" in h]
