"""Run the site on waitress, a production WSGI server (never Flask's debug server).

`policykb serve` calls `serve(host, port)`. The search engine (corpus,
indexes, embedding model) is opened here, once, before the first request;
if the index is missing the site still serves the corpus pages and says on
stderr what to run.

Waitress's limits are set here explicitly rather than left at its defaults
(100 connections, 120 s idle), under which ~100 clients trickling headers
locked everyone else out: connections are cheap (the event loop, not a
thread, holds a slow one), so the limit is high, poll() replaces select()
(which stops at 1024 descriptors), and a request must arrive whole within
READ_SECONDS. SIGTERM and SIGINT drain: stop accepting, finish the requests
in flight (at most DRAIN_SECONDS), exit 0.

A search is mostly pure Python under one GIL, so one process uses one core
however many threads it has: WORKERS processes (pre-fork) share one
listening socket, each with its own engine, threads and result cache. The
parent only binds, starts the workers, restarts one that dies, and passes
SIGTERM/SIGINT on to them; each drains as above.
"""
from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import struct
import sys
import time

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, ThreadedTaskDispatcher, WSGITask

from . import create_app, security

log = logging.getLogger("policykb.serve")


# One thread per worker process: a second thread in the same process only
# contends for its GIL. Two workers with 8 clients, 4 runs alternated: 7.5-8.7
# ms of server CPU a request with 1 thread against 8.8-10.0 with 2, the same
# 252 requests done sooner in every run (README, "Serving targets"). A page
# waits behind at most the one search its worker is answering; /healthz has a
# thread of its own (FAST_PATHS).
THREADS = 1
# Processes: one per core. With 8 clients asking distinct real questions, two
# answered 202-246 requests/s against 131-144 for one, median 30-38 ms
# against 54-60 (README, "Serving targets"); each holds its own engine,
# about 310 MiB.
WORKERS = 2
READ_SECONDS = 20  # a request's headers and body must arrive within this
DRAIN_SECONDS = 30  # on SIGTERM, the longest wait for requests in flight (systemd's stop timeout is longer)
# Answered by a thread of their own, so that a probe never waits behind searches in the workers' queue.
FAST_PATHS = ("/healthz",)
ADJUSTMENTS = dict(
    connection_limit=1000,  # the file-descriptor limit is far higher; slow clients must not fill it
    asyncore_use_poll=True,
    channel_timeout=30,  # an idle keep-alive connection is closed after this
    cleanup_interval=2,  # how often idle and slow connections are looked for
    max_request_header_size=32 * 1024,
    max_request_body_size=1024 * 1024,  # the site takes no uploads (Flask refuses above 64 kB)
    expose_tracebacks=False,
    ident="policykb",
)


class AddressError(ValueError):
    """The host or port cannot be listened on; the message says which."""


class _ErrorTask(ErrorTask):
    """Waitress's own answers (400 bad request line, 431 headers too large, 501): the site's headers too."""

    def execute(self):
        self.response_headers.extend(security.HEADERS.items())
        super().execute()


class _Task(WSGITask):
    def build_response_header(self):
        if getattr(self.channel.server, "draining", False):
            self.set_close_on_finish()  # a keep-alive client gets this answer, then reconnects elsewhere
        return super().build_response_header()


class _Channel(HTTPChannel):
    task_class = _Task
    error_task_class = _ErrorTask
    request_started = 0.0

    def received(self, data):
        if self.request is None and data:
            self.request_started = time.time()
        return super().received(data)


def make_server(app, sock: socket.socket, threads: int = THREADS):
    """A waitress server with the limits above on a bound socket (listen_socket); serve() runs it."""
    server = create_server(app, threads=threads, sockets=[sock], **ADJUSTMENTS)
    listeners = [server]  # one socket: waitress's own server, not its multi-socket wrapper
    server.fast_dispatcher = ThreadedTaskDispatcher()
    server.fast_dispatcher.set_thread_count(1)
    for listener in listeners:
        listener.channel_class = _Channel
        listener.maintenance = _with_read_deadline(listener, listener.maintenance)
        listener.add_task = _with_fast_path(listener.add_task, server.fast_dispatcher)
    server.listeners = listeners
    return server


