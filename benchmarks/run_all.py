"""Run every benchmark and print their tables as one Markdown document.

    .venv/bin/python benchmarks/run_all.py [--quick] [--only latency,http_load] [--output benchmarks/RESULTS.md]

Each benchmark runs in its own process, one after the other (never two at
once: they would measure each other). The index in var/index/ (or
POLICYKB_INDEX_DIR) must exist: `make index` or `.venv/bin/policykb build`.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from common import log, machine_line

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["latency", "http_load", "api_targets", "adversarial", "build", "threads", "scale"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized runs of every benchmark")
    parser.add_argument("--only", default=None, help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    parser.add_argument("--output", default=None, help="also write the Markdown to this file")
    parser.add_argument("--serve-threads", type=int, default=None,
                        help="waitress threads for http_load.py (default: the serve default)")
    parser.add_argument("--note", default=None, help="a line to add under the machine (e.g. the commit measured)")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"run_all: unknown benchmark(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    from indexer import config
    if not (config.index_dir() / "current").exists():
        print(f"run_all: no index in {config.index_dir()}: run .venv/bin/policykb build", file=sys.stderr)
        return 2

    started = datetime.now(timezone.utc)
    sections = []
    for name in names:
        cmd = [sys.executable, str(HERE / f"{name}.py")] + (["--quick"] if args.quick else [])
        if name == "http_load" and args.serve_threads:
            cmd += ["--threads", str(args.serve_threads)]
        log(f"run_all: {' '.join(cmd)}")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        took = time.perf_counter() - t0
        if proc.returncode != 0:
            sections.append(f"### {name}\n\nFAILED (exit {proc.returncode}); see stderr.")
        else:
            sections.append(proc.stdout.strip() + f"\n\n_`benchmarks/{name}.py{' --quick' if args.quick else ''}`, "
                                                    f"{took / 60:.1f} min._")
        log(f"run_all: {name} done in {took:.0f}s")
    doc = "\n\n".join([
        "## Benchmark results" + (" (quick run)" if args.quick else ""),
        f"Machine: {machine_line()}. Run {started:%Y-%m-%d %H:%M} UTC. The machine is shared and noisy: "
        "compare medians and ratios, not single figures.",
        *([args.note] if args.note else []),
        "Reproduce: `.venv/bin/policykb build && .venv/bin/python benchmarks/run_all.py"
        + (" --quick" if args.quick else "") + (f" --serve-threads {args.serve_threads}" if args.serve_threads else "")
        + "` from the repository root.",
        *sections,
    ]) + "\n"
    print(doc)
    if args.output:
        Path(args.output).write_text(doc, encoding="utf-8")
    return 0 if all("FAILED (exit" not in s for s in sections) else 1


if __name__ == "__main__":
    sys.exit(main())
