"""One JSON error shape, pinned across routes (api/errors.py): every error is
{"error": {"status", "code", "message", "detail"}}, and a refused query parameter is 400
`invalid_parameter` with the problem list of a validation error, whichever route refuses it
(before: FastAPI's validation, the REST lists and the browse lists answered 400, 422 or 422
with a detail that was a list, a dict or null)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(("url", "parameter", "said"), [
    # a state the analysis does not know, in the REST list and in the analysis
    ("/resolutions?status=bogus", "status", "bogus"),
    ("/analysis/status?state=bogus", "state", "bogus"),
    # the browse list's filters: a state, a year that is no number, an unknown sort column
    ("/beschluesse.json?status=bogus", "status", "bogus"),
    ("/beschluesse.json?year=abc", "year", "abc"),
    ("/beschluesse.json?sort=farbe", "sort", "farbe"),
    # a day the calendar does not have, and a German date where ISO is asked for
    ("/beschluesse.json?on=2025-02-30", "on", "no day of the calendar"),
    ("/id/eli/itplr/beschluss/2025/33/fassung.json?am=26.11.2025", "am", "YYYY-MM-DD"),
    # the list of changes: a resolution id that names nothing of the record
    ("/aenderungen.json?affected=2031/77", "affected", "2031/77"),
    # a named query's parameter: its own check, and FastAPI's type check of a REST route
    ("/queries/in-force-on-date.json?date=2025-02-30", "date", "no day of the calendar"),
    ("/resolutions?year=1800", "year", "1800"),
    # a body or Land the graph does not know: not an empty list that reads "involved in
    # nothing", as /bodies/nope is no empty page
    ("/resolutions?body=nope", "body", "no body 'nope' in the graph"),
    ("/resolutions?land=XX", "land", "no Land 'XX' in the graph"),
    # a format nobody serves
    ("/id/eli/itplr/beschluss/2025/33?format=pdf", "format", "pdf"),
    ("/sparql?query=ASK%7B%7D&format=pdf", "format", "pdf"),
    # an id the graph index cannot open
    ("/graph/open?view=session&id=xx", "id", "xx"),
])
def test_a_refused_parameter_is_400_with_its_problem(client: TestClient, url: str,
                                                      parameter: str, said: str) -> None:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"status", "code", "message", "detail"}
    assert (error["status"], error["code"]) == (400, "invalid_parameter")
    assert said in error["message"]
    assert [p["location"] for p in error["detail"]] == [f"query.{parameter}"]
    assert all(set(p) == {"location", "message", "input"} for p in error["detail"])


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/resolutions/2099/1", 404, "not_found"),  # no such resolution
    ("/nowhere", 404, "not_found"),  # no such route
    ("/aenderungen.xml", 404, "not_found"),  # no such twin
])
def test_other_errors_have_the_same_shape(client: TestClient, url: str, status: int,
                                          code: str) -> None:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == status
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "detail"}
    assert (error["status"], error["code"]) == (status, code)


def test_a_known_body_without_resolutions_in_a_year_is_an_empty_list(client: TestClient) -> None:
    # FITKO was founded in 2020: nothing of 2010 involves it, and that is no error
    body = client.get("/resolutions?body=fitko&year=2010").json()
    assert (body["total"], body["items"]) == (0, [])
