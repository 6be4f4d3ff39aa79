"""The editorial data files beside the texts: intents.yaml and scope.yaml.

Both are validated on load like the Markdown corpus: every problem at once,
as file:line: problem, and nothing half-loaded.
"""
from __future__ import annotations

import re

import pytest

from indexer.corpus import CorpusError, load_corpus, corpus_hash


def _problems(root) -> list[str]:
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


# -- intents ---------------------------------------------------------------

def test_every_role_is_played_by_an_article_and_asked_for_in_both_languages(corpus):
    roles = corpus.intents.roles
    assert {"qualify", "apply", "receive", "duties", "stop", "penalty", "complain", "decide"} <= set(roles)
    for role in roles.values():
        assert any(re.search(r"[\u4e00-\u9fff]", p) for p in role.cues.phrases), role.id
        assert any(re.search(r"[a-z]", p) for p in role.cues.phrases), role.id
        assert any(role.id in r for r in corpus.intents.unit_roles.values()), role.id


def test_the_procedural_articles_carry_the_roles_their_text_is_about(corpus):
    of = corpus.intents.of_unit
    # Art. 11 is the dibao procedure; Art. 13 changes and stopping; Art. 68 fraud; Art. 65 review and suit.
    assert "apply" in of("social-assistance-measures/art-11")
    assert {"duties", "stop"} <= of("social-assistance-measures/art-13")
    assert "penalty" in of("social-assistance-measures/art-68")
    assert "complain" in of("social-assistance-measures/art-65")


@pytest.mark.parametrize("question, role", [
    ("低保怎么申请", "apply"),
    ("有了工作低保会被马上取消吗", "stop"),
    ("不符合条件领低保怎么处罚", "penalty"),
    ("什么情况可以申请临时救助?", "qualify"),
    ("对低保审批结果不服怎么办", "complain"),
    ("Where do I apply for dibao?", "apply"),
    ("How much dibao will we receive a month?", "receive"),
    ("Will my dibao be stopped if I get a job?", "stop"),
])
def test_everyday_questions_show_their_intent(corpus, question, role):
    assert role in corpus.intents.intents(question)


def test_a_cue_inside_a_longer_cue_of_another_role_does_not_count(corpus):
    # "条件" (qualify) is part of "不符合条件领" (penalty); standing alone it still counts.
    assert corpus.intents.intents("不符合条件领低保怎么处罚") == frozenset({"penalty"})
    assert "qualify" in corpus.intents.intents("领低保要什么条件，不符合会被处罚吗")
    # "去哪" (apply) is part of "去哪里反映" (complain): asking where to complain is not asking where to apply.
    assert corpus.intents.intents("村干部收好处才给办低保去哪里反映") == frozenset({"complain"})


def test_a_question_with_no_cue_has_no_intent(corpus):
    assert corpus.intents.intents("最低生活保障") == frozenset()


def test_intent_file_problems_are_named_with_their_lines(corpus_copy):
    path = corpus_copy / "intents.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  social-assistance-measures/art-9: [qualify]",
                        "  social-assistance-measures/art-99: [qualify]\n  social-assistance-measures/art-10: [wish]", 1)
    text = text.replace("  social-assistance-measures/art-10: [receive, decide]\n", "", 1)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    problems = _problems(corpus_copy)
    at = {n for n, line in enumerate(lines, 1) if "art-99" in line or "[wish]" in line}
    assert any("'social-assistance-measures/art-99' is not a unit" in p for p in problems)
    assert any("unknown role 'wish'" in p for p in problems)
    assert {int(p.split(":")[1]) for p in problems if "art-99" in p or "wish" in p} == at


def test_a_role_no_unit_plays_is_refused(corpus_copy):
    path = corpus_copy / "intents.yaml"
    text = path.read_text(encoding="utf-8").replace("\nunits:\n", "\n  orphan:\n    label_en: x\n    label_zh: 某\n"
                                                   "    cues_zh: [某某]\n    cues_en: [something]\nunits:\n", 1)
    path.write_text(text, encoding="utf-8")
    assert any("no unit has the role 'orphan'" in p for p in _problems(corpus_copy))


