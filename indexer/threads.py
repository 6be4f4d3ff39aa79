"""Thread settings for a 2-core machine, set once per process.

torch (query encoding), FAISS (OpenMP) and the WSGI server's threads all
compete for the same cores. One query is small: one intra-op thread for
torch and one OpenMP thread for FAISS avoid oversubscription when the
server runs several requests at once (figures in benchmarks/threads.py).
POLICYKB_TORCH_THREADS overrides the torch setting for experiments.
"""
from __future__ import annotations

import os

TORCH_THREADS = 1
FAISS_THREADS = 1
_done = False


def configure_threads() -> None:
    global _done
    if _done:
        return
    import faiss
    import torch

    torch.set_num_threads(int(os.environ.get("POLICYKB_TORCH_THREADS", TORCH_THREADS)))
    faiss.omp_set_num_threads(FAISS_THREADS)
    _done = True
