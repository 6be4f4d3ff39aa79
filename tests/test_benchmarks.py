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


def test_the_crafted_questions_are_the_issue_s(engine, monkeypatch):
    """250 distinct Chinese characters, and English within the 500-character limit."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from adversarial import crafted

    from indexer.engine import MAX_QUERY_CHARS

    texts = crafted(engine, 2, 1)
    assert all(len(t) == len(set(t)) == 250 for t in texts["zh"])
    assert all(450 <= len(t) <= MAX_QUERY_CHARS and " " in t for t in texts["en"])
    assert texts["zh"][0] != texts["zh"][1]
