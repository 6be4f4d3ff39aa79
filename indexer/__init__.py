"""policykb's engine: corpus parsing, validation, indexing and retrieval."""
