"""`policykb serve` on its own, as a process on 127.0.0.1: slow clients, waitress's own errors, SIGTERM/SIGINT.

Bounded: at most 120 slow connections and a few hundred requests, each test stops by itself.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from webapp.security import HEADERS

from .conftest import CORPUS

SLOW_CLIENTS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    def __init__(self, index_dir: Path):
        self.port = _free_port()
        env = {**os.environ, "POLICYKB_INDEX_DIR": str(index_dir), "POLICYKB_CORPUS_DIR": str(CORPUS)}
        self.proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--port", str(self.port)],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"policykb serve exited {self.proc.returncode}: {self.proc.stderr.read()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise AssertionError("policykb serve did not answer /healthz within 120 s")

    def get(self, path: str, timeout: float = 10) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def raw(self, data: bytes) -> bytes:
        """The answer to raw bytes. The server closes as soon as it has answered a malformed request, which
        may reset the connection before the answer is read: then it is asked again (at most 5 times)."""
        for _ in range(5):
            chunks = []
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
                    s.sendall(data)
                    while chunk := s.recv(65536):
                        chunks.append(chunk)
            except ConnectionResetError:
                pass
            if b"\r\n\r\n" in b"".join(chunks):
                return b"".join(chunks)
            time.sleep(0.2)
        raise AssertionError(f"no answer to {data[:60]!r} in 5 tries")

    def stop(self) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


@pytest.fixture(scope="module")
def server(index_dir):
    proc = ServeProcess(index_dir)
    yield proc
    proc.stop()


def test_120_slow_connections_do_not_lock_anyone_out(server):
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(s)
        started = time.monotonic()
        served = []
        while time.monotonic() - started < 6:
            for s in slow:  # keep trickling: one header byte each, as a slow-loris client does
                try:
                    s.sendall(b"X")
                except OSError:
                    pass
            t0 = time.monotonic()
            status, body = server.get("/api/search?q=dibao", timeout=10)
            served.append((status, time.monotonic() - t0))
        assert served and all(status == 200 for status, _ in served), served
        assert max(t for _, t in served) < 5, served
        # The slow ones are cut once their request has taken longer than READ_SECONDS to arrive.
        from webapp.serve import READ_SECONDS
        deadline = time.monotonic() + READ_SECONDS + 15
        open_ = list(slow)
        while open_ and time.monotonic() < deadline:
            for s in list(open_):
                s.settimeout(0.01)
                try:
                    if s.recv(1) == b"":
                        open_.remove(s)
                except (socket.timeout, BlockingIOError):
                    pass
                except OSError:
                    open_.remove(s)
            time.sleep(0.5)
        assert not open_, f"{len(open_)} of {SLOW_CLIENTS} slow connections still open after {READ_SECONDS + 15} s"
    finally:
        for s in slow:
            s.close()


@pytest.mark.parametrize("request_bytes, status", [
    (b"GARBAGE\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 33000 + b"\r\n\r\n", b"431"),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n", b"501"),
])
def test_waitress_own_errors_carry_the_security_headers(server, request_bytes, status):
    answer = server.raw(request_bytes)
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.split()[1].encode() == status, head
    for name, value in HEADERS.items():
        assert f"\r\n{name}: {value}" in head, (name, head)
    assert "Traceback" not in answer.decode("latin-1")


class Load:
    """Clients asking searches on fresh connections; every request whose connection was accepted is tracked."""

    def __init__(self, port: int, clients: int = 6):
        self.port = port
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answered = 0
        self.lost: list[str] = []
        self.refused = 0
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def _run(self, n: int) -> None:
        i = n
        while not self.stop.is_set():
            i += 1
            path = "/api/search?" + urllib.parse.urlencode({"q": f"how do I apply for dibao {i}", "k": 10})
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                conn.connect()
            except OSError:
                with self.lock:
                    self.refused += 1  # the server no longer accepts: nothing was sent, nothing lost
                time.sleep(0.05)
                continue
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                with self.lock:
                    if r.status == 200:
                        self.answered += 1
                    else:
                        self.lost.append(f"HTTP {r.status}")
            except Exception as exc:  # noqa: BLE001 - an accepted request with no answer is lost
                with self.lock:
                    self.lost.append(f"{exc.__class__.__name__}: {exc}")
            finally:
                conn.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=90)


def _workers(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_the_site_is_served_by_several_processes_on_one_port(server):
    from webapp.serve import WORKERS

    assert WORKERS > 1 and len(_workers(server.proc.pid)) == WORKERS
    assert all(server.get("/api/search?q=dibao&k=1")[0] == 200 for _ in range(20))


def test_a_worker_that_dies_is_replaced_and_the_others_serve_meanwhile(server):
    before = _workers(server.proc.pid)
    os.kill(before[0], signal.SIGKILL)
    assert server.get("/api/search?q=temporary+assistance&k=1")[0] == 200
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = _workers(server.proc.pid)
        if len(now) == len(before) and before[0] not in now:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"workers {before} -> {_workers(server.proc.pid)}: the dead one was not replaced")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_drains_requests_in_flight_and_exits_0(index_dir, sig):
    proc = ServeProcess(index_dir)
    workers = _workers(proc.proc.pid)
    try:
        with Load(proc.port) as load:
            time.sleep(3)
            with load.lock:
                before = load.answered
            proc.proc.send_signal(sig)
            code = proc.proc.wait(timeout=60)
            time.sleep(0.5)
    finally:
        code, err = proc.stop()
    assert before >= 5, f"only {before} requests before the signal: the test proves nothing"
    assert load.lost == [], f"{len(load.lost)} requests lost: {load.lost[:5]}"
    assert load.refused > 0, "the clients never saw the server stop"
    assert code == 0, err[-2000:]
    assert "Traceback" not in err
    assert workers and not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived the server"


def test_a_draining_socket_refuses_new_connections_and_keeps_the_queued_ones():
    from webapp.serve import _refuse_new_connections

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        address = listener.getsockname()
        queued = socket.create_connection(address)
        queued.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert _refuse_new_connections(listener)
        with pytest.raises(TimeoutError):  # its SYN is dropped: closing the socket cannot reset it
            socket.create_connection(address, timeout=0.5).close()
        conn, _ = listener.accept()
        with conn, queued:
            conn.settimeout(2)
            assert conn.recv(64).startswith(b"GET / ")
