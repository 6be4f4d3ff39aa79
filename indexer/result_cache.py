"""Answers to recent questions, in memory, shared by every engine in the process.

The key is the question as validated (whitespace collapsed), k, the mode
and the index build that answered (its folder and build time): a rebuild
swapped in is another build, so it never serves an answer of the old one. Bounded (least
recently used goes first), thread-safe, never written to disk and never
logged: a question lives only as a key here, like a request in flight.

POLICYKB_RESULT_CACHE sets the number of answers kept (0: none), e.g. for
benchmarks that time the search itself.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict

DEFAULT_SIZE = 1024
ENV = "POLICYKB_RESULT_CACHE"


class ResultCache:
    def __init__(self, capacity: int):
        self.capacity = max(0, capacity)
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        """The stored answer, or None."""
        with self._lock:
            if key in self._items:
                self.hits += 1
                self._items.move_to_end(key)
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key, value) -> None:
        if not self.capacity:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def stats(self) -> dict:
        with self._lock:
            asked = self.hits + self.misses
            return {"size": len(self._items), "capacity": self.capacity, "hits": self.hits, "misses": self.misses,
                    "hit_rate": round(self.hits / asked, 4) if asked else 0.0}


def _capacity() -> int:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return DEFAULT_SIZE
    if not value.isdigit():
        raise SystemExit(f"{ENV} must be a whole number of answers to keep (0 for none), got '{value}'")
    return int(value)


RESULTS = ResultCache(_capacity())
