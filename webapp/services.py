"""The search engine and the corpus, held once per process and shared by requests.

The engine (corpus, indexes, embedding model) is opened once, lazily or at
start-up by `serve`, and kept on the app. If the index is missing or stale,
pages that need only the corpus still work: the corpus is loaded on its own,
and search answers 503 with the engine's message (what to run). Opening is
retried now and then, so a `policykb build` while the site runs is picked up
without a restart.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from indexer import config as kb_config
from indexer.corpus import load_corpus
from indexer.models import Corpus

log = logging.getLogger(__name__)

RETRY_SECONDS = 10.0
FALLBACK_MAX_QUERY_CHARS = 500


class SearchUnavailable(Exception):
    """Search cannot run: the index is missing, stale or corrupt (the message says what to run)."""


def engine_module():
    """indexer.engine, imported late so the site can start (and browse) without it."""
    from indexer import engine  # noqa: PLC0415 - deliberate late import
    return engine


def max_query_chars() -> int:
    try:
        return int(engine_module().MAX_QUERY_CHARS)
    except Exception:  # noqa: BLE001 - the engine may be absent; pages still need a limit
        return FALLBACK_MAX_QUERY_CHARS


def search_modes() -> tuple[str, ...]:
    try:
        return tuple(engine_module().MODES)
    except Exception:  # noqa: BLE001
        return ("hybrid", "keyword", "semantic")


class Services:
    def __init__(self, engine=None, corpus: Corpus | None = None,
                 corpus_dir: Path | None = None, index_dir: Path | None = None,
                 open_engine: bool = True):
        self._engine = engine
        self._corpus = corpus
        self.corpus_dir = Path(corpus_dir) if corpus_dir else kb_config.corpus_dir()
        self.index_dir = Path(index_dir) if index_dir else None
        self.open_engine = open_engine
        self._problem: str | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()

    # The engine --------------------------------------------------------------
    def engine(self):
        """The current engine, refreshed; raises SearchUnavailable with a reason."""
        if self._engine is None:
            self._try_open()
        if self._engine is None:
            raise SearchUnavailable(self._problem or "the search index is not available")
        # One request at a time looks for a new build and opens it; requests
        # arriving meanwhile are served by the engine in use rather than each
        # opening the new build too.
        if not self._refresh_lock.acquire(blocking=False):
            return self._engine
        try:
            self._engine = self._engine.refresh()
        except Exception as exc:  # noqa: BLE001 - keep serving the engine we have
            log.warning("engine refresh failed, keeping the loaded index: %s", exc)
        finally:
            self._refresh_lock.release()
        return self._engine

    def warm(self) -> str | None:
        """Open the engine now (at start-up); returns the problem, or None when ready."""
        self._next_try = 0.0
        try:
            self.engine().warm_up()
        except SearchUnavailable as exc:
            return str(exc)
        return None

    def _try_open(self) -> None:
        if not self.open_engine:
            self._problem = self._problem or "search is switched off in this configuration"
            return
        with self._lock:
            if self._engine is not None or time.monotonic() < self._next_try:
                return
            self._next_try = time.monotonic() + RETRY_SECONDS
            try:
                module = engine_module()
            except ImportError as exc:
                self._problem = f"the search engine is not installed ({exc})"
                return
            try:
                self._engine = module.SearchEngine.open(index_dir=self.index_dir)
                self._problem = None
            except module.IndexProblem as exc:
                self._problem = str(exc)
                log.warning("search unavailable: %s", exc)

    @property
    def manifest(self) -> dict:
        return dict(self.engine().manifest)

    # The corpus --------------------------------------------------------------
    def corpus(self) -> Corpus:
        """The engine's corpus when it is loaded (so pages match the index), else our own."""
        if self._engine is not None:
            try:
                return self.engine().corpus
            except SearchUnavailable:
                pass
        if self._corpus is None:
            with self._lock:
                if self._corpus is None:
                    self._corpus = load_corpus(self.corpus_dir)
        return self._corpus
