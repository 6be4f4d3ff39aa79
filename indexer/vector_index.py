"""The semantic index: normalised embeddings in FAISS, inner product = cosine.

IndexFlatIP is exact, and at this corpus's size (hundreds of chunks) costs
microseconds. benchmarks/scale.py measured the flat scan at 0.29 ms for 10k
vectors, 1.4 ms for 30k and 6.2 ms for 100k, against ~15 ms to encode the
question. HNSW is faster from a few thousand vectors but approximate; it
pays once the scan becomes a visible share of a query, past about 50k.
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def _file(folder: Path, view: str) -> Path:
    return folder / f"vectors-{view}.faiss"

# Above this many vectors the build switches to HNSW (see the module docstring).
HNSW_ABOVE = 50_000
HNSW_NEIGHBOURS = 32
# The engine asks for 60 candidates; at efSearch 64 HNSW found only 83% of the
# exact top 60 at 100k vectors, at 256 it keeps >= 95.6% in 0.76 ms
# (benchmarks/RESULTS.md).
HNSW_EF_SEARCH = 256


def make_index(vectors: np.ndarray) -> faiss.Index:
    dim = vectors.shape[1]
    if len(vectors) > HNSW_ABOVE:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
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
