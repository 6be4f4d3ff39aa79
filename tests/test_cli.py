"""The command line, as ../shared/CONTRACT.md defines it."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from indexer.cli import main

from .conftest import CORPUS, SHARED

UNIT_KEYS = {"id", "doc_id", "kind", "number", "title", "chapter", "text_en", "text_zh", "citation", "url"}


@pytest.fixture
def cli(index_dir, monkeypatch, capsys):
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(CORPUS))

    def run(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_units_json_lists_every_unit_with_the_contract_fields(cli):
    code, out, _ = cli("units", "--json")
    units = json.loads(out)
    assert code == 0
    kinds = [u["kind"] for u in units]
    assert kinds.count("article") == 70 and kinds.count("pathway") == 8 and kinds.count("guide") >= 9
    assert all(UNIT_KEYS <= set(u) for u in units)


def test_show_json(cli):
    code, out, _ = cli("show", "social-assistance-measures/art-14", "--json")
    unit = json.loads(out)
    assert code == 0
    assert unit["number"] == 14 and unit["chapter"]["number"] == 3
    assert "未满16周岁的未成年人" in unit["text_zh"] and unit["url"] == "/units/social-assistance-measures/art-14"


def test_show_unknown_id_is_a_usage_error(cli):
    code, out, err = cli("show", "social-assistance-measures/art-71")
    assert code == 2 and out == ""
    assert err.strip() == "policykb: unknown unit id 'social-assistance-measures/art-71' (see: policykb units --json)"


def test_search_json(cli):
    code, out, _ = cli("search", "dibao application procedure", "-k", "3", "--json")
    data = json.loads(out)
    assert code == 0 and data["mode"] == "hybrid" and len(data["results"]) == 3
    assert "social-assistance-measures/art-11" in [r["id"] for r in data["results"]]
    assert all({"score", "snippet"} <= set(r) for r in data["results"])


@pytest.mark.parametrize("argv, reason", [
    (["search", "   "], "the question is empty"),
    (["search", "x", "-k", "0"], "k must be from 1 to 50"),
    (["search", "x", "-k", "many"], "k must be a whole number"),
    (["search", "x", "--mode", "fuzzy"], "invalid choice: 'fuzzy'"),
    (["eval", "no-such-file.jsonl"], "cannot read"),
    (["frobnicate"], "invalid choice"),
    (["serve", "--port", "99999"], "port must be from 1 to 65535"),
    (["serve", "--port", "-1"], "port must be from 1 to 65535"),
    (["serve", "--threads", "0"], "threads must be from 1 to 64"),
    (["serve", "--workers", "0"], "workers must be from 1 to 16"),
])
def test_bad_input_exits_2_with_one_line(cli, argv, reason):
    code, _, err = cli(*argv)
    assert code == 2
    assert reason in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_eval_json_has_the_contract_metrics(cli):
    code, out, _ = cli("eval", str(SHARED / "eval" / "dev.jsonl"), "--json")
    report = json.loads(out)
    assert code == 0
    assert {"mode", "k", "n", "hit_at_k", "mrr", "recall_at_k", "ndcg_at_k", "misses"} <= set(report)
    assert report["n"] == 28 and 0 < report["mrr"] <= 1


def test_eval_aggregate_names_no_question(cli, tmp_path):
    """A held-out set is scored without showing which of its questions missed."""
    missed = tmp_path / "held.jsonl"
    missed.write_text('{"id": "held-1", "lang": "en", "question": "how to bake sourdough bread", '
                      '"relevant": ["social-assistance-measures/art-1"]}\n', encoding="utf-8")
    code, out, _ = cli("eval", str(missed))
    assert code == 0 and "held-1" in out
    for extra in ((), ("--json",)):
        code, out, _ = cli("eval", str(missed), "--aggregate", *extra)
        assert code == 0 and "hit_at_k" in out and "held-1" not in out and "miss" not in out


def test_eval_names_the_bad_line(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q", "relevant": ["social-assistance-measures/art-1"]}\n{oops\n')
    code, _, err = cli("eval", str(bad))
    assert code == 2 and f"{bad}:2: not valid JSON" in err


def test_missing_index_says_how_to_rebuild(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(tmp_path / "nothing"))
    code, _, err = cli("search", "dibao")
    assert code == 1 and "run: policykb build" in err and "Traceback" not in err


def test_console_script_runs():
    run = subprocess.run([sys.executable, "-m", "indexer.cli", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "build" in run.stdout and "eval" in run.stdout
