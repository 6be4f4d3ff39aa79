"""Eligibility check: which kinds of social assistance may apply, and why, with citations.

The rules restate the Interim Measures for Social Assistance (社会救助暂行办法)
and nothing more. Each kind of assistance is a `Rule`: its conditions (a small
tree of `all_of` / `any_of` over named conditions), what a person may receive,
where to apply and who decides, each citing the articles that say so.

    situation = Situation.from_answers({"age": "72", "able_to_work": "no", ...})
    result = check(situation)          # Result: likely / depends / unlikely
    result.to_dict()                   # JSON-ready

The questions are data too (`QUESTIONS`), with `relevant_if` so that a user
interface asks only what still matters (`next_questions(answers)`).

Answers are three-valued: yes (True), no (False) and unknown (None). A kind of
assistance whose outcome hangs on an unknown answer lands in `depends`, with
the questions that would decide it. Nothing here stores answers: `check` is a
pure function of the situation it is given.

Kept apart from the web layer and the command line on purpose: both use this
module, neither adds rules of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping

from .models import SITE_UNIT_PREFIX
from .numerals import to_chinese

DOC_ID = "social-assistance-measures"


def art(n: int) -> str:
    """The unit id of Article n of the Measures."""
    return f"{DOC_ID}/art-{n}"


# Art. 14 covers minors "under 16" (未满16周岁): 16 itself is not covered.
MINOR_UNDER = 16
# The Measures do not define "elderly" (老年人). This check counts 60 and over,
# the age Chinese law uses for older people; it says so wherever it applies it.
ELDERLY_FROM = 60
MAX_AGE = 150


class AnswerError(ValueError):
    """An answer that is not a valid value for its question (one line)."""

    def __init__(self, question: str, detail: str):
        self.question = question
        self.detail = detail
        super().__init__(f"{question}: {detail}")


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------

YESNO, NUMBER, CHOICE = "yesno", "number", "choice"


@dataclass(frozen=True)
class Choice:
    value: str
    text_en: str
    text_zh: str


@dataclass(frozen=True)
class Question:
    """One question. `relevant_if` is data (see `is_relevant`); None: always asked."""

    id: str
    kind: str  # "yesno" | "number" | "choice"
    text_en: str
    text_zh: str
    help_en: str = ""
    help_zh: str = ""
    cites: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    relevant_if: dict | None = None
    flags: tuple[str, ...] = ()  # command-line flags; the first is the main one

    @property
    def flag(self) -> str:
        return self.flags[0] if self.flags else "--" + self.id.replace("_", "-")

    def to_dict(self) -> dict:
        return {
            "id": self.id, "kind": self.kind,
            "text_en": self.text_en, "text_zh": self.text_zh,
            "help_en": self.help_en, "help_zh": self.help_zh,
            "cites": list(self.cites),
            "choices": [{"value": c.value, "text_en": c.text_en, "text_zh": c.text_zh} for c in self.choices],
            "minimum": self.minimum, "maximum": self.maximum,
            "relevant_if": self.relevant_if,
            "flag": self.flag,
        }


# relevant_if building blocks. A leaf {"q": id, "in": [...]} / {"q": id, "lt": n} /
# {"q": id, "ge": n} holds when that question was answered with a matching value,
# was answered "unknown", or has not been asked yet but is itself still relevant
# (so it will be asked first). It fails when the answer does not match, or when
# the question was skipped as irrelevant.
def _is(q: str, *values) -> dict:
    return {"q": q, "in": list(values)}


def _all(*items) -> dict:
    return {"all": list(items)}


def _any(*items) -> dict:
    return {"any": list(items)}


# The family may be (or become) a minimum living security family.
_DIBAO_POSSIBLE = _any(_is("receives_dibao", True),
                       _all(_is("income_below_local_standard", True), _is("property_within_local_rules", True)))
# Elderly, disabled or a minor under 16 (Art. 14).
_EPP_CATEGORY = _any({"q": "age", "lt": MINOR_UNDER}, {"q": "age", "ge": ELDERLY_FROM}, _is("disabled", True))
# Not yet supported as an extremely poor person, but may qualify (Art. 14).
_EPP_MAY_QUALIFY = _all(_is("receives_extremely_poor_support", False), _EPP_CATEGORY, _is("able_to_work", False),
                        _is("has_income_source", False), _is("has_legal_supporter_able_to_support", False))
_EPP_POSSIBLE = _any(_is("receives_extremely_poor_support", True), _EPP_MAY_QUALIFY)
_EPP_DISPERSED_POSSIBLE = _any(
    _all(_is("receives_extremely_poor_support", True), _is("extremely_poor_support_form", "dispersed")),
    _EPP_MAY_QUALIFY)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "receives_dibao", YESNO,
        "Does your family already receive minimum living security (dibao)?",
        "您家是否已经享受最低生活保障（低保）？",
        cites=(art(9),), flags=("--receives-dibao", "--dibao")),
    Question(
        "income_below_local_standard", YESNO,
        "Is the income per person of the family members who live together below the local minimum living standard?",
        "共同生活的家庭成员人均收入是否低于当地最低生活保障标准？",
        help_en="The standard is set and published by the province or the city (Art. 10).",
        help_zh="最低生活保障标准由省级或者设区的市级人民政府确定、公布（第十条）。",
        cites=(art(9), art(10)), relevant_if=_is("receives_dibao", False),
        flags=("--income-below-standard", "--income-below-local-standard")),
    Question(
        "property_within_local_rules", YESNO,
        "Is your family's property (savings and other assets) within the local rules for minimum living security families?",
        "您家的财产状况（存款等）是否符合当地最低生活保障家庭财产状况规定？",
        help_en="The rules on income and property are set locally (Art. 10).",
        help_zh="家庭收入、财产状况的认定办法由地方制定（第十条）。",
        cites=(art(9), art(10)),
        relevant_if=_all(_is("receives_dibao", False), _is("income_below_local_standard", True)),
        flags=("--property-within-rules", "--property-within-local-rules")),
    Question(
        "receives_extremely_poor_support", YESNO,
        "Do you already receive support as an extremely poor person (特困人员供养)?",
        "您本人是否已经享受特困人员供养？",
        cites=(art(14),), flags=("--receives-extremely-poor-support", "--receives-tekun")),
    Question(
        "extremely_poor_support_form", CHOICE,
        "Where are you supported?",
        "您的供养形式是？",
        cites=(art(19),),
        choices=(Choice("dispersed", "At home (dispersed support)", "在家分散供养"),
                 Choice("centralised", "In a support institution (centralised support)", "在供养服务机构集中供养")),
        relevant_if=_is("receives_extremely_poor_support", True),
        flags=("--support-form", "--extremely-poor-support-form")),
    Question(
        "age", NUMBER,
        "How old are you (the person who needs help)?",
        "您（需要救助的人）多大年龄（周岁）？",
        cites=(art(14),), minimum=0, maximum=MAX_AGE,
        relevant_if=_is("receives_extremely_poor_support", False)),
    Question(
        "disabled", YESNO,
        "Do you have a disability?",
        "您是否是残疾人？",
        cites=(art(14),), relevant_if=_is("receives_extremely_poor_support", False)),
    Question(
        "able_to_work", YESNO,
        "Are you able to work?",
        "您是否有劳动能力？",
        cites=(art(14), art(42)),
        relevant_if=_any(_all(_is("receives_extremely_poor_support", False), _EPP_CATEGORY), _DIBAO_POSSIBLE)),
    Question(
        "has_income_source", YESNO,
        "Do you have any source of livelihood (any income or other means to live on)?",
        "您是否有生活来源？",
        cites=(art(14),),
        relevant_if=_all(_is("receives_extremely_poor_support", False), _EPP_CATEGORY, _is("able_to_work", False))),
    Question(
        "has_legal_supporter_able_to_support", YESNO,
        "Is there a person legally obliged to support, raise or maintain you who is able to do so?",
        "您是否有法定赡养、抚养、扶养义务人，并且其有赡养、抚养、扶养能力？",
        cites=(art(14),),
        relevant_if=_all(_is("receives_extremely_poor_support", False), _EPP_CATEGORY, _is("able_to_work", False),
                         _is("has_income_source", False)),
        flags=("--has-able-supporter", "--has-legal-supporter-able-to-support")),
    Question(
        "unemployed", YESNO,
        "Are you unemployed?",
        "您目前是否处于失业状态？",
        cites=(art(42),), relevant_if=_all(_DIBAO_POSSIBLE, _is("able_to_work", True))),
    Question(
        "refused_jobs_three_times", YESNO,
        "Have you, without a justifiable reason, refused three times in a row jobs referred to you "
        "(by the human resources and social security department or another department) that suited "
        "your health and ability to work?",
        "您是否无正当理由，连续3次拒绝接受人力资源社会保障等部门介绍的与您健康状况、劳动能力等相适应的工作？",
        cites=(art(45),),
        relevant_if=_all(_DIBAO_POSSIBLE, _is("able_to_work", True), _is("unemployed", True)),
        flags=("--refused-jobs-three-times", "--refused-jobs")),
    Question(
        "serious_illness", YESNO,
        "Does anyone in your family have a serious illness?",
        "您家是否有人患重病？",
        cites=(art(28),),
        relevant_if=_all(_is("receives_dibao", False), _is("receives_extremely_poor_support", False))),
    Question(
        "needs_emergency_treatment_cannot_pay", YESNO,
        "Does someone need emergency treatment for an acute, serious or critical illness or injury "
        "and cannot pay for it (or their identity is unknown)?",
        "是否有人患急重危伤病需要急救，但无力支付急救费用（或者身份不明）？",
        cites=(art(32),), flags=("--emergency-treatment-cannot-pay", "--needs-emergency-treatment-cannot-pay")),
    Question(
        "has_children_or_students", YESNO,
        "Is there a child or a student in your family?",
        "您家是否有儿童或者在读学生？",
        cites=(art(33),), flags=("--has-children", "--has-children-or-students")),
    Question(
        "child_in_compulsory_school", YESNO,
        "Is anyone in your family studying in compulsory education (primary or junior secondary school)?",
        "您家是否有人在义务教育阶段（小学、初中）就学？",
        cites=(art(33),),
        relevant_if=_all(_is("has_children_or_students", True), _any(_DIBAO_POSSIBLE, _EPP_POSSIBLE)),
        flags=("--child-in-compulsory-school", "--compulsory-school")),
    Question(
        "child_in_high_school_or_college", YESNO,
        "Is anyone in your family studying at senior high school (including secondary vocational school) "
        "or in regular higher education?",
        "您家是否有人在高中教育（含中等职业教育）或者普通高等教育阶段就学？",
        cites=(art(33),),
        relevant_if=_all(_is("has_children_or_students", True), _any(_DIBAO_POSSIBLE, _EPP_POSSIBLE)),
        flags=("--child-in-high-school-or-college", "--high-school-or-college")),
    Question(
        "disabled_child_out_of_school", YESNO,
        "Is there a child with a disability in your family who cannot attend school for compulsory education?",
        "您家是否有不能入学接受义务教育的残疾儿童？",
        cites=(art(33),), relevant_if=_is("has_children_or_students", True)),
    Question(
        "housing_difficulty", YESNO,
        "Does your family have housing difficulties?",
        "您家是否住房困难？",
        help_en="The standard for housing difficulty is set locally (Art. 39).",
        help_zh="住房困难标准由县级以上地方人民政府确定、公布（第三十九条）。",
        cites=(art(37), art(39)), relevant_if=_any(_DIBAO_POSSIBLE, _EPP_DISPERSED_POSSIBLE)),
    Question(
        "lives_in_town", YESNO,
        "Does your family live in a town or city (an urban family), rather than in the countryside (a rural family)?",
        "您家是城镇家庭（而不是农村家庭）吗？",
        help_en="Urban and rural families apply for housing assistance in different ways (Art. 40).",
        help_zh="城镇家庭和农村家庭申请住房救助的途径不同（第四十条）。",
        cites=(art(40),), relevant_if=_is("housing_difficulty", True)),
    Question(
        "natural_disaster", YESNO,
        "Has a natural disaster (such as a flood, an earthquake or a drought) seriously affected your family's basic living?",
        "您家的基本生活是否受到自然灾害（如洪涝、地震、干旱）的严重影响？",
        cites=(art(20),)),
    Question(
        "home_badly_damaged_by_disaster", YESNO,
        "Was your home seriously damaged or destroyed by the disaster?",
        "您家住房是否因灾损毁严重？",
        cites=(art(24), art(25)), relevant_if=_is("natural_disaster", True),
        flags=("--home-damaged", "--home-badly-damaged-by-disaster")),
    Question(
        "sudden_accident_or_illness", YESNO,
        "Has an accident (such as a fire or a traffic accident), or a family member suddenly falling seriously ill, "
        "left your family's basic living in serious difficulty for now?",
        "您家是否因火灾、交通事故等意外事件，或者家庭成员突发重大疾病，导致基本生活暂时出现严重困难？",
        cites=(art(47),), flags=("--sudden-accident-or-illness", "--sudden-hardship")),
    Question(
        "essential_expenses_exceed_capacity", YESNO,
        "Have your family's necessary living expenses suddenly risen beyond what it can bear, "
        "leaving its basic living in serious difficulty for now?",
        "您家是否因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难？",
        cites=(art(47),), relevant_if=_DIBAO_POSSIBLE,
        flags=("--essential-expenses-exceed-capacity", "--expenses-exceed-capacity")),
    Question(
        "other_special_hardship", YESNO,
        "Is your family facing some other special difficulty?",
        "您家是否遭遇其他特殊困难？",
        cites=(art(47),), relevant_if=_is("sudden_accident_or_illness", False)),
    Question(
        "homeless_or_begging", YESNO,
        "Are you living as a vagrant or beggar, with no means of livelihood?",
        "您是否是生活无着的流浪、乞讨人员？",
        cites=(art(50),), flags=("--homeless-or-begging", "--homeless")),
)

QUESTIONS_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}

_YES = {"yes", "y", "true", "1", "是", "有", "对"}
_NO = {"no", "n", "false", "0", "否", "不是", "没有", "无", "不"}
_UNKNOWN = {"unknown", "dont-know", "don't-know", "dont know", "don't know", "not sure", "?", "不知道", "不清楚"}


def _question(question_id: str) -> Question:
    try:
        return QUESTIONS_BY_ID[question_id]
    except KeyError:
        raise AnswerError(question_id, "unknown question") from None


def parse_answer(question_id: str, text: str) -> Any:
    """A typed answer from text (a flag, a form field, a typed line), or AnswerError.

    yes/no questions take yes/no (also y/n, true/false, 1/0, 是/否); number
    questions a whole number in range; choice questions one of the choice
    values. Every question takes "unknown" (also "don't know", "?", 不知道) for
    "I don't know", which is None.
    """
    q = _question(question_id)
    raw = str(text).strip()
    word = raw.lower()
    if word in _UNKNOWN:
        return None
    if q.kind == YESNO:
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise AnswerError(q.id, f"answer yes, no or unknown, got '{raw}'")
    if q.kind == NUMBER:
        try:
            value = int(raw)
        except ValueError:
            raise AnswerError(q.id, f"answer a whole number from {q.minimum} to {q.maximum} or unknown, "
                              f"got '{raw}'") from None
        return _check_value(q, value)
    values = [c.value for c in q.choices]
    if word in values:
        return word
    raise AnswerError(q.id, f"answer one of {', '.join(values)} or unknown, got '{raw}'")


def _check_value(q: Question, value: Any) -> Any:
    """Validate an already typed answer."""
    if value is None:
        return None
    if q.kind == YESNO:
        if not isinstance(value, bool):
            raise AnswerError(q.id, f"answer yes, no or unknown, got {value!r}")
    elif q.kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError(q.id, f"answer a whole number, got {value!r}")
        if not q.minimum <= value <= q.maximum:
            raise AnswerError(q.id, f"must be from {q.minimum} to {q.maximum}, got {value}")
    elif value not in [c.value for c in q.choices]:
        raise AnswerError(q.id, f"answer one of {', '.join(c.value for c in q.choices)} or unknown, got {value!r}")
    return value


def parse_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Typed, validated answers; text values (from a form or flags) are parsed."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        q = _question(key)
        out[key] = parse_answer(key, value) if isinstance(value, str) else _check_value(q, value)
    return out


def is_relevant(question_id: str, answers: Mapping[str, Any], _memo: dict | None = None) -> bool:
    """Whether a question still matters given the (typed) answers so far."""
    memo = {} if _memo is None else _memo
    if question_id not in memo:
        memo[question_id] = True  # questions refer only to earlier ones; this guards a mistake
        cond = QUESTIONS_BY_ID[question_id].relevant_if
        memo[question_id] = True if cond is None else _holds(cond, answers, memo)
    return memo[question_id]


def _holds(cond: dict, answers: Mapping[str, Any], memo: dict) -> bool:
    if "all" in cond:
        return all(_holds(c, answers, memo) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, answers, memo) for c in cond["any"])
    q = cond["q"]
    if q not in answers:
        return is_relevant(q, answers, memo)  # still to be asked
    value = answers[q]
    if value is None:
        return True  # unknown: it may still matter
    if "in" in cond:
        return value in cond["in"]
    if "lt" in cond:
        return value < cond["lt"]
    if "ge" in cond:
        return value >= cond["ge"]
    raise ValueError(f"bad relevant_if leaf: {cond}")


def next_questions(answers: Mapping[str, Any]) -> list[Question]:
    """The questions still to ask, in order: not yet answered, and still relevant.

    `answers` maps question ids to answers (typed, or text as a form sends it);
    an id present with None (or "unknown") counts as answered "I don't know".
    Ask the first one, add its answer, call again: one step at a time.
    """
    typed = parse_answers(answers)
    memo: dict = {}
    return [q for q in QUESTIONS if q.id not in typed and is_relevant(q.id, typed, memo)]


def next_question(answers: Mapping[str, Any]) -> Question | None:
    remaining = next_questions(answers)
    return remaining[0] if remaining else None


# ---------------------------------------------------------------------------
# The household situation
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Situation:
    """The answers, one field per question. None: unknown or not asked.

    "You" is the person who needs help; "your family" the family members who
    live together.
    """

    receives_dibao: bool | None = None
    income_below_local_standard: bool | None = None
    property_within_local_rules: bool | None = None
    receives_extremely_poor_support: bool | None = None
    extremely_poor_support_form: str | None = None  # "dispersed" | "centralised"
    age: int | None = None
    disabled: bool | None = None
    able_to_work: bool | None = None
    has_income_source: bool | None = None
    has_legal_supporter_able_to_support: bool | None = None
    unemployed: bool | None = None
    refused_jobs_three_times: bool | None = None
    serious_illness: bool | None = None
    needs_emergency_treatment_cannot_pay: bool | None = None
    has_children_or_students: bool | None = None
    child_in_compulsory_school: bool | None = None
    child_in_high_school_or_college: bool | None = None
    disabled_child_out_of_school: bool | None = None
    housing_difficulty: bool | None = None
    lives_in_town: bool | None = None  # True: urban family; False: rural family
    natural_disaster: bool | None = None
    home_badly_damaged_by_disaster: bool | None = None
    sudden_accident_or_illness: bool | None = None
    essential_expenses_exceed_capacity: bool | None = None
    other_special_hardship: bool | None = None
    homeless_or_begging: bool | None = None

    def __post_init__(self):
        for f in fields(self):
            _check_value(QUESTIONS_BY_ID[f.name], getattr(self, f.name))

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> "Situation":
        """From a mapping of question ids to answers (typed or text); AnswerError if bad."""
        return cls(**parse_answers(answers))

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


assert [f.name for f in fields(Situation)] == [q.id for q in QUESTIONS], "Situation fields follow QUESTIONS"


# ---------------------------------------------------------------------------
# Conditions: each states what an article requires and reads the answers
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    value: bool | None
    en: str  # what the answers show, e.g. "you are 72"
    zh: str
    cites: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # questions whose unknown answers leave it open


@dataclass(frozen=True)
class Condition:
    id: str
    text_en: str  # what the article requires, e.g. "Unable to work"
    text_zh: str
    cites: tuple[str, ...]
    questions: tuple[str, ...]
    test: Callable[[Situation], Verdict]
    quiet_if_false: bool = False  # not worth listing as a reason when false


CONDITIONS: dict[str, Condition] = {}


def _unknown(s: Situation, *qids: str, cites: tuple[str, ...] = ()) -> Verdict:
    missing = tuple(q for q in qids if getattr(s, q) is None)
    return Verdict(None, "not known: " + "; ".join(QUESTIONS_BY_ID[q].text_en for q in missing),
                   "未知：" + "；".join(QUESTIONS_BY_ID[q].text_zh for q in missing), cites, missing)


def _register(cid, text_en, text_zh, cites, questions, test, quiet_if_false=False):
    CONDITIONS[cid] = Condition(cid, text_en, text_zh, tuple(cites), tuple(questions), test, quiet_if_false)


def _answer(cid: str, question: str, wanted: Any, text: tuple[str, str], cites: tuple[str, ...],
            yes: tuple[str, str], no: tuple[str, str], gate: tuple[str, tuple[str, str]] | None = None,
            quiet_if_false: bool = False, unknown_means_no: bool = False) -> None:
    """A condition met when `question` is answered `wanted`.

    `yes` / `no` describe the answer when the condition is met / not met. A
    `gate` (question, texts) makes the condition false when that question was
    answered no (e.g. no children: no child at school). `unknown_means_no`
    is for "do you already receive ...": a family that receives it knows.
    """
    def test(s: Situation) -> Verdict:
        if gate and getattr(s, gate[0]) is False:
            return Verdict(False, *gate[1])
        value = getattr(s, question)
        if value is None and unknown_means_no:
            value = not wanted
        if value is None:
            return _unknown(s, question)
        return Verdict(True, *yes) if value == wanted else Verdict(False, *no)
    qs = (question,) + ((gate[0],) if gate else ())
    _register(cid, *text, cites, qs, test, quiet_if_false)


_answer("receives_dibao", "receives_dibao", True,
        ("Already receiving minimum living security", "已获得最低生活保障"), (art(13),),
        ("your family already receives it; tell the township government or sub-district office "
         "promptly when its size, income or property changes",
         "您家已享受最低生活保障；家庭人口、收入、财产状况发生变化的，应当及时告知乡镇人民政府、街道办事处"),
        ("your family does not receive it yet", "您家尚未享受"), quiet_if_false=True, unknown_means_no=True)
_answer("income_below_standard", "income_below_local_standard", True,
        ("Income per person of the family members living together below the local minimum living standard",
         "共同生活的家庭成员人均收入低于当地最低生活保障标准"), (art(9), art(10)),
        ("you said it is below", "您回答低于"), ("you said it is not below", "您回答不低于"))
_answer("property_within_rules", "property_within_local_rules", True,
        ("Family property within the local rules for minimum living security families",
         "符合当地最低生活保障家庭财产状况规定"), (art(9), art(10)),
        ("you said it is within them", "您回答符合"), ("you said it is not within them", "您回答不符合"))
_answer("receives_extremely_poor_support", "receives_extremely_poor_support", True,
        ("Already receiving support as an extremely poor person", "已获得特困人员供养"), (art(18),),
        ("you already receive it; it ends if you no longer meet the conditions",
         "您已享受特困人员供养；不再符合供养条件的，终止供养"),
        ("you do not receive it yet", "您尚未享受"), quiet_if_false=True, unknown_means_no=True)
_answer("disabled", "disabled", True,
        ("A person with a disability", "残疾人"), (art(14),),
        ("you have a disability", "您是残疾人"), ("you have no disability", "您不是残疾人"))
_answer("unable_to_work", "able_to_work", False,
        ("Unable to work", "无劳动能力"), (art(14),),
        ("you cannot work", "您无劳动能力"), ("you are able to work", "您有劳动能力"))
_answer("no_income_source", "has_income_source", False,
        ("No source of livelihood", "无生活来源"), (art(14),),
        ("you have no source of livelihood", "您无生活来源"), ("you have a source of livelihood", "您有生活来源"))
_answer("no_able_supporter", "has_legal_supporter_able_to_support", False,
        ("No person legally obliged to support, raise or maintain you, or none of them able to",
         "无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人无赡养、抚养、扶养能力"), (art(14),),
        ("no one legally obliged to support you is able to", "没有有能力的法定赡养、抚养、扶养义务人"),
        ("a person legally obliged to support you is able to", "有有能力的法定赡养、抚养、扶养义务人"))
_answer("able_to_work", "able_to_work", True,
        ("Able to work", "有劳动能力"), (art(42),),
        ("you are able to work", "您有劳动能力"), ("you cannot work", "您无劳动能力"))
_answer("unemployed", "unemployed", True,
        ("Unemployed", "处于失业状态"), (art(42),),
        ("you are unemployed", "您处于失业状态"), ("you are not unemployed", "您未处于失业状态"))
_answer("refused_jobs_three_times", "refused_jobs_three_times", True,
        ("Refused, without a justifiable reason, three referred jobs in a row that suited your health and "
         "ability to work", "无正当理由，连续3次拒绝接受介绍的与其健康状况、劳动能力等相适应的工作"), (art(45),),
        ("you said you did", "您回答是"), ("you said you did not", "您回答否"))
_answer("emergency_unaffordable", "needs_emergency_treatment_cannot_pay", True,
        ("Needs emergency treatment for an acute, serious or critical illness or injury, and identity unknown "
         "or unable to pay for it", "需要急救但身份不明或者无力支付急救费用的急重危伤病患者"), (art(32),),
        ("you said so", "您回答是"), ("you said no", "您回答否"))
_NO_CHILD = ("has_children_or_students", ("there is no child or student in your family", "您家没有儿童或者在读学生"))
_answer("child_in_compulsory_school", "child_in_compulsory_school", True,
        ("Studying at the stage of compulsory education", "在义务教育阶段就学"), (art(33),),
        ("someone in your family is in compulsory education", "您家有人在义务教育阶段就学"),
        ("no one in your family is in compulsory education", "您家没有人在义务教育阶段就学"), gate=_NO_CHILD)
_answer("child_in_high_school_or_college", "child_in_high_school_or_college", True,
        ("Studying at senior high school (including secondary vocational education) or in regular higher "
         "education", "在高中教育（含中等职业教育）、普通高等教育阶段就学"), (art(33),),
        ("someone in your family studies at that stage", "您家有人在该阶段就学"),
        ("no one in your family studies at that stage", "您家没有人在该阶段就学"), gate=_NO_CHILD)
_answer("disabled_child_out_of_school", "disabled_child_out_of_school", True,
        ("A child with a disability who cannot attend school for compulsory education",
         "不能入学接受义务教育的残疾儿童"), (art(33),),
        ("there is such a child in your family", "您家有这样的儿童"),
        ("there is no such child in your family", "您家没有这样的儿童"), gate=_NO_CHILD)
_answer("housing_difficulty", "housing_difficulty", True,
        ("Housing difficulty meeting the locally set standard", "符合规定标准的住房困难"), (art(37), art(39)),
        ("you said your family has housing difficulties", "您回答住房困难"),
        ("you said your family has no housing difficulties", "您回答不存在住房困难"))
_answer("urban_family", "lives_in_town", True,
        ("An urban family", "城镇家庭"), (art(40),),
        ("your family lives in a town or city", "您家是城镇家庭"), ("your family is rural", "您家是农村家庭"),
        quiet_if_false=True)
_answer("rural_family", "lives_in_town", False,
        ("A rural family", "农村家庭"), (art(40),),
        ("your family is rural", "您家是农村家庭"), ("your family lives in a town or city", "您家是城镇家庭"),
        quiet_if_false=True)
_answer("natural_disaster", "natural_disaster", True,
        ("Basic living seriously affected by a natural disaster", "基本生活受到自然灾害严重影响"), (art(20),),
        ("you said a natural disaster seriously affected your family's basic living",
         "您回答基本生活受到自然灾害严重影响"),
        ("you reported no natural disaster", "您回答没有受灾"))
_answer("home_damaged", "home_badly_damaged_by_disaster", True,
        ("Housing seriously damaged or destroyed by the disaster", "住房损毁严重"), (art(24), art(25)),
        ("your home was seriously damaged", "您家住房损毁严重"), ("your home was not seriously damaged", "您家住房未严重损毁"),
        gate=("natural_disaster", ("you reported no natural disaster", "您回答没有受灾")))
_answer("sudden_hardship", "sudden_accident_or_illness", True,
        ("Basic living temporarily in serious difficulty because of an accident such as a fire or a traffic "
         "accident, or a family member suddenly falling seriously ill",
         "因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难"), (art(47),),
        ("you said so", "您回答是"), ("you reported no such accident or illness", "您回答没有此类情况"))
_answer("essential_expenses", "essential_expenses_exceed_capacity", True,
        ("Basic living temporarily in serious difficulty because necessary living expenses suddenly rose beyond "
         "what the family can bear", "因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难"),
        (art(47),),
        ("you said so", "您回答是"), ("you said no", "您回答否"))
_answer("other_special_hardship", "other_special_hardship", True,
        ("A family facing other special difficulties", "遭遇其他特殊困难的家庭"), (art(47), art(49)),
        ("you said so; what counts is set locally", "您回答是；具体事项由地方确定"), ("you said no", "您回答否"))
_answer("homeless_or_begging", "homeless_or_begging", True,
        ("A vagrant or beggar with no means of livelihood", "生活无着的流浪、乞讨人员"), (art(50),),
        ("you said so", "您回答是"), ("you said no", "您回答否"))


def _age_test(test: Callable[[int], bool], yes: tuple[str, str], no: tuple[str, str]):
    def run(s: Situation) -> Verdict:
        if s.age is None:
            return _unknown(s, "age")
        en, zh = yes if test(s.age) else no
        return Verdict(test(s.age), en.format(age=s.age), zh.format(age=s.age))
    return run


_register("elderly", "An elderly person", "老年人", (art(14),), ("age",), _age_test(
    lambda age: age >= ELDERLY_FROM,
    (f"you are {{age}} (the Measures set no age for 'elderly'; this check counts {ELDERLY_FROM} and over)",
     f"您{{age}}岁（本办法未规定老年人的年龄，本检查按{ELDERLY_FROM}周岁以上计）"),
    ("you are {age}", "您{age}岁")))
_register("minor_under_16", "A minor under 16 (未满16周岁)", "未满16周岁的未成年人", (art(14),), ("age",), _age_test(
    lambda age: age < MINOR_UNDER,
    ("you are {age}", "您{age}岁"),
    (f"you are {{age}}: not under {MINOR_UNDER}", f"您{{age}}岁，不是未满{MINOR_UNDER}周岁")))


# Derived conditions: membership of a group the Measures name in other chapters.

def _dibao_eligible(s: Situation) -> tuple[bool | None, tuple[str, ...]]:
    """Art. 9: income below the local standard and property within the local rules."""
    values = (s.income_below_local_standard, s.property_within_local_rules)
    if False in values:
        return False, ()
    if None in values:
        return None, tuple(q for q, v in zip(("income_below_local_standard", "property_within_local_rules"), values)
                           if v is None)
    return True, ()


def _dibao_family(s: Situation) -> Verdict:
    if s.receives_dibao:
        return Verdict(True, "your family receives minimum living security", "您家已享受最低生活保障")
    eligible, unknown = _dibao_eligible(s)
    if eligible:
        return Verdict(True, "your answers suggest your family may qualify for minimum living security; "
                             "this applies once it is approved",
                       "根据您的回答，您家可能符合最低生活保障条件，获批后适用", (art(9),))
    if eligible is None:
        return _unknown(s, *unknown, cites=(art(9),))
    return Verdict(False, "your family does not receive minimum living security, and your answers suggest "
                          "it does not qualify",
                   "您家未享受最低生活保障，根据您的回答也不符合条件", (art(9),))


_EPP_QUESTIONS = ("age", "disabled", "able_to_work", "has_income_source", "has_legal_supporter_able_to_support")


def _epp_eligible(s: Situation) -> tuple[bool | None, tuple[str, ...]]:
    """Art. 14: elderly, disabled or under 16; unable to work; no livelihood; no able supporter."""
    age = s.age
    category = _or(None if age is None else age >= ELDERLY_FROM, None if age is None else age < MINOR_UNDER,
                   s.disabled)
    value = _and(category, _not(s.able_to_work), _not(s.has_income_source),
                 _not(s.has_legal_supporter_able_to_support))
    if value is None:
        unknown = tuple(q for q in _EPP_QUESTIONS if getattr(s, q) is None)
        if category is not None:  # age and disability no longer matter
            unknown = tuple(q for q in unknown if q not in ("age", "disabled"))
        return None, unknown
    return value, ()


_EPP_NO = ("you do not receive support as an extremely poor person, and your answers suggest you do not "
           "qualify", "您未享受特困人员供养，根据您的回答也不符合条件")


def _extremely_poor(s: Situation) -> Verdict:
    if s.receives_extremely_poor_support:
        return Verdict(True, "you receive support as an extremely poor person", "您已享受特困人员供养")
    eligible, unknown = _epp_eligible(s)
    if eligible:
        return Verdict(True, "your answers suggest you may qualify for support as an extremely poor person; "
                             "this applies once it is approved",
                       "根据您的回答，您可能符合特困人员供养条件，获批后适用", (art(14),))
    if eligible is None:
        return _unknown(s, *unknown, cites=(art(14),))
    return Verdict(False, *_EPP_NO, (art(14),))


def _extremely_poor_dispersed(s: Situation) -> Verdict:
    if s.receives_extremely_poor_support:
        if s.extremely_poor_support_form == "dispersed":
            return Verdict(True, "you receive support at home (dispersed support)", "您在家分散供养")
        if s.extremely_poor_support_form == "centralised":
            return Verdict(False, "you are supported in an institution (centralised support); Art. 37 covers "
                                  "extremely poor persons only in dispersed support",
                           "您在供养服务机构集中供养；第三十七条只适用于分散供养的特困人员")
        return _unknown(s, "extremely_poor_support_form")
    eligible, unknown = _epp_eligible(s)
    if eligible:
        return Verdict(True, "your answers suggest you may qualify for support as an extremely poor person; "
                             "this applies if you are approved and choose support at home",
                       "根据您的回答，您可能符合特困人员供养条件；获批并选择在家分散供养后适用",
                       (art(14), art(19)))
    if eligible is None:
        return _unknown(s, *unknown, cites=(art(14),))
    return Verdict(False, *_EPP_NO, (art(14),))


def _other_special_difficulty(s: Situation) -> Verdict:
    if s.serious_illness is None:
        return _unknown(s, "serious_illness")
    if s.serious_illness:
        return Verdict(None, "someone in your family is seriously ill; whether that makes you a person in special "
                             "difficulty is set by the county-level or higher government",
                       "您家有人患重病；是否属于特殊困难人员，由县级以上人民政府规定")
    return Verdict(False, "you reported no serious illness; who else counts is set by the county-level or higher "
                          "government", "您回答家中没有人患重病；其他特殊困难人员由县级以上人民政府规定")


_register("dibao_family", "A minimum living security (dibao) family", "最低生活保障家庭", (), (
    "receives_dibao", "income_below_local_standard", "property_within_local_rules"), _dibao_family)
_register("extremely_poor", "A person receiving support as an extremely poor person", "特困供养人员", (),
          ("receives_extremely_poor_support",) + _EPP_QUESTIONS, _extremely_poor)
_register("extremely_poor_dispersed", "An extremely poor person in dispersed support (at home)", "分散供养的特困人员",
          (art(37), art(19)), ("receives_extremely_poor_support", "extremely_poor_support_form") + _EPP_QUESTIONS,
          _extremely_poor_dispersed)
_register("other_special_difficulty",
          "Another person in special difficulty, as prescribed by the county-level or higher government",
          "县级以上人民政府规定的其他特殊困难人员", (art(28),), ("serious_illness",), _other_special_difficulty)


def _not(v: bool | None) -> bool | None:
    return None if v is None else not v


def _and(*vs: bool | None) -> bool | None:
    return False if False in vs else (None if None in vs else True)


def _or(*vs: bool | None) -> bool | None:
    return True if True in vs else (None if None in vs else False)


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class C:
    """A condition in a rule, with the rule's own article(s) for it."""

    id: str
    cites: tuple[str, ...] = ()
    why_en: str = ""  # the rule's own wording of the condition, if it needs one
    why_zh: str = ""


