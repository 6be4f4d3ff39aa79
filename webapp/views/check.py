"""The eligibility check: one question a step, an adviser's one-page form, the result with citations.

Private by design: every step is a POST form whose hidden fields carry the
answers so far, so answers never appear in a URL and nothing is stored on
the server (no session, no cookie, no log of them). Every response here is
`Cache-Control: no-store`. The rules are indexer.eligibility's.

    GET  /check            the first question (answers in the address are ignored, and it says so)
    POST /check            the next question that can still change an outcome, or the result
    GET  /check/adviser    every question on one page, for frontline workers
    POST /check/download   the result as Markdown, with its citations and the date
    POST /check/print      the result laid out for printing
    POST /api/check        the result as JSON (answers as a JSON object)

Back: the page's own Back button (a POST carrying the answers) shows the
previous question again. With JavaScript, static/check.js turns steps into
in-page updates with their own history entries, so the browser's Back button
goes back a question; without it, going Back into a POSTed page shows the
browser's "confirm resubmission" page (the price of storing nothing: a POST
response that may not be stored cannot be shown again without sending it again).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, g, jsonify, render_template, request

from indexer import eligibility as el
from indexer.eligibility_report import markdown

from .. import get_services as services, i18n
from ..errors import html_error, json_error, wants_json

bp = Blueprint("check", __name__)
ASKED, UNKNOWN, CHANGE, FINISH, ADVISER = "asked", "unknown", "change", "finish", "adviser"
CONTROL = {ASKED, UNKNOWN, CHANGE, FINISH, ADVISER, "lang"}
MAX_SHOWN = 60


def rules() -> el.RuleSet:
    return el.rules_for(services().corpus())


@bp.after_request
def _no_store(response):
    """Answers are personal: no cache keeps them, and they never leave in a Referer header."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(el.RulesError)
def _broken_rules(exc: el.RulesError):
    """A broken rules file is the site's fault, said plainly (the problems go to whoever runs policykb check)."""
    message = f"the eligibility rules cannot be read ({len(exc.problems)} problem(s)): run policykb check to see them"
    return json_error(503, message) if wants_json() else html_error(503, message)


