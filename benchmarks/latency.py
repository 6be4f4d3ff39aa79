"""In-process query latency per mode, next to the cost of encoding one query (the floor).

    .venv/bin/python benchmarks/latency.py [--quick] [--rounds N]

Opens the index in var/index/ (or POLICYKB_INDEX_DIR) as the site does, warms
up, then times SearchEngine.search for each mode over the fixed question list,
interleaving the modes and the bare encoding question by question so that the
machine's noise falls on all of them alike. The floor is
Embedder.encode([question]) alone: semantic and hybrid search cannot be faster.
Target: hybrid median <= 1.5x the floor.

A second pass breaks each mode's time down by stage (exclusive times, by
wrapping the engine's parts), so a gap to the target shows where it comes from.
"""
from __future__ import annotations

import argparse
import threading
import time

from common import header, log, median, ms, pct, question_sources, questions, quiet_stdout, ratio, table, verdict

MODES = ("hybrid", "keyword", "semantic")
TARGET = 1.5


class StageTimer:
    """Time per stage, exclusive of stages nested in it, per thread.

    The engine may run a stage on a pool thread beside another (hybrid
    search encodes the question while Whoosh runs): each thread keeps its
    own stack, and a stage's time is summed over threads, so stages that
    overlap add up to more than the query's wall time.
    """

    def __init__(self):
        self.totals: dict[str, float] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            stack = self._local.__dict__.setdefault("stack", [])
            frame = [time.perf_counter(), 0.0]  # start, time spent in nested stages
            stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                stack.pop()
                spent = time.perf_counter() - frame[0]
                with self._lock:
                    self.totals[name] = self.totals.get(name, 0.0) + spent - frame[1]
                if stack:
                    stack[-1][1] += spent
        return timed

    def reset(self) -> dict[str, float]:
        with self._lock:
            out, self.totals = self.totals, {}
        return out


def instrument(engine) -> StageTimer:
    import indexer.engine as engine_module

    timer = StageTimer()
    engine.embedder.encode = timer.wrap("encode", engine.embedder.encode)
    engine.keyword.search = timer.wrap("whoosh", engine.keyword.search)
    for vectors in engine.vectors.values():
        vectors.search = timer.wrap("faiss", vectors.search)
    engine_module.make_snippet = timer.wrap("snippets", engine_module.make_snippet)
    engine._low_confidence = timer.wrap("low-confidence check", engine._low_confidence)
    engine.concepts.scores = timer.wrap("concepts", engine.concepts.scores)
    engine.expander.matches = timer.wrap("glossary expansion", engine.expander.matches)
    engine.expander.expand = timer.wrap("glossary expansion", engine.expander.expand)
    return timer


def run(rounds: int, limit: int | None) -> str:
    from indexer.engine import SearchEngine

    qs = questions(limit)
    with quiet_stdout():
        t0 = time.perf_counter()
        engine = SearchEngine.open()
        open_seconds = time.perf_counter() - t0
    log(f"latency: engine open in {open_seconds:.1f}s; {len(qs)} questions x {rounds} rounds")
    for q in qs[:10]:  # warm-up: model, caches, whoosh readers, jieba dictionary
        engine.embedder.encode([q["question"]])
        for mode in MODES:
            engine.search(q["question"], mode=mode)

    times = {name: [] for name in ("floor",) + MODES}
    for r in range(rounds):
        for q in qs:
            text = q["question"]
            t0 = time.perf_counter()
            engine.embedder.encode([text])
            times["floor"].append(time.perf_counter() - t0)
            for mode in MODES:
                t0 = time.perf_counter()
                engine.search(text, mode=mode)
                times[mode].append(time.perf_counter() - t0)
        log(f"latency: round {r + 1}/{rounds} done")
    floor = median(times["floor"])

    rows = [["encode one query (floor)", "all", len(times["floor"]), ms(floor), ms(pct(times["floor"], 95)), "1.00x"]]
    langs = [q["lang"] for q in qs] * rounds
    for mode in MODES:
        rows.append([mode, "all", len(times[mode]), ms(median(times[mode])), ms(pct(times[mode], 95)),
                     ratio(median(times[mode]), floor)])
    for mode in MODES:
        for lang in ("en", "zh"):
            sub = [t for t, lq in zip(times[mode], langs) if lq == lang]
            if sub:
                rows.append([mode, lang, len(sub), ms(median(sub)), ms(pct(sub, 95)), ratio(median(sub), floor)])
    hybrid_ratio = median(times["hybrid"]) / floor
    hybrid_en = [t for t, lq in zip(times["hybrid"], langs) if lq == "en"]
    en_ratio = median(hybrid_en) / floor if hybrid_en else float("nan")

    # Stage breakdown, one more pass, per language of the question.
    timer = instrument(engine)
    stages = ["encode", "faiss", "whoosh", "concepts", "glossary expansion", "snippets", "low-confidence check"]
    breakdown = []
    for mode in MODES:
        for lang in ("en", "zh"):
            sub = [q for q in qs if q["lang"] == lang]
            if not sub:
                continue
            per_stage = {s: [] for s in stages}
            totals = []
            for q in sub:
                timer.reset()
                t0 = time.perf_counter()
                engine.search(q["question"], mode=mode)
                total = time.perf_counter() - t0
                spent = timer.reset()
                totals.append(total)
                for s in stages:
                    per_stage[s].append(spent.get(s, 0.0))
            breakdown.append([mode, lang, len(sub), ms(median(totals))] + [ms(median(per_stage[s])) for s in stages])

    out = [header("Query latency in process (ms)", limit is not None),
           f"Questions: {len(qs)} from {question_sources()}, {rounds} round(s) after warm-up; "
           f"k=10; modes interleaved question by question. Engine open: {open_seconds:.1f}s.", "",
           table(["mode", "questions", "queries", "median", "p95", "median / floor"], rows), "",
           f"Target: hybrid median <= {TARGET}x the encoding floor: {hybrid_ratio:.2f}x over all questions, "
           f"{en_ratio:.2f}x over the English ones: {verdict(hybrid_ratio <= TARGET)}.",
           "", "Where the time goes (median ms per query and stage, exclusive of nested stages; one more pass). "
           "Stages on the engine's encoding thread (encode, FAISS) overlap the request thread's (Whoosh) in hybrid "
           "mode, so a row can add up to more than its total:", "",
           table(["mode", "lang", "n", "total"] + stages, breakdown)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 questions, 1 round")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)
    print(run(rounds, 20 if args.quick else None))


if __name__ == "__main__":
    main()
