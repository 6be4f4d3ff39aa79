"""The semantic index: normalised embeddings in FAISS, inner product = cosine.

IndexFlatIP is exact and, at this corpus's size (about a hundred chunks, a
few thousand at most with more documents), faster than any approximate
index: a full scan of 10k x 384 floats takes well under a millisecond per
query. benchmarks/scale.py measures where a graph index (HNSW) starts to
pay: past roughly 100k chunks, where the flat scan reaches several
milliseconds and approaches the cost of encoding the query itself.
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def _file(folder: Path, view: str) -> Path:
    return folder / f"vectors-{view}.faiss"

# Above this many vectors the build switches to HNSW (see the module docstring).
HNSW_ABOVE = 100_000
HNSW_NEIGHBOURS = 32


def make_index(vectors: np.ndarray) -> faiss.Index:
    dim = vectors.shape[1]
    if len(vectors) > HNSW_ABOVE:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 64
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    return index


def build(vectors: np.ndarray, folder: Path, view: str) -> None:
    faiss.write_index(make_index(vectors), str(_file(folder, view)))


class VectorIndex:
    """The vectors of one view (language) of the chunks."""

    def __init__(self, folder: Path, view: str):
        self._index = faiss.read_index(str(_file(folder, view)))
        self.size = self._index.ntotal
        self.dimension = self._index.d

    def search(self, vector: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """(row, cosine), best first."""
        scores, rows = self._index.search(vector.reshape(1, -1), min(limit, self.size))
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]
