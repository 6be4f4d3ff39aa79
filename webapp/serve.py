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
"""
from __future__ import annotations

import logging
import signal
import sys
import time

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, ThreadedTaskDispatcher, WSGITask

from . import create_app, security

log = logging.getLogger("policykb.serve")


# On 2 cores more worker threads only add contention (benchmarks/threads.py:
# 8 clients, 27.3 req/s with 2 threads, 21.9 with 8); 2 rather than 1 so that
# one slow request does not hold up a quick page.
THREADS = 2
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


def make_server(app, host: str, port: int, threads: int = THREADS):
    """A waitress server with the limits above; serve() runs it, tests run it on port 0."""
    try:
        server = create_server(app, host=host, port=port, threads=threads, **ADJUSTMENTS)
    except ValueError as exc:  # waitress: "Invalid host/port specified." (a name that does not resolve)
        raise AddressError(f"cannot listen on {host}:{port}: {exc}") from exc
    listeners = [server] if hasattr(server, "channel_class") else [
        s for s in server.map.values() if hasattr(s, "channel_class")]
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
    loop_map = server.map if hasattr(server, "map") else server._map
    try:
        while not stop:
            wasyncore.loop(timeout=1.0, map=loop_map, use_poll=True, count=1)
        log.info("signal %s: draining (at most %ss)", stop[0], drain_seconds)
        for listener in server.listeners:
            listener.draining = True
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


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app()
    problem = app.extensions["policykb"].warm()
    if problem:
        print(f"policykb: search is unavailable until the index is built: {problem}", file=sys.stderr)
    server = make_server(app, host, port, threads)
    print(f"policykb: serving on http://{host}:{port}/", file=sys.stderr, flush=True)
    run_until_stopped(server)
    print("policykb: stopped", file=sys.stderr, flush=True)
