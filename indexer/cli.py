"""policykb: the command line (see ../shared/CONTRACT.md).

Exit status: 0 success; 2 bad usage or bad input, with a one-line reason on
stderr; 1 anything else. A user's mistake never ends in a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import config

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: one line, exit 2
        raise UsageError(f"{self.prog}: {message}")


# Control characters a user typed (a newline in an id, say) are shown escaped,
# so that a usage error stays one line.
_CONTROL = {c: f"\\x{c:02x}" for c in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 127: "\\x7f"}


def _one_line(text: str) -> str:
    return text.translate(_CONTROL)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _whole_number(name: str, low: int, high: int):
    """An argparse type: a whole number from low to high, or a one-line refusal."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got '{value}'")
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{name} must be from {low} to {high}, got {number}")
        return number
    return parse


_k = _whole_number("k", 1, 50)


def _load_corpus():
    from .corpus import load_corpus

    return load_corpus(config.corpus_dir())


def _engine(strict: bool = True):
    from .engine import SearchEngine

    engine = SearchEngine.open()
    if engine.stale_reason:
        if strict:
            from .index_store import IndexStale

            raise IndexStale(engine.stale_reason)
    return engine


def _refuse_undecodable(args) -> None:
    """Python hands bytes that are not UTF-8 over as lone surrogates; say so before they reach a model."""
    for name, value in vars(args).items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(f"{name}: not valid UTF-8") from None


def cmd_build(args) -> int:
    from .build import build_index
    from .eligibility import RulesError, load_rules

    # The eligibility rules are corpus data too: a broken rules file is refused
    # here, before anything is built, not first by the check page.
    if (config.corpus_dir() / "eligibility" / "rules.yaml").exists():
        try:
            load_rules()
        except RulesError as exc:
            print(f"policykb: {exc}", file=sys.stderr)
            return EXIT_USAGE
    summary = build_index(progress=not args.quiet and sys.stderr.isatty())
    print(summary.line())
    return EXIT_OK


def cmd_search(args) -> int:
    from .engine import QueryError, validate

    try:
        validate(args.question, args.k, args.mode)  # before the model loads: a mistake is told at once
        response = _engine().search(args.question, k=args.k, mode=args.mode)
    except QueryError as exc:
        raise UsageError(str(exc))
    if args.json:
        _print_json(response.to_dict())
        return EXIT_OK
    if response.expansions:
        print(f"also searched: {', '.join(response.expansions)}")
    if response.low_confidence:
        print("No close match. The nearest articles follow; to ask in person, go to your township "
              "government or sub-district office (Art. 60).")
    for rank, hit in enumerate(response.hits, 1):
        print(f"{rank:>2}. {hit.unit.id}  [{hit.score:.4f}]  {hit.unit.title}")
        print(f"    {hit.unit.citation}" + (f" / {hit.unit.citation_zh}" if hit.unit.citation_zh else ""))
        print(f"    {hit.snippet}")
    for hit in response.guides:
        print(f"guide: {hit.unit.id}  {hit.unit.title}")
    return EXIT_OK


def cmd_show(args) -> int:
    corpus = _load_corpus()
    unit = corpus.get(args.unit_id)
    if unit is None:
        raise UsageError(f"unknown unit id '{args.unit_id}' (see: policykb units --json)")
    if args.json:
        _print_json(unit.to_dict())
        return EXIT_OK
    print(unit.title + (f"  {unit.title_zh}" if unit.title_zh else ""))
    print(unit.citation)
    if unit.citation_zh:
        print(unit.citation_zh)
    if unit.chapter:
        print(f"Chapter {unit.chapter.number}: {unit.chapter.title_en} / {unit.chapter.title_zh}")
    if unit.text_zh:
        print("\n" + unit.text_zh)
    label = {"unofficial": " (unofficial translation)", "seed": " (seed translation)"}.get(unit.status_en, "")
    print(f"\nEnglish{label}:\n{unit.text_en}")
    return EXIT_OK


def cmd_units(args) -> int:
    units = _load_corpus().all_units()
    if args.json:
        _print_json([u.to_dict() for u in units])
    else:
        for unit in units:
            print(f"{unit.id}\t{unit.title}")
    return EXIT_OK


