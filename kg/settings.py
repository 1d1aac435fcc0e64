"""The one settings class (env prefix KG_). Injected everywhere, never read ad hoc."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.namespaces import DEFAULT_BASE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    # a directory (the embedded store) or the URL of a SPARQL server (kg/remote.py):
    # http://HOST:PORT (Oxigraph server), virtuoso+http://HOST:PORT, fuseki+http://HOST:PORT/DS
    store: Path | str = PROJECT_ROOT / "data" / "store"
    base_iri: str = DEFAULT_BASE

    # a remote store (kg/remote.py): the endpoints of any other SPARQL 1.1 server (they
    # override those derived from KG_STORE), credentials (never printed), request timeout
    store_query_url: str | None = None
    store_update_url: str | None = None
    store_gsp_url: str | None = None
    store_user: str | None = None
    store_password: SecretStr | None = None
    store_timeout_s: float = 60.0
    # full-text search (kg/search): where a remote store's index lives (an embedded store
    # keeps it beside each generation); unset: a remote store has no search index
    search_dir: Path | None = None

    # loading (DESIGN.md §5): processes that parse (0 = one per core), caps per input file
    load_jobs: int = 0
    max_file_bytes: int = 50_000_000
    max_pages: int = 2_000
    max_text_chars: int = 20_000_000
    max_line_chars: int = 100_000
    max_decompressed_bytes: int = 100_000_000

    # HTTP serving (DESIGN.md §4)
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = 10.0  # SPARQL a client writes or chooses (/sparql, named queries)
    # the pages' and REST's own queries: the whole record's list took 7.2 s on a fresh
    # server at 10,000 sessions (bench/scale.py); slow there must not mean failed
    lookup_timeout_s: float = 30.0
    max_rows: int = 10_000
    max_bytes: int = 20_000_000
    query_workers: int = 2
    # project each new generation the server sees without a kept projection in a process of
    # its own, before a page needs it (kg/analysis/keeper.py)
    keep_projection: bool = True
    # open the lists that read the whole record once for each generation the server serves,
    # before a visitor does, when the record has this many resolutions (api/warming.py)
    warm_pages: bool = True
    warm_pages_from: int = 2_000
    # fair scheduling (api/limits.py): SPARQL of one client runs on at most this many
    # workers at once (0: all but one, so another client always finds a worker soon)
    max_concurrent_per_client: int = 0
    queue_per_client: int = 16  # SPARQL requests of one client waiting; one more: 429
    lookup_queue_per_client: int = 64  # page and REST lookups of one client waiting
    queue_max: int = 256  # requests waiting in all; one more: 503
    queue_timeout_s: float = 30.0  # longest wait for a worker; then 503 server_busy
    # peers (addresses or networks, e.g. ["127.0.0.1", "10.0.0.0/8"]) whose
    # X-Forwarded-For names the client; empty: the header is ignored
    trusted_proxies: list[str] = []

    # kg fetch (kg/fetch/): the council's site and how politely it is read
    fetch_base_url: str = "https://www.it-planungsrat.de"
    fetch_interval_s: float = 1.0  # at least this long between the starts of two requests
    fetch_user_agent: str = ""  # empty: "Beschlussgraph/<version> (+<contact URL>)"
    fetch_contact_url: str = "https://w3id.org/beschlussgraph"
    fetch_timeout_s: float = 30.0  # per request (connect, and between bytes read)
    fetch_retries: int = 2  # more tries of one URL after a timeout or a dropped connection
    fetch_max_waits: int = 3  # 429/503 answers with Retry-After honoured per URL
    fetch_max_retry_after_s: float = 120.0  # a longer Retry-After: that URL is given up
    fetch_max_misses: int = 5  # consecutive missing ids that end a year's run
    fetch_first_year: int = 2010  # the council's first decisions (without --since/--ids)
    fetch_fresh_s: float = 86_400.0  # a cached file younger than this is not asked for again

    @field_validator("store", mode="before")
    @classmethod
    def _store_location(cls, value: object) -> object:
        """A URL stays text (Path would fold its `//`); anything else is a directory."""
        if isinstance(value, str) and "://" in value:
            return value.strip()
        return Path(value) if isinstance(value, str) else value
