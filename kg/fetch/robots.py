"""robots.txt of the site, read once per run through the polite client (RFC 9309).

A robots.txt that is missing (any 4xx) allows everything; one that cannot be read (5xx, a
timeout, a 429/503 not waited out) closes the site, as RFC 9309 §2.3.1.4 asks, and the run
stops with that message.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

from kg.fetch.client import FetchError, NetworkDown, PoliteClient


class RobotsUnreadable(FetchError):
    """robots.txt answered with a server error: the whole site counts as disallowed."""


@dataclass
class Robots:
    url: str
    user_agent: str
    parser: RobotFileParser | None  # None: no robots.txt, everything allowed

    def allowed(self, url: str) -> bool:
        return self.parser is None or self.parser.can_fetch(self.user_agent, url)

    @property
    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None


def read_robots(client: PoliteClient, base_url: str, user_agent: str) -> Robots:
    url = urljoin(base_url, "/robots.txt")
    try:
        fetched = client.get(url)
    except NetworkDown:
        raise
    except FetchError as exc:  # a timeout, a Retry-After beyond the cap, a redirect away
        raise RobotsUnreadable(url, f"robots.txt cannot be read ({exc}), so the site counts "
                                    "as closed to crawlers (RFC 9309); try again later") from exc
    if 400 <= fetched.status < 500:
        return Robots(url, user_agent, None)
    if fetched.status != 200:
        raise RobotsUnreadable(url, f"{fetched.status}: robots.txt cannot be read, so the site "
                                    "counts as closed to crawlers (RFC 9309); try again later")
    parser = RobotFileParser(url)
    # robots.txt is UTF-8 (RFC 9309 §2.3); a stray byte must not lose the other rules
    parser.parse(fetched.content.decode("utf-8", errors="replace").splitlines())
    return Robots(url, user_agent, parser)
