"""The eligibility rules (corpus/eligibility/rules.yaml) and their evaluation.

The test cases are data (tests/data/eligibility_cases.yaml): a situation and
the expected outcome for each kind of assistance. Each case is walked through
the questionnaire as a person would answer it, so the number of questions
asked is measured too (figures printed by test_question_counts).
"""
from __future__ import annotations

import shutil
import statistics
from pathlib import Path

import pytest
import yaml

from indexer import eligibility as el
from indexer.config import REPO_ROOT

CASES_FILE = REPO_ROOT / "tests" / "data" / "eligibility_cases.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
RULES_FILE = REPO_ROOT / "corpus" / "eligibility" / "rules.yaml"


@pytest.fixture(scope="module")
def rs():
    return el.load_rules(REPO_ROOT / "corpus")


def run(rs, case):
    answers = el.parse_answers(rs, case["answers"])
    asked = el.walk(rs, answers)
    return answers, asked, el.check(rs, {q: answers[q] for q in asked})


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(rs, case):
    answers, asked, result = run(rs, case)
    assert set(answers) == set(asked), f"answers given but never asked: {set(answers) - set(asked)}"
    expected = {rid: case["expect"].get(rid, el.UNLIKELY) for rid in rs.rules}
    assert {f.id: f.status for f in result.findings} == expected
    assert sorted(f.id for f in result.findings if f.assumptions) == sorted(case.get("assumption", []))
    for qid, ways in case.get("both_ways", {}).items():
        found = next(b for b in result.both_ways if b.question.id == qid)
        assert found.above["minimum_living_security"] == ways["if_above"]
        assert found.not_above["minimum_living_security"] == ways["if_not_above"]


def test_every_rule_has_cases_both_ways(rs):
    seen: dict[str, set] = {rid: set() for rid in rs.rules}
    for case in CASES:
        for f in run(rs, case)[2].findings:
            seen[f.id].add(f.status)
    for rid, statuses in seen.items():
        assert el.LIKELY in statuses and len(statuses) >= 2, (rid, statuses)


def test_question_counts(rs, capsys):
    counts = [len(run(rs, case)[1]) for case in CASES]
    median, largest = statistics.median(counts), max(counts)
    with capsys.disabled():
        print(f"\neligibility questions asked over {len(counts)} cases: median {median}, largest {largest}")
    assert median <= 8 and largest <= 12, counts


def test_unknown_local_standard_says_where_it_is_published(rs):
    q = rs.questions["local_standard"]
    assert "Art. 10" in q.help_en and "第十条" in q.help_zh
    assert "province" in q.help_en and "设区的市级人民政府" in q.help_zh


def test_the_age_of_elderly_is_an_assumption_wherever_it_decides(rs):
    assert "assumption" in rs.questions["age"].help_en and "假定" in rs.questions["age"].help_zh
    answers = el.parse_answers(rs, {"household_size": 1, "receives_dibao": "no", "monthly_income": 0,
                                    "local_standard": 900, "property_ok": "no", "age": 58, "disabled": "no"})
    finding = el.check(rs, answers).get("extremely_poor_support")
    assert finding.status == el.UNLIKELY
    assert [a.id for a in finding.assumptions] == ["elderly_age"]
    assert "not a rule of the Measures" in finding.assumptions[0].item.text_en
    young = el.check(rs, {**answers, "age": 30}).get("extremely_poor_support")
    assert young.assumptions == []  # far from the assumed age it decides nothing


def test_art_28_3_is_a_local_rule(rs):
    result = el.check(rs, el.parse_answers(rs, {"receives_dibao": "no", "household_size": 1, "monthly_income": 5000,
                                                "local_standard": 900, "age": 30, "disabled": "no"}))
    medical = result.get("medical_assistance")
    assert medical.status == el.DEPENDS
    local = [r for r in medical.reasons if r.local]
    assert [r.named.id for r in local] == ["other_special_difficulty"] and local[0].questions == []
    assert "county-level or higher government" in local[0].named.item.text_en


def _item_texts(rs, rule_id):
    rule = rs.rules[rule_id]
    return [i.text_en for i in rule.receive + rule.steps]