@dataclass(frozen=True)
class AllOf:
    items: tuple


@dataclass(frozen=True)
class AnyOf:
    items: tuple


def all_of(*items) -> AllOf:
    return AllOf(tuple(_node(i) for i in items))


def any_of(*items) -> AnyOf:
    return AnyOf(tuple(_node(i) for i in items))


def _node(item):
    return C(item) if isinstance(item, str) else item


@dataclass(frozen=True)
class Item:
    """A cited statement: what you may receive, where to apply, who decides, a note.

    `when` names a condition: the item is shown unless that condition is
    false (or, with `only_if_true`, only when it is true).
    """

    en: str
    zh: str
    cites: tuple[str, ...]
    when: str | None = None
    only_if_true: bool = False

    def to_dict(self) -> dict:
        return {"text_en": self.en, "text_zh": self.zh, "cites": list(self.cites)}


@dataclass(frozen=True)
class Rule:
    id: str
    name_en: str
    name_zh: str
    articles: tuple[str, ...]  # the articles of its chapter this rule draws on
    guide: str | None
    requires: Any  # C | AllOf | AnyOf
    receive: tuple[Item, ...]
    apply: tuple[Item, ...]
    decides: tuple[Item, ...]
    notes: tuple[Item, ...] = ()
    warnings: tuple[Item, ...] = ()


