"""HTTP load against `policykb serve` on loopback: throughput, latency, errors, memory.

    .venv/bin/python benchmarks/http_load.py [--quick] [--requests N] [--clients 1,8,32] [--threads N]

Starts the real server (`.venv/bin/policykb serve --host 127.0.0.1 --port <free>`)
on the index in var/index/ (or POLICYKB_INDEX_DIR), waits for /healthz, warms
it up, reads its resident memory, then sends a bounded number of
/api/search requests (hybrid, k=10, the fixed questions in turn) from 1, 8
and 32 concurrent clients (threads, one keep-alive http.client connection
each; closed loop, no think time). Every run stops by itself after its
request count or --max-seconds. Loopback only.

Targets: zero errors; p95 with 8 clients <= 4x the single-query encoding
floor (measured in this process while the server is idle); server RSS after
warm-up < 1 GiB.
"""
from __future__ import annotations

import argparse

from common import (Server, count, counts, encoding_floor, header, log, load, mib, ms, questions, quiet_stdout,
                    search_paths, table, verdict)

P95_TARGET = 4.0
RSS_TARGET = 2**30


def run(requests: int, clients: list[int], threads: int | None, max_seconds: float, quick: bool) -> str:
    qs = questions()
    paths = search_paths(qs)
    with quiet_stdout():
        floor = encoding_floor(qs, rounds=1 if quick else 2)
    log(f"http_load: encoding floor {floor * 1000:.1f} ms")
    rows = []
    with Server(threads=threads) as server:
        log(f"http_load: server pid {server.pid} on port {server.port}, ready in {server.start_seconds:.1f}s")
        start_mem = server.memory()
        warm = load(server.port, paths, min(len(paths), 40), 2, max_seconds)
        warm_mem = server.memory()
        log(f"http_load: warm-up {warm['requests']} requests, {warm['errors']} errors; RSS {mib(warm_mem['VmRSS'])} MiB")
        results = []
        for n in clients:
            r = load(server.port, paths, requests, n, max_seconds)
            results.append(r)
            log(f"http_load: {n} clients: {r['requests']} requests, {r['rps']:.1f}/s, median {ms(r['median'])} ms, "
                f"p95 {ms(r['p95'])} ms, {r['errors']} errors {r['error_kinds']}")
        end_mem = server.memory()
    errors = sum(r["errors"] for r in results) + warm["errors"]
    for r in results:
        rows.append([r["clients"], r["requests"] if not r["truncated"] else f"{r['requests']} (time limit)",
                     f"{r['seconds']:.0f}", f"{r['rps']:.1f}", ms(r["median"]), ms(r["p95"]),
                     f"{r['p95'] / floor:.1f}x", r["errors"]])
    at8 = next((r for r in results if r["clients"] == 8), None)
    lines = [header("HTTP load on `policykb serve` (loopback)", quick),
             f"GET /api/search (hybrid, k=10) over {len(qs)} questions in turn; closed loop, one keep-alive "
             f"connection per client; waitress threads: {threads or 'the serve default'}. "
             f"Encoding floor (one query, idle): {ms(floor)} ms.", "",
             table(["clients", "requests", "seconds", "requests/s", "median ms", "p95 ms", "p95 / floor", "errors"], rows),
             "",
             "Memory of the serving process (MiB): "
             f"after start {mib(start_mem['VmRSS'])}, after warm-up {mib(warm_mem['VmRSS'])}, "
             f"after the load {mib(end_mem['VmRSS'])} (peak VmHWM {mib(end_mem['VmHWM'])}).", "",
             f"Targets: errors {errors} ({verdict(errors == 0)}); "
             + (f"p95 at 8 clients {ms(at8['p95'])} ms = {at8['p95'] / floor:.1f}x the floor "
                f"(target <= {P95_TARGET:.0f}x: {verdict(at8['p95'] <= P95_TARGET * floor)}); " if at8 else "")
             + f"RSS after warm-up {mib(warm_mem['VmRSS'])} MiB (target < 1024: {verdict(warm_mem['VmRSS'] < RSS_TARGET)}).",
             ]
    if at8:
        # Little's law for a closed loop: latency = clients / throughput.
        lines += ["", f"With 8 clients and no think time, Little's law gives mean latency = 8 / throughput "
                      f"= {8 / at8['rps'] * 1000:.0f} ms at the measured {at8['rps']:.1f} requests/s; a p95 of "
                      f"{P95_TARGET:.0f}x the floor ({P95_TARGET * floor * 1000:.0f} ms) would need about "
                      f"{8 / (P95_TARGET * floor):.0f} requests/s, i.e. at most "
                      f"{2 * P95_TARGET * floor / 8 * 1000:.0f} ms of CPU per request on 2 cores."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 requests per level")
    parser.add_argument("--requests", type=count, default=None, help="requests per concurrency level (default 2000)")
    parser.add_argument("--clients", type=counts, default=[1, 8, 32])
    parser.add_argument("--threads", type=count, default=None, help="waitress threads (default: the serve default)")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="time limit per level")
    args = parser.parse_args()
    requests = args.requests or (100 if args.quick else 2000)
    print(run(requests, args.clients, args.threads, args.max_seconds, args.quick))


if __name__ == "__main__":
    main()
