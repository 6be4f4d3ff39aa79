"""Load corpus/eligibility/rules.yaml, the eligibility check's rules, and validate it.

The file's format is documented in corpus/README.md ("Eligibility rules").
Loading reports every problem at once as `file:line: problem` (RulesError):
each citation must be an article of the Measures in the corpus, each guide a
guide of the corpus, each condition must name a known question and one of
its values, and each rule must be reachable through the questionnaire.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import editorial_data as ed
from .located_yaml import LocatedDict, LocatedList

FILE = Path("eligibility") / "rules.yaml"
DOC_ID = "social-assistance-measures"
KINDS = ("yesno", "number", "multi")
SECTIONS = ("assumptions", "amounts", "questions", "local_rules", "conditions", "common_steps", "together",
            "notice", "rules")
QUESTION_KEYS = ("kind", "text_en", "text_zh", "help_en", "help_zh", "cites", "min", "max", "options",
                 "ask_when", "otherwise", "if_unknown")
RULE_KEYS = ("name_en", "name_zh", "articles", "guide", "applies_when", "receive", "steps")
BOUNDS = ("at_least", "below")


class RulesError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the eligibility rules:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Item:
    """A cited statement in both languages."""
    text_en: str
    text_zh: str
    cites: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"text_en": self.text_en, "text_zh": self.text_zh, "cites": list(self.cites)}


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text_en: str
    text_zh: str
    help_en: str
    help_zh: str
    cites: tuple[str, ...]
    minimum: int | None
    maximum: int | None
    options: dict[str, tuple[str, str]]  # option id -> (English, Chinese)
    ask_when: Any  # a condition, or None: always
    otherwise: Any  # the answer taken when ask_when is false (None: unknown)
    compare_with: str | None  # if_unknown: the amount to work the outcome out both ways around

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "text_en": self.text_en, "text_zh": self.text_zh,
                "help_en": self.help_en, "help_zh": self.help_zh, "cites": list(self.cites),
                "min": self.minimum, "max": self.maximum,
                "options": [{"value": k, "text_en": en, "text_zh": zh} for k, (en, zh) in self.options.items()]}


@dataclass(frozen=True)
class Named:
    """A named condition, a local rule (when is None: a local rule decides) or an assumption."""
    id: str
    item: Item
    when: Any = None
    value: Any = None  # an assumption's value
    doubtful_from: Any = None  # an assumption is said with outcomes it decides for answers from here up


@dataclass(frozen=True)
class Rule:
    id: str
    name_en: str
    name_zh: str
    articles: tuple[str, ...]
    guide: str | None
    applies_when: Any
    receive: tuple[Item, ...]
    steps: tuple[Item, ...]


@dataclass
class RuleSet:
    questions: dict[str, Question] = field(default_factory=dict)
    amounts: dict[str, tuple[str, str, Item]] = field(default_factory=dict)  # id -> (numerator, denominator, text)
    assumptions: dict[str, Named] = field(default_factory=dict)
    local_rules: dict[str, Named] = field(default_factory=dict)
    conditions: dict[str, Named] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    common_steps: tuple[Item, ...] = ()
    together: tuple[Item, ...] = ()
    notice: Item | None = None


class _Reader:
    """Reads one file into a RuleSet, recording every problem."""

    def __init__(self, path: Path, unit_ids: set[str], guide_ids: set[str]):
        self.path, self.unit_ids, self.guide_ids = path, unit_ids, guide_ids
        self.problems = ed.Problems()
        self.rs = RuleSet()

    def add(self, line: int, message: str) -> None:
        self.problems.add(self.path, line, message)

    def cites(self, entry: LocatedDict, key: str = "cites") -> tuple[str, ...]:
        out = []
        for i, c in enumerate(ed.words(entry, key, self.path, self.problems)):
            uid = f"{DOC_ID}/{c}"
            if uid not in self.unit_ids:
                self.add(entry[key].line_of(i), f"cites '{c}', which is not an article of the Measures in the corpus")
            out.append(uid)
        return tuple(out)

    def item(self, entry: Any, line: int) -> Item:
        if not isinstance(entry, LocatedDict):
            self.add(line, "expected text_en, text_zh and cites")
            return Item("", "", ())
        self.known_keys(entry, ("text_en", "text_zh", "cites"))
        return Item(ed.text(entry, "text_en", self.path, self.problems),
                    ed.text(entry, "text_zh", self.path, self.problems), self.cites(entry))

    def items(self, data: LocatedDict, key: str) -> tuple[Item, ...]:
        value = data.get(key)
        if not isinstance(value, LocatedList) or not value:
            self.add(data.line_of(key), f"'{key}' must be a non-empty list of cited texts")
            return ()
        return tuple(self.item(v, value.line_of(i)) for i, v in enumerate(value))

    def known_keys(self, entry: LocatedDict, allowed: tuple[str, ...]) -> None:
        for key in entry:
            if key not in allowed:
                self.add(entry.line_of(key), f"unknown key '{key}' (expected {', '.join(allowed)})")

    def whole(self, entry: LocatedDict, key: str, default: int | None = None) -> int | None:
        value = entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(entry.line_of(key), f"'{key}' must be a whole number")
            return default
        return value


def _question(r: _Reader, qid: str, e: LocatedDict) -> Question:
    r.known_keys(e, QUESTION_KEYS)
    kind = e.get("kind")
    if kind not in KINDS:
        r.add(e.line_of("kind"), f"kind must be one of {', '.join(KINDS)}")
    if ("help_en" in e) != ("help_zh" in e):
        r.add(e.line, "help must be given in both languages (help_en and help_zh) or neither")
    options: dict[str, tuple[str, str]] = {}
    if kind == "multi":
        for oid, o in ed.entries(e, "options", r.path, r.problems):
            options[oid] = (ed.text(o, "text_en", r.path, r.problems), ed.text(o, "text_zh", r.path, r.problems))
    lo = r.whole(e, "min", 0) if kind == "number" else None
    hi = r.whole(e, "max", 0) if kind == "number" else None
    compare = (e.get("if_unknown") or {}).get("compare_with") if isinstance(e.get("if_unknown"), dict) else None
    return Question(qid, kind, ed.text(e, "text_en", r.path, r.problems), ed.text(e, "text_zh", r.path, r.problems),
                    str(e.get("help_en", "")).strip(), str(e.get("help_zh", "")).strip(), r.cites(e), lo, hi,
                    options, e.get("ask_when"), e.get("otherwise"), compare)


def _named(r: _Reader, section: str, with_when: bool) -> dict[str, Named]:
    out = {}
    for nid, e in ed.entries(r.data, section, r.path, r.problems):
        allowed = ("text_en", "text_zh", "cites") + (("when",) if with_when else ()) + (
            ("value", "doubtful_from") if section == "assumptions" else ())
        r.known_keys(e, allowed)
        item = Item(ed.text(e, "text_en", r.path, r.problems), ed.text(e, "text_zh", r.path, r.problems), r.cites(e))
        assumed = section == "assumptions"
        out[nid] = Named(nid, item, e.get("when") if with_when else None, r.whole(e, "value") if assumed else None,
                         r.whole(e, "doubtful_from") if assumed else None)
        if with_when and "when" not in e:
            r.add(e.line, f"'{nid}' needs 'when', its condition")
    return out


def _rule(r: _Reader, rid: str, e: LocatedDict) -> Rule:
    r.known_keys(e, RULE_KEYS)
    guide = e.get("guide")
    if guide is not None and guide not in r.guide_ids:
        r.add(e.line_of("guide"), f"guide '{guide}' is not a guide in the corpus")
    if "applies_when" not in e:
        r.add(e.line, f"rule '{rid}' needs 'applies_when'")
    return Rule(rid, ed.text(e, "name_en", r.path, r.problems), ed.text(e, "name_zh", r.path, r.problems),
                r.cites(e, "articles"), guide, e.get("applies_when"), r.items(e, "receive"), r.items(e, "steps"))


def _amounts(r: _Reader) -> None:
    for aid, e in ed.entries(r.data, "amounts", r.path, r.problems):
        parts = e.get("divide")
        if not (isinstance(parts, list) and len(parts) == 2 and all(p in r.rs.questions for p in parts)
                and all(r.rs.questions[p].kind == "number" for p in parts)):
            r.add(e.line_of("divide"), "'divide' must name two number questions")
            parts = ["", ""]
        r.rs.amounts[aid] = (parts[0], parts[1], Item(ed.text(e, "text_en", r.path, r.problems),
                                                      ed.text(e, "text_zh", r.path, r.problems), ()))


def read(root: Path, unit_ids: set[str], guide_ids: set[str]) -> RuleSet:
    """The rule set in root/eligibility/rules.yaml; RulesError with every problem found."""
    from .condition_check import check_conditions

    path = root / FILE
    r = _Reader(path, unit_ids, guide_ids)
    r.data = ed.read_mapping(path, SECTIONS, r.problems)
    rs = r.rs
    rs.questions = {qid: _question(r, qid, e) for qid, e in ed.entries(r.data, "questions", r.path, r.problems)}
    _amounts(r)
    rs.assumptions = _named(r, "assumptions", False)
    rs.local_rules = _named(r, "local_rules", False)
    rs.conditions = _named(r, "conditions", True)
    rs.rules = {rid: _rule(r, rid, e) for rid, e in ed.entries(r.data, "rules", r.path, r.problems)}
    rs.common_steps = r.items(r.data, "common_steps")
    rs.together = r.items(r.data, "together")
    rs.notice = r.item(r.data.get("notice"), r.data.line_of("notice"))
    check_conditions(rs, r.data, r.add, reach=not r.problems)
    if r.problems:
        raise RulesError(list(r.problems))
    return rs