def _arts(first: int, last: int) -> tuple[str, ...]:
    return tuple(art(n) for n in range(first, last + 1))


_ASK_IF_UNSURE = Item(
    "If you are not sure where to go, ask the county civil affairs department or a social assistance agency "
    "first; they must deal with your request or pass it on.",
    "不清楚该找哪个部门的，可以先向社会救助经办机构或者县级人民政府民政部门求助，他们应当及时办理或者转交办理。",
    (art(60),))

RULES: tuple[Rule, ...] = (
    Rule(
        "minimum_living_security", "Minimum living security (dibao)", "最低生活保障（低保）", _arts(9, 13),
        "guides/minimum-living-security",
        requires=any_of("receives_dibao", all_of(C("income_below_standard"), C("property_within_rules"))),
        receive=(
            Item("A minimum living allowance every month: the amount by which your family's income per person "
                 "falls below the local minimum living standard.",
                 "按月发给最低生活保障金，金额为共同生活的家庭成员人均收入低于当地最低生活保障标准的差额。",
                 (art(12),)),
            Item("If an elderly person, a minor, a person with a severe disability or a person with a serious "
                 "illness still has difficulties after receiving it: necessary measures from the local government "
                 "to secure their living.",
                 "获得最低生活保障后生活仍有困难的老年人、未成年人、重度残疾人和重病患者，"
                 "由县级以上地方人民政府采取必要措施给予生活保障。", (art(12),)),
        ),
        apply=(
            Item("The family members living together apply in writing to the township government or sub-district "
                 "office where they are registered; if that is hard for them, the villagers' or residents' "
                 "committee can apply on their behalf.",
                 "由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请；"
                 "申请有困难的，可以委托村民委员会、居民委员会代为提出申请。", (art(11),)),
        ),
        decides=(
            Item("The county civil affairs department approves or refuses, and explains a refusal in writing; "
                 "the township government or sub-district office investigates first and posts a public notice.",
                 "乡镇人民政府、街道办事处调查核实、公示后，报县级人民政府民政部门审批；"
                 "不予批准的，书面说明理由。", (art(11),)),
        ),
        notes=(
            Item("When the family's size, income or property changes, tell the township government or "
                 "sub-district office promptly; the allowance may be increased, reduced or stopped.",
                 "家庭人口、收入、财产状况发生变化的，应当及时告知乡镇人民政府、街道办事处；"
                 "最低生活保障金可能增发、减发或者停发。", (art(13),)),
        ),
        warnings=(
            Item("You refused three suitable referred jobs in a row without a justifiable reason: the county civil "
                 "affairs department shall decide to reduce or stop your own minimum living allowance.",
                 "无正当理由连续3次拒绝接受介绍的相适应的工作的，县级人民政府民政部门应当决定减发或者停发"
                 "其本人的最低生活保障金。", (art(45),), when="refused_jobs_three_times", only_if_true=True),
        ),
    ),
    Rule(
        "extremely_poor_support", "Support for extremely poor persons", "特困人员供养", _arts(14, 19),
        "guides/extremely-poor-support",
        requires=any_of(
            "receives_extremely_poor_support",
            all_of(any_of("elderly", "disabled", "minor_under_16"),
                   "unable_to_work", "no_income_source", "no_able_supporter")),
        receive=(
            Item("Basic living conditions; care if you cannot look after yourself; treatment of illness; "
                 "funeral arrangements.",
                 "提供基本生活条件；对生活不能自理的给予照料；提供疾病治疗；办理丧葬事宜。", (art(15),)),
            Item("You choose the form: support at home (dispersed) or in a local support institution (centralised).",
                 "可以在当地的供养服务机构集中供养，也可以在家分散供养，由本人自行选择。", (art(19),)),
        ),
        apply=(
            Item("Apply in writing to the township government or sub-district office where you are registered; "
                 "if that is hard for you, the villagers' or residents' committee can apply on your behalf.",
                 "由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请；本人申请有困难的，"
                 "可以委托村民委员会、居民委员会代为提出申请。", (art(16),)),
            Item("The township government or sub-district office must also arrange support on its own initiative "
                 "when it finds someone who qualifies.",
                 "乡镇人民政府、街道办事处发现符合特困供养条件的人员，应当主动为其依法办理供养。", (art(17),)),
        ),
        decides=(
            Item("The county civil affairs department approves, by the same procedure as minimum living security.",
                 "由县级人民政府民政部门审批，审批程序适用第十一条规定。", (art(16), art(11))),
        ),
    ),
    Rule(
        "disaster_relief", "Assistance for disaster victims", "受灾人员救助", _arts(20, 26),
        "guides/disaster-relief",
        requires=C("natural_disaster"),
        receive=(
            Item("Emergency assistance after the disaster: evacuation and resettlement as needed, food, drinking "
                 "water, clothing and bedding, heating, temporary shelter, medical care and epidemic prevention.",
                 "紧急疏散、转移、安置，以及必要的食品、饮用水、衣被、取暖、临时住所、医疗防疫等应急救助。",
                 (art(22),)),
            Item("If your home was seriously damaged or destroyed: transitional resettlement.",
                 "住房损毁严重的，进行过渡性安置。", (art(24),), when="home_damaged"),
            Item("If your home was seriously damaged or destroyed: once the danger has passed, funds and materials "
                 "to restore or rebuild it, for residents verified as eligible.",
                 "自然灾害危险消除后，经核实为居民住房恢复重建补助对象的，给予资金、物资等救助。",
                 (art(25),), when="home_damaged"),
            Item("If the cold winter of the same year or the spring food shortage of the next leaves you in "
                 "difficulty: basic livelihood assistance.",
                 "因当年冬寒或者次年春荒遇到生活困难的，提供基本生活救助。", (art(26),)),
        ),
        apply=(
            Item("The Measures set no application procedure: the government of the disaster area provides emergency "
                 "assistance, and after the danger has passed its emergency management and other departments verify "
                 "who gets help to rebuild.",
                 "本办法未规定申请程序：由受灾地区人民政府提供应急救助；危险消除后，由应急管理等部门核实住房恢复重建补助对象。",
                 (art(22), art(25))),
            _ASK_IF_UNSURE,
        ),
        decides=(
            Item("The people's government of the disaster area at county level or above (territorial "
                 "administration, responsibility by level), and its emergency management and other departments "
                 "for help to rebuild.",
                 "受灾地区县级以上人民政府（属地管理、分级负责）；住房恢复重建补助对象由应急管理等部门核实。",
                 (art(20), art(22), art(25))),
        ),
    ),
    Rule(
        "medical_assistance", "Medical assistance", "医疗救助", _arts(27, 31), "guides/medical-assistance",
        requires=any_of(C("dibao_family", (art(28),)), C("extremely_poor", (art(28),)), "other_special_difficulty"),
        receive=(
            Item("A subsidy for your own contributions to basic medical insurance for urban residents or the new "
                 "rural cooperative medical scheme.",
                 "对参加城镇居民基本医疗保险或者新型农村合作医疗的个人缴费部分，给予补贴。", (art(29),)),
            Item("A subsidy for eligible basic medical costs that you and your family find hard to bear after "
                 "basic medical insurance, critical illness insurance and other supplementary insurance have paid.",
                 "经基本医疗保险、大病保险和其他补充医疗保险支付后，个人及其家庭难以承担的符合规定的基本医疗自负费用，"
                 "给予补助。", (art(29),)),
        ),
        apply=(
            Item("Apply to the township government or sub-district office; for members of minimum living security "
                 "families and extremely poor persons the county healthcare security department handles it directly.",
                 "向乡镇人民政府、街道办事处提出；最低生活保障家庭成员和特困供养人员的医疗救助，"
                 "由县级人民政府医疗保障部门直接办理。", (art(30),)),
        ),
        decides=(
            Item("The county healthcare security department approves, after review and public notice.",
                 "经审核、公示后，由县级人民政府医疗保障部门审批。", (art(30),)),
        ),
        notes=(
            Item("Medical assistance is settled together with basic medical insurance and critical illness insurance.",
                 "医疗救助与基本医疗保险、大病保险相衔接结算。", (art(31),)),
        ),
    ),
    Rule(
        "emergency_medical_assistance", "Emergency medical assistance", "疾病应急救助", (art(32),),
        "guides/medical-assistance",
        requires=C("emergency_unaffordable"),
        receive=(
            Item("Eligible emergency treatment costs are paid by the emergency medical assistance fund.",
                 "符合规定的急救费用由疾病应急救助基金支付。", (art(32),)),
        ),
        apply=(
            Item("The Measures set no application procedure for it.", "本办法未规定申请程序。", (art(32),)),
            _ASK_IF_UNSURE,
        ),
        decides=(
            Item("The Measures name no deciding department; eligible costs are paid by the emergency medical "
                 "assistance fund.", "本办法未规定审批部门；符合规定的急救费用由疾病应急救助基金支付。", (art(32),)),
        ),
    ),
    Rule(
        "education_assistance", "Education assistance", "教育救助", _arts(33, 36), "guides/education-assistance",
        requires=any_of(
            all_of(C("child_in_compulsory_school", (art(33),)),
                   any_of(C("dibao_family", (art(33),)), C("extremely_poor", (art(33),)))),
            all_of(C("child_in_high_school_or_college", (art(33),)),
                   any_of(C("dibao_family", (art(33),)), C("extremely_poor", (art(33),)))),
            "disabled_child_out_of_school"),
        receive=(
            Item("According to the stage of education: reduced or waived fees, student grants, living subsidies, "
                 "work-study.", "根据不同教育阶段需求，减免相关费用、发放助学金、给予生活补助、安排勤工助学等。",
                 (art(34),)),
            Item("At senior high school or in higher education, and for a child with a disability who cannot "
                 "attend school: appropriate assistance according to actual circumstances.",
                 "在高中教育（含中等职业教育）、普通高等教育阶段就学的，以及不能入学接受义务教育的残疾儿童，"
                 "根据实际情况给予适当教育救助。", (art(33),)),
        ),
        apply=(
            Item("Apply to the school the student attends.", "向就读学校提出申请。", (art(36),)),
            Item("For a child with a disability who cannot attend school, the Measures do not say where to apply: "
                 "ask the county civil affairs department or a social assistance agency first; they must deal with "
                 "your request or pass it on.",
                 "不能入学的残疾儿童向哪里申请，本办法未作规定：可以先向社会救助经办机构或者县级人民政府民政部门求助，"
                 "他们应当及时办理或者转交办理。", (art(33), art(60)), when="disabled_child_out_of_school"),
        ),
        decides=(
            Item("The school carries it out after review and confirmation by the prescribed procedure; the standard "
                 "is set by the provincial government.",
                 "按规定程序审核、确认后，由学校按照国家有关规定实施；教育救助标准由省级人民政府确定、公布。",
                 (art(36), art(35))),
        ),
    ),
    Rule(
        "housing_assistance", "Housing assistance", "住房救助", _arts(37, 41), "guides/housing-assistance",
        requires=all_of("housing_difficulty", any_of(C("dibao_family", (art(37),)), "extremely_poor_dispersed")),
        receive=(
            Item("Public rental housing, a housing rental subsidy, or renovation of dilapidated rural housing.",
                 "配租公共租赁住房、发放住房租赁补贴、农村危房改造等。", (art(38),)),
        ),
        apply=(
            Item("Urban families apply through the township government or sub-district office, or directly to the "
                 "county housing security department.",
                 "城镇家庭经由乡镇人民政府、街道办事处或者直接向县级人民政府住房保障部门提出申请。",
                 (art(40),), when="urban_family"),
            Item("Rural families apply as the rules of the county-level or higher government provide.",
                 "农村家庭申请住房救助的，按照县级以上人民政府有关规定执行。", (art(40),), when="rural_family"),
        ),
        decides=(
            Item("For urban families: the county civil affairs department reviews income and property, the county "
                 "housing security department reviews housing and, after public notice, gives eligible applicants "
                 "priority.",
                 "城镇家庭：县级人民政府民政部门审核家庭收入、财产状况，县级人民政府住房保障部门审核家庭住房状况并公示后，"
                 "对符合申请条件的由住房保障部门优先给予保障。", (art(40),), when="urban_family"),
            Item("For rural families: as the rules of the county-level or higher government provide.",
                 "农村家庭：按照县级以上人民政府有关规定执行。", (art(40),), when="rural_family"),
        ),
    ),
    Rule(
        "employment_assistance", "Employment assistance", "就业救助", _arts(42, 46), "guides/employment-assistance",
        requires=all_of(C("dibao_family", (art(42),)), "able_to_work", "unemployed"),
        receive=(
            Item("Loan interest subsidies, social insurance subsidies, job subsidies, training subsidies, fee "
                 "reductions and exemptions, and placement in public-welfare jobs.",
                 "贷款贴息、社会保险补贴、岗位补贴、培训补贴、费用减免、公益性岗位安置等。", (art(42),)),
            Item("Free job vacancy information, job referral and career guidance once registered.",
                 "登记后免费提供就业岗位信息、职业介绍、职业指导等就业服务。", (art(44),)),
            Item("If all family members who can work are unemployed: targeted measures by the local government so "
                 "that at least one of them has a job.",
                 "最低生活保障家庭有劳动能力的成员均处于失业状态的，县级以上地方人民政府采取有针对性的措施，"
                 "确保该家庭至少有一人就业。", (art(43),)),
        ),
        apply=(
            Item("Apply to the public employment service agency of the sub-district or community where you live.",
                 "向住所地街道、社区公共就业服务机构提出申请。", (art(44),)),
        ),
        decides=(
            Item("The public employment service agency verifies your application and registers you.",
                 "公共就业服务机构核实后予以登记。", (art(44),)),
        ),
        notes=(
            Item("You must accept suitable jobs referred to you; refusing three in a row without a justifiable "
                 "reason leads the county civil affairs department to reduce or stop your own minimum living "
                 "allowance.",
                 "有劳动能力但未就业的成员应当接受介绍的工作；无正当理由连续3次拒绝接受介绍的相适应的工作的，"
                 "县级人民政府民政部门应当决定减发或者停发其本人的最低生活保障金。", (art(45),)),
            Item("Employers who hire you get support such as social insurance subsidies, tax preferences and "
                 "small guaranteed loans.", "吸纳就业救助对象的用人单位，享受社会保险补贴、税收优惠、小额担保贷款等政策。",
                 (art(46),)),
        ),
        warnings=(
            Item("You refused three suitable referred jobs in a row without a justifiable reason: the county civil "
                 "affairs department shall decide to reduce or stop your own minimum living allowance.",
                 "无正当理由连续3次拒绝接受介绍的相适应的工作的，县级人民政府民政部门应当决定减发或者停发"
                 "其本人的最低生活保障金。", (art(45),), when="refused_jobs_three_times", only_if_true=True),
        ),
    ),
    Rule(
        "temporary_assistance", "Temporary assistance", "临时救助", _arts(47, 49), "guides/temporary-assistance",
        requires=any_of(
            "sudden_hardship",
            all_of("essential_expenses",
                   C("dibao_family", (art(47),),
                     "Art. 47 names a sudden rise in necessary expenses only for minimum living security families",
                     "第四十七条仅对最低生活保障家庭规定因生活必需支出突然增加给予临时救助")),
            "other_special_hardship"),
        receive=(
            Item("Temporary assistance; what it covers and how much is set and published by the local government "
                 "at county level or above.", "临时救助，具体事项、标准由县级以上地方人民政府确定、公布。", (art(49),)),
        ),
        apply=(
            Item("Apply to the township government or sub-district office; in an emergency the approval steps may "
                 "be simplified.", "向乡镇人民政府、街道办事处提出申请；情况紧急的，可以按照规定简化审批手续。",
                 (art(48),)),
        ),
        decides=(
            Item("The county civil affairs department approves after review and public notice; for small amounts "
                 "it may let the township government or sub-district office approve.",
                 "经审核、公示后，由县级人民政府民政部门审批；救助金额较小的，可以委托乡镇人民政府、街道办事处审批。",
                 (art(48),)),
        ),
    ),
    Rule(
        "vagrant_beggar_assistance", "Help for vagrants and beggars", "流浪、乞讨人员救助", _arts(50, 51),
        "guides/temporary-assistance",
        requires=C("homeless_or_begging"),
        receive=(
            Item("Temporary food and lodging, treatment of acute illness, and help returning home.",
                 "临时食宿、急病救治、协助返回等救助。", (art(50),)),
        ),
        apply=(
            Item("Ask an assistance management agency for help. Police and other officials who meet you on duty "
                 "must tell you so, and must guide or escort people with disabilities, minors, elderly people and "
                 "others with limited mobility there.",
                 "向救助管理机构求助。公安机关和其他有关行政机关的工作人员发现流浪、乞讨人员的，应当告知其向救助管理机构求助；"
                 "对残疾人、未成年人、老年人和行动不便的其他人员，应当引导、护送到救助管理机构。", (art(51),)),
        ),
        decides=(
            Item("The Measures name the assistance management agencies as the place to ask; they name no deciding "
                 "department.", "本办法规定向救助管理机构求助，未规定审批部门。", (art(51),)),
        ),
    ),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

NOTICE = Item(
    "This check is not a decision. The county civil affairs department decides on minimum living security, "
    "support for extremely poor persons and temporary assistance (Arts. 11, 16, 48); the other kinds are decided "
    "by the department named for each. Amounts and thresholds (the minimum living standard, the support standard, "
    "and the standards of medical, education, housing and temporary assistance) are set and published locally "
    "(Arts. 10, 15, 29, 35, 39, 49). If you do not know where to go, your township government or sub-district "
    "office has one window for all applications, and the county civil affairs department or a social assistance "
    "agency will deal with your request or pass it on (Art. 60). You may challenge a decision by administrative "
    "reconsideration or an administrative lawsuit (Art. 65).",
    "本检查结果不是审批决定。最低生活保障、特困人员供养和临时救助由县级人民政府民政部门审批（第十一条、第十六条、"
    "第四十八条）；其他救助由各项列明的部门决定。最低生活保障标准、特困人员供养标准以及医疗、教育、住房、临时救助标准等"
    "金额和条件，由地方人民政府确定、公布（第十条、第十五条、第二十九条、第三十五条、第三十九条、第四十九条）。"
    "不清楚向哪里申请的，乡镇人民政府、街道办事处设有统一受理社会救助申请的窗口，也可以先向社会救助经办机构或者"
    "县级人民政府民政部门求助（第六十条）。对决定不服的，可以依法申请行政复议或者提起行政诉讼（第六十五条）。",
    (art(10), art(11), art(15), art(16), art(29), art(35), art(39), art(48), art(49), art(60), art(65)),
)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------

@dataclass
class Reason:
    """One condition and what the answers show about it."""

    condition: str
    condition_en: str
    condition_zh: str
    text_en: str
    text_zh: str
    cites: tuple[str, ...]
    answers: dict  # the answers it read: question id -> value

    def to_dict(self) -> dict:
        return {"condition": self.condition, "condition_en": self.condition_en, "condition_zh": self.condition_zh,
                "text_en": self.text_en, "text_zh": self.text_zh, "cites": list(self.cites),
                "answers": self.answers}


@dataclass
class Open:
    """A condition that unknown answers (or a local rule) leave open."""

    condition: str
    condition_en: str
    condition_zh: str
    text_en: str
    text_zh: str
    cites: tuple[str, ...]
    questions: tuple[str, ...]  # empty: a local rule decides, not an answer

    def to_dict(self) -> dict:
        return {"condition": self.condition, "condition_en": self.condition_en, "condition_zh": self.condition_zh,
                "text_en": self.text_en, "text_zh": self.text_zh, "cites": list(self.cites),
                "questions": [{"id": q, "text_en": QUESTIONS_BY_ID[q].text_en, "text_zh": QUESTIONS_BY_ID[q].text_zh}
                              for q in self.questions]}


@dataclass
class _Eval:
    value: bool | None
    met: list = field(default_factory=list)
    unmet: list = field(default_factory=list)
    unknown: list = field(default_factory=list)


def _leaf(node: C, s: Situation) -> _Eval:
    cond = CONDITIONS[node.id]
    v = cond.test(s)
    cites = tuple(dict.fromkeys(node.cites + cond.cites + v.cites))
    cond_en = node.why_en or cond.text_en
    cond_zh = node.why_zh or cond.text_zh
    if v.value is None:
        return _Eval(None, unknown=[Open(cond.id, cond_en, cond_zh, v.en, v.zh, cites, v.unknown)])
    reason = Reason(cond.id, cond_en, cond_zh, v.en, v.zh, cites,
                    {q: getattr(s, q) for q in cond.questions if getattr(s, q) is not None})
    if v.value:
        return _Eval(True, met=[reason])
    return _Eval(False, unmet=[] if cond.quiet_if_false else [reason])


def _evaluate(node, s: Situation) -> _Eval:
    if isinstance(node, C):
        return _leaf(node, s)
    parts = [_evaluate(child, s) for child in node.items]
    values = [p.value for p in parts]
    pick = lambda attr, which: [x for p in parts if p.value in which for x in getattr(p, attr)]  # noqa: E731
    if isinstance(node, AllOf):
        if False in values:
            return _Eval(False, unmet=pick("unmet", (False,)))
        if None in values:
            return _Eval(None, met=pick("met", (True, None)), unknown=pick("unknown", (None,)))
        return _Eval(True, met=pick("met", (True,)))
    if True in values:
        return _Eval(True, met=pick("met", (True,)))
    if None in values:
        return _Eval(None, met=pick("met", (None,)), unknown=pick("unknown", (None,)), unmet=pick("unmet", (False,)))
    return _Eval(False, unmet=pick("unmet", (False,)))


def _dedupe(items: list) -> list:
    seen, out = set(), []
    for item in items:
        if item.condition not in seen:
            seen.add(item.condition)
            out.append(item)
    return out


LIKELY, DEPENDS, UNLIKELY = "likely", "depends", "unlikely"


@dataclass
class Finding:
    """What the check found for one kind of assistance."""

    rule: Rule
    status: str  # "likely" | "depends" | "unlikely"
    reasons: list[Reason]  # likely: conditions met; depends: met so far; unlikely: conditions not met
    depends_on: list[Open]
    receive: list[Item]
    apply: list[Item]
    decides: list[Item]
    notes: list[Item]
    warnings: list[Item]

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def cites(self) -> list[str]:
        """Every article this finding cites, in order of first mention."""
        ids: list[str] = []
        for r in self.reasons + self.depends_on:
            ids.extend(r.cites)
        for item in self.receive + self.apply + self.decides + self.notes + self.warnings:
            ids.extend(item.cites)
        return list(dict.fromkeys(ids))

    @property
    def questions(self) -> list[str]:
        """The questions whose unknown answers would decide it."""
        return list(dict.fromkeys(q for o in self.depends_on for q in o.questions))

    def to_dict(self) -> dict:
        return {
            "id": self.rule.id, "name_en": self.rule.name_en, "name_zh": self.rule.name_zh,
            "status": self.status, "articles": list(self.rule.articles), "guide": self.rule.guide,
            "reasons": [r.to_dict() for r in self.reasons],
            "depends_on": [o.to_dict() for o in self.depends_on],
            "receive": [i.to_dict() for i in self.receive],
            "apply": [i.to_dict() for i in self.apply],
            "decides": [i.to_dict() for i in self.decides],
            "notes": [i.to_dict() for i in self.notes],
            "warnings": [i.to_dict() for i in self.warnings],
            "cites": self.cites,
        }


def _shown(items: tuple[Item, ...], s: Situation) -> list[Item]:
    out = []
    for item in items:
        if item.when is None:
            out.append(item)
            continue
        value = CONDITIONS[item.when].test(s).value
        if value is True or (value is None and not item.only_if_true):
            out.append(item)
    return out


def evaluate_rule(rule: Rule, s: Situation) -> Finding:
    ev = _evaluate(rule.requires, s)
    status = {True: LIKELY, None: DEPENDS, False: UNLIKELY}[ev.value]
    if status == UNLIKELY:
        return Finding(rule, status, _dedupe(ev.unmet), [], [], [], [], [], [])
    return Finding(rule, status, _dedupe(ev.met), _dedupe(ev.unknown) if status == DEPENDS else [],
                   _shown(rule.receive, s), _shown(rule.apply, s), _shown(rule.decides, s),
                   _shown(rule.notes, s), _shown(rule.warnings, s))


@dataclass
class Result:
    situation: Situation
    likely: list[Finding]
    depends: list[Finding]
    unlikely: list[Finding]
    notice: Item = NOTICE

    @property
    def findings(self) -> list[Finding]:
        return self.likely + self.depends + self.unlikely

    def get(self, rule_id: str) -> Finding:
        for f in self.findings:
            if f.id == rule_id:
                return f
        raise KeyError(rule_id)

    @property
    def unanswered(self) -> list[str]:
        """Questions whose unknown answers would decide a kind of assistance, in questionnaire order."""
        wanted = {q for f in self.depends for q in f.questions}
        return [q.id for q in QUESTIONS if q.id in wanted]

    @property
    def cites(self) -> list[str]:
        ids = [c for f in self.findings for c in f.cites] + list(self.notice.cites)
        return list(dict.fromkeys(ids))

    def to_dict(self) -> dict:
        return {
            "likely": [f.to_dict() for f in self.likely],
            "depends": [f.to_dict() for f in self.depends],
            "unlikely": [f.to_dict() for f in self.unlikely],
            "unanswered": [{"id": q, "text_en": QUESTIONS_BY_ID[q].text_en, "text_zh": QUESTIONS_BY_ID[q].text_zh}
                           for q in self.unanswered],
            "notice": self.notice.to_dict(),
            "answers": self.situation.to_dict(),
            "citations": {c: citation(c) for c in self.cites},
        }


def check(situation: Situation) -> Result:
    """Every kind of assistance, sorted into likely / depends / unlikely, in the Measures' order."""
    findings = [evaluate_rule(rule, situation) for rule in RULES]
    return Result(situation,
                  [f for f in findings if f.status == LIKELY],
                  [f for f in findings if f.status == DEPENDS],
                  [f for f in findings if f.status == UNLIKELY])


# ---------------------------------------------------------------------------
# Citations and the rule table
# ---------------------------------------------------------------------------

def article_number(unit_id: str) -> int:
    return int(unit_id.rsplit("/art-", 1)[1])


def citation(unit_id: str) -> dict:
    """Labels and the site URL of a cited article (labels as the corpus front matter sets them)."""
    n = article_number(unit_id)
    return {"label_en": f"Art. {n}", "label_zh": f"第{to_chinese(n)}条", "url": f"{SITE_UNIT_PREFIX}/{unit_id}"}


def in_language(obj, base: str, lang: str) -> str:
    """An eligibility object's text in one language: `<base>_en`/`<base>_zh`, or `en`/`zh` with no base."""
    return getattr(obj, f"{base}_{lang}" if base else lang)


def cite_label(unit_ids, lang: str = "en") -> str:
    """'Art. 14' / 'Arts. 14, 15' / '第十四条、第十五条'."""
    nums = sorted(dict.fromkeys(article_number(u) for u in unit_ids))
    if not nums:
        return ""
    if lang == "zh":
        return "、".join(f"第{to_chinese(n)}条" for n in nums)
    return ("Art. " if len(nums) == 1 else "Arts. ") + ", ".join(str(n) for n in nums)


def _describe(node) -> dict:
    if isinstance(node, C):
        cond = CONDITIONS[node.id]
        return {"condition": cond.id, "text_en": node.why_en or cond.text_en, "text_zh": node.why_zh or cond.text_zh,
                "cites": list(dict.fromkeys(node.cites + cond.cites)), "questions": list(cond.questions)}
    key = "all" if isinstance(node, AllOf) else "any"
    return {key: [_describe(child) for child in node.items]}


def rule_table() -> list[dict]:
    """The rules as data, for a 'how this check works' page and for review."""
    return [{"id": r.id, "name_en": r.name_en, "name_zh": r.name_zh, "articles": list(r.articles),
             "guide": r.guide, "requires": _describe(r.requires),
             "receive": [i.to_dict() for i in r.receive], "apply": [i.to_dict() for i in r.apply],
             "decides": [i.to_dict() for i in r.decides], "notes": [i.to_dict() for i in r.notes],
             "warnings": [i.to_dict() for i in r.warnings]} for r in RULES]


def all_cited_ids() -> list[str]:
    """Every article id the rules, conditions, questions and notice can cite."""
    ids: list[str] = list(NOTICE.cites)
    for q in QUESTIONS:
        ids.extend(q.cites)
    for cond in CONDITIONS.values():
        ids.extend(cond.cites)
    for r in RULES:
        ids.extend(r.articles)
        stack = [r.requires]
        while stack:
            node = stack.pop()
            if isinstance(node, C):
                ids.extend(node.cites)
            else:
                stack.extend(node.items)
        for item in r.receive + r.apply + r.decides + r.notes + r.warnings:
            ids.extend(item.cites)
    # Citations that the derived conditions' verdicts add at run time:
    ids.extend((art(9), art(14), art(19)))
    return list(dict.fromkeys(ids))
