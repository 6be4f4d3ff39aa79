"""Run the site on waitress, a production WSGI server (never Flask's debug server).

`policykb serve` calls `serve(host, port)`. The search engine (corpus,
indexes, embedding model) is opened here, once, before the first request;
if the index is missing the site still serves the corpus pages and says on
stderr what to run.
"""
from __future__ import annotations

import logging
import sys

from waitress import serve as waitress_serve

from . import create_app

log = logging.getLogger("policykb.serve")


# On 2 cores more worker threads only add contention (benchmarks/threads.py:
# 8 clients, 27.3 req/s with 2 threads, 21.9 with 8); 2 rather than 1 so that
# one slow request does not hold up a quick page.
THREADS = 2


class AddressError(ValueError):
    """The host or port cannot be listened on; the message says which."""


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app()
    problem = app.extensions["policykb"].warm()
    if problem:
        print(f"policykb: search is unavailable until the index is built: {problem}", file=sys.stderr)
    print(f"policykb: serving on http://{host}:{port}/", file=sys.stderr, flush=True)
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="policykb")
    except ValueError as exc:  # waitress: "Invalid host/port specified." (a name that does not resolve)
        raise AddressError(f"cannot listen on {host}:{port}: {exc}") from exc
