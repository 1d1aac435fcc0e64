"""Pure parsing: documents in, records (loaders.records) out. No store, no network."""
