"""The eligibility check: which kinds of social assistance may apply, why, what to do next, with citations.

The rules are data (corpus/eligibility/rules.yaml, loaded and validated by
indexer.rules); this module only asks and evaluates them:

    rs = load_rules()                              # RuleSet, or RulesError (file:line problems)
    answers = parse_answers(rs, {"lives_alone": "yes", "age": "72"})
    next_question(rs, answers)                     # the next question that can still change an outcome
    check(rs, answers).to_dict()                   # likely / depends / unlikely for each kind, JSON-ready

Answers are three-valued: a value, None ("I don't know"), or absent (not
asked). Nothing here stores answers: every function is pure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import config
from .conditions import Context, leaves, open_questions, value
from .models import SITE_UNIT_PREFIX
from .numerals import to_chinese
from .rules import Item, Named, Question, Rule, RuleSet, RulesError, read  # noqa: F401 - RulesError re-exported

LIKELY, DEPENDS, UNLIKELY = "likely", "depends", "unlikely"
STATUS = {True: LIKELY, None: DEPENDS, False: UNLIKELY}
_YES = {"yes", "y", "true", "1", "是", "有", "对"}
_NO = {"no", "n", "false", "0", "否", "不是", "没有", "无", "不"}
_UNKNOWN = {"unknown", "dont-know", "don't know", "?", "不知道", "不清楚"}
_NONE = {"none", "无", "没有", ""}


class AnswerError(ValueError):
    """An answer that is not valid for its question (one line)."""

    def __init__(self, question: str, detail: str):
        self.question, self.detail = question, detail
        super().__init__(f"{question}: {detail}")


def load_rules(root: Path | None = None) -> RuleSet:
    """The rules in corpus/eligibility/rules.yaml, checked against the corpus in the same folder."""
    from .corpus import load_corpus

    root = Path(root or config.corpus_dir())
    return _cached_rules(root, (root / "eligibility" / "rules.yaml").stat().st_mtime_ns, load_corpus(root))


def rules_for(corpus, root: Path | None = None) -> RuleSet:
    """The rules checked against an already loaded corpus (the web app's)."""
    root = Path(root or config.corpus_dir())
    return _cached_rules(root, (root / "eligibility" / "rules.yaml").stat().st_mtime_ns, corpus)


_CACHE: dict[tuple, RuleSet] = {}


def _cached_rules(root: Path, mtime: int, corpus) -> RuleSet:
    """Read once per version of the file and of the corpus."""
    key = (root, mtime, corpus.hash)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = read(root, set(corpus.units), set(corpus.guides))
    return _CACHE[key]


# ---------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------

def _question(rs: RuleSet, qid: str) -> Question:
    if qid not in rs.questions:
        raise AnswerError(qid, "unknown question; the questions are: " + ", ".join(rs.questions))
    return rs.questions[qid]


def parse_answer(rs: RuleSet, qid: str, raw: Any) -> Any:
    """A typed answer from text or JSON: bool, int, frozenset of options, or None for "I don't know"."""
    q = _question(rs, qid)
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in _UNKNOWN):
        return None
    if q.kind == "yesno":
        return _yes_no(q, raw)
    if q.kind == "number":
        return _number(q, raw)
    return _options(q, raw)


