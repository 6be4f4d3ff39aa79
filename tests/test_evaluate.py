"""Evaluation: the contract's metrics, with unanswerable questions reported apart."""
from __future__ import annotations

import json

import pytest

from indexer.evaluate import QuestionSetError, evaluate, load_questions, summarise


def _rows():
    return [
        {"id": "a", "lang": "zh", "relevant": ["x"], "hit": 1.0, "rr": 1.0, "recall": 1.0, "ndcg": 1.0,
         "low_confidence": False, "answer_hit": True},
        {"id": "b", "lang": "en", "relevant": ["y"], "hit": 0.0, "rr": 0.0, "recall": 0.0, "ndcg": 0.0,
         "low_confidence": True, "answer_hit": False},
        {"id": "c", "lang": "zh", "relevant": [], "low_confidence": True},
        {"id": "d", "lang": "zh", "relevant": [], "low_confidence": False},
        {"id": "e", "lang": "en", "relevant": [], "low_confidence": True},
    ]


def test_unanswerable_questions_are_left_out_of_the_metrics_and_reported_apart():
    figures = summarise(_rows())
    assert figures["n"] == 2
    assert figures["hit_at_k"] == 0.5 and figures["mrr"] == 0.5
    assert figures["misses"] == ["b"]
    assert figures["unanswerable"] == 3
    assert figures["unanswerable_flagged"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["answerable_flagged"] == 0.5
    assert figures["answer_cites_relevant"] == 0.5


def test_a_set_of_only_unanswerable_questions_has_no_metrics_rather_than_zeros():
    figures = summarise([r for r in _rows() if not r["relevant"]])
    assert figures["n"] == 0 and figures["hit_at_k"] is None and figures["answerable_flagged"] is None


def test_relevant_may_be_empty_but_must_be_a_list_of_ids(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "u", "question": "养老金每月多少", "relevant": []}\n', encoding="utf-8")
    assert load_questions(good)[0].relevant == []
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "u", "question": "q", "relevant": "art-1"}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"bad\.jsonl:1: 'relevant' must be a list"):
        load_questions(bad)


def test_evaluate_reports_flagging_as_the_engine_answers(engine, tmp_path):
    lines = [
        {"id": "in", "lang": "zh", "question": "低保怎么申请", "relevant": ["social-assistance-measures/art-11"]},
        {"id": "out-zh", "lang": "zh", "question": "明天天气怎么样", "relevant": []},
        {"id": "out-en", "lang": "en", "question": "how do I bake sourdough bread", "relevant": []},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    report = evaluate(engine, load_questions(path), k=5)
    flagged = [engine.search(x["question"], k=10).low_confidence for x in lines]
    assert report["n"] == 1 and report["unanswerable"] == 2
    assert report["unanswerable_flagged"] == sum(flagged[1:]) / 2
    assert report["answerable_flagged"] == float(flagged[0])
    assert set(report["by_lang"]) == {"en", "zh"}
    assert report["by_lang"]["en"]["n"] == 0 and report["by_lang"]["en"]["unanswerable"] == 1
    assert report["by_lang"]["zh"]["hit_at_k"] == report["hit_at_k"]
    answer = engine.search(lines[0]["question"], k=10).answer
    expected = bool(answer and "social-assistance-measures/art-11" in answer.cites)
    assert report["answer_cites_relevant"] == float(expected)
