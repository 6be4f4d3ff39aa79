"""The benchmark scripts take the engine apart to time its stages; they must
keep up with it (they are not run by the tests: they print figures, and
assert none)."""
from __future__ import annotations

from pathlib import Path

import indexer.engine as engine_module
from indexer.engine import SearchEngine

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def test_latency_stage_timer_fits_the_engine(index_dir, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    # instrument() wraps the module's make_snippet; put it back afterwards.
    monkeypatch.setattr(engine_module, "make_snippet", engine_module.make_snippet)
    from latency import instrument

    engine = SearchEngine.open(index_dir)
    timer = instrument(engine)
    engine.search("how do I apply for dibao", mode="hybrid")
    engine.search("低保怎么申请", mode="keyword")
    stages = timer.reset()
    assert {"encode", "faiss", "whoosh", "concepts", "glossary expansion", "snippets",
            "low-confidence check"} <= set(stages), stages
