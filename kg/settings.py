"""The one settings class (env prefix KG_). Injected everywhere, never read ad hoc."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.namespaces import DEFAULT_BASE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    store: Path = PROJECT_ROOT / "data" / "store"
    base_iri: str = DEFAULT_BASE

    # HTTP serving (DESIGN.md §4)
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 20_000_000
    max_concurrent_per_client: int = 4
    query_workers: int = 2
