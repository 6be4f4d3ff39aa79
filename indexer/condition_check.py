"""Validation of the conditions in the eligibility rules: names, values, cycles, reachability.

Each problem is reported through `add(line, message)`, so that rules.py can
list them all as `file:line: problem`.
"""
from __future__ import annotations

from itertools import combinations
from typing import Any, Callable

from .conditions import Context, leaf_questions, leaves, value
from .located_yaml import LocatedDict, LocatedList
from .rules import BOUNDS, RuleSet

FORMS = ("all", "any", "not", "holds", "local", "q")
TESTS = ("is", "includes") + BOUNDS
SEARCH_BUDGET = 20000
MAX_SUBSETS_OF = 5  # options; a longer list is tried with none, each one alone, and all  # condition evaluations per rule before giving up on finding a way to it


def _line(node: Any, fallback: int) -> int:
    return getattr(node, "line", 0) or fallback


def _check_leaf(cond: LocatedDict, rs: RuleSet, add: Callable) -> None:
    qid = cond["q"]
    tests = [t for t in TESTS if t in cond]
    if qid not in rs.questions and qid not in rs.amounts:
        return add(cond.line, f"unknown question '{qid}'")
    if len(tests) != 1 or len(cond) != 2:
        return add(cond.line, f"a condition on '{qid}' takes exactly one of {', '.join(TESTS)}")
    kind = rs.questions[qid].kind if qid in rs.questions else "number"
    test = tests[0]
    if test == "is" and kind == "yesno" and not isinstance(cond["is"], bool):
        add(cond.line, f"'{qid}' is a yes/no question: 'is' must be yes or no, not {cond['is']!r}")
    elif test == "is" and kind != "yesno":
        add(cond.line, f"'is' is for yes/no questions; '{qid}' is a {kind} question")
    elif test == "includes" and (kind != "multi" or cond["includes"] not in rs.questions[qid].options):
        add(cond.line, f"'{cond['includes']}' is not an option of '{qid}'")
    elif test in BOUNDS:
        _check_bound(cond, test, qid, kind, rs, add)


def _check_bound(cond: LocatedDict, test: str, qid: str, kind: str, rs: RuleSet, add: Callable) -> None:
    if kind != "number":
        return add(cond.line, f"'{test}' is for numbers; '{qid}' is a {kind} question")
    b = cond[test]
    if isinstance(b, dict) and "assumption" in b:
        if b["assumption"] not in rs.assumptions:
            add(cond.line, f"unknown assumption '{b['assumption']}'")
    elif isinstance(b, dict):
        other = b.get("q")
        if not (other in rs.amounts or (other in rs.questions and rs.questions[other].kind == "number")):
            add(cond.line, f"'{test}' names '{other}', which is not a number question or an amount")
    elif isinstance(b, bool) or not isinstance(b, (int, float)):
        add(cond.line, f"'{test}' must be a number, {{assumption: id}} or {{q: id}}")


def check_condition(cond: Any, line: int, rs: RuleSet, add: Callable) -> None:
    """Every problem in one condition's structure and names."""
    if not isinstance(cond, LocatedDict) or len([f for f in FORMS if f in cond]) != 1:
        return add(_line(cond, line), f"a condition is a mapping with one of {', '.join(FORMS)}")
    if "all" in cond or "any" in cond:
        items = cond.get("all", cond.get("any"))
        if not isinstance(items, LocatedList) or not items:
            return add(cond.line, "'all' and 'any' take a non-empty list of conditions")
        for i, c in enumerate(items):
            check_condition(c, items.line_of(i), rs, add)
    elif "not" in cond:
        check_condition(cond["not"], cond.line, rs, add)
    elif "holds" in cond and cond["holds"] not in rs.conditions:
        add(cond.line, f"unknown condition '{cond['holds']}'")
    elif "local" in cond and cond["local"] not in rs.local_rules:
        add(cond.line, f"unknown local rule '{cond['local']}'")
    elif "q" in cond:
        _check_leaf(cond, rs, add)


