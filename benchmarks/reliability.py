"""Reliability figures for the README (issue 14): abuse, load, slow connections, /healthz under load, SIGTERM.

    .venv/bin/python benchmarks/reliability.py [--quick]

Builds the corpus into a private index (so a rebuild of var/index/ meanwhile
changes nothing), runs `policykb serve` on a loopback port and prints one Markdown table: requests sent, 5xx answers,
tracebacks in any body, requests lost on SIGTERM, slow-connection survival,
/healthz p50 while 63 clients search. Bounded in count and time; loopback only.
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from common import LOOPBACK, Server, header, load, log, median, ms, pct, questions, search_paths, table

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}", "\u0000", "a\r\nb", "x" * 600,
           "最低生活保障" * 100, "%ff%fe", "../../etc/passwd", "' OR 1=1 --"]
HOSTS = ["evil.example", "x" * 5000, "bad host", "[::1", "a/b", "%", "é.example", ""]
PATHS = ["/", "/search?q={q}", "/api/search?q={q}", "/api/search?q=dibao&k={q}", "/api/search?q=dibao&mode={q}",
         "/units/social-assistance-measures/{q}", "/api/units/{q}/x", "/handout?items={q}&title={q}",
         "/handout.md?items=social-assistance-measures/art-1&title={q}", "/lang/zh?next={q}", "/guides/{q}",
         "/check?{q}={q}", "/healthz?{q}"]
RAW = [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
       b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 33000 + b"\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1",
       b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"a\": [1"]

from indexer.build import build_index  # noqa: E402 - after common puts the repo on the path


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = self.server_errors = self.tracebacks = 0

    def add(self, status: int, body: bytes) -> None:
        with self.lock:
            self.sent += 1
            # 501 is waitress's right answer to a transfer coding it does not implement; 503 says search is down.
            self.server_errors += status >= 500 and status not in (501, 503)
            self.tracebacks += b"Traceback" in body


def _request(port: int, method: str, path: str, host: str | None = None, body: bytes | None = None):
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        if body is not None:
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def _raw(port: int, data: bytes) -> bytes:
    chunks = []
    try:
        with socket.create_connection((LOOPBACK, port), timeout=10) as s:
            s.sendall(data)
            while chunk := s.recv(65536):
                chunks.append(chunk)
    except OSError:
        pass
    return b"".join(chunks)


def abuse(port: int, rounds: int) -> Tally:
    tally = Tally()
    for _ in range(rounds):
        for template in PATHS:
            for q in HOSTILE:
                path = template.format(q=urllib.parse.quote(q, safe=""))
                tally.add(*_request(port, "GET", path))
            for host in HOSTS:
                try:
                    tally.add(*_request(port, "GET", template.format(q="dibao"), host=host))
                except ValueError:  # http.client refuses to send some hosts at all
                    pass
        for body in [b"{}", b"[]", b"null", b'{"receives_dibao": "<script>"}', b"\xff\xfe", b'{"a":' * 500]:
            tally.add(*_request(port, "POST", "/api/check", body=body))
        for data in RAW:
            answer = _raw(port, data)
            status = int(answer.split()[1]) if answer.startswith(b"HTTP/") else 0
            tally.add(status, answer)
    return tally


def healthz_under_load(port: int, paths: list[str], probes: int) -> list[float]:
    stop = threading.Event()

    def searcher(i):
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        while not stop.is_set():
            try:
                conn.request("GET", paths[i % len(paths)])
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
            i += 1
        conn.close()

    threads = [threading.Thread(target=searcher, args=(i,), daemon=True) for i in range(63)]
    for t in threads:
        t.start()
    time.sleep(2)
    times = []
    for _ in range(probes):
        t0 = time.perf_counter()
        _request(port, "GET", "/healthz")
        times.append(time.perf_counter() - t0)
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(90)
    return times


def slow_connections(port: int, n: int = 120, seconds: float = 8) -> tuple[int, int, float]:
    slow = []
    for _ in range(n):
        s = socket.create_connection((LOOPBACK, port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        slow.append(s)
    served, asked, worst = 0, 0, 0.0
    t_end = time.monotonic() + seconds
    while time.monotonic() < t_end:
        for s in slow:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        t0 = time.perf_counter()
        asked += 1
        try:
            served += _request(port, "GET", "/units/social-assistance-measures/art-11")[0] == 200
        except OSError:
            pass
        worst = max(worst, time.perf_counter() - t0)
        time.sleep(0.2)
    for s in slow:
        s.close()
    return served, asked, worst


def sigterm(paths: list[str], sig: int) -> tuple[int, int, int]:
    """Requests answered, lost (accepted, never answered) and the exit status, when `sig` arrives mid-load."""
    server = Server()
    answered, lost = [], []
    stop = threading.Event()

    def client(i):
        while not stop.is_set():
            conn = http.client.HTTPConnection(LOOPBACK, server.port, timeout=60)
            try:
                conn.connect()
            except OSError:
                time.sleep(0.05)
                continue
            try:
                conn.request("GET", paths[i % len(paths)])
                r = conn.getresponse()
                r.read()
                (answered if r.status == 200 else lost).append(1)
            except (OSError, http.client.HTTPException):
                lost.append(1)
            finally:
                conn.close()
            i += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(4)
    server.proc.send_signal(sig)
    code = server.proc.wait(timeout=60)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(90)
    server.stop()
    return len(answered), len(lost), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = parser.parse_args()
    paths = search_paths(questions())
    rows = []
    with tempfile.TemporaryDirectory() as index_dir:
        log("building a private index")
        build_index(index_root=Path(index_dir))
        os.environ["POLICYKB_INDEX_DIR"] = index_dir
        run(args, paths, rows)


def run(args, paths: list[str], rows: list[list]) -> None:
    with Server() as server:
        log("abuse")
        tally = abuse(server.port, 1 if args.quick else 3)
        rows.append(["malformed and hostile requests", tally.sent, tally.server_errors, tally.tracebacks, "-"])
        for clients in (8, 64):
            log(f"load, {clients} clients")
            result = load(server.port, paths + ["/", "/units/social-assistance-measures/art-11", "/healthz"],
                          requests=100 if args.quick else 400, clients=clients)
            rows.append([f"load, {clients} clients ({result['rps']:.0f} req/s, p95 {ms(result['p95'])})",
                         result["requests"], result["errors"], 0, "-"])
        log("healthz under load")
        probes = healthz_under_load(server.port, paths, 10 if args.quick else 30)
        log("slow connections")
        served, asked, worst = slow_connections(server.port)
    rows.append([f"120 slow connections + normal requests (worst {ms(worst)})", asked, asked - served, 0,
                 f"{served}/{asked} served"])
    for sig in (signal.SIGTERM, signal.SIGINT):
        log(f"{signal.Signals(sig).name} under load")
        answered, lost, code = sigterm(paths, sig)
        rows.append([f"{signal.Signals(sig).name} mid-load (exit {code})", answered + lost, 0, 0, f"{lost} lost"])
    print(header("Reliability", args.quick))
    print(table(["run", "requests", "5xx / errors", "tracebacks", "lost / survival"], rows))
    print(f"\n/healthz while 63 clients search: p50 {ms(median(probes))}, p95 {ms(pct(probes, 95))} "
          f"({len(probes)} probes)")


if __name__ == "__main__":
    main()
