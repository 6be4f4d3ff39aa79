"""`policykb check`: the eligibility check on the command line.

Answers come as flags (`--income-below-standard yes --age 72 --able-to-work no`),
one per question in indexer.eligibility.QUESTIONS; any question also takes
`unknown`. With no answers in a terminal, or with `--interactive`, the
questions that still matter are asked one at a time (prompts on stderr, so
`--json` output stays clean). A bad answer is a usage error: exit 2 with a
one-line reason.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from .eligibility import (CHOICE, NUMBER, QUESTIONS, AnswerError, Finding, Question, Result, Situation, check,
                          cite_label, in_language, next_questions, parse_answer)

DEST_PREFIX = "answer_"


def _answer_type(question: Question):
    def parse(text: str) -> Any:
        try:
            return parse_answer(question.id, text)
        except AnswerError as exc:
            raise argparse.ArgumentTypeError(exc.detail) from None
    parse.__name__ = question.id  # argparse names the type in some messages
    return parse


def _expects(question: Question, lang: str = "en") -> str:
    if question.kind == NUMBER:
        return f"{question.minimum}-{question.maximum}"
    if question.kind == CHOICE:
        return "/".join(c.value for c in question.choices)
    return "是/否" if lang == "zh" else "yes/no"


def add_check_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `check` subcommand to the policykb parser."""
    from . import cli

    p = subparsers.add_parser(
        "check", help="which kinds of social assistance may apply, with citations",
        description="Which kinds of social assistance may apply to a household, why, and the articles that say so. "
                    "Every answer also takes 'unknown'. 'You' is the person who needs help; 'your family' the family "
                    "members who live together.")
    answers = p.add_argument_group("answers")
    for q in QUESTIONS:
        help_text = q.text_en
        if q.kind == CHOICE:
            help_text += " (" + "; ".join(f"{c.value}: {c.text_en}" for c in q.choices) + ")"
        answers.add_argument(*(q.flags or (q.flag,)), dest=DEST_PREFIX + q.id, type=_answer_type(q),
                             default=argparse.SUPPRESS, metavar=_expects(q).upper() if q.kind != NUMBER else "N",
                             help=help_text)
    p.add_argument("--interactive", action="store_true",
                   help="ask the questions that still matter, one at a time")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text output and prompts")
    p.set_defaults(func=cli.cmd_check)
    return p


