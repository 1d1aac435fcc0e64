"""Beschlussgraph core: model terms, RDF building, the store and analysis."""

__version__ = "0.1.0"