def test_a_cue_that_yaml_reads_as_a_boolean_is_refused_not_dropped(corpus_copy):
    path = corpus_copy / "intents.yaml"
    text = path.read_text(encoding="utf-8").replace('"false"', "false", 1)
    path.write_text(text, encoding="utf-8")
    assert any("intents.yaml" in p and "'cues_en' must be a non-empty list of words" in p for p in _problems(corpus_copy))


def test_broken_yaml_is_one_problem_with_its_line(corpus_copy):
    path = corpus_copy / "intents.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[20] = "  : : ["
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in _problems(corpus_copy) if "intents.yaml" in p]
    assert len(problems) == 1 and "not valid YAML" in problems[0]


def test_editorial_files_are_part_of_the_corpus_hash(corpus_copy):
    before = corpus_hash(corpus_copy)
    path = corpus_copy / "scope.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert corpus_hash(corpus_copy) != before


# -- scope -----------------------------------------------------------------

@pytest.mark.parametrize("question, topic", [
    ("城乡居民养老保险每年交多少钱", "pension"),
    ("失业金怎么领取", "unemployment-insurance"),
    ("农村宅基地可以买卖吗", "land"),
    ("how do I transfer my hukou to the city", "hukou"),
])
def test_near_domain_questions_find_their_topic(corpus, question, topic):
    found = corpus.scope.match(question, lambda text: set())
    assert found is not None and found.id == topic


def test_a_covered_concept_beside_a_cue_keeps_the_question_in_scope(corpus):
    question = "低保户交医保有补贴吗"
    assert corpus.scope.match(question, lambda text: set()).id == "medical-insurance"
    assert corpus.scope.match(question, lambda text: {"dibao"} if "低保" in text else set()) is None


def test_a_covered_concept_inside_the_cue_does_not_count(corpus):
    def named(text):  # as if "住院" were a term of medical assistance, and "低保" of dibao
        return {cid for term, cid in (("住院", "medical-assistance"), ("低保", "dibao")) if term in text}

    assert corpus.scope.match("异地住院报销比例是多少", named).id == "medical-insurance"
    assert corpus.scope.match("低保户异地住院报销比例是多少", named) is None


def test_every_topic_says_who_covers_it_and_where_to_ask_in_both_languages(corpus):
    assert len(corpus.scope.topics) >= 10
    for topic in corpus.scope.topics:
        zh = topic.in_language("zh")
        en = topic.in_language("en")
        assert re.search(r"[\u4e00-\u9fff]", zh["covered_by"] + zh["ask"]), topic.id
        assert not re.search(r"[\u4e00-\u9fff]", en["covered_by"] + en["ask"]), topic.id
        assert "social-assistance-measures/art-60" in topic.cites, topic.id


def test_a_scope_cue_may_not_be_a_glossary_term(corpus_copy, corpus):
    term = corpus.glossary[0].terms_zh[0]
    path = corpus_copy / "scope.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[养老金, ", f"[{term}, ", 1), encoding="utf-8")
    assert any(f"the cue '{term}' is a term of the glossary concept" in p for p in _problems(corpus_copy))


def test_scope_citations_and_exceptions_must_resolve(corpus_copy):
    path = corpus_copy / "scope.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("unless: [dibao,", "unless: [no-such-concept,", 1)
    text = text.replace("cites: [social-assistance-measures/art-60]", "cites: [social-assistance-measures/art-600]", 1)
    path.write_text(text, encoding="utf-8")
    problems = _problems(corpus_copy)
    assert any("unknown glossary concept or term 'no-such-concept'" in p for p in problems)
    assert any("unknown unit 'social-assistance-measures/art-600'" in p for p in problems)