def _with_fast_path(add_task, fast_dispatcher):
    def route(channel):
        if len(channel.requests) == 1 and getattr(channel.requests[0], "path", None) in FAST_PATHS:
            fast_dispatcher.add_task(channel)
        else:
            add_task(channel)
    return route


def _with_read_deadline(listener, maintenance):
    """Waitress closes only idle connections; also close one whose request is still arriving after READ_SECONDS."""
    def run(now):
        maintenance(now)
        for channel in list(listener.active_channels.values()):
            if (channel.request is not None and not channel.requests
                    and now - channel.request_started > READ_SECONDS):
                channel.will_close = True
    return run


def run_until_stopped(server, drain_seconds: float = DRAIN_SECONDS) -> None:
    """Serve until SIGTERM/SIGINT, then drain: no new connections, requests in flight answered."""
    stop = []
    previous = {sig: signal.signal(sig, lambda signum, frame: stop.append(signum))
                for sig in (signal.SIGTERM, signal.SIGINT)}
    loop_map = server._map
    try:
        while not stop:
            wasyncore.loop(timeout=1.0, map=loop_map, use_poll=True, count=1)
        log.info("signal %s: draining (at most %ss)", stop[0], drain_seconds)
        for listener in server.listeners:
            listener.draining = True
            if _refuse_new_connections(listener.socket):
                settle = time.monotonic() + HANDSHAKE_SECONDS
                while time.monotonic() < settle:  # handshakes under way complete and are accepted
                    wasyncore.loop(timeout=0.01, map=loop_map, use_poll=True, count=1)
            _accept_waiting(listener)  # connections the kernel already accepted are served, not reset
            wasyncore.dispatcher.close(listener)  # stop listening; the trigger stays for the workers
        deadline = time.monotonic() + drain_seconds
        while time.monotonic() < deadline and _busy(loop_map):
            wasyncore.loop(timeout=0.1, map=loop_map, use_poll=True, count=1)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.task_dispatcher.shutdown(timeout=5)
        server.fast_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(loop_map)


# Closing a listening socket resets the connections still queued on it. Accepting the queue first leaves a
# window (between accept's EAGAIN and close) in which a new handshake completes and is reset: under a stream of
# new connections a drain test lost a request that way (once, in CI). So the socket first stops taking new
# connections: a classic BPF filter drops incoming SYNs (SYN without ACK), a client retries its SYN after a
# second and by then finds the port closed (refused, nothing sent), while handshakes already under way finish
# within HANDSHAKE_SECONDS and are served. The filter is on the socket the workers share, so it holds for all.
SO_ATTACH_FILTER = 26  # Linux's <asm-generic/socket.h>; the socket module does not name it
_DROP_SYN = [  # (code, jt, jf, k); the filter sees the TCP header at offset 0
    (0x30, 0, 0, 13),  # ldb [13]: the flags byte
    (0x54, 0, 0, 0x12),  # and #(SYN|ACK)
    (0x15, 0, 1, 0x02),  # jeq #SYN: a new connection
    (0x06, 0, 0, 0),  # ret #0: drop it
    (0x06, 0, 0, 0xFFFFFFFF),  # ret #-1: keep the whole packet
]
HANDSHAKE_SECONDS = 0.1