def _yes_no(q: Question, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise AnswerError(q.id, f"answer yes, no or unknown, got '{str(raw)[:40]}'")


def _number(q: Question, raw: Any) -> int:
    try:
        number = int(str(raw).strip()) if not isinstance(raw, bool) else None
    except ValueError:
        number = None
    if number is None or not q.minimum <= number <= q.maximum:
        raise AnswerError(q.id, f"answer a whole number from {q.minimum} to {q.maximum} or unknown, "
                                f"got '{str(raw)[:40]}'")
    return number


def _options(q: Question, raw: Any) -> frozenset:
    items = raw if isinstance(raw, (list, tuple, set, frozenset)) else str(raw).replace("，", ",").split(",")
    chosen = {str(i).strip() for i in items} - _NONE
    wrong = sorted(chosen - set(q.options))
    if wrong:
        raise AnswerError(q.id, f"'{wrong[0][:40]}' is not one of {', '.join(q.options)} (or none, unknown)")
    return frozenset(chosen)


def parse_answers(rs: RuleSet, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed answers in question order; AnswerError at the first bad one."""
    for qid in raw:
        _question(rs, qid)
    return {qid: parse_answer(rs, qid, raw[qid]) for qid in rs.questions if qid in raw}


def spell(value_: Any) -> str:
    """An answer as a form field or a flag spells it."""
    if value_ is None:
        return "unknown"
    if isinstance(value_, bool):
        return "yes" if value_ else "no"
    if isinstance(value_, frozenset):
        return ",".join(sorted(value_)) or "none"
    return str(value_)


# ---------------------------------------------------------------------------
# Which question next
# ---------------------------------------------------------------------------

def next_question_for(conds: Iterable, rs: RuleSet, answers: Mapping[str, Any]) -> Question | None:
    """The first question, in the file's order, that can still change one of the conditions."""
    ctx = Context(rs, answers)
    wanted = set().union(*(open_questions(c, ctx) for c in conds))
    return next((q for qid, q in rs.questions.items() if qid in wanted), None)


def next_question(rs: RuleSet, answers: Mapping[str, Any]) -> Question | None:
    """The next question that can still change an outcome; None: nothing more to ask."""
    return next_question_for([r.applies_when for r in rs.rules.values()], rs, answers)


def still_to_ask(rs: RuleSet, answers: Mapping[str, Any]) -> int:
    """How many questions remain at most, counting every one that could still be asked."""
    ctx = Context(rs, answers)
    return len(set().union(*(open_questions(r.applies_when, ctx) for r in rs.rules.values())))


def prune(rs: RuleSet, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers the questionnaire would have asked for, in order (a changed answer can make others moot)."""
    kept: dict[str, Any] = {}
    while (q := next_question(rs, kept)) is not None and q.id in answers:
        kept[q.id] = answers[q.id]
    return kept


def walk(rs: RuleSet, situation: Mapping[str, Any]) -> list[str]:
    """The questions asked, in order, of a person whose answers are `situation` (missing: KeyError)."""
    answers: dict[str, Any] = {}
    while (q := next_question(rs, answers)) is not None:
        if q.id not in situation:
            raise KeyError(q.id)
        answers[q.id] = situation[q.id]
    return list(answers)


# ---------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------

@dataclass
class Reason:
    """A named condition (or a local rule), its value, and the answers it read."""
    named: Named
    value: bool | None
    answers: dict[str, Any]
    questions: list[str]  # still-open questions that decide it (empty: a local rule decides)
    local: bool = False

    def to_dict(self) -> dict:
        return {"condition": self.named.id, **self.named.item.to_dict(), "value": self.value, "local_rule": self.local,
                "answers": {k: spell(v) for k, v in self.answers.items()}, "questions": self.questions}


@dataclass
class Finding:
    rule: Rule
    status: str
    reasons: list[Reason]
    assumptions: list[Named]  # assumptions that decide this outcome: said with it
    steps: list[Item] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def cites(self) -> list[str]:
        ids = [c for r in self.reasons for c in r.named.item.cites] + [c for a in self.assumptions for c in a.item.cites]
        ids += [c for i in self.rule.receive + tuple(self.steps) for c in i.cites] + list(self.rule.articles)
        return list(dict.fromkeys(ids))

    def to_dict(self) -> dict:
        return {"id": self.rule.id, "name_en": self.rule.name_en, "name_zh": self.rule.name_zh, "status": self.status,
                "articles": list(self.rule.articles), "guide": self.rule.guide,
                "reasons": [r.to_dict() for r in self.reasons],
                "assumptions": [{"id": a.id, **a.item.to_dict()} for a in self.assumptions],
                "receive": [i.to_dict() for i in self.rule.receive], "steps": [i.to_dict() for i in self.steps],
                "cites": self.cites}


@dataclass
class BothWays:
    """An unknown threshold worked out both ways around the person's own amount."""
    question: Question
    amount: float
    above: dict[str, str]  # rule id -> status if the threshold is above the amount
    not_above: dict[str, str]

    def to_dict(self) -> dict:
        return {"question": self.question.id, "amount": round(self.amount, 2), "if_above": self.above,
                "if_not_above": self.not_above}


@dataclass
class Result:
    rs: RuleSet
    answers: dict[str, Any]
    findings: list[Finding]
    both_ways: list[BothWays]

    def group(self, status: str) -> list[Finding]:
        return [f for f in self.findings if f.status == status]

    def get(self, rule_id: str) -> Finding:
        return next(f for f in self.findings if f.id == rule_id)

    @property
    def together(self) -> tuple[Item, ...]:
        """What the law says about receiving several kinds at once, when several may apply."""
        return self.rs.together if len(self.findings) - len(self.group(UNLIKELY)) > 1 else ()

    @property
    def cites(self) -> list[str]:
        ids = [c for f in self.findings for c in f.cites] + [c for i in self.together for c in i.cites]
        return list(dict.fromkeys(ids + list(self.rs.notice.cites)))

    def to_dict(self) -> dict:
        return {LIKELY: [f.to_dict() for f in self.group(LIKELY)],
                DEPENDS: [f.to_dict() for f in self.group(DEPENDS)],
                UNLIKELY: [f.to_dict() for f in self.group(UNLIKELY)],
                "both_ways": [b.to_dict() for b in self.both_ways],
                "together": [i.to_dict() for i in self.together], "notice": self.rs.notice.to_dict(),
                "answers": {k: spell(v) for k, v in self.answers.items()},
                "citations": {c: citation(c) for c in self.cites}}


def _named_in(cond: Mapping, rs: RuleSet, ctx: Context) -> list[tuple[Named, bool]]:
    """The named conditions and local rules a condition shows as reasons: open named ones are opened up."""
    if "all" in cond or "any" in cond:
        return [n for c in cond.get("all", cond.get("any")) for n in _named_in(c, rs, ctx)]
    if "not" in cond:
        return _named_in(cond["not"], rs, ctx)
    if "local" in cond:
        return [(rs.local_rules[cond["local"]], True)]
    if "holds" not in cond:
        return []
    named = rs.conditions[cond["holds"]]
    inner = _named_in(named.when, rs, ctx) if value(named.when, ctx) is None else []
    return inner or [(named, False)]


def _reason(named: Named, local: bool, ctx: Context) -> Reason:
    if local:
        return Reason(named, None, {}, [], local=True)
    read = {q: ctx.answers[q] for leaf in leaves(named.when, ctx.rs) for q in [leaf["q"]] if q in ctx.answers}
    return Reason(named, value(named.when, ctx), read, sorted(open_questions(named.when, ctx),
                                                               key=list(ctx.rs.questions).index))


def _shown_reasons(status: str, reasons: list[Reason]) -> list[Reason]:
    """Likely: what is met; depends: what is met and what is open; unlikely: what is not met."""
    keep = {LIKELY: (True,), DEPENDS: (True, None), UNLIKELY: (False,)}[status]
    return [r for r in reasons if r.value in keep]


def _deciding_assumptions(rule: Rule, ctx: Context, outcome: bool | None) -> list[Named]:
    """Assumptions whose leaf, taken the other way, would change the outcome: they decide it."""
    found = []
    for leaf in leaves(rule.applies_when, ctx.rs):
        limit = leaf.get("at_least", leaf.get("below"))
        if not (isinstance(limit, Mapping) and "assumption" in limit):
            continue
        assumed = ctx.rs.assumptions[limit["assumption"]]
        given = ctx.answers.get(leaf["q"])
        if given is not None and given >= assumed.doubtful_from:
            flipped = Context(ctx.rs, ctx.answers, frozenset({id(leaf)}))
            if value(rule.applies_when, flipped) != outcome:
                found.append(assumed)
    return list({a.id: a for a in found}.values())


def evaluate(rule: Rule, ctx: Context) -> Finding:
    outcome = value(rule.applies_when, ctx)
    status = STATUS[outcome]
    seen: dict[str, Reason] = {}
    for named, local in _named_in(rule.applies_when, ctx.rs, ctx):
        seen.setdefault(named.id, _reason(named, local, ctx))
    steps = list(rule.steps) + list(ctx.rs.common_steps) if status != UNLIKELY else []
    return Finding(rule, status, _shown_reasons(status, list(seen.values())),
                   _deciding_assumptions(rule, ctx, outcome), steps)


def _both_ways(rs: RuleSet, answers: dict[str, Any]) -> list[BothWays]:
    out = []
    for q in rs.questions.values():
        if q.compare_with is None or q.id not in answers or answers[q.id] is not None:
            continue
        from .conditions import answer
        amount = answer(q.compare_with, Context(rs, answers))
        if amount is None:
            continue
        ways = [{r.id: STATUS[value(r.applies_when, Context(rs, {**answers, q.id: v}))] for r in rs.rules.values()}
                for v in (amount + 1, amount)]
        out.append(BothWays(q, amount, *ways))
    return out


def check(rs: RuleSet, answers: Mapping[str, Any]) -> Result:
    """Every kind of assistance, evaluated on the (typed) answers, in the file's order."""
    answers = dict(answers)
    ctx = Context(rs, answers)
    return Result(rs, answers, [evaluate(r, ctx) for r in rs.rules.values()], _both_ways(rs, answers))


# ---------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------

def article_number(unit_id: str) -> int:
    return int(unit_id.rsplit("/art-", 1)[1])


def citation(unit_id: str) -> dict:
    """Labels and the site URL of a cited article (labels as the corpus front matter sets them)."""
    n = article_number(unit_id)
    return {"label_en": f"Art. {n}", "label_zh": f"第{to_chinese(n)}条", "url": f"{SITE_UNIT_PREFIX}/{unit_id}"}


def cite_label(unit_ids, lang: str = "en") -> str:
    """'Art. 14' / 'Arts. 14, 15' / '第十四条、第十五条'."""
    nums = sorted(dict.fromkeys(article_number(u) for u in unit_ids))
    if not nums:
        return ""
    if lang == "zh":
        return "、".join(f"第{to_chinese(n)}条" for n in nums)
    return ("Art. " if len(nums) == 1 else "Arts. ") + ", ".join(str(n) for n in nums)


def in_language(obj, base: str, lang: str) -> str:
    """An object's text in one language: `<base>_en` / `<base>_zh`."""
    return getattr(obj, f"{base}_{lang}")
