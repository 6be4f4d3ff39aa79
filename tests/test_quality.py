"""Retrieval quality floors, measured with `policykb eval`'s own code.

The issue's targets are hit@5 >= 0.90 and MRR >= 0.75 for hybrid ranking,
and hybrid at least as good as either single mode. dev.jsonl meets them.
Our own, harder set (tests/data/questions.jsonl, written blind from the
texts) does not yet: the floors below guard what it reaches today (see the
README's evaluation table) so that a change that makes ranking worse fails.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.evaluate import evaluate, load_questions

from .conftest import SHARED

OWN_SET = Path(__file__).parent / "data" / "questions.jsonl"
DEV_SET = SHARED / "eval" / "dev.jsonl"
FLOORS = {
    "dev": {"hit_at_k": 0.90, "mrr": 0.75},
    "own": {"hit_at_k": 0.85, "mrr": 0.70},
}


@pytest.fixture(scope="module")
def reports(engine):
    if not DEV_SET.exists():
        pytest.fail(f"the development set is missing: {DEV_SET} (check out ../shared beside the repository)")
    known = {u.id for u in engine.corpus.all_units()}
    sets = {"dev": load_questions(DEV_SET, known), "own": load_questions(OWN_SET, known)}
    return {name: {mode: evaluate(engine, qs, k=5, mode=mode) for mode in ("hybrid", "keyword", "semantic")}
            for name, qs in sets.items()}


def test_own_set_is_large_and_bilingual():
    questions = load_questions(OWN_SET)
    assert len(questions) >= 50 and sum(q.lang == "zh" for q in questions) >= 12


@pytest.mark.parametrize("name", ["dev", "own"])
def test_hybrid_meets_the_floors(reports, name):
    hybrid = reports[name]["hybrid"]
    for metric, floor in FLOORS[name].items():
        assert hybrid[metric] >= floor, f"{name} {metric} {hybrid[metric]:.3f} < {floor} (misses: {hybrid['misses']})"


@pytest.mark.parametrize("name", ["dev", "own"])
@pytest.mark.parametrize("single", ["keyword", "semantic"])
def test_hybrid_is_at_least_as_good_as_each_mode(reports, name, single):
    hybrid, other = reports[name]["hybrid"], reports[name][single]
    assert hybrid["hit_at_k"] >= other["hit_at_k"] and hybrid["mrr"] >= other["mrr"], (hybrid, other)


def test_chinese_questions_rank_well_on_their_own(reports):
    zh = [q for q in reports["own"]["hybrid"]["questions"] if q["lang"] == "zh"]
    assert len(zh) >= 12
    assert sum(q["hit"] for q in zh) / len(zh) >= 0.85
