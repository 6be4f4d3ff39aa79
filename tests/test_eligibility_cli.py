"""`policykb check`: QUESTION=ANSWER pairs, --json, --interactive, --questions, and exit 2 on bad input."""
from __future__ import annotations

import io
import json
import shutil
import sys

import pytest

from indexer.cli import main
from indexer.config import REPO_ROOT

ELDERLY_ALONE = ["household_size=1", "receives_dibao=no", "monthly_income=0", "local_standard=900",
                 "property_ok=yes", "age=72", "your_situation=cannot_work,no_livelihood,no_able_supporter",
                 "circumstances=none"]


@pytest.fixture
def run(capsys, monkeypatch):
    def run(*argv, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["check", *argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_json_result(run):
    code, out, err = run(*ELDERLY_ALONE, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    likely = {f["id"]: f for f in data["likely"]}
    assert {"minimum_living_security", "extremely_poor_support", "medical_assistance"} <= set(likely)
    epp = likely["extremely_poor_support"]
    assert epp["assumptions"][0]["id"] == "elderly_age"
    assert any("social-assistance-measures/art-16" in s["cites"] for s in epp["steps"])
    assert data["citations"]["social-assistance-measures/art-14"]["label_zh"] == "第十四条"


def test_text_result_in_chinese_is_a_checklist_with_citations_and_date(run):
    code, out, err = run(*ELDERLY_ALONE, "--lang", "zh")
    assert code == 0
    assert out.startswith("# 社会救助资格初步检查") and "日期: " in out
    assert "- [ ] 由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请" in out and "（第十六条、第十七条）" in out
    assert "同时获得多项救助" in out


@pytest.mark.parametrize("argv, part", [
    (["age=200"], "age: answer a whole number from 0 to 130"),
    (["colour=red"], "colour: unknown question"),
    (["age"], "'age' is not QUESTION=ANSWER"),
    (["age=3", "age=4"], "age: answered more than once"),
    (["circumstances=rich"], "'rich' is not one of"),
])
def test_bad_answers_exit_2_with_one_line(run, argv, part):
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and part in err


def test_no_answers_without_a_terminal_is_a_usage_error(run):
    code, _, err = run(stdin="")
    assert code == 2 and "no answers given" in err


def test_interactive_asks_only_what_can_change_an_outcome(run):
    typed = "\n".join(["no", "1", "0", "900", "yes", "72", "cannot_work,no_livelihood,no_able_supporter", "none"])
    code, out, err = run("--interactive", "--json", stdin=typed + "\n")
    assert code == 0
    assert "How old are you" in err and "Do you have a disability?" not in err  # 72 decides it
    assert json.loads(out)["answers"]["age"] == "72"


def test_questions_are_listed(run):
    code, out, _ = run("--questions")
    assert code == 0 and out.splitlines()[0].startswith("receives_dibao=<yes/no|unknown>")


def test_a_broken_rules_file_exits_2_with_every_problem(run, tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", root)
    path = root / "eligibility" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("art-13]", "art-99]", 1)
                    .replace("includes: homeless}", "includes: homeles}"), encoding="utf-8")
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(root))
    code, _, err = run(*ELDERLY_ALONE)
    assert code == 2
    assert "2 problem(s)" in err and f"{path}:" in err and "art-99" in err and "'homeles'" in err


def test_build_refuses_a_broken_rules_file_before_building(corpus_copy, tmp_path):
    import os
    import subprocess
    import sys

    rules = corpus_copy / "eligibility" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("cites: [art-9]", "cites: [art-99]", 1),
                     encoding="utf-8")
    env = {**os.environ, "POLICYKB_CORPUS_DIR": str(corpus_copy), "POLICYKB_INDEX_DIR": str(tmp_path / "index")}
    done = subprocess.run([sys.executable, "-m", "indexer.cli", "build", "--quiet"], env=env, capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "rules.yaml" in done.stderr and "art-99" in done.stderr
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir())
