"""The eligibility rules (indexer/eligibility.py) against the articles that set them.

Each test names the article it holds the rule to. Situations start from
`BASE` (every answer given, nothing applies) and change only what the test
is about, so a wrong rule fails here rather than hiding behind an unknown.
"""
from __future__ import annotations

import json
from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.config import REPO_ROOT
from indexer.corpus import load_corpus
from indexer.eligibility import (CONDITIONS, NUMBER, QUESTIONS, QUESTIONS_BY_ID, RULES, YESNO, AnswerError,
                                 Situation, all_cited_ids, art, check, cite_label, next_questions, parse_answer,
                                 rule_table)

# A 40-year-old who can work and has income, in a family above the local
# standard, with no children, no housing difficulty, no disaster: nothing applies.
BASE = Situation(
    receives_dibao=False, income_below_local_standard=False, property_within_local_rules=True,
    receives_extremely_poor_support=False, age=40, disabled=False, able_to_work=True, has_income_source=True,
    has_legal_supporter_able_to_support=True, unemployed=False, refused_jobs_three_times=False,
    serious_illness=False, needs_emergency_treatment_cannot_pay=False, has_children_or_students=False,
    housing_difficulty=False, lives_in_town=True, natural_disaster=False, sudden_accident_or_illness=False,
    essential_expenses_exceed_capacity=False, other_special_hardship=False, homeless_or_begging=False,
)
DIBAO = dict(receives_dibao=True)
EXTREMELY_POOR = dict(age=72, able_to_work=False, has_income_source=False, has_legal_supporter_able_to_support=False)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO_ROOT / "corpus")


def status(situation: Situation, rule_id: str) -> str:
    return check(situation).get(rule_id).status


def finding(situation: Situation, rule_id: str):
    return check(situation).get(rule_id)


def reason_conditions(f) -> list[str]:
    return [r.condition for r in f.reasons]


def item_cites(items) -> set[str]:
    return {c for item in items for c in item.cites}


# --- the baseline ------------------------------------------------------------

def test_base_situation_gets_nothing():
    result = check(BASE)
    assert result.likely == [] and result.depends == []
    assert [f.id for f in result.unlikely] == [r.id for r in RULES]
    assert all(f.reasons for f in result.unlikely), "every 'unlikely' says why"


# --- minimum living security, Arts. 9-13 ---------------------------------------

def test_dibao_needs_income_below_standard_and_property_within_rules_art_9():
    f = finding(replace(BASE, income_below_local_standard=True), "minimum_living_security")
    assert f.status == "likely"
    assert reason_conditions(f) == ["income_below_standard", "property_within_rules"]
    assert all(art(9) in r.cites for r in f.reasons)
    assert item_cites(f.receive) == {art(12)}
    assert item_cites(f.apply) == {art(11)} and item_cites(f.decides) == {art(11)}
    assert "county civil affairs department" in f.decides[0].en


def test_dibao_property_over_the_local_rules_is_unlikely():
    f = finding(replace(BASE, income_below_local_standard=True, property_within_local_rules=False),
                "minimum_living_security")
    assert f.status == "unlikely" and reason_conditions(f) == ["property_within_rules"]


def test_dibao_income_not_below_standard_is_unlikely():
    f = finding(BASE, "minimum_living_security")
    assert f.status == "unlikely" and reason_conditions(f) == ["income_below_standard"]


def test_dibao_unknown_property_depends_on_that_answer():
    f = finding(replace(BASE, income_below_local_standard=True, property_within_local_rules=None),
                "minimum_living_security")
    assert f.status == "depends"
    assert f.questions == ["property_within_local_rules"]
    assert reason_conditions(f) == ["income_below_standard"]


def test_family_already_on_dibao_is_told_to_report_changes_art_13():
    f = finding(replace(BASE, **DIBAO), "minimum_living_security")
    assert f.status == "likely" and reason_conditions(f) == ["receives_dibao"]
    assert art(13) in f.reasons[0].cites and art(13) in item_cites(f.notes)


# --- support for extremely poor persons, Arts. 14-19 ---------------------------

def test_elderly_unable_to_work_without_livelihood_or_supporter_art_14():
    f = finding(replace(BASE, **EXTREMELY_POOR), "extremely_poor_support")
    assert f.status == "likely"
    assert reason_conditions(f) == ["elderly", "unable_to_work", "no_income_source", "no_able_supporter"]
    assert all(r.cites == (art(14),) for r in f.reasons)
    assert "72" in f.reasons[0].text_en
    assert item_cites(f.receive) == {art(15), art(19)}
    assert art(16) in item_cites(f.apply) and item_cites(f.decides) == {art(16), art(11)}


