"""The eligibility check: a short questionnaire, one question a step, then the result with citations.

Works without JavaScript and keeps nothing on the server. Every step is a GET
form: hidden fields carry the answers so far, so the URL holds the whole
state (`/check?receives_dibao=no&income_below_local_standard=yes&...`). No
cookie holds answers (only the interface language has a cookie, as on every
page). The rules are indexer.eligibility's; this module only asks and shows.

    GET /check                    the introduction and the first question
    GET /check?<answers>          the next question that still matters
    GET /check?<answers>&change=Q the question Q again, to change its answer
    GET /check/result?<answers>   the result
    GET /api/check?<answers>      the result as JSON (Result.to_dict())

A submitted step adds `asked=Q` (the question on screen) and, from the "I
don't know" button of a number question, `unknown=Q`. The server then
redirects (303) to the canonical address: answers in question order, spelled
yes / no / unknown / a number / a choice, answers that no longer matter (after
a change) dropped. So the browser's history holds one clean address a step,
and its Back button goes back a step.

An answer the person just gave that is not valid (an age of 200) shows the
question again with the reason. Anything else wrong in the address (an
unknown question, a bad hidden answer, an answer given twice) is a 400 page
that says what and offers a fresh start; the API answers 400 JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for

from indexer import eligibility as el

from .. import get_services as services, i18n
from ..errors import json_error

bp = Blueprint("check", __name__)

# Query keys that are not answers.
ASKED, UNKNOWN, CHANGE, LANG = "asked", "unknown", "change", "lang"
CONTROL = (ASKED, UNKNOWN, CHANGE, LANG)
MAX_PROBLEMS = 8
MAX_SHOWN = 60  # characters of a bad value or key shown back


# ---------------------------------------------------------------------------
# Reading the answers from the URL
# ---------------------------------------------------------------------------

@dataclass
class Problem:
    """One thing wrong in the address, shown on the 400 page in the reader's language."""

    kind: str  # "unknown" | "twice" | "value"
    key: str
    value: str = ""


@dataclass
class StepError:
    """The answer just given to the question on screen is missing or not valid."""

    question: str
    kind: str  # "missing" | "value"
    raw: str = ""


@dataclass
class Form:
    answers: dict[str, Any]  # typed, in question order, only those that still matter
    step_error: StepError | None = None
    change: str | None = None


class BadAnswers(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.kind} {p.key}" for p in problems))


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _raw_answers(args, skip) -> tuple[dict[str, str], list[Problem]]:
    """Each question's answer as typed, and the keys that are not questions or come twice, in order."""
    raw: dict[str, str] = {}
    problems: list[Problem] = []
    for key, values in args.lists():
        if key in skip:
            continue
        if key not in el.QUESTIONS_BY_ID:
            problems.append(Problem("unknown", _short(key)))
        elif len(values) > 1:
            problems.append(Problem("twice", key))
        else:
            raw[key] = values[0]
    return raw, problems


def read_form(args) -> Form:
    """The answers in the query string, validated and pruned; BadAnswers if the address is wrong."""
    raw, problems = _raw_answers(args, CONTROL)

    def question_param(name: str) -> list[str]:
        found = []
        for value in args.getlist(name):
            if value in el.QUESTIONS_BY_ID:
                found.append(value)
            else:
                problems.append(Problem("unknown", _short(value)))
        return found

    unknown = set(question_param(UNKNOWN))
    asked_list = question_param(ASKED)
    change_list = question_param(CHANGE)
    asked = asked_list[0] if len(asked_list) == 1 else None
    change = change_list[0] if len(change_list) == 1 else None
    if len(asked_list) > 1 or len(change_list) > 1:
        problems.append(Problem("twice", ASKED if len(asked_list) > 1 else CHANGE))

    typed: dict[str, Any] = {}
    step_error = None
    for q in el.QUESTIONS:
        if q.id in unknown:
            typed[q.id] = None
            continue
        if q.id not in raw:
            if q.id == asked:
                step_error = StepError(q.id, "missing")
            continue
        value = raw[q.id]
        if q.id == asked and not value.strip():
            step_error = StepError(q.id, "missing")
            continue
        try:
            typed[q.id] = el.parse_answer(q.id, value)
        except el.AnswerError:
            if q.id == asked:
                step_error = StepError(q.id, "value", _short(value))
            else:
                problems.append(Problem("value", q.id, _short(value)))
    if problems:
        raise BadAnswers(problems)
    answers = prune(typed)
    if step_error and not el.is_relevant(step_error.question, answers):
        step_error = None  # a question that no longer matters: nothing to fix
    if change and not el.is_relevant(change, answers):
        change = None
    return Form(answers, step_error, change)


def prune(typed: dict[str, Any]) -> dict[str, Any]:
    """Only the answers that still matter, in question order (a changed answer can make later ones moot)."""
    kept: dict[str, Any] = {}
    for q in el.QUESTIONS:
        if q.id in typed and el.is_relevant(q.id, kept):
            kept[q.id] = typed[q.id]
    return kept


def spell(value: Any) -> str:
    """An answer as the URL spells it."""
    if value is None:
        return "unknown"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def pairs(answers: dict[str, Any], without: str | None = None) -> list[tuple[str, str]]:
    return [(qid, spell(v)) for qid, v in answers.items() if qid != without]


def check_url(endpoint: str, answers: dict[str, Any], **extra) -> str:
    query = pairs(answers) + [(k, v) for k, v in extra.items() if v is not None]
    base = url_for(endpoint)
    return base + ("?" + urlencode(query) if query else "")


