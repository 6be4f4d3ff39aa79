"""Thread settings for a 2-core machine, set once per process.

torch (query encoding), FAISS (OpenMP) and the WSGI server's threads all
compete for the same 2 cores, and much of a query (Whoosh, jieba, snippets)
is pure Python under the GIL. Measured with benchmarks/threads.py (figures
in benchmarks/RESULTS.md; medians, 2-core AMD EPYC, shared machine):

- torch: 1 intra-op thread. One question is too small to split: encoding
  took 15-19 ms with 1 thread and 19-23 ms with 2; over HTTP with 8 clients
  torch 1 gave 22-27 req/s against 20-24 for torch 2 at every waitress
  setting, with a lower p95.
- FAISS: 1 OpenMP thread. With 2, a single IndexFlatIP query over 100k
  vectors took a steady 38-40 ms instead of 7-8 ms, with or without torch
  loaded (FAISS has its own libgomp): on a busy 2-core machine each query's
  parallel region waits for its second thread to get a core. At this
  corpus's size FAISS costs well under a millisecond either way.
- waitress (webapp/serve.py): 2 threads, one per core. 8 clients got 26
  req/s (p95 373 ms) with 2 threads, 24 (452 ms) with 4 and 22 (605 ms)
  with 8: more threads than cores only add GIL contention.

`policykb build` does not call configure_threads(): batch encoding keeps
torch's default (all cores). POLICYKB_TORCH_THREADS overrides the torch
setting for experiments (benchmarks/threads.py uses it).
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
