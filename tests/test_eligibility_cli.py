"""`policykb check`: flags, --json, --interactive, and exit 2 on bad answers."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from indexer.cli import main
from indexer.config import REPO_ROOT
from indexer.corpus import load_corpus
from indexer.eligibility import QUESTIONS, art

ELDERLY_ALONE = ["--receives-dibao", "no", "--income-below-standard", "yes", "--property-within-rules", "yes",
                 "--receives-extremely-poor-support", "no", "--age", "72", "--able-to-work", "no",
                 "--has-income-source", "no", "--has-able-supporter", "no"]


@pytest.fixture
def run(capsys, monkeypatch):
    def run(*argv, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["check", *argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO_ROOT / "corpus")


def test_json_shape_and_rules(run, corpus):
    code, out, err = run(*ELDERLY_ALONE, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"likely", "depends", "unlikely", "unanswered", "notice", "answers", "citations"}
    likely = {f["id"]: f for f in data["likely"]}
    assert {"minimum_living_security", "extremely_poor_support", "medical_assistance"} <= set(likely)
    epp = likely["extremely_poor_support"]
    assert set(epp) >= {"id", "name_en", "name_zh", "status", "reasons", "depends_on", "receive", "apply",
                        "decides", "notes", "warnings", "cites", "guide", "articles"}
    assert [r["condition"] for r in epp["reasons"]] == ["elderly", "unable_to_work", "no_income_source",
                                                         "no_able_supporter"]
    assert epp["reasons"][0]["cites"] == [art(14)] and epp["reasons"][0]["answers"] == {"age": 72}
    assert epp["apply"][0]["cites"] == [art(16)]
    assert data["citations"][art(14)] == {"label_en": "Art. 14", "label_zh": "第十四条",
                                          "url": "/units/social-assistance-measures/art-14"}
    assert all(c in corpus.units for c in data["citations"])
    assert data["answers"]["age"] == 72 and data["answers"]["disabled"] is None
    assert {art(n) for n in (10, 15, 29, 35, 39, 49)} <= set(data["notice"]["cites"])
    employment = {f["id"]: f for f in data["unlikely"]}["employment_assistance"]
    assert employment["reasons"][0]["condition"] == "able_to_work"


def test_unknown_answers_land_in_depends(run):
    code, out, _ = run("--age", "72", "--able-to-work", "no", "--has-income-source", "unknown", "--json")
    data = json.loads(out)
    depends = {f["id"]: f for f in data["depends"]}
    assert code == 0 and "extremely_poor_support" in depends
    asked = [q["id"] for o in depends["extremely_poor_support"]["depends_on"] for q in o["questions"]]
    assert asked == ["has_income_source", "has_legal_supporter_able_to_support"]
    assert "has_income_source" in [q["id"] for q in data["unanswered"]]


def test_text_output_lists_why_citations_receive_apply_then_unlikely_then_notice(run):
    code, out, _ = run(*ELDERLY_ALONE)
    assert code == 0
    likely, rest = out.split("DEPENDS ON", 1)
    assert "Support for extremely poor persons" in likely and "Art. 14" in likely
    assert "You may receive:" in likely and "Where to apply:" in likely and "Who decides:" in likely
    assert "township government or sub-district office" in likely
    unlikely, notice = rest.split("LIKELY DOES NOT APPLY", 1)[1].split("PLEASE NOTE", 1)
    assert "Employment assistance" in unlikely and "Why not:" in unlikely
    assert "county civil affairs department" in notice and "Arts. 10, 15, 29, 35, 39, 49" in notice


def test_text_output_in_chinese(run):
    code, out, _ = run(*ELDERLY_ALONE, "--lang", "zh")
    assert code == 0 and "特困人员供养" in out and "第十四条" in out and "请注意" in out


def test_three_refusals_warn_in_text(run):
    code, out, _ = run("--receives-dibao", "yes", "--age", "40", "--disabled", "no", "--able-to-work", "yes",
                       "--unemployed", "yes", "--refused-jobs-three-times", "yes")
    assert code == 0 and "Warning:" in out and "Art. 45" in out


@pytest.mark.parametrize("argv, reason", [
    (["--age", "-3"], "argument --age: must be from 0 to 150, got -3"),
    (["--age", "seventy"], "argument --age: answer a whole number from 0 to 150 or unknown, got 'seventy'"),
    (["--disabled", "maybe"], "argument --disabled: answer yes, no or unknown, got 'maybe'"),
    (["--support-form", "home"], "answer one of dispersed, centralised or unknown, got 'home'"),
    (["--no-such-answer", "yes"], "unrecognized arguments: --no-such-answer yes"),
])
def test_bad_answers_exit_2_with_one_line(run, argv, reason):
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and reason in err and "Traceback" not in err


def test_no_answers_without_a_terminal_is_a_usage_error(run):
    code, out, err = run(stdin="")
    assert code == 2 and out == "" and "no answers given" in err and err.count("\n") == 1


def test_interactive_asks_only_what_matters_one_at_a_time(run):
    # Not on dibao; income below; property within; not supported; 15; no disability; cannot work;
    # no livelihood; no supporter; no serious illness; no emergency; no children; housing difficulty;
    # rural; no disaster; no accident; no expenses jump; no other hardship; not homeless.
    lines = ["no", "yes", "yes", "no", "15", "no", "no", "no", "no", "no", "no", "no", "yes", "no", "no",
             "no", "no", "no", "no"]
    code, out, err = run("--interactive", "--json", stdin="\n".join(lines) + "\n")
    assert code == 0
    data = json.loads(out)
    assert data["answers"]["age"] == 15 and data["answers"]["lives_in_town"] is False
    assert data["depends"] == [] and data["unanswered"] == []
    likely = [f["id"] for f in data["likely"]]
    assert likely == ["minimum_living_security", "extremely_poor_support", "medical_assistance", "housing_assistance"]
    housing = next(f for f in data["likely"] if f["id"] == "housing_assistance")
    assert [a["text_en"].split()[0] for a in housing["apply"]] == ["Rural"]
    # Skipped: the support form (not supported), school questions (no children), disaster damage.
    assert "Where are you supported?" not in err
    assert "compulsory education" not in err and "seriously damaged" not in err
    assert err.count("[yes/no]") + err.count("[0-150]") == len(lines)


def test_interactive_re_asks_after_a_bad_answer_and_enter_means_unknown(run):
    code, out, err = run("--interactive", "--json", "--receives-dibao", "yes",
                         stdin="maybe\nyes\n\n")  # receives support: 'maybe' refused, then yes; form: unknown
    assert code == 0 and "answer yes, no or unknown, got 'maybe'" in err
    data = json.loads(out)
    assert data["answers"]["receives_extremely_poor_support"] is True
    assert data["answers"]["extremely_poor_support_form"] is None  # Enter: don't know; input then ended


def test_every_question_has_a_flag_in_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert all(q.flag in out for q in QUESTIONS)


def test_as_a_process_bad_answer_exits_2_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "indexer.cli", "check", "--age", "-3"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().endswith("argument --age: must be from 0 to 150, got -3")
    assert "Traceback" not in proc.stderr


def test_as_a_process_json():
    proc = subprocess.run([sys.executable, "-m", "indexer.cli", "check", "--homeless", "yes", "--json"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    likely = [f["id"] for f in json.loads(proc.stdout)["likely"]]
    assert likely == ["vagrant_beggar_assistance"]
