"""Issue 13's serving targets over HTTP, as ratios to the torch MiniLM's cost of encoding one question.

    .venv/bin/python benchmarks/api_targets.py [--quick] [--threads N] [--workers N]

Starts `policykb serve` on a free loopback port (result cache off, common.py),
warms it with the fixed questions, then asks /api/search (hybrid, k=10) each
real question (tests/data/real*.jsonl: English and Chinese, answerable or
not, in a shuffled order) once from 1 client, then each once more from 8
concurrent clients (closed loop, keep-alive). The yardstick is the packaged
all-MiniLM-L6-v2 on torch encoding one of those questions, measured in this
process in the same run while the server is idle, whatever runtime the
engine encodes with.

Targets: 1-client p50 <= 1.0x, 8-client p95 <= 4.0x the yardstick, 0 errors;
RSS of each serving process after warm-up < 400 MiB.
"""
from __future__ import annotations

import argparse
import random

from common import (Server, count, header, load, log, median, mib, ms, questions, quiet_stdout, real_questions,
                    search_paths, table, torch_minilm_floor, verdict)

P50_TARGET, P95_TARGET, RSS_TARGET = 1.0, 4.0, 400 * 2**20


def run(threads: int | None, quick: bool, workers: int | None = None) -> str:
    real = real_questions()
    random.Random(13).shuffle(real)
    if quick:
        real = real[:40]
    langs = {lang: sum(q["lang"] == lang for q in real) for lang in ("en", "zh")}
    paths = search_paths(real)
    with Server(threads=threads, workers=workers) as server:
        log(f"api_targets: server pid {server.pid} on port {server.port}, ready in {server.start_seconds:.1f}s")
        warm = load(server.port, search_paths(questions()), 60, 2)
        warm_mem = server.memory()
        rss = warm_mem["VmRSS"]
        with quiet_stdout():
            floor = torch_minilm_floor([q["question"] for q in real], rounds=1)
        log(f"api_targets: torch MiniLM encodes one question in {floor * 1000:.1f} ms; RSS {mib(rss)} MiB")
        one = load(server.port, paths, len(paths), 1)
        eight = load(server.port, paths, len(paths), 8)
        end = server.memory()
    errors = warm["errors"] + one["errors"] + eight["errors"]
    rows = [
        ["1 client, p50", ms(one["median"]), f"{one['median'] / floor:.2f}x", f"<= {P50_TARGET:.1f}x",
         verdict(one["median"] <= P50_TARGET * floor)],
        ["8 clients, p95", ms(eight["p95"]), f"{eight['p95'] / floor:.2f}x", f"<= {P95_TARGET:.1f}x",
         verdict(eight["p95"] <= P95_TARGET * floor)],
        ["errors", errors, "", "0", verdict(errors == 0)],
        ["RSS after warm-up, per serving process (MiB)", mib(rss), "", "< 400", verdict(rss < RSS_TARGET)],
    ]
    return "\n".join([
        header("Serving targets (issue 13), `policykb serve` on loopback", quick),
        f"{len(real)} distinct real questions ({langs['zh']} Chinese, {langs['en']} English), each once from 1 client "
        f"({one['rps']:.1f} requests/s), then once more from 8 ({eight['rps']:.1f} requests/s); waitress threads: "
        f"{threads or 'the serve default'}, processes: {workers or 'the serve default'}. Yardstick: torch all-MiniLM-L6-v2 encoding one question, "
        f"{ms(floor)} ms (median, this run).", "",
        table(["measure", "ms", "/ torch encode", "target", ""], rows), "",
        f"1 client median {ms(one['median'])} ms, p95 {ms(one['p95'])} ms; 8 clients median {ms(eight['median'])} ms. "
        f"Peak RSS after the load {mib(end['VmHWM'])} MiB per process; {warm_mem['processes']} serving "
        f"process(es), {mib(end['total_VmRSS'])} MiB together with the parent.",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 real questions")
    parser.add_argument("--threads", type=count, default=None, help="waitress threads (default: the serve default)")
    parser.add_argument("--workers", type=count, default=None, help="serving processes (default: the serve default)")
    args = parser.parse_args()
    print(run(args.threads, args.quick, args.workers))


if __name__ == "__main__":
    main()
