"""`policykb check`: the eligibility check on the command line.

Answers come as QUESTION=ANSWER pairs (`policykb check household_size=1
age=72 circumstances=none`); any question also takes `unknown`.
`--questions` lists the questions and their answers. With no answers in a
terminal, or with `--interactive`, the questions that can still change an
outcome are asked one at a time (prompts on stderr, so `--json` stays clean).
A bad answer is a usage error: exit 2 with one line; a broken rules file
exits 2 with every problem as file:line: problem.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any, TextIO

from . import eligibility as el
from .eligibility_report import markdown


def add_check_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `check` subcommand to the policykb parser (the rules are read only when it runs)."""
    from . import cli

    p = subparsers.add_parser(
        "check", help="which kinds of social assistance may apply, with citations",
        description="Which kinds of social assistance may apply, why, what to do next, and the articles that "
                    "say so. Give answers as QUESTION=ANSWER; --questions lists them. Every question also "
                    "takes 'unknown'.")
    p.add_argument("answers", nargs="*", metavar="QUESTION=ANSWER")
    p.add_argument("--questions", action="store_true", help="list the questions and the answers they take")
    p.add_argument("--interactive", action="store_true", help="ask the questions that still matter, one at a time")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text output and prompts")
    p.set_defaults(func=cli.cmd_check)
    return p


def expects(q: el.Question, lang: str = "en") -> str:
    if q.kind == "number":
        return f"{q.minimum}-{q.maximum}"
    if q.kind == "multi":
        return ",".join(q.options) + "|none"
    return "是/否" if lang == "zh" else "yes/no"


def pairs_to_answers(rs: el.RuleSet, pairs: list[str]) -> dict[str, Any]:
    from .cli import UsageError

    raw: dict[str, str] = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"check: '{pair[:40]}' is not QUESTION=ANSWER (see policykb check --questions)")
        if qid in raw:
            raise UsageError(f"check: {qid}: answered more than once")
        raw[qid] = value
    try:
        return el.parse_answers(rs, raw)
    except el.AnswerError as exc:
        raise UsageError(f"check: {exc}") from None


def ask(rs: el.RuleSet, answers: dict[str, Any], stdin: TextIO, out: TextIO, lang: str = "en") -> dict[str, Any]:
    """Ask what can still change an outcome, one question at a time, until none is left or input ends."""
    answers = dict(answers)
    zh = lang == "zh"
    out.write("回答每个问题；不知道的直接按回车。\n" if zh else "Answer each question; press Enter if you don't know.\n")
    while (q := el.next_question(rs, answers)) is not None:
        help_text = q.help_zh if zh else q.help_en
        if help_text:
            out.write(f"  ({help_text})\n")
        for oid, (en, zh_text) in q.options.items():
            out.write(f"  {oid}: {zh_text if zh else en}\n")
        out.write(f"{q.text_zh if zh else q.text_en} [{expects(q, lang)}] ")
        out.flush()
        line = stdin.readline()
        if not line:  # end of input: check with what we have
            out.write("\n")
            break
        if not stdin.isatty():
            out.write("\n")
        try:
            answers[q.id] = el.parse_answer(rs, q.id, line.strip() or "unknown")
        except el.AnswerError as exc:
            out.write(f"  {exc.detail}\n")
    return answers


def list_questions(rs: el.RuleSet, lang: str) -> str:
    return "\n".join(f"{qid}=<{expects(q, lang)}|unknown>  {q.text_zh if lang == 'zh' else q.text_en}"
                     for qid, q in rs.questions.items())


def run_check(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_USAGE, UsageError

    try:
        rs = el.load_rules()
    except el.RulesError as exc:
        print(f"policykb: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.questions:
        print(list_questions(rs, args.lang))
        return EXIT_OK
    answers = pairs_to_answers(rs, args.answers)
    if args.interactive or (not answers and sys.stdin.isatty()):
        answers = ask(rs, answers, sys.stdin, sys.stderr, args.lang)
    elif not answers:
        raise UsageError("check: no answers given: pass QUESTION=ANSWER pairs (policykb check --questions), "
                         "or use --interactive to be asked")
    result = el.check(rs, answers)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(markdown(result, args.lang, datetime.date.today().isoformat()))
    return EXIT_OK
