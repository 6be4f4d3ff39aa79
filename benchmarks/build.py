"""Time and peak memory of a full `policykb build`, model loading shown apart.

    .venv/bin/python benchmarks/build.py [--quick] [--runs N]

Each run is a child process building the real corpus into a temporary index
folder (never var/index/):
- `policykb build --quiet` itself (the command people run): wall time, and
  peak resident memory (ru_maxrss of that child, from os.wait4);
- the same build_index() with its stages timed (by wrapping the build's
  parts in the child): corpus parsing + model loading (BuildSummary
  .model_seconds), Whoosh, embedding both views, FAISS, the rest (corpus
  snapshot, JSON, manifest), and the child's VmHWM.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import POLICYKB, count, header, log, median, mib, table

CHILD = r"""
import json, os, sys, time
t_start = time.perf_counter()
from indexer import build, concept_index, keyword_index, vector_index, embeddings, multilingual
t_import = time.perf_counter() - t_start
spent = {"whoosh": 0.0, "concepts": 0.0, "embed": 0.0, "faiss": 0.0}
texts = [0]
def timed(name, fn):
    def inner(*a, **k):
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            spent[name] += time.perf_counter() - t0
    return inner
keyword_index.build = timed("whoosh", keyword_index.build)
concept_index.build = timed("concepts", concept_index.build)
vector_index.build = timed("faiss", vector_index.build)
def counted(cls):  # every concrete embedder has its own encode: both views' models are timed
    original = cls.encode
    def encode(self, batch, progress=False):
        if not hasattr(self, "dimension"):  # the model's own warm-up while loading: counted in model_seconds
            return original(self, batch, progress)
        texts[0] += len(batch)
        return timed("embed", original)(self, batch, progress)
    cls.encode = encode
for cls in (embeddings.OnnxEmbedder, embeddings.TorchEmbedder, multilingual.MultilingualEmbedder):
    counted(cls)
import io, contextlib
with contextlib.redirect_stdout(sys.stderr):
    summary = build.build_index(index_root=os.environ["POLICYKB_INDEX_DIR"])
status = {}
for line in open("/proc/self/status"):
    key, _, value = line.partition(":")
    if key in ("VmHWM", "VmRSS"):
        status[key] = int(value.split()[0]) * 1024
print(json.dumps({"import_s": t_import, "seconds": summary.seconds, "model_seconds": summary.model_seconds,
                  "chunks": summary.chunks, "vectors": summary.vectors, "texts": texts[0], **spent, **status}))
"""


def index_bytes(root: Path) -> int:
    current = (root / "current").resolve()
    return sum(p.stat().st_size for p in current.rglob("*") if p.is_file())


def cli_run() -> dict:
    with tempfile.TemporaryDirectory(prefix="policykb-build-") as tmp:
        env = {**os.environ, "POLICYKB_INDEX_DIR": tmp}
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(POLICYKB), "build", "--quiet"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        # wait4: this child's own rusage (RUSAGE_CHILDREN would be the maximum over every child so far).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"policykb build failed with exit {proc.returncode}")
        return {"wall": wall, "maxrss": usage.ru_maxrss * 1024, "bytes": index_bytes(Path(tmp))}


def staged_run() -> dict:
    with tempfile.TemporaryDirectory(prefix="policykb-build-") as tmp:
        env = {**os.environ, "POLICYKB_INDEX_DIR": tmp}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"staged build failed with exit {proc.returncode}")
        return {"wall": wall, **json.loads(proc.stdout.strip().splitlines()[-1])}


def run(runs: int, quick: bool) -> str:
    cli, staged = [], []
    for i in range(runs):
        cli.append(cli_run())
        log(f"build: policykb build run {i + 1}: {cli[-1]['wall']:.1f}s, peak {mib(cli[-1]['maxrss'])} MiB")
        staged.append(staged_run())
        log(f"build: staged run {i + 1}: {staged[-1]['seconds']:.1f}s")

    def med(rows, key):
        return median([r[key] for r in rows])

    rest = [r["seconds"] - r["model_seconds"] - r["whoosh"] - r["concepts"] - r["embed"] - r["faiss"] for r in staged]
    s = staged[0]
    rows_cli = [["`policykb build --quiet` (whole process)", f"{med(cli, 'wall'):.1f}", mib(med(cli, "maxrss"))]]
    rows_stage = [
        ["import indexer (whoosh, faiss, numpy; torch comes with the model)", f"{med(staged, 'import_s'):.1f}"],
        ["parse corpus + load model (`model_seconds`)", f"{med(staged, 'model_seconds'):.1f}"],
        ["Whoosh index", f"{med(staged, 'whoosh'):.1f}"],
        ["concept index (glossary concepts scored per chunk)", f"{med(staged, 'concepts'):.1f}"],
        [f"embed {s['texts']} texts (en + zh views; {med(staged, 'texts') / med(staged, 'embed'):.0f} texts/s)",
         f"{med(staged, 'embed'):.1f}"],
        ["FAISS indexes", f"{med(staged, 'faiss'):.2f}"],
        ["the rest (corpus snapshot, JSON, manifest, swap)", f"{median(rest):.1f}"],
        ["build_index() total (`BuildSummary.seconds`)", f"{med(staged, 'seconds'):.1f}"],
        ["build_index() without model loading", f"{med(staged, 'seconds') - med(staged, 'model_seconds'):.1f}"],
    ]
    return "\n".join([
        header("Full build of the real corpus", quick),
        f"{s['chunks']} chunks, {s['vectors']} vectors; median of {runs} run(s); index on disk "
        f"{mib(cli[0]['bytes'])} MiB.", "",
        table(["run", "seconds", "peak RSS MiB"], rows_cli), "",
        "Stages (seconds, the same build timed from inside; peak VmHWM "
        f"{mib(med(staged, 'VmHWM'))} MiB):", "",
        table(["stage", "seconds"], rows_stage),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run")
    parser.add_argument("--runs", type=count, default=None, help="default 3 (quick 1)")
    args = parser.parse_args()
    print(run(args.runs or (1 if args.quick else 3), args.quick))


if __name__ == "__main__":
    main()