def cmd_eval(args) -> int:
    from .engine import QueryError
    from .evaluate import QuestionSetError, evaluate, load_questions

    engine = _engine()
    known = {u.id for u in engine.corpus.all_units()}
    try:
        questions = load_questions(Path(args.file), known)
        report = evaluate(engine, questions, k=args.k, mode=args.mode)
    except (QuestionSetError, QueryError) as exc:
        raise UsageError(str(exc).splitlines()[0] if not args.json else str(exc))
    if args.aggregate:  # a held-out set's questions stay unseen: no per-question rows anywhere
        report = {key: value for key, value in report.items() if key != "misses"}
        report["by_lang"] = {lang: {key: value for key, value in figures.items() if key != "misses"}
                             for lang, figures in report["by_lang"].items()}
    if args.json:
        _print_json({key: value for key, value in report.items() if key != "questions"})
        return EXIT_OK
    print(f"{args.file}: {report['n']} answerable and {report['unanswerable']} unanswerable questions, "
          f"mode {report['mode']}, k={report['k']}")
    _print_figures("all", report)
    for lang, figures in report["by_lang"].items():
        _print_figures(lang, figures)
    for q in [] if args.aggregate else report["questions"]:
        if q["relevant"] and not q["hit"]:
            print(f"  miss {q['id']}: top {', '.join(q['top'][:3])}")
    return EXIT_OK


def _print_figures(label: str, figures: dict) -> None:
    """One line of a report: the metrics over its answerable questions, then its unanswerable ones."""
    parts = [f"n={figures['n']}"]
    if figures["n"]:
        parts += [f"{key} {figures[key]:.3f}" for key in ("hit_at_k", "mrr", "recall_at_k", "ndcg_at_k")]
        parts.append(f"answerable_flagged {figures['answerable_flagged']:.3f}")
        parts.append(f"answer_cites_relevant {figures['answer_cites_relevant']:.3f}")
    if figures["unanswerable"]:
        parts.append(f"unanswerable {figures['unanswerable']}, flagged {figures['unanswerable_flagged']:.3f}")
    print(f"  {label:<4} " + "  ".join(parts))


def cmd_serve(args) -> int:
    from webapp.serve import AddressError, serve

    try:
        chosen = {key: getattr(args, key) for key in ("threads", "workers") if getattr(args, key)}
        serve(host=args.host, port=args.port, **chosen)
    except AddressError as exc:
        raise UsageError(str(exc))
    return EXIT_OK


def cmd_check(args) -> int:
    from .eligibility_cli import run_check

    return run_check(args)


def make_parser() -> argparse.ArgumentParser:
    from .engine import MODES

    parser = _Parser(prog="policykb", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("build", help="parse and validate corpus/, build the keyword and vector indexes")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("search", help="ranked units with citations")
    p.add_argument("question")
    p.add_argument("-k", type=_k, default=10, help="how many results (1-50)")
    p.add_argument("--mode", choices=MODES, default="hybrid")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="one unit")
    p.add_argument("unit_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("units", help="every unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("eval", help="retrieval metrics over a question set")
    p.add_argument("file")
    p.add_argument("-k", type=_k, default=5)
    p.add_argument("--mode", choices=MODES, default="hybrid")
    p.add_argument("--json", action="store_true")
    p.add_argument("--aggregate", action="store_true",
                   help="the figures only, no question's id or ranking (for a held-out set)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="the website and API, on waitress")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_whole_number("port", 1, 65535), default=8000)
    p.add_argument("--threads", type=_whole_number("threads", 1, 64), default=None,
                   help="WSGI worker threads per process (default: see webapp/serve.py)")
    p.add_argument("--workers", type=_whole_number("workers", 1, 16), default=None,
                   help="serving processes on the one port (default: see webapp/serve.py)")
    p.set_defaults(func=cmd_serve)

    from .eligibility_cli import add_check_parser
    add_check_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .corpus import CorpusError
    from .embeddings import ModelUnavailable
    from .index_store import IndexProblem

    try:
        args = make_parser().parse_args(argv)
        _refuse_undecodable(args)
        return args.func(args)
    except UsageError as exc:
        print(f"policykb: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except CorpusError as exc:
        # Every problem, one per line; the first line says how many.
        print(f"policykb: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (IndexProblem, ModelUnavailable) as exc:
        print(f"policykb: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # an unwritable index folder, a port in use
        print(f"policykb: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
