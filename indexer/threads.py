"""Thread settings for a 2-core machine, set once per process.

torch (query encoding), FAISS (OpenMP) and the WSGI server's threads all
compete for the same 2 cores, and much of a query (Whoosh, jieba, snippets)
is pure Python under the GIL. Measured with benchmarks/threads.py (figures
in benchmarks/RESULTS.md; medians, 2-core AMD EPYC, shared machine):

- torch (POLICYKB_RUNTIME=torch or a POLICYKB_MODEL model; the default
  ONNX Runtime query path never imports it): 1 intra-op thread. One question is too small to split: encoding
  it took 15-23 ms with 1 thread or 2 alike, and over HTTP (8 clients)
  torch 1 served more requests/s than torch 2 in 15 of 16 paired runs
  (same waitress setting; e.g. 27.3 vs 22.2 req/s with 2 waitress threads).
- FAISS: 1 OpenMP thread. With 2, a single IndexFlatIP query over 100k
  vectors took 15-40 ms instead of 7-9 ms, with or without torch loaded
  (FAISS has its own libgomp): on a busy 2-core machine each query's
  parallel region waits for its second thread to get a core. At this
  corpus's size FAISS costs well under a millisecond either way.
- waitress (webapp/serve.py): 1 thread per worker process (2 processes).
  Whoosh, jieba, snippets and Flask are pure Python: a second thread in a
  process only contends for its GIL (8 clients: 15% more server CPU a
  request with 2 threads than with 1).

`policykb build` does not call configure_threads(): batch encoding keeps
torch's default (all cores), which encoded 30-55 chunk texts/s against
30-34 with 1 thread. POLICYKB_TORCH_THREADS overrides the torch
setting for experiments (benchmarks/threads.py uses it).
"""
from __future__ import annotations

import os

TORCH_THREADS = 1
FAISS_THREADS = 1
_configured: set[str] = set()


def _on_torch() -> bool:
    """Whether queries encode on torch. On ONNX Runtime (the default) torch is
    never imported by a query process: it alone held about 200 MB of RSS."""
    from .config import runtime

    try:
        return runtime() == "torch"
    except ValueError:  # a bad POLICYKB_RUNTIME: the embedder reports it
        return False


def configure_threads() -> None:
    if "faiss" not in _configured:
        import faiss

        faiss.omp_set_num_threads(FAISS_THREADS)
        _configured.add("faiss")
    if "torch" not in _configured and _on_torch():
        import torch

        torch.set_num_threads(int(os.environ.get("POLICYKB_TORCH_THREADS", TORCH_THREADS)))
        _configured.add("torch")