def _cycle(rs: RuleSet) -> str | None:
    """A named condition that refers back to itself, if any."""
    def refs(cond) -> set[str]:
        if not isinstance(cond, dict):
            return set()
        found = {cond["holds"]} if "holds" in cond else set()
        for key in ("all", "any"):
            for c in cond.get(key) or ():
                found |= refs(c)
        return found | refs(cond.get("not"))

    graph = {n: refs(c.when) & set(rs.conditions) for n, c in rs.conditions.items()}
    state: dict[str, int] = {}

    def visit(n: str) -> str | None:
        if state.get(n) == 1:
            return n
        if state.get(n) == 2:
            return None
        state[n] = 1
        for m in graph[n]:
            if (found := visit(m)) is not None:
                return found
        state[n] = 2
        return None
    return next((c for n in graph if (c := visit(n)) is not None), None)


def candidates(qid: str, rs: RuleSet) -> list[Any]:
    """Answers worth trying for a question when looking for a way to a rule."""
    q = rs.questions[qid]
    if q.kind == "yesno":
        return [True, False]
    if q.kind == "multi":
        opts = list(q.options)
        if len(opts) <= MAX_SUBSETS_OF:
            return [frozenset(c) for n in range(len(opts) + 1) for c in combinations(opts, n)]
        return [frozenset()] + [frozenset({o}) for o in opts] + [frozenset(opts)]
    found = {q.minimum, q.maximum}
    for cond in _all_leaves(rs):
        for key in BOUNDS:
            limit = cond.get(key) if cond["q"] == qid else None
            if isinstance(limit, dict) and "assumption" in limit:
                limit = rs.assumptions[limit["assumption"]].value
            if isinstance(limit, (int, float)) and not isinstance(limit, bool):
                found |= {limit, limit - 1}
    return sorted(v for v in found if q.minimum <= v <= q.maximum)


def _all_leaves(rs: RuleSet):
    for rule in rs.rules.values():
        yield from leaves(rule.applies_when, rs)


def reachable(rule_cond: Any, rs: RuleSet) -> bool:
    """Whether some answers, asked as the questionnaire asks them, make the condition true."""
    from .eligibility import next_question_for

    budget = [SEARCH_BUDGET]

    def search(answers: dict) -> bool:
        budget[0] -= 1
        v = value(rule_cond, Context(rs, answers))
        if v is not None or budget[0] <= 0:
            return v is True
        q = next_question_for([rule_cond], rs, answers)
        return q is not None and any(search({**answers, q.id: a}) for a in candidates(q.id, rs))
    return search({})


def check_conditions(rs: RuleSet, data: LocatedDict, add: Callable, reach: bool = True) -> None:
    """Names and values first; then cycles and unreachable rules, which need a sound file (`reach`)."""
    before = []
    counting = lambda line, msg: (before.append(msg), add(line, msg))  # noqa: E731
    for qid, q in rs.questions.items():
        if q.ask_when is not None:
            check_condition(q.ask_when, data["questions"].line_of(qid), rs, counting)
        if q.compare_with is not None and q.compare_with not in rs.amounts:
            counting(data["questions"].line_of(qid), f"if_unknown compares with '{q.compare_with}', not an amount")
    for cid, c in rs.conditions.items():
        check_condition(c.when, data["conditions"].line_of(cid), rs, counting)
    for rid, r in rs.rules.items():
        check_condition(r.applies_when, data["rules"].line_of(rid), rs, counting)
    if before or not reach:
        return
    if (looped := _cycle(rs)) is not None:
        return add(data["conditions"].line_of(looped), f"condition '{looped}' refers back to itself")
    asked_when = [c for q in rs.questions.values() if q.ask_when is not None for c in leaves(q.ask_when, rs)]
    used = {qid for cond in [*_all_leaves(rs), *asked_when] for qid in leaf_questions(cond, rs)}
    for qid in rs.questions:
        if qid not in used:
            add(data["questions"].line_of(qid), f"question '{qid}' is never asked: no rule's condition reads it")
    for rid, r in rs.rules.items():
        if not reachable(r.applies_when, rs):
            add(data["rules"].line_of(rid), f"rule '{rid}' is unreachable: no answers make it apply")