def test_texts_say_what_the_articles_say(rs):
    assert any("on the basis of the gap" in t for t in _item_texts(rs, "minimum_living_security"))
    rebuild = next(i for i in rs.rules["disaster_relief"].receive if "art-25" in i.cites[0])
    assert "damaged" not in rebuild.text_en  # Art. 25 has no such condition
    window = next(i for i in rs.common_steps if any(c.endswith("art-60") for c in i.cites))
    assert "shall set up a single window" in window.text_en and "应当建立" in window.text_zh
    steps = " ".join(_item_texts(rs, "minimum_living_security"))
    assert "in writing" in steps and "公示" in steps
    common = {c.rsplit("-", 1)[1] for i in rs.common_steps for c in i.cites}
    assert {"58", "60", "63", "65"} <= common


def test_every_text_has_both_languages_and_every_citation_resolves(rs, corpus):
    items = [i for r in rs.rules.values() for i in r.receive + r.steps] + list(rs.common_steps + rs.together)
    items += [n.item for n in [*rs.conditions.values(), *rs.local_rules.values(), *rs.assumptions.values()]]
    for item in items:
        assert item.text_en.strip() and item.text_zh.strip() and item.cites
        assert all(c in corpus.units for c in item.cites)
    for q in rs.questions.values():
        assert q.text_en and q.text_zh and all(c in corpus.units for c in q.cites)


def test_answers_are_parsed_or_refused_in_one_line(rs):
    assert el.parse_answer(rs, "receives_dibao", "是") is True
    assert el.parse_answer(rs, "age", "不知道") is None
    assert el.parse_answer(rs, "circumstances", "disaster, homeless") == frozenset({"disaster", "homeless"})
    assert el.parse_answer(rs, "circumstances", "none") == frozenset()
    for qid, raw in (("age", "200"), ("age", "old"), ("receives_dibao", "maybe"), ("circumstances", "rich"),
                     ("colour", "red")):
        with pytest.raises(el.AnswerError) as exc:
            el.parse_answer(rs, qid, raw)
        assert "\n" not in str(exc.value) and exc.value.question == qid


# ---------------------------------------------------------------------------
# Validation: a broken rules file is refused with every problem, as file:line
# ---------------------------------------------------------------------------

def _broken(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    root = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", root)
    text = RULES_FILE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (root / "eligibility" / "rules.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(el.RulesError) as exc:
        el.load_rules(root)
    return exc.value.problems


def _line_of(snippet: str) -> int:
    return next(i for i, line in enumerate(RULES_FILE.read_text(encoding="utf-8").splitlines(), 1) if snippet in line)


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    problems = _broken(
        tmp_path,
        ("cites: [art-9, art-13]", "cites: [art-9, art-99]"),
        ("when: {q: receives_dibao, is: yes}", "when: {q: receives_dibao, is: maybe}"),
        ("includes: homeless}", "includes: homeles}"),
        ("applies_when: {holds: extremely_poor}", "applies_when: {holds: extremly_poor}"),
        ("when: {q: disabled, is: yes}", "when: {q: disabld, is: yes}"),
        ("guide: guides/housing-assistance", "guide: guides/no-such-guide"))
    path = str(tmp_path / "corpus" / "eligibility" / "rules.yaml")
    assert len(problems) == 6, problems
    assert all(p.startswith(path + ":") for p in problems)
    assert f"{path}:{_line_of('cites: [art-9, art-13]')}: cites 'art-99'" in problems[0]
    joined = "\n".join(problems)
    for part in ("'is' must be yes or no", "'homeles' is not an option of 'circumstances'",
                 "unknown condition 'extremly_poor'", "unknown question 'disabld'", "not a guide in the corpus"):
        assert part in joined


def test_an_unreachable_rule_is_refused(tmp_path):
    problems = _broken(tmp_path, ("applies_when: {holds: homeless}",
                                  "applies_when: {all: [{holds: homeless}, {not: {holds: homeless}}]}"))
    assert len(problems) == 1 and "rule 'vagrant_beggar_assistance' is unreachable" in problems[0]


def test_a_condition_that_refers_to_itself_is_refused(tmp_path):
    problems = _broken(tmp_path, ("    when: {q: disabled, is: yes}", "    when: {holds: disabled}"))
    assert len(problems) == 1 and "refers back to itself" in problems[0]


def test_a_question_no_condition_reads_is_refused(tmp_path):
    problems = _broken(tmp_path, ("when: {q: in_institution, is: no}", "when: {q: property_ok, is: no}"))
    assert any("question 'in_institution' is never asked" in p for p in problems), problems


def test_text_in_one_language_only_is_refused(tmp_path):
    problems = _broken(tmp_path, ("    text_zh: 您是否是残疾人？\n", ""))
    assert len(problems) == 1 and "'text_zh' must be non-empty text" in problems[0]