def _no_store(response):
    """Answers are personal: no caching, and they never leave in a Referer header."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


bp.after_request(_no_store)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------

@bp.get("/check")
def step():
    try:
        form = read_form(request.args)
    except BadAnswers as exc:
        return bad_answers(exc.problems)
    answers = form.answers
    if form.step_error:
        return render_step(answers, el.QUESTIONS_BY_ID[form.step_error.question], form.step_error), 400
    canonical = check_url("check.step", answers, change=form.change)
    if request.full_path.rstrip("?") != canonical:
        return redirect(canonical, code=303)
    if form.change:
        return render_step(answers, el.QUESTIONS_BY_ID[form.change], changing=True)
    question = el.next_question(answers)
    if question is None:
        return redirect(check_url("check.result", answers), code=303)
    return render_step(answers, question)


@bp.get("/check/result")
def result():
    try:
        form = read_form(request.args)
    except BadAnswers as exc:
        return bad_answers(exc.problems)
    answers = form.answers
    canonical = check_url("check.result", answers)
    if request.full_path.rstrip("?") != canonical or form.step_error or form.change:
        return redirect(canonical, code=303)
    outcome = el.check(el.Situation.from_answers(answers))
    remaining = el.next_questions(answers)
    corpus = services().corpus()  # once: every citation and guide on the page from the same build
    return render_template(
        "check_result.html", result=outcome, answers=answer_rows(answers),
        remaining=len(remaining), continue_url=check_url("check.step", answers),
        json_url=check_url("check.api", answers),
        change_url=lambda qid: check_url("check.step", answers, change=qid),
        cite=_citer(corpus), guide_of=_guide_finder(corpus), local_cites=LOCAL_STANDARD_CITES, questions=el.QUESTIONS_BY_ID,
        tr=_tr)


# Each question's place in the questionnaire.
_POSITION = {q.id: i for i, q in enumerate(el.QUESTIONS)}
# The articles that leave amounts and thresholds to local governments (issue 6).
LOCAL_STANDARD_CITES = tuple(el.art(n) for n in (10, 15, 29, 35, 39, 49))


def render_step(answers: dict[str, Any], question: el.Question, error: StepError | None = None,
                changing: bool = False):
    before = [qid for qid in answers if _POSITION[qid] < _POSITION[question.id]]
    previous = before[-1] if before else None
    # What the form shows selected: the answer being changed, or what was just typed.
    current = None
    if error and error.kind == "value":
        current = error.raw
    elif changing and question.id in answers:
        current = spell(answers[question.id])
    todo = len(el.next_questions(answers)) if not changing else 0  # this one included
    return render_template(
        "check_step.html", q=question, changing=changing, first=not answers,
        number=len(answers) + 1, more=max(todo - 1, 0), progress=(len(answers), len(answers) + todo),
        hidden=pairs(answers, without=question.id), current=current, error=error,
        answers=answer_rows(answers),
        back_url=check_url("check.step", answers, change=previous) if previous else None,
        result_url=check_url("check.result", answers) if answers else None,
        cite=_citer(services().corpus()), tr=_tr)


@dataclass
class AnswerRow:
    question: el.Question
    value: Any
    change_url: str


def answer_rows(answers: dict[str, Any]) -> list[AnswerRow]:
    return [AnswerRow(el.QUESTIONS_BY_ID[qid], value, check_url("check.step", answers, change=qid))
            for qid, value in answers.items()]


def bad_answers(problems: list[Problem]):
    shown = problems[:MAX_PROBLEMS]
    return render_template("check_error.html", problems=shown, more=len(problems) - len(shown),
                           questions=el.QUESTIONS_BY_ID, tr=_tr), 400


# ---------------------------------------------------------------------------
# Template helpers
# ---------------------------------------------------------------------------

def _tr(obj, base: str = "") -> str:
    """An eligibility object's text in the reader's language."""
    return el.in_language(obj, base, g.get("lang", i18n.DEFAULT_LANG))


@dataclass
class Cite:
    id: str
    label: str
    url: str
    title: str


def _citer(corpus):
    lang = g.get("lang", i18n.DEFAULT_LANG)

    def cite(unit_id: str) -> Cite:
        unit = corpus.units.get(unit_id)
        if unit is None:  # the rules cite only articles that exist (tests check); stay safe anyway
            c = el.citation(unit_id)
            return Cite(unit_id, c["label_zh"] if lang == "zh" else c["label_en"], c["url"], c["label_en"])
        return Cite(unit_id, unit.label_in(lang), unit.url, unit.citation_in(lang))
    return cite


def _guide_finder(corpus):
    def guide_of(finding) -> Any:
        return corpus.guides.get(finding.rule.guide) if finding.rule.guide else None
    return guide_of


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

@bp.get("/api/check")
def api():
    answers, problems = _raw_answers(request.args, {LANG})  # the JSON carries both languages
    if problems:
        first = problems[0]
        if first.kind == "unknown":
            return json_error(400, f"unknown question '{first.key}'; the questions are: "
                                   + ", ".join(el.QUESTIONS_BY_ID), question=first.key)
        return json_error(400, f"{first.key}: answered more than once", question=first.key)
    try:
        situation = el.Situation.from_answers(answers)
    except el.AnswerError as exc:
        return json_error(400, f"{exc.question}: {_short(exc.detail)}", question=exc.question)
    return jsonify(el.check(situation).to_dict())
