"""Who the client is, and the headers every response carries.

The client key (for fair scheduling, api/limits.py) is the address of the TCP peer. A proxy's
`X-Forwarded-For` names the client only when the peer is one of `settings.trusted_proxies`;
then the rightmost address that is not itself a trusted proxy is the client (everything left
of it was written by the client and proves nothing). Without trusted proxies the header is
ignored.

uvicorn applies `X-Forwarded-For` itself, before the app sees the request, for peers in its
`--forwarded-allow-ips` (loopback by default): anyone on the same host could then claim any
address. So the peer is read from the connection when the server exposes it (uvicorn does,
through the transport of its request cycle); when it does not, a request that carries the
header from a peer we cannot see is keyed as one client "forwarded".

Headers: `X-Content-Type-Options: nosniff` and `Referrer-Policy` on every response (errors
and 500s included: the middleware sits outside Starlette's error handling), and a
Content-Security-Policy on HTML and SVG. Pages run no inline script of their own (JSON data
blocks do not execute); the few inline elements the graph renderer and the API docs write get
the request's nonce (`csp_nonce`).
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CLIENT_KEY = "kg.client"
NONCE_KEY = "kg.csp_nonce"
FORWARDED_UNVERIFIED = "forwarded"
MAX_KEY_CHARS = 64  # a client key is a map key: a proxy's garbage must not grow it

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

REFERRER_POLICY = "strict-origin-when-cross-origin"

# The column resizer of YASR's result table (yasgui 4.6.2, api/static/vendor) injects two
# <style> elements of fixed text: its table rules, and a cursor rule while a column is
# dragged. Their hashes admit exactly these; the browser test (a query, a column dragged)
# fails when an upgrade changes them.
VENDOR_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)


def page_policy(nonce: str) -> str:
    """The policy of HTML pages: everything from this server, inline code only with the
    request's nonce, the graph views framed by our own pages only."""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}' {' '.join(VENDOR_STYLE_HASHES)}",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ])


def docs_policy(nonce: str) -> str:
    """Swagger UI at /docs, served from this server; its inline bootstrap gets the nonce."""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        # Swagger UI sets style attributes and injects style elements at run time
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "worker-src 'self' blob:",
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ])


# an SVG opened directly is a document that could run script: it needs none
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """`trusted_proxies` as networks; a bad entry stops the server with its name."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"trusted_proxies: {entry!r} is not an IP address or network "
                             "(e.g. 127.0.0.1, ::1, 10.0.0.0/8)") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("["):  # [v6]:port
        text = text[1:text.find("]")] if "]" in text else text
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # an IPv4 client seen through a dual-stack socket is the same client
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in net for net in networks)


def _normal(address: str) -> str:
    parsed = _address(address)
    if parsed is None:
        return address.strip()[:MAX_KEY_CHARS]
    if isinstance(parsed, ipaddress.IPv6Address):
        # one IPv6 host usually holds a whole /64: per address, it would be 2^64 clients
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def client_key(peer: str | None, forwarded_for: list[str],
               trusted: tuple[Network, ...]) -> str:
    """The client a request counts against. `peer`: the TCP peer's address (None: unknown);
    `forwarded_for`: the X-Forwarded-For header values in order."""
    if peer is None:
        return "unknown"
    if not forwarded_for or not _trusted(peer, trusted):
        return _normal(peer)
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return _normal(hop)
    # every hop is a trusted proxy: the leftmost is the nearest thing to a client
    return _normal(hops[0]) if hops else _normal(peer)


def _socket_peer(receive: Receive) -> str | None:
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    get_extra_info = getattr(transport, "get_extra_info", None)
    if get_extra_info is None:
        return None
    peer = get_extra_info("peername")
    if isinstance(peer, tuple | list) and peer and isinstance(peer[0], str):
        return peer[0]
    return None


def _peer(scope: Scope, receive: Receive, has_forwarded: bool) -> str | None:
    socket_peer = _socket_peer(receive)
    if socket_peer is not None:
        return socket_peer
    if has_forwarded:
        # the server may have rewritten scope["client"] from the header: not a peer we trust
        return FORWARDED_UNVERIFIED
    client = scope.get("client")
    return str(client[0]) if client else None


class EdgeMiddleware:
    """Outermost layer: the client key and the CSP nonce into the scope, security headers
    onto every response."""

    def __init__(self, app: ASGIApp, trusted_proxies: tuple[Network, ...]) -> None:
        self.app = app
        self.trusted = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        forwarded = [value.decode("latin-1") for name, value in scope["headers"]
                     if name == b"x-forwarded-for"]
        peer = _peer(scope, receive, bool(forwarded))
        scope[CLIENT_KEY] = (peer if peer == FORWARDED_UNVERIFIED
                             else client_key(peer, forwarded, self.trusted))
        nonce = secrets.token_urlsafe(18)
        scope[NONCE_KEY] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", REFERRER_POLICY)
                if "content-security-policy" not in headers:
                    media = headers.get("content-type", "").split(";")[0].strip().lower()
                    if media == "text/html":
                        headers["Content-Security-Policy"] = page_policy(nonce)
                    elif media == "image/svg+xml":
                        headers["Content-Security-Policy"] = SVG_POLICY
            await send(message)

        await self.app(scope, receive, send_with_headers)


def request_client(request: Request) -> str:
    key = request.scope.get(CLIENT_KEY)
    if key is None:  # mounted without our middleware (tests of single routers)
        return request.client.host if request.client else "unknown"
    return str(key)


def csp_nonce(request: Request) -> str:
    return str(request.scope.get(NONCE_KEY, ""))


_BARE_TAG = re.compile(r"<(script|style)>", re.IGNORECASE)


def add_nonce(html: str, nonce: str, expected: dict[str, int]) -> str:
    """Give the nonce to the attribute-less `<script>` and `<style>` tags of HTML we rendered
    from a fixed template. Exactly `expected` of each must be there: more would mean content
    got in that the template did not write, and is left without a nonce (so it cannot run)."""
    found: dict[str, int] = {}
    for match in _BARE_TAG.finditer(html):
        tag = match.group(1).lower()
        found[tag] = found.get(tag, 0) + 1
    if found != expected:
        return html
    return _BARE_TAG.sub(lambda m: f'<{m.group(1)} nonce="{nonce}">', html)
