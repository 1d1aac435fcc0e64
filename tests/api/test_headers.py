"""Security headers on every response, the CSP nonce on the inline elements we write, and the
client key (X-Forwarded-For only from trusted proxies) — in process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import (
    REFERRER_POLICY,
    SVG_POLICY,
    add_nonce,
    client_key,
    parse_networks,
    request_client,
)
from kg.settings import Settings

HTML = {"accept": "text/html"}
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]+)'")


@pytest.fixture(scope="module")
def app(sample_store: Path) -> Iterator[TestClient]:
    application = create_app(Settings(store=sample_store, query_workers=1))

    @application.get("/test-crash", include_in_schema=False)
    async def crash() -> None:
        raise RuntimeError("boom")

    @application.get("/test-client", include_in_schema=False)
    async def who(request: Request) -> dict[str, str]:
        return {"client": request_client(request)}

    with TestClient(application, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(("method", "path", "headers", "status"), [
    ("GET", "/", HTML, 200),
    ("GET", "/sparql?query=ASK%20%7B%7D", {}, 200),
    ("GET", "/sparql?query=SELEC", {}, 400),
    ("PUT", "/sparql", {}, 405),
    ("GET", "/id/eli/itplr/beschluss/2025/33", HTML, 200),
    ("GET", "/id/eli/itplr/beschluss/2025/33", {"accept": "text/turtle"}, 200),
    ("GET", "/resolutions?limit=1", {}, 200),
    ("GET", "/nothing-here", HTML, 404),
    ("GET", "/static/site.css", {}, 200),
    ("GET", "/graph/static/vis-network.min.js", {}, 200),
    ("GET", "/health", {}, 200),
    ("GET", "/openapi.json", {}, 200),
    ("GET", "/test-crash", {}, 500),
])
def test_every_response_carries_nosniff_and_referrer_policy(
        app: TestClient, method: str, path: str, headers: dict[str, str], status: int) -> None:
    response = app.request(method, path, headers=headers)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == REFERRER_POLICY


def test_a_crash_still_answers_with_the_one_error_shape(app: TestClient) -> None:
    response = app.get("/test-crash")
    assert response.json()["error"]["code"] == "internal_error"


@pytest.mark.parametrize("path", ["/", "/queries", "/id/eli/itplr/beschluss/2025/33",
                                  "/id/eli/itplr/beschluss/1999/99", "/graph/timeline"])
def test_html_pages_have_a_strict_policy_with_a_fresh_nonce(app: TestClient, path: str) -> None:
    first = app.get(path, headers=HTML)
    second = app.get(path, headers=HTML)
    policies = [r.headers["content-security-policy"] for r in (first, second)]
    for policy in policies:
        assert "default-src 'self'" in policy
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonces = [NONCE.search(p).group(1) for p in policies]  # type: ignore[union-attr]
    assert nonces[0] != nonces[1]
    assert len(nonces[0]) >= 22


def test_json_responses_have_no_page_policy(app: TestClient) -> None:
    assert "content-security-policy" not in app.get("/resolutions?limit=1").headers


def test_graph_page_inline_elements_carry_the_nonce_of_the_response(app: TestClient) -> None:
    response = app.get("/graph/resolution/2025/33")
    nonce = NONCE.search(response.headers["content-security-policy"]).group(1)  # type: ignore[union-attr]
    assert response.text.count(f'<script nonce="{nonce}">') == 1
    assert response.text.count(f'<style nonce="{nonce}">') == 1
    assert "<script>" not in response.text and "<style>" not in response.text


def test_our_templates_run_no_inline_script(app: TestClient) -> None:
    # data blocks (JSON config, JSON-LD) do not execute; every executed script is a file
    for path in ("/", "/id/eli/itplr/beschluss/2025/33"):
        page = app.get(path, headers=HTML).text
        tags = re.findall(r"<script\b[^>]*>", page)
        assert tags, path
        for tag in tags:
            assert "src=" in tag or 'type="application/' in tag, tag


def test_svg_gets_a_policy_without_script(app: TestClient) -> None:
    response = app.get("/graph/resolution/2025/33?format=svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["content-security-policy"] == SVG_POLICY


def test_api_docs_work_offline_with_the_nonce(app: TestClient) -> None:
    response = app.get("/docs")
    policy = response.headers["content-security-policy"]
    nonce = NONCE.search(policy).group(1)  # type: ignore[union-attr]
    assert response.text.count(f'<script nonce="{nonce}">') == 1
    assert "<script>" not in response.text and "<style>" not in response.text
    # every asset from this server: no CDN in the page or the policy, no validator badge
    assert not re.findall(r'(?:src|href)="https?://', response.text)
    assert "http" not in policy
    assert '"validatorUrl": null' in response.text
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert app.get(asset).status_code == 200, asset
    assert app.get("/redoc", follow_redirects=False).headers["location"] == "/docs"


def test_nonce_is_withheld_when_the_html_has_unexpected_inline_elements() -> None:
    html = "<style>a{}</style><script>ok()</script><script>injected()</script>"
    assert add_nonce(html, "n", {"style": 1, "script": 1}) == html
    assert add_nonce("<style>a{}</style><script>ok()</script>", "n",
                     {"style": 1, "script": 1}) == \
        '<style nonce="n">a{}</style><script nonce="n">ok()</script>'


PROXY = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])


@pytest.mark.parametrize(("peer", "forwarded", "trusted", "client"), [
    # no trusted proxies: the header is ignored, whoever sends it
    ("127.0.0.1", ["203.0.113.9"], (), "127.0.0.1"),
    ("198.51.100.7", ["203.0.113.9"], PROXY, "198.51.100.7"),  # peer is not a proxy
    # from a trusted proxy: the address it appended
    ("127.0.0.1", ["203.0.113.9"], PROXY, "203.0.113.9"),
    # what the client wrote left of it proves nothing
    ("127.0.0.1", ["6.6.6.6, 203.0.113.9"], PROXY, "203.0.113.9"),
    # a chain of trusted proxies is walked from the right
    ("127.0.0.1", ["6.6.6.6, 203.0.113.9, 10.1.2.3"], PROXY, "203.0.113.9"),
    # several header lines are one list
    ("127.0.0.1", ["6.6.6.6", "203.0.113.9"], PROXY, "203.0.113.9"),
    # ports and brackets are not part of the client
    ("127.0.0.1", ["203.0.113.9:4711"], PROXY, "203.0.113.9"),
    ("::1", ["[2001:db8::1]:443"], PROXY, "2001:db8::/64"),
    # an IPv6 host has a /64 to choose from: that is one client
    ("2001:db8:0:0:aaaa::1", [], PROXY, "2001:db8::/64"),
    ("::1", [], (), "::/64"),
    ("::ffff:127.0.0.1", ["203.0.113.9"], PROXY, "203.0.113.9"),
    # only proxies in the chain: the leftmost
    ("127.0.0.1", ["10.0.0.5, 10.0.0.6"], PROXY, "10.0.0.5"),
    # an empty header names nobody
    ("127.0.0.1", [" , "], PROXY, "127.0.0.1"),
    ("127.0.0.1", [], PROXY, "127.0.0.1"),
    (None, ["203.0.113.9"], PROXY, "unknown"),
    # garbage from a trusted proxy is kept short
    ("127.0.0.1", ["x" * 500], PROXY, "x" * 64),
])
def test_client_key(peer: str | None, forwarded: list[str], trusted: tuple, client: str
                    ) -> None:
    assert client_key(peer, forwarded, trusted) == client


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValueError, match="'proxy.example' is not an IP address"):
        parse_networks(["proxy.example"])


def test_testclient_peer_with_a_forwarded_header_counts_as_one_unverified_client(
        app: TestClient) -> None:
    # in process there is no socket to read: whatever the header says, one key
    keys = {app.get("/test-client", headers={"x-forwarded-for": f"203.0.113.{i}"}
                    ).json()["client"] for i in range(5)}
    assert keys == {"forwarded"}
    assert app.get("/test-client").json()["client"] == "testclient"


def test_settings_take_trusted_proxies_from_the_environment(
        monkeypatch: pytest.MonkeyPatch, sample_store: Path) -> None:
    monkeypatch.setenv("KG_TRUSTED_PROXIES", '["127.0.0.1", "10.0.0.0/8"]')
    assert Settings(store=sample_store).trusted_proxies == ["127.0.0.1", "10.0.0.0/8"]
    with pytest.raises(ValueError, match="trusted_proxies"):
        create_app(Settings(store=sample_store, trusted_proxies=["not an address"]))
