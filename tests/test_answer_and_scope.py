"""The answer at the top, question intent in fusion, and helpful no-match."""
from __future__ import annotations

import re

import pytest

import indexer.engine as engine_module

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("question, lang", [
    ("低保怎么申请", "zh"),
    ("家里房子被洪水冲垮了，政府有什么救助", "zh"),
    ("How do I apply for dibao?", "en"),
    ("What does medical assistance pay for?", "en"),
])
def test_an_answer_is_a_guide_paragraph_in_the_question_language_citing_a_top_result(engine, corpus, question, lang):
    response = engine.search(question, k=5)
    assert not response.low_confidence
    answer = response.answer
    assert answer is not None and answer.lang == lang
    assert bool(CJK.search(answer.text)) == (lang == "zh")
    assert "](" not in answer.text  # citation links removed from the plain text
    assert set(answer.cites) & {h.unit.id for h in response.hits[:3]}
    section = next(s for s in corpus.guides[answer.guide].sections if s.id == answer.section)
    assert answer.markdown in (section.markdown_zh if lang == "zh" else section.markdown_en)
    assert response.to_dict()["answer"] == {"text": answer.text, "cites": answer.cites, "guide": answer.guide,
                                            "score": round(answer.score, 4)}


def test_no_answer_when_nothing_matches(engine):
    response = engine.search("明天天气怎么样", k=5)
    assert response.low_confidence and response.answer is None
    assert response.to_dict()["answer"] is None


@pytest.mark.parametrize("question, topic", [
    ("城乡居民养老保险每年交多少钱", "pension"),
    ("How do I claim unemployment insurance benefits?", "unemployment-insurance"),
    # Going to school (an everyday term of education assistance) beside a hukou move: still hukou.
    ("孩子上大学要迁户口吗", "hukou"),
])
def test_a_topic_outside_the_documents_is_not_covered_but_still_shows_the_nearest_articles(engine, question, topic):
    response = engine.search(question, k=5)
    assert response.low_confidence and response.answer is None and response.guides == []
    assert response.not_covered["id"] == topic
    assert response.hits, "the nearest articles are still listed below the pointer"
    payload = response.to_dict()["not_covered"]
    lang_is_zh = bool(CJK.search(question))
    assert bool(CJK.search(payload["covered_by"] + payload["ask"])) == lang_is_zh
    assert "social-assistance-measures/art-60" in payload["cites"]


def test_naming_a_covered_concept_keeps_a_near_topic_in_scope(engine):
    response = engine.search("低保户参加居民医保的个人缴费有补贴吗", k=5)
    assert response.not_covered is None


def test_an_exception_term_keeps_a_topic_in_scope_where_the_concepts_everyday_words_do_not(engine, corpus):
    # 住院 leads to medical assistance in the glossary, but only its names (医疗救助) are exceptions.
    assert "medical-assistance" in {e.id for e in engine.expander.matches("住院起付标准是多少")}
    assert engine.search("住院起付标准是多少", k=5).not_covered["id"] == "medical-insurance"
    assert engine.search("医保报完了自己还要掏好几万，医疗救助还能再补一点吗", k=5).not_covered is None


def test_social_insurance_is_out_of_scope_except_where_the_measures_use_it(engine):
    assert engine.search("How do I transfer my social insurance to another city?", k=5).not_covered["id"] == \
        "social-insurance"
    # Art. 43: social insurance subsidies for unemployed members of dibao households.
    assert engine.search("Do unemployed dibao members get social insurance subsidies?", k=5).not_covered is None


def test_intent_moves_the_articles_that_play_the_asked_role_up_never_down(engine, corpus, monkeypatch):
    questions = ["低保怎么申请", "有了工作低保会被取消吗", "骗取低保会有什么处罚", "对民政局的决定不服怎么办",
                 "Where do I apply for temporary assistance?", "What is the penalty for cheating on dibao?"]
    moved = 0
    for question in questions:
        intents = corpus.intents.intents(question)
        assert intents, question
        with_intent = [h.unit.id for h in engine.search(question, k=30).hits]
        monkeypatch.setattr(engine_module, "INTENT_WEIGHT", 0.0)
        without = [h.unit.id for h in engine.search(question, k=30).hits]
        monkeypatch.undo()
        on_role = [uid for uid in without if corpus.intents.of_unit(uid) & intents]
        assert on_role, question
        first = on_role[0]
        assert with_intent.index(first) <= without.index(first), question
        moved += with_intent != without
    assert moved, "intent changed no ranking at all"


def test_keyword_and_semantic_modes_are_the_single_retrievers_without_intent(engine, monkeypatch):
    question = "低保怎么申请"
    before = [h.unit.id for h in engine.search(question, k=10, mode="keyword").hits]
    monkeypatch.setattr(engine_module, "INTENT_WEIGHT", 5.0)
    assert [h.unit.id for h in engine.search(question, k=10, mode="keyword").hits] == before


@pytest.mark.parametrize("lang, question, heading", [
    ("zh", "城乡居民养老保险每年交多少钱", "本站内容不涉及"),
    ("en", "How do I claim unemployment insurance benefits?", "Not covered here"),
])
def test_the_results_page_says_not_covered_and_where_to_ask(index_dir, monkeypatch, lang, question, heading):
    from webapp import create_app

    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(index_dir))
    app = create_app()
    client = app.test_client()
    client.get(f"/lang/{lang}")
    page = client.get("/search", query_string={"q": question}).get_data(as_text=True)
    assert heading in page and "data-not-covered" in page
    assert "/units/social-assistance-measures/art-60" in page
    # Only the topic's pointer: not also the general "where to ask" for social assistance.
    assert "data-low-confidence" not in page and 'class="where-to-ask' not in page