def answers_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The answers given as flags: question id -> typed answer (None: unknown)."""
    return {q.id: getattr(args, DEST_PREFIX + q.id) for q in QUESTIONS if hasattr(args, DEST_PREFIX + q.id)}


def ask(answers: dict[str, Any], stdin: TextIO, out: TextIO, lang: str = "en") -> dict[str, Any]:
    """Ask the questions that still matter, one at a time, until none is left or input ends.

    An empty line means "I don't know". A bad answer is explained and asked again.
    """
    answers = dict(answers)
    zh = lang == "zh"
    out.write("回答每个问题；不知道的直接按回车。\n" if zh
              else "Answer each question; press Enter if you don't know.\n")
    while True:
        remaining = next_questions(answers)
        if not remaining:
            break
        q = remaining[0]
        text, help_text = (q.text_zh, q.help_zh) if zh else (q.text_en, q.help_en)
        if help_text:
            out.write(f"  ({help_text})\n")
        if q.kind == CHOICE:
            for c in q.choices:
                out.write(f"  {c.value}: {c.text_zh if zh else c.text_en}\n")
        out.write(f"{text} [{_expects(q, lang)}] ")
        out.flush()
        line = stdin.readline()
        if not line:  # end of input: check with what we have
            out.write("\n")
            break
        if not stdin.isatty():  # piped answers are not echoed: end the prompt line
            out.write("\n")
        line = line.strip()
        if not line:
            answers[q.id] = None
            continue
        try:
            answers[q.id] = parse_answer(q.id, line)
        except AnswerError as exc:
            out.write(f"  {exc.detail}\n")
    return answers


def run_check(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, UsageError

    answers = answers_from_args(args)
    interactive = args.interactive or (not answers and sys.stdin.isatty())
    if interactive:
        answers = ask(answers, sys.stdin, sys.stderr, args.lang)
    elif not answers:
        raise UsageError("check: no answers given: pass them as flags (see policykb check --help), "
                         "or use --interactive to be asked")
    try:
        situation = Situation.from_answers(answers)
    except AnswerError as exc:
        raise UsageError(f"check: {exc}")
    result = check(situation)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_result(result, args.lang))
    return EXIT_OK


# ---------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------

_WORDS = {
    "en": {
        "title": "Eligibility check under the Interim Measures for Social Assistance",
        "likely": "MAY APPLY", "depends": "DEPENDS ON ANSWERS NOT GIVEN (OR ON LOCAL RULES)",
        "unlikely": "LIKELY DOES NOT APPLY", "notice": "PLEASE NOTE",
        "why_likely": "Why", "why_depends": "Known so far", "why_unlikely": "Why not", "open": "Depends on",
        "receive": "You may receive", "apply": "Where to apply",
        "decides": "Who decides", "note": "Also", "warning": "Warning", "guide": "Guide",
        "none": "(none)",
    },
    "zh": {
        "title": "社会救助资格初步检查（依据《社会救助暂行办法》）",
        "likely": "可能适用", "depends": "取决于未回答的问题（或地方规定）",
        "unlikely": "可能不适用", "notice": "请注意",
        "why_likely": "理由", "why_depends": "目前已知", "why_unlikely": "原因", "open": "取决于",
        "receive": "可能获得", "apply": "向哪里申请",
        "decides": "由谁决定", "note": "另外", "warning": "提醒", "guide": "指南",
        "none": "（无）",
    },
}


def _name(f: Finding, lang: str) -> str:
    return f"{f.rule.name_zh}（{f.rule.name_en}）" if lang == "zh" else f"{f.rule.name_en} ({f.rule.name_zh})"


def _cited(text: str, cites, lang: str) -> str:
    label = cite_label(cites, lang)
    if not label:
        return text
    return f"{text}（{label}）" if lang == "zh" else f"{text} ({label})"


def _finding_lines(f: Finding, lang: str, w: dict) -> list[str]:
    colon = "：" if lang == "zh" else ":"
    dash = "：" if lang == "zh" else " — "
    lines = [_name(f, lang)]
    if f.reasons:
        lines.append(f"   {w['why_' + f.status]}{colon}")
        lines.extend("   - " + _cited(f"{in_language(r, 'condition', lang)}{dash}{in_language(r, 'text', lang)}", r.cites, lang)
                     for r in f.reasons)
    if f.depends_on:
        lines.append(f"   {w['open']}{colon}")
        lines.extend("   - " + _cited(f"{in_language(o, 'condition', lang)}{dash}{in_language(o, 'text', lang)}", o.cites, lang)
                     for o in f.depends_on)
    if f.status != "likely":  # the JSON has the rest; the text stays short
        return lines
    for key, items in (("warning", f.warnings), ("receive", f.receive), ("apply", f.apply),
                       ("decides", f.decides), ("note", f.notes)):
        if items:
            lines.append(f"   {w[key]}{colon}")
            lines.extend("   - " + _cited(item.zh if lang == "zh" else item.en, item.cites, lang) for item in items)
    if f.rule.guide:
        lines.append(f"   {w['guide']}{colon} /{f.rule.guide}")
    return lines


def format_result(result: Result, lang: str = "en") -> str:
    w = _WORDS[lang]
    out = [w["title"], ""]
    for key, findings in (("likely", result.likely), ("depends", result.depends), ("unlikely", result.unlikely)):
        out.append(w[key])
        if not findings:
            out.append("  " + w["none"])
        for i, f in enumerate(findings, 1):
            lines = _finding_lines(f, lang, w)
            out.append(f"{i}. {lines[0]}")
            out.extend(lines[1:])
        out.append("")
    out.append(w["notice"])
    out.append(result.notice.zh if lang == "zh" else result.notice.en)
    return "\n".join(out)