class BadForm(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems


@dataclass
class Form:
    answers: dict[str, Any]
    error: str | None = None  # the question on screen was not answered validly
    change: str | None = None
    finish: bool = False


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def raw_answers(rs: el.RuleSet, form) -> tuple[dict[str, str], list[str]]:
    """Each question's answer as sent (a multi question's boxes joined) and the names that are not questions."""
    raw, problems = {}, []
    for key, values in form.lists():
        if key in CONTROL:
            continue
        if key not in rs.questions:
            problems.append(_short(key))
        else:
            raw[key] = ",".join(v for v in values if v)
    return raw, problems


def read_form(rs: el.RuleSet, form) -> Form:
    """The answers in a POSTed step (or the adviser's form), validated and pruned; BadForm if tampered with."""
    raw, unknown_names = raw_answers(rs, form)
    if unknown_names:
        raise BadForm([f"unknown:{n}" for n in unknown_names])
    asked = form.get(ASKED) if form.get(ASKED) in rs.questions else None
    adviser = ADVISER in form
    typed: dict[str, Any] = {}
    problems, error = [], None
    for qid, q in rs.questions.items():
        if form.get(UNKNOWN) == qid or (adviser and not raw.get(qid, "").strip()):
            typed[qid] = None
        elif qid in raw or (qid == asked and q.kind == "multi"):  # no box ticked: none of these
            try:
                typed[qid] = el.parse_answer(rs, qid, raw.get(qid, "none"))
            except el.AnswerError:
                if qid == asked:
                    error = qid
                else:
                    problems.append(f"value:{qid}:{_short(raw[qid])}")
        elif qid == asked and not form.get(CHANGE):
            error = qid
    if problems:
        raise BadForm(problems)
    change = form.get(CHANGE) if form.get(CHANGE) in rs.questions else None
    return Form(el.prune(rs, typed), error, change, FINISH in form or adviser)


def hidden(answers: dict[str, Any], without: str | None = None) -> list[tuple[str, str]]:
    return [(qid, el.spell(v)) for qid, v in answers.items() if qid != without]


def _lang() -> str:
    return g.get("lang", i18n.DEFAULT_LANG)


def _tr(obj, base: str = "text") -> str:
    return getattr(obj, f"{base}_{_lang()}")


def _option_text(options: tuple[str, str]) -> str:
    return options[1] if _lang() == "zh" else options[0]


def _cite(corpus):
    def cite(unit_id: str):
        unit = corpus.units[unit_id]
        return {"id": unit_id, "label": unit.label_in(_lang()), "url": unit.url, "title": unit.citation_in(_lang())}
    return cite


def _page(template: str, rs: el.RuleSet, status: int = 200, **context):
    return render_template(template, rs=rs, tr=_tr, option_text=_option_text, cite=_cite(services().corpus()),
                           spell=el.spell, **context), status


def render_step(rs: el.RuleSet, answers: dict[str, Any], q: el.Question, error: bool = False,
                changing: bool = False):
    before = [qid for qid in answers if list(rs.questions).index(qid) < list(rs.questions).index(q.id)]
    current = el.spell(answers[q.id]) if q.id in answers else None
    return _page("check_step.html", rs, 400 if error else 200, q=q, answers=answers, number=len(before) + 1,
                 more=el.still_to_ask(rs, answers), hidden=hidden(answers, without=q.id), error=error,
                 changing=changing, previous=before[-1] if before else None,
                 current=set(current.split(",")) if current else set(), ignored=False)


def render_result(rs: el.RuleSet, answers: dict[str, Any], template: str = "check_result.html"):
    return _page(template, rs, result=el.check(rs, answers), answers=answers, hidden=hidden(answers),
                 remaining=el.next_question(rs, answers) is not None, today=datetime.date.today().isoformat())


def bad_form(rs: el.RuleSet, problems: list[str]):
    return _page("check_error.html", rs, 400, problems=[p.split(":", 2) for p in problems[:8]])


def posted(rs: el.RuleSet):
    """The POSTed answers and None, or None and the 400 page saying what is wrong."""
    try:
        return read_form(rs, request.form), None
    except BadForm as exc:
        return None, bad_form(rs, exc.problems)


@bp.get("/check")
def start():
    rs = rules()
    ignored = any(k != "lang" for k in request.args)  # an old bookmark: answers are not read from addresses
    q = el.next_question(rs, {})
    return _page("check_step.html", rs, q=q, answers={}, number=1, more=el.still_to_ask(rs, {}), hidden=[],
                 error=False, changing=False, previous=None, current=set(), ignored=ignored)


@bp.get("/check/result")
def old_result_link():
    return start()


@bp.post("/check")
def step():
    rs = rules()
    form, refused = posted(rs)
    if refused:
        return refused
    if form.change:
        return render_step(rs, form.answers, rs.questions[form.change], changing=True)
    if form.error:
        return render_step(rs, form.answers, rs.questions[form.error], error=True)
    q = el.next_question(rs, form.answers)
    if q is None or form.finish:
        return render_result(rs, form.answers)
    return render_step(rs, form.answers, q)


@bp.get("/check/adviser")
def adviser():
    rs = rules()
    return _page("check_adviser.html", rs)


@bp.post("/check/print")
def print_view():
    rs = rules()
    form, refused = posted(rs)
    if refused:
        return refused
    return render_result(rs, form.answers, "check_print.html")


@bp.post("/check/download")
def download():
    rs = rules()
    form, refused = posted(rs)
    if refused:
        return refused
    day = datetime.date.today().isoformat()
    body = markdown(el.check(rs, form.answers), _lang(), day)
    return Response(body, mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="policykb-check-{day}.md"'})


@bp.post("/api/check")
def api():
    rs = rules()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return json_error(400, "POST a JSON object of answers: {\"question id\": answer, ...}; "
                               "the questions are: " + ", ".join(rs.questions))
    try:
        answers = el.parse_answers(rs, data)
    except el.AnswerError as exc:
        return json_error(400, f"{exc.question}: {_short(exc.detail)}", question=exc.question)
    result = el.check(rs, answers).to_dict()
    next_q = el.next_question(rs, answers)
    return jsonify({**result, "next_question": next_q.to_dict() if next_q else None})


@bp.get("/api/check")
def api_get():
    response = json_error(405, "answers are not taken from the address (they would stay in browser history and "
                               "server logs): POST them as a JSON object to /api/check")
    response.headers["Allow"] = "POST"
    return response
