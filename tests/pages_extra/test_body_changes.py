"""Bodies established, continued and ended (bg:BodyChange) are visible on the resolution's
page and on the body's page. Values from the 48th session's protocol (data/samples)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.pages_extra.test_appointments import page


@pytest.mark.parametrize(("path", "expected"), [
    # B-2025/51-IT Ziffer 1 ends the project group, Ziffer 2 sets up a working group instead
    ("/id/eli/itplr/beschluss/2025/51",
     ["beendet: Projektgruppe EfA-Finanzierung · Ziffer 1",
      "richtet ein: Arbeitsgruppe EfA-Finanzierung · Ziffer 2"]),
    # a body the gazetteer does not know keeps the words of the protocol
    ("/id/eli/itplr/beschluss/2025/41",
     ["richtet ein: temporäre Bund-Länder-Arbeitsgruppe (nicht im Verzeichnis) · Ziffer 2"]),
    # the body's side: by whom it was set up (the protocol's identifier, not the register's)
    ("/id/gremium/erweiterter-steuerungskreis",
     ["eingerichtet durch B-2025/33-IT · Ziffer 3"]),
    # continued by a resolution without a numbered point for it
    ("/id/gremium/ag-rabe", ["fortgeführt durch B-2025/50-IT"]),
    ("/id/gremium/pg-efa-finanzierung", ["beendet durch B-2025/51-IT · Ziffer 1"]),
    # a conference nobody set up in these documents: no section
    ("/id/gremium/fmk", []),
])
def test_body_changes_on_both_pages(client: TestClient, path: str, expected: list[str]) -> None:
    # German words only on a German page (before, the English kind was added in brackets)
    items = page(client, path).css("section#gremien li.body-change")
    assert [" ".join(li.text(separator=" ").split()) for li in items] == expected
