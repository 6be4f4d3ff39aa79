"""The one condition language of the eligibility rules, three-valued: True, False or None (unknown).

A condition is a mapping (the rules file, corpus/eligibility/rules.yaml):
`{all: [...]}`, `{any: [...]}`, `{not: c}`, `{holds: named condition}`,
`{local: local rule}` (always unknown: a local rule decides), or a leaf on a
question or amount: `{q: id, is: v}`, `{q: id, includes: option}`,
`{q: id, at_least: bound}`, `{q: id, below: bound}`; a bound is a number,
`{assumption: id}` or `{q: id}`. Both "ask this question when" and "this kind
of help may apply when" are conditions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .rules import RuleSet


@dataclass(frozen=True)
class Context:
    rs: RuleSet
    answers: Mapping[str, Any]  # question id -> typed answer; None: "I don't know"
    flip: frozenset = field(default_factory=frozenset)  # ids of leaves taken the other way (what-if)


def _and(values) -> bool | None:
    values = list(values)
    return False if False in values else (None if None in values else True)


def _or(values) -> bool | None:
    values = list(values)
    return True if True in values else (None if None in values else False)


def value(cond: Mapping, ctx: Context) -> bool | None:
    """The condition's value on the answers."""
    if "all" in cond:
        return _and(value(c, ctx) for c in cond["all"])
    if "any" in cond:
        return _or(value(c, ctx) for c in cond["any"])
    if "not" in cond:
        inner = value(cond["not"], ctx)
        return None if inner is None else not inner
    if "holds" in cond:
        return value(ctx.rs.conditions[cond["holds"]].when, ctx)
    if "local" in cond:
        return None
    result = _leaf(cond, ctx)
    return (not result) if result is not None and id(cond) in ctx.flip else result


def answer(qid: str, ctx: Context) -> Any:
    """A question's answer (or the answer it is taken to have when not asked), or an amount; None: unknown."""
    if qid in ctx.rs.amounts:
        top, bottom = (answer(q, ctx) for q in ctx.rs.amounts[qid][:2])
        return None if top is None or bottom in (None, 0) else top / bottom
    if qid in ctx.answers:
        return ctx.answers[qid]
    q = ctx.rs.questions[qid]
    if q.ask_when is not None and value(q.ask_when, ctx) is False:
        return q.otherwise
    return None


def bound(b: Any, ctx: Context) -> Any:
    if isinstance(b, Mapping) and "assumption" in b:
        return ctx.rs.assumptions[b["assumption"]].value
    if isinstance(b, Mapping):
        return answer(b["q"], ctx)
    return b


def _leaf(cond: Mapping, ctx: Context) -> bool | None:
    got = answer(cond["q"], ctx)
    if got is None:
        return None
    if "is" in cond:
        return got == cond["is"]
    if "includes" in cond:
        return cond["includes"] in got
    key = "at_least" if "at_least" in cond else "below"
    limit = bound(cond[key], ctx)
    if limit is None:
        return None
    return got >= limit if key == "at_least" else got < limit


def leaf_questions(cond: Mapping, rs: RuleSet) -> list[str]:
    """The questions a leaf reads, amounts spelled out into their questions."""
    names = [cond["q"]] + [b["q"] for b in (cond.get("at_least"), cond.get("below")) if isinstance(b, Mapping)
                           and "q" in b]
    out: list[str] = []
    for name in names:
        out.extend(rs.amounts[name][:2] if name in rs.amounts else (name,))
    return out


def askable(qid: str, ctx: Context) -> bool:
    q = ctx.rs.questions[qid]
    return qid not in ctx.answers and (q.ask_when is None or value(q.ask_when, ctx) is not False)


def open_questions(cond: Mapping, ctx: Context) -> set[str]:
    """The questions still to ask whose answers could change the condition's value (empty once it is known)."""
    if value(cond, ctx) is not None:
        return set()
    if "all" in cond or "any" in cond:
        return set().union(*(open_questions(c, ctx) for c in cond.get("all", cond.get("any"))))
    if "not" in cond:
        return open_questions(cond["not"], ctx)
    if "holds" in cond:
        return open_questions(ctx.rs.conditions[cond["holds"]].when, ctx)
    if "local" in cond:
        return set()
    found: set[str] = set()
    for qid in leaf_questions(cond, ctx.rs):
        if askable(qid, ctx):
            found.add(qid)
            ask_when = ctx.rs.questions[qid].ask_when
            if ask_when is not None:  # its answer may be implied by the questions that decide whether to ask it
                found |= open_questions(ask_when, ctx)
    return found


def leaves(cond: Mapping, rs: RuleSet):
    """Every leaf of the condition, named conditions spelled out."""
    for key in ("all", "any"):
        for c in cond.get(key, ()):
            yield from leaves(c, rs)
    if "not" in cond:
        yield from leaves(cond["not"], rs)
    elif "holds" in cond:
        yield from leaves(rs.conditions[cond["holds"]].when, rs)
    elif "q" in cond:
        yield cond