def test_minor_under_16_qualifies_art_14():
    f = finding(replace(BASE, **{**EXTREMELY_POOR, "age": 15}), "extremely_poor_support")
    assert f.status == "likely" and reason_conditions(f)[0] == "minor_under_16"


def test_sixteen_is_not_under_16_art_14():
    f = finding(replace(BASE, **{**EXTREMELY_POOR, "age": 16}), "extremely_poor_support")
    assert f.status == "unlikely"
    assert set(reason_conditions(f)) == {"elderly", "disabled", "minor_under_16"}
    minor = next(r for r in f.reasons if r.condition == "minor_under_16")
    assert "not under 16" in minor.text_en and minor.cites == (art(14),)


def test_sixteen_with_a_disability_qualifies_art_14():
    f = finding(replace(BASE, **{**EXTREMELY_POOR, "age": 16, "disabled": True}), "extremely_poor_support")
    assert f.status == "likely" and reason_conditions(f)[0] == "disabled"


def test_working_age_without_disability_is_not_in_art_14_groups():
    f = finding(replace(BASE, **{**EXTREMELY_POOR, "age": 45}), "extremely_poor_support")
    assert f.status == "unlikely" and "elderly" in reason_conditions(f)


@pytest.mark.parametrize("answer, condition", [
    ({"able_to_work": True}, "unable_to_work"),
    ({"has_income_source": True}, "no_income_source"),
    ({"has_legal_supporter_able_to_support": True}, "no_able_supporter"),
])
def test_each_art_14_condition_is_needed(answer, condition):
    f = finding(replace(BASE, **{**EXTREMELY_POOR, **answer}), "extremely_poor_support")
    assert f.status == "unlikely" and reason_conditions(f) == [condition]


def test_unknown_livelihood_and_supporter_depend_on_those_answers():
    s = replace(BASE, **{**EXTREMELY_POOR, "has_income_source": None, "has_legal_supporter_able_to_support": None})
    f = finding(s, "extremely_poor_support")
    assert f.status == "depends"
    assert f.questions == ["has_income_source", "has_legal_supporter_able_to_support"]
    assert check(s).unanswered == ["has_income_source", "has_legal_supporter_able_to_support"]


def test_unknown_age_and_disability_depend_on_them():
    s = replace(BASE, **{**EXTREMELY_POOR, "age": None, "disabled": None})
    f = finding(s, "extremely_poor_support")
    assert f.status == "depends" and set(f.questions) == {"age", "disabled"}


# --- disaster relief, Arts. 20-26 ----------------------------------------------

def test_disaster_victims_get_emergency_relief_art_20_22():
    f = finding(replace(BASE, natural_disaster=True, home_badly_damaged_by_disaster=False), "disaster_relief")
    assert f.status == "likely" and f.reasons[0].cites == (art(20),)
    cites = item_cites(f.receive)
    assert art(22) in cites and art(26) in cites
    assert art(24) not in cites and art(25) not in cites, "no damaged home: no resettlement or rebuilding"


def test_badly_damaged_home_adds_resettlement_and_rebuilding_art_24_25():
    f = finding(replace(BASE, natural_disaster=True, home_badly_damaged_by_disaster=True), "disaster_relief")
    assert {art(24), art(25)} <= item_cites(f.receive)


def test_no_disaster_no_disaster_relief():
    assert status(BASE, "disaster_relief") == "unlikely"


# --- medical assistance, Arts. 27-32 -------------------------------------------