def _refuse_new_connections(sock: socket.socket) -> bool:
    """Drop new connections' SYNs on a listening socket (Linux); False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    program = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *op) for op in _DROP_SYN))
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER,
                        struct.pack("HP", len(_DROP_SYN), ctypes.addressof(program)))
    except OSError as exc:
        log.warning("cannot stop new connections before the drain (%s): one arriving as it ends may be reset", exc)
        return False
    return True


def _accept_waiting(listener) -> None:
    listener.socket.setblocking(False)
    while True:
        try:
            conn, addr = listener.socket.accept()
        except OSError:
            return
        listener.set_socket_options(conn)
        listener.channel_class(listener, conn, listener.fix_addr(addr), listener.adj, map=listener._map)


# How long a keep-alive connection must have been quiet before a drain closes
# it: a loaded client may take well over half a second between requests, and
# one that sends just as its connection closes sees a reset (the test lost 1 of
# about 100 requests at 0.5 s on 2 busy cores).
IDLE_BEFORE_CLOSE = 2.0


def _busy(loop_map) -> bool:
    """Some connection has a request in flight, a response unsent, or has just connected and not yet spoken."""
    now = time.time()
    busy = False
    for channel in list(loop_map.values()):
        if not isinstance(channel, HTTPChannel):
            continue
        if channel.requests or channel.total_outbufs_len or channel.request is not None:
            busy = True
        elif now - channel.last_activity < IDLE_BEFORE_CLOSE:
            busy = True  # a request may still be on its way: closing now would reset it
        else:
            channel.will_close = True  # idle keep-alive: nothing to finish
    return busy


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS, workers: int = WORKERS) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sock = listen_socket(host, port)  # before the engine opens: a port in use is said at once
    if workers == 1:
        server = _open_site(lambda app: make_server(app, sock, threads))
        print(f"policykb: serving on http://{host}:{port}/", file=sys.stderr, flush=True)
        run_until_stopped(server)
    else:
        Workers(sock, workers, threads).run(on_ready=lambda: print(
            f"policykb: serving on http://{host}:{port}/ ({workers} processes)", file=sys.stderr, flush=True))
    print("policykb: stopped", file=sys.stderr, flush=True)


def _open_site(make, say_problems: bool = True):
    """The app with its engine opened (once, before the first request), on the server `make` builds."""
    app = create_app()
    problem = app.extensions["policykb"].warm()
    if problem and say_problems:
        print(f"policykb: search is unavailable until the index is built: {problem}", file=sys.stderr)
    return make(app)


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port, bound before the engine opens (and the workers start, so that
    they share it)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:  # a name that does not resolve
        raise AddressError(f"cannot listen on {host}:{port}: {exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        raise AddressError(f"cannot listen on {host}:{port}: {exc}") from exc
    sock.setblocking(False)
    return sock


def _wait_ready(fd: int) -> None:
    """Until the worker on the pipe's other end has its engine open (it writes a byte) or has died (EOF)."""
    os.read(fd, 1)
    os.close(fd)


class Workers:
    """Pre-forked serving processes on one socket. Each opens its own engine after the fork: ONNX
    Runtime, the encoding pool and waitress's threads do not survive a fork."""

    RESTART_PAUSE = 1.0  # between restarts of a worker that died, so that a crash does not spin
    GRACE_SECONDS = 10  # past the drain, before a worker that has not exited is killed

    def __init__(self, sock: socket.socket, count: int, threads: int):
        self.sock, self.count, self.threads = sock, count, threads
        self.pids: dict[int, int] = {}  # pid -> worker number

    def run(self, on_ready) -> None:
        stop = []
        previous = {sig: signal.signal(sig, lambda signum, frame: stop.append(signum))
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for fd in [self._start(n) for n in range(self.count)]:
                _wait_ready(fd)
            if not stop:
                on_ready()
            while not stop:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid and pid in self.pids:
                    number = self.pids.pop(pid)
                    log.warning("worker %s (pid %s) ended with status %s; starting another", number, pid, status)
                    time.sleep(self.RESTART_PAUSE)
                    _wait_ready(self._start(number))
                else:
                    time.sleep(0.2)
            self._stop(stop[0])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.sock.close()

    def _start(self, number: int) -> int:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid:
            os.close(write_end)
            self.pids[pid] = number
            return read_end
        os.close(read_end)
        code = 1
        try:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_DFL)  # until run_until_stopped sets its own
            server = _open_site(lambda app: make_server(app, self.sock, self.threads),
                                say_problems=number == 0)
            os.write(write_end, b"1")
            os.close(write_end)
            run_until_stopped(server)
            code = 0
        except BaseException:  # a worker never returns into the parent's code
            log.exception("worker %s failed", number)
        finally:
            os._exit(code)

    def _stop(self, signum: int) -> None:
        """Pass the signal on and wait for every worker to drain and exit."""
        log.info("signal %s: stopping %d workers", signum, len(self.pids))
        # The last process to close the listening socket resets the connections still queued on it: let that
        # be a worker, which first accepts them (run_until_stopped), not this process.
        self.sock.close()
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):  # one that died just now is reaped below
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + DRAIN_SECONDS + self.GRACE_SECONDS
        while self.pids and time.monotonic() < deadline:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid:
                self.pids.pop(pid, None)
            else:
                time.sleep(0.1)
        for pid in self.pids:
            log.warning("worker pid %s did not stop within %ss: killed", pid, DRAIN_SECONDS + self.GRACE_SECONDS)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
