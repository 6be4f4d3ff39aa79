"""Thread settings on this machine: torch intra-op threads, FAISS (OpenMP) threads, waitress threads.

    .venv/bin/python benchmarks/threads.py [--quick] [--torch 1,2] [--waitress 1,2,4,8]

torch (query encoding), FAISS and the WSGI server's threads compete for the
same cores. Three measurements, each in fresh processes (torch and OpenMP
thread counts are fixed once per process):

1. In process, per torch thread count (POLICYKB_TORCH_THREADS, read by
   indexer/threads.py): one-query encoding, hybrid search, and batch
   encoding throughput (what `policykb build` does).
2. FAISS OpenMP threads: a single-query IndexFlatIP search over 100k
   vectors with 1 and with 2 threads (at this corpus's size FAISS costs
   microseconds either way).
3. Over HTTP, per torch thread count x waitress --threads: `policykb serve`
   on loopback with 8 concurrent clients (throughput, median, p95, errors)
   and 1 client (latency when idle).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from common import (Server, count, counts, header, load, log, median, ms, pct, questions, quiet_stdout, search_paths,
                    table)


def child(faiss_threads: int, n_questions: int | None) -> dict:
    import faiss
    import numpy as np

    from indexer.build import view_text
    from indexer.engine import SearchEngine

    with quiet_stdout():
        engine = SearchEngine.open()  # configure_threads() reads POLICYKB_TORCH_THREADS
    import torch

    faiss.omp_set_num_threads(faiss_threads)
    qs = [q["question"] for q in questions(n_questions)]
    for q in qs[:5]:
        engine.search(q)
    floor, hybrid = [], []
    for q in qs:
        t0 = time.perf_counter()
        engine.embedder.encode([q])
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        engine.search(q)
        hybrid.append(time.perf_counter() - t0)
    texts = [view_text(c, "en") for c in engine.chunks if view_text(c, "en")][:128]
    t0 = time.perf_counter()
    engine.embedder.encode(texts)
    batch_rate = len(texts) / (time.perf_counter() - t0)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(100_000, engine.embedder.dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    flat = []
    for i in range(60):
        t0 = time.perf_counter()
        index.search(vectors[i:i + 1], 60)
        flat.append(time.perf_counter() - t0)
    return {"torch": torch.get_num_threads(), "faiss": faiss_threads, "floor": median(floor),
            "hybrid": median(hybrid), "hybrid_p95": pct(hybrid, 95), "batch_rate": batch_rate,
            "flat100k": median(flat)}


def run_child(torch_threads: int, faiss_threads: int, n_questions: int | None) -> dict:
    env = {**os.environ, "POLICYKB_TORCH_THREADS": str(torch_threads)}
    args = [sys.executable, __file__, "--child", str(faiss_threads)] + (["--questions", str(n_questions)] if n_questions else [])
    proc = subprocess.run(args, stdout=subprocess.PIPE, env=env, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"threads child failed: exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(torch_counts: list[int], waitress_counts: list[int], requests: int, quick: bool) -> str:
    n_questions = 20 if quick else None
    inproc = []
    for t in torch_counts:
        for f in (1, 2):
            r = run_child(t, f, n_questions)
            inproc.append(r)
            log(f"threads: torch {r['torch']} faiss {f}: floor {ms(r['floor'])} ms, hybrid {ms(r['hybrid'])} ms, "
                f"batch {r['batch_rate']:.0f} texts/s, flat100k {r['flat100k'] * 1000:.2f} ms")
    paths = search_paths(questions())
    http = []
    for t in torch_counts:
        for w in waitress_counts:
            with Server(threads=w, env={"POLICYKB_TORCH_THREADS": str(t)}) as server:
                load(server.port, paths, 20, 2)  # warm-up
                eight = load(server.port, paths, requests, 8, max_seconds=600)
                one = load(server.port, paths, max(20, requests // 6), 1, max_seconds=300)
                rss = server.memory()["VmRSS"]
            http.append({"torch": t, "waitress": w, "rps": eight["rps"], "median": eight["median"], "p95": eight["p95"],
                         "errors": eight["errors"] + one["errors"], "one_median": one["median"], "rss": rss})
            log(f"threads: torch {t} waitress {w}: {eight['rps']:.1f}/s, median {ms(eight['median'])}, "
                f"p95 {ms(eight['p95'])}, 1 client {ms(one['median'])} ms, errors {http[-1]['errors']}")
    rows_a = [[r["torch"], r["faiss"], ms(r["floor"]), ms(r["hybrid"]), ms(r["hybrid_p95"]), f"{r['batch_rate']:.0f}",
               f"{r['flat100k'] * 1000:.2f}"] for r in inproc]
    rows_b = [[r["torch"], r["waitress"], f"{r['rps']:.1f}", ms(r["median"]), ms(r["p95"]), ms(r["one_median"]),
               r["errors"], f"{r['rss'] / 2**20:.0f}"] for r in http]
    best = max(http, key=lambda r: (r["errors"] == 0, r["rps"]))
    return "\n".join([
        header("Thread settings", quick),
        "In process (one process per setting; ms; batch = encoding 128 chunk texts, batch size 32; "
        "flat100k = one FAISS IndexFlatIP query over 100k random vectors, k=60):", "",
        table(["torch threads", "FAISS threads", "encode 1 query", "hybrid median", "hybrid p95", "batch texts/s",
               "flat100k ms"], rows_a), "",
        f"Over HTTP (`policykb serve`; {requests} requests from 8 clients, then {max(20, requests // 6)} from 1 client):", "",
        table(["torch threads", "waitress threads", "req/s (8 clients)", "median ms", "p95 ms", "1 client median ms",
               "errors", "RSS MiB"], rows_b), "",
        f"Highest throughput in this run: torch {best['torch']}, waitress {best['waitress']} ({best['rps']:.1f} req/s).",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--torch", type=counts, default=[1, 2])
    parser.add_argument("--waitress", type=counts, default=None, help="default 1,2,4,8 (quick: 2,8)")
    parser.add_argument("--requests", type=count, default=None, help="requests with 8 clients (default 300, quick 40)")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.questions)))
        return
    waitress = args.waitress or ([2, 8] if args.quick else [1, 2, 4, 8])
    requests = args.requests or (40 if args.quick else 300)
    print(run(args.torch, waitress, requests, args.quick))


if __name__ == "__main__":
    main()