def test_members_of_dibao_families_get_medical_assistance_art_28():
    f = finding(replace(BASE, **DIBAO), "medical_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["dibao_family"]
    assert art(28) in f.reasons[0].cites
    assert item_cites(f.receive) == {art(29)} and item_cites(f.apply) == {art(30)}
    assert "healthcare security" in f.decides[0].en


def test_family_that_may_qualify_for_dibao_may_get_medical_assistance_once_approved():
    f = finding(replace(BASE, income_below_local_standard=True), "medical_assistance")
    assert f.status == "likely" and "once it is approved" in f.reasons[0].text_en
    assert art(9) in f.reasons[0].cites and art(28) in f.reasons[0].cites


def test_extremely_poor_persons_get_medical_assistance_art_28():
    f = finding(replace(BASE, receives_extremely_poor_support=True), "medical_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["extremely_poor"]


def test_serious_illness_alone_depends_on_local_rules_art_28_3():
    f = finding(replace(BASE, serious_illness=True), "medical_assistance")
    assert f.status == "depends"
    assert [o.condition for o in f.depends_on] == ["other_special_difficulty"]
    assert f.depends_on[0].questions == () and art(28) in f.depends_on[0].cites
    assert f.questions == [], "a local rule, not an answer, decides it"


def test_no_dibao_no_support_no_illness_no_medical_assistance():
    assert status(BASE, "medical_assistance") == "unlikely"


def test_emergency_medical_assistance_art_32():
    f = finding(replace(BASE, needs_emergency_treatment_cannot_pay=True), "emergency_medical_assistance")
    assert f.status == "likely" and f.reasons[0].cites == (art(32),)
    assert item_cites(f.receive) == {art(32)}
    assert status(BASE, "emergency_medical_assistance") == "unlikely"


# --- education assistance, Arts. 33-36 -----------------------------------------

def test_dibao_child_in_compulsory_education_art_33():
    s = replace(BASE, **DIBAO, has_children_or_students=True, child_in_compulsory_school=True,
                child_in_high_school_or_college=False, disabled_child_out_of_school=False)
    f = finding(s, "education_assistance")
    assert f.status == "likely"
    assert reason_conditions(f) == ["child_in_compulsory_school", "dibao_family"]
    assert all(art(33) in r.cites for r in f.reasons)
    assert item_cites(f.apply) == {art(36)}, "apply to the school; no disabled child: no Art. 60 detour"
    assert art(34) in item_cites(f.receive)


def test_dibao_student_in_high_school_or_college_art_33():
    s = replace(BASE, **DIBAO, has_children_or_students=True, child_in_compulsory_school=False,
                child_in_high_school_or_college=True, disabled_child_out_of_school=False)
    assert status(s, "education_assistance") == "likely"


def test_disabled_child_who_cannot_attend_compulsory_education_art_33():
    # Not a dibao family: Art. 33(2) names these children on their own.
    s = replace(BASE, has_children_or_students=True, child_in_compulsory_school=False,
                child_in_high_school_or_college=False, disabled_child_out_of_school=True)
    f = finding(s, "education_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["disabled_child_out_of_school"]
    assert {art(33), art(60)} <= item_cites(f.apply), "the Measures name no place: Art. 60 says whom to ask"


def test_child_at_school_in_a_family_without_dibao_or_support_is_unlikely():
    s = replace(BASE, has_children_or_students=True, child_in_compulsory_school=True,
                child_in_high_school_or_college=False, disabled_child_out_of_school=False)
    f = finding(s, "education_assistance")
    assert f.status == "unlikely" and "dibao_family" in reason_conditions(f)


def test_no_children_means_no_education_assistance_even_unasked():
    s = replace(BASE, **DIBAO)  # the school questions were skipped: they stay None
    f = finding(s, "education_assistance")
    assert f.status == "unlikely"
    assert "no child or student" in f.reasons[0].text_en


# --- housing assistance, Arts. 37-41 -------------------------------------------

def test_dibao_family_with_housing_difficulty_art_37():
    s = replace(BASE, **DIBAO, housing_difficulty=True, lives_in_town=True)
    f = finding(s, "housing_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["housing_difficulty", "dibao_family"]
    assert art(37) in f.reasons[1].cites
    assert item_cites(f.receive) == {art(38)}
    assert len(f.apply) == 1 and "Urban" in f.apply[0].en and f.apply[0].cites == (art(40),)


def test_rural_family_applies_under_county_rules_art_40():
    s = replace(BASE, **DIBAO, housing_difficulty=True, lives_in_town=False)
    f = finding(s, "housing_assistance")
    assert len(f.apply) == 1 and "Rural" in f.apply[0].en


def test_extremely_poor_person_in_dispersed_support_gets_housing_art_37():
    s = replace(BASE, receives_extremely_poor_support=True, extremely_poor_support_form="dispersed",
                housing_difficulty=True)
    f = finding(s, "housing_assistance")
    assert f.status == "likely" and "extremely_poor_dispersed" in reason_conditions(f)


def test_extremely_poor_person_in_centralised_support_does_not_art_37():
    s = replace(BASE, receives_extremely_poor_support=True, extremely_poor_support_form="centralised",
                housing_difficulty=True)
    f = finding(s, "housing_assistance")
    assert f.status == "unlikely"
    r = next(r for r in f.reasons if r.condition == "extremely_poor_dispersed")
    assert "only in dispersed support" in r.text_en and art(37) in r.cites


def test_support_form_unknown_depends_on_it():
    s = replace(BASE, receives_extremely_poor_support=True, housing_difficulty=True)
    assert finding(s, "housing_assistance").questions == ["extremely_poor_support_form"]


def test_housing_difficulty_without_dibao_or_support_is_unlikely():
    assert status(replace(BASE, housing_difficulty=True), "housing_assistance") == "unlikely"


# --- employment assistance, Arts. 42-46 ----------------------------------------

def test_unemployed_member_of_dibao_family_able_to_work_art_42():
    f = finding(replace(BASE, **DIBAO, unemployed=True), "employment_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["dibao_family", "able_to_work", "unemployed"]
    assert art(42) in f.reasons[0].cites
    assert item_cites(f.apply) == {art(44)} and {art(42), art(43), art(44)} <= item_cites(f.receive)
    assert f.warnings == [], "no refusals: no warning"


@pytest.mark.parametrize("answer", [{"able_to_work": False}, {"unemployed": False}, {"receives_dibao": False}])
def test_employment_assistance_needs_each_art_42_condition(answer):
    assert status(replace(BASE, **{**DIBAO, "unemployed": True, **answer}), "employment_assistance") == "unlikely"


def test_three_refused_job_offers_reduce_or_stop_the_allowance_art_45():
    s = replace(BASE, **DIBAO, unemployed=True, refused_jobs_three_times=True)
    result = check(s)
    for rule_id in ("employment_assistance", "minimum_living_security"):
        f = result.get(rule_id)
        assert [w.cites for w in f.warnings] == [(art(45),)]
        assert "reduce or stop your own minimum living allowance" in f.warnings[0].en
    for not_known_to_have_refused in (False, None):
        later = check(replace(s, refused_jobs_three_times=not_known_to_have_refused))
        assert later.get("minimum_living_security").warnings == [] and later.get("employment_assistance").warnings == []


# --- temporary assistance, Arts. 47-51 -----------------------------------------

def test_fire_accident_or_sudden_illness_any_family_art_47():
    f = finding(replace(BASE, sudden_accident_or_illness=True), "temporary_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["sudden_hardship"]
    assert f.reasons[0].cites == (art(47),)
    assert item_cites(f.apply) == {art(48)} and item_cites(f.receive) == {art(49)}


def test_dibao_family_with_sudden_essential_expense_art_47():
    f = finding(replace(BASE, **DIBAO, essential_expenses_exceed_capacity=True), "temporary_assistance")
    assert f.status == "likely" and reason_conditions(f) == ["essential_expenses", "dibao_family"]
    assert art(47) in f.reasons[1].cites


def test_sudden_essential_expense_outside_dibao_is_not_named_art_47():
    f = finding(replace(BASE, essential_expenses_exceed_capacity=True), "temporary_assistance")
    assert f.status == "unlikely"
    r = next(r for r in f.reasons if r.condition == "dibao_family")
    assert "only for minimum living security families" in r.condition_en


def test_other_special_difficulty_art_47():
    f = finding(replace(BASE, other_special_hardship=True), "temporary_assistance")
    assert f.status == "likely" and art(49) in f.reasons[0].cites


def test_vagrants_and_beggars_art_50_51():
    f = finding(replace(BASE, homeless_or_begging=True), "vagrant_beggar_assistance")
    assert f.status == "likely" and f.reasons[0].cites == (art(50),)
    assert item_cites(f.receive) == {art(50)} and item_cites(f.apply) == {art(51)}
    assert status(BASE, "vagrant_beggar_assistance") == "unlikely"


# --- unknown answers -----------------------------------------------------------

def test_nothing_answered_everything_depends():
    result = check(Situation())
    assert result.likely == [] and result.unlikely == []
    assert [f.id for f in result.depends] == [r.id for r in RULES]
    assert "income_below_local_standard" in result.unanswered


def test_unknown_disaster_answer_depends_on_it():
    f = finding(replace(BASE, natural_disaster=None), "disaster_relief")
    assert f.status == "depends" and f.questions == ["natural_disaster"]


# --- the notice and the citations ----------------------------------------------

def test_notice_says_who_decides_and_that_standards_are_local():
    result = check(BASE)
    assert {art(n) for n in (10, 15, 29, 35, 39, 49)} <= set(result.notice.cites)
    assert "county civil affairs department" in result.notice.en and "set and published locally" in result.notice.en
    assert "县级人民政府民政部门" in result.notice.zh


def test_every_article_the_rules_can_cite_resolves(corpus):
    ids = all_cited_ids()
    assert ids and all(i.startswith("social-assistance-measures/art-") for i in ids)
    assert [i for i in ids if i not in corpus.units] == []


def test_rule_articles_cover_the_chapters(corpus):
    covered = {a for r in RULES for a in r.articles}
    assert covered == {art(n) for n in range(9, 52)}, "Arts. 9-51: every assistance chapter has a rule"
    for rule in RULES:
        chapters = {corpus.units[a].chapter.number for a in rule.articles}
        assert len(chapters) == 1, f"{rule.id} draws on one chapter"


def test_every_rule_has_cited_receive_apply_decides():
    for rule in RULES:
        for items in (rule.receive, rule.apply, rule.decides):
            assert items and all(i.cites for i in items), rule.id


def test_guides_named_by_rules_exist(corpus):
    assert {r.guide for r in RULES} <= set(corpus.guides)


def test_cite_labels():
    assert cite_label([art(14)]) == "Art. 14"
    assert cite_label([art(15), art(14), art(14)]) == "Arts. 14, 15"
    assert cite_label([art(14), art(15)], "zh") == "第十四条、第十五条"


def test_rule_table_is_json_and_names_every_condition():
    table = rule_table()
    json.dumps(table, ensure_ascii=False)
    text = json.dumps(table)
    assert all(f'"condition": "{cid}"' in text for cid in CONDITIONS
               if cid not in ("urban_family", "rural_family", "refused_jobs_three_times", "home_damaged"))


# --- answers, questions and next_questions -------------------------------------

def test_situation_fields_are_the_questions():
    assert [f.name for f in fields(Situation)] == [q.id for q in QUESTIONS]
    assert len({q.flag for q in QUESTIONS}) == len(QUESTIONS)


def test_relevant_if_refers_only_to_earlier_questions():
    def refs(cond):
        if cond is None:
            return set()
        if "all" in cond or "any" in cond:
            return set().union(*(refs(c) for c in cond.get("all", cond.get("any"))))
        return {cond["q"]}
    order = [q.id for q in QUESTIONS]
    for i, q in enumerate(QUESTIONS):
        assert refs(q.relevant_if) <= set(order[:i]), q.id


@pytest.mark.parametrize("qid, text, value", [
    ("disabled", "yes", True), ("disabled", "No", False), ("disabled", "是", True), ("disabled", "否", False),
    ("disabled", "unknown", None), ("disabled", "不知道", None), ("age", "72", 72), ("age", " 0 ", 0),
    ("extremely_poor_support_form", "dispersed", "dispersed"), ("age", "unknown", None),
])
def test_parse_answer(qid, text, value):
    assert parse_answer(qid, text) == value


@pytest.mark.parametrize("qid, text", [
    ("disabled", "maybe"), ("age", "-3"), ("age", "151"), ("age", "7.5"), ("age", "old"),
    ("extremely_poor_support_form", "home"), ("no_such_question", "yes"), ("disabled", ""),
])
def test_bad_answers_are_refused(qid, text):
    with pytest.raises(AnswerError) as exc:
        parse_answer(qid, text)
    assert "\n" not in str(exc.value)


def test_situation_validates_typed_values():
    with pytest.raises(AnswerError):
        Situation(age=-1)
    with pytest.raises(AnswerError):
        Situation(disabled="yes")
    with pytest.raises(AnswerError):
        Situation(age=True)
    with pytest.raises(AnswerError):
        Situation.from_answers({"favourite_colour": "blue"})
    assert Situation.from_answers({"age": "72", "disabled": "no", "able_to_work": None}) == Situation(
        age=72, disabled=False)


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_first_question_is_about_dibao():
    assert ids(next_questions({}))[0] == "receives_dibao"


def test_school_questions_skipped_without_children():
    answers = {"receives_dibao": True, "has_children_or_students": False}
    remaining = ids(next_questions(answers))
    assert not {"child_in_compulsory_school", "child_in_high_school_or_college",
                "disabled_child_out_of_school"} & set(remaining)
    with_children = ids(next_questions({**answers, "has_children_or_students": True}))
    assert {"child_in_compulsory_school", "disabled_child_out_of_school"} <= set(with_children)


def test_disaster_damage_skipped_without_disaster():
    assert "home_badly_damaged_by_disaster" not in ids(next_questions({"natural_disaster": False}))
    assert "home_badly_damaged_by_disaster" in ids(next_questions({"natural_disaster": True}))


def test_dibao_questions_skipped_for_a_family_already_on_dibao():
    remaining = ids(next_questions({"receives_dibao": True}))
    assert "income_below_local_standard" not in remaining and "property_within_local_rules" not in remaining


def test_support_form_asked_only_of_people_already_supported():
    assert "extremely_poor_support_form" not in ids(next_questions({"receives_extremely_poor_support": False}))
    remaining = ids(next_questions({"receives_extremely_poor_support": True}))
    assert "extremely_poor_support_form" in remaining and "age" not in remaining


def test_job_refusal_asked_only_of_unemployed_dibao_members_able_to_work():
    base = {"receives_dibao": True, "receives_extremely_poor_support": False, "age": 40, "disabled": False}
    assert "refused_jobs_three_times" in ids(next_questions({**base, "able_to_work": True, "unemployed": True}))
    assert "refused_jobs_three_times" not in ids(next_questions({**base, "able_to_work": True, "unemployed": False}))
    assert "refused_jobs_three_times" not in ids(next_questions({**base, "able_to_work": False}))
    not_dibao = {**base, "receives_dibao": False, "income_below_local_standard": False}
    assert "unemployed" not in ids(next_questions(not_dibao))


def test_art_14_follow_ups_skipped_for_working_age_without_disability():
    answers = {"receives_dibao": False, "income_below_local_standard": False,
               "receives_extremely_poor_support": False, "age": 40, "disabled": False}
    remaining = ids(next_questions(answers))
    assert "able_to_work" not in remaining and "has_income_source" not in remaining


def test_unknown_answer_counts_as_answered_and_keeps_follow_ups():
    remaining = ids(next_questions({"receives_dibao": False, "income_below_local_standard": None}))
    assert "income_below_local_standard" not in remaining and "property_within_local_rules" in remaining


def test_next_questions_accepts_form_text():
    assert ids(next_questions({"receives_dibao": "yes", "natural_disaster": "no"}))[0] == "receives_extremely_poor_support"


def _value(q, draw):
    if q.kind == YESNO:
        return draw(st.sampled_from([True, False]))
    if q.kind == NUMBER:
        return draw(st.sampled_from([0, 5, 15, 16, 30, 59, 60, 72, q.maximum]))
    return draw(st.sampled_from([c.value for c in q.choices]))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_answering_every_question_asked_leaves_nothing_undecided(data):
    """The one-step flow: answer what next_questions asks, never 'unknown'.

    Whatever the answers, no kind of assistance may then depend on a question
    that was skipped: skipping must never hide an answer that matters. (Only a
    local rule, Art. 28(3), may remain open.)
    """
    answers: dict = {}
    while (remaining := next_questions(answers)):
        q = remaining[0]
        answers[q.id] = _value(q, data.draw)
    result = check(Situation.from_answers(answers))
    assert result.unanswered == []
    for f in result.depends:
        assert f.id == "medical_assistance" and [o.condition for o in f.depends_on] == ["other_special_difficulty"]


_ANY_VALUE = {
    YESNO: st.sampled_from([True, False, None]),
    NUMBER: st.sampled_from([None, 0, 15, 16, 59, 60, 99]),
}


@st.composite
def situations(draw):
    values = {}
    for q in QUESTIONS:
        if q.kind in _ANY_VALUE:
            strategy = _ANY_VALUE[q.kind]
        else:
            strategy = st.sampled_from([None] + [c.value for c in q.choices])
        values[q.id] = draw(strategy)
    return Situation(**values)


@settings(max_examples=300, deadline=None)
@given(situations())
def test_any_situation_gives_a_complete_cited_json_result(corpus, s):
    result = check(s)
    assert sorted(f.id for f in result.findings) == sorted(r.id for r in RULES)
    assert all(c in corpus.units for c in result.cites)
    for f in result.likely:
        assert f.reasons and f.receive and f.apply and f.decides
    for f in result.depends:
        assert f.depends_on
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(data["citations"]) == set(result.cites)
    assert all(q["id"] in QUESTIONS_BY_ID for q in data["unanswered"])
