"""Retrieval metrics over a question set, as ../shared/CONTRACT.md defines them.

A question set is JSON Lines: {"id", "lang", "question", "relevant": [unit ids]}.
hit@k: share of questions with any relevant id in the top k.
MRR: mean reciprocal rank of the first relevant id, 0 when it is not in the top 10.
recall@k: share of a question's relevant ids found in the top k, averaged.
nDCG@k: binary-gain DCG of the top k over the ideal DCG, averaged.

A question with "relevant": [] is one the corpus cannot answer. It is left
out of those metrics; the right answer to it is "not covered here", so the
report gives the share of such questions answered with low_confidence
(unanswerable_flagged) beside the share of the others wrongly flagged
(answerable_flagged).

answer_cites_relevant: share of answerable questions whose answer passage
(the guide paragraph shown above the results) cites a relevant unit; a
question without an answer counts as a miss.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .utf8 import NotUtf8, read_utf8

MRR_DEPTH = 10
REQUIRED = ("id", "question", "relevant")


class QuestionSetError(ValueError):
    pass


@dataclass
class Question:
    id: str
    lang: str
    question: str
    relevant: list[str]


def load_questions(path: Path, known_ids: set[str] | None = None) -> list[Question]:
    """Read a question set, naming the file and line of any problem."""
    try:
        lines = read_utf8(path).splitlines()
    except NotUtf8 as exc:
        raise QuestionSetError(str(exc)) from exc
    except OSError as exc:
        raise QuestionSetError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    questions, problems, seen = [], [], set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            problems.append(f"{path}:{n}: not valid JSON ({exc})")
            continue
        if not isinstance(item, dict) or any(key not in item for key in REQUIRED):
            problems.append(f"{path}:{n}: each line needs {', '.join(REQUIRED)}")
            continue
        if not isinstance(item["relevant"], list) or not all(isinstance(u, str) for u in item["relevant"]):
            problems.append(f"{path}:{n}: 'relevant' must be a list of unit ids ([] for a question the corpus cannot answer)")
            continue
        if item["id"] in seen:
            problems.append(f"{path}:{n}: question id '{item['id']}' is used twice")
        seen.add(item["id"])
        unknown = [u for u in item["relevant"] if known_ids is not None and u not in known_ids]
        if unknown:
            problems.append(f"{path}:{n}: unknown unit id(s): {', '.join(unknown)}")
        questions.append(Question(str(item["id"]), str(item.get("lang", "")), str(item["question"]),
                                  [str(u) for u in item["relevant"]]))
    if not questions and not problems:
        problems.append(f"{path}: no questions")
    if problems:
        raise QuestionSetError("\n".join(problems))
    return questions


def question_metrics(ranked: list[str], relevant: list[str], k: int) -> dict:
    """One answerable question's figures; `relevant` is not empty."""
    rel = set(relevant)
    top = ranked[:k]
    first = next((i for i, uid in enumerate(ranked[:MRR_DEPTH], 1) if uid in rel), None)
    dcg = sum(1 / math.log2(i + 1) for i, uid in enumerate(top, 1) if uid in rel)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(rel), k) + 1))
    return {
        "hit": 1.0 if any(uid in rel for uid in top) else 0.0,
        "rr": 1 / first if first else 0.0,
        "recall": len(rel & set(top)) / len(rel),
        "ndcg": dcg / ideal if ideal else 0.0,
        "first_rank": first,
    }


def _mean(rows: list[dict], key: str) -> float | None:
    return round(sum(float(r[key]) for r in rows) / len(rows), 4) if rows else None


def summarise(rows: list[dict]) -> dict:
    """The contract's figures over per-question rows (see evaluate)."""
    answerable = [r for r in rows if r["relevant"]]
    unanswerable = [r for r in rows if not r["relevant"]]
    return {
        "n": len(answerable),
        "hit_at_k": _mean(answerable, "hit"), "mrr": _mean(answerable, "rr"),
        "recall_at_k": _mean(answerable, "recall"), "ndcg_at_k": _mean(answerable, "ndcg"),
        "misses": [r["id"] for r in answerable if not r["hit"]],
        "unanswerable": len(unanswerable),
        "unanswerable_flagged": _mean(unanswerable, "low_confidence"),
        "answerable_flagged": _mean(answerable, "low_confidence"),
        "answer_cites_relevant": _mean(answerable, "answer_hit"),
    }


def evaluate(engine, questions: list[Question], k: int = 5, mode: str = "hybrid") -> dict:
    """Metrics over the whole set, and the same figures per language under "by_lang"."""
    rows = []
    for q in questions:
        response = engine.search(q.question, k=max(k, MRR_DEPTH), mode=mode)
        ranked = [h.unit.id for h in response.hits]
        metrics = question_metrics(ranked, q.relevant, k) if q.relevant else {}
        answer = response.answer
        metrics["answer_hit"] = bool(answer and set(answer.cites) & set(q.relevant))
        rows.append({"id": q.id, "lang": q.lang, "relevant": q.relevant, **metrics,
                     "low_confidence": response.low_confidence, "top": ranked[:k]})
    langs = sorted({r["lang"] for r in rows if r["lang"]})
    return {
        "mode": mode, "k": k, **summarise(rows),
        "by_lang": {lang: summarise([r for r in rows if r["lang"] == lang]) for lang in langs},
        "questions": rows,
    }
