"""Ranking behaviour that users rely on."""
from __future__ import annotations

import pytest

from indexer.engine import MODES, QueryError
from indexer.analysis import terms
from indexer.evaluate import question_metrics
from indexer.question import Question, analyse


@pytest.mark.parametrize("question", [
    '"dibao" AND (housing OR', "title:minimum*", "*", "NOT", "???", "🙂 help", "a:b:c", "\\", "低保 OR 特困",
    "SELECT * FROM units; --", "<script>alert(1)</script>", "x" * 500,
])
@pytest.mark.parametrize("mode", MODES)
def test_any_text_is_a_valid_question(engine, question, mode):
    response = engine.search(question, k=5, mode=mode)
    assert len(response.hits) <= 5


@pytest.mark.parametrize("question, k, mode, reason", [
    ("", 5, "hybrid", "empty"), ("   ", 5, "hybrid", "empty"), ("x" * 501, 5, "hybrid", "too long"),
    ("dibao", 0, "hybrid", "k must be"), ("dibao", 51, "hybrid", "k must be"), ("dibao", 5, "bm25", "unknown mode"),
])
def test_bad_questions_are_refused_with_a_reason(engine, question, k, mode, reason):
    with pytest.raises(QueryError, match=reason):
        engine.search(question, k=k, mode=mode)


def test_results_are_citable_units_and_guides_come_apart(engine):
    response = engine.search("how do I apply for dibao", k=10)
    assert response.hits and all(h.unit.kind in ("article", "pathway") for h in response.hits)
    assert all(h.unit.kind == "guide" for h in response.guides)
    assert "guides/minimum-living-security" in [g.unit.id for g in response.guides]


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_synonyms_find_the_same_articles(engine, mode):
    tops = []
    for question in ("dibao", "minimum living allowance", "低保"):
        tops.append({h.unit.id for h in engine.search(question, k=5, mode=mode).hits})
    assert "social-assistance-measures/art-9" in set.intersection(*tops) or \
        len(set.intersection(*tops)) >= 3, tops


def test_expansion_is_reported(engine):
    response = engine.search("低保怎么申请", k=5)
    assert "minimum living security" in [t.lower() for t in response.expansions] or "最低生活保障" in response.expansions
    assert response.hits[0].unit.id.startswith("social-assistance-measures/art-1")  # art-11 (procedure) or art-1x


def test_a_chinese_term_inside_another_concepts_longer_term_does_not_name_its_concept(engine):
    def named(question):
        return {e.id for e in engine.expander.matches(question)}
    assert "extremely-poor" not in named("特困生需要申请吗") and "education-assistance" in named("特困生需要申请吗")
    assert "extremely-poor" in named("特困人员的孩子是特困生吗")  # named on its own as well
    assert "minors" not in named("留守儿童有什么帮扶") and "left-behind" in named("留守儿童有什么帮扶")


def test_only_the_words_of_the_concept_terms_a_question_holds_leave_its_asked_words(engine):
    from indexer.question import analyse
    # 乡村旅游 names industrial poverty alleviation, whose term 产业发展脱贫 also holds 脱贫: the
    # question's own 脱贫 still counts in the coverage check.
    question = analyse("村里想发展乡村旅游、种果树来脱贫", engine.expander, engine.keyword, engine.corpus.intents)
    assert "industry-poverty-alleviation" in question.concept_ids
    assert "脱贫" in question.asked and "旅游" not in question.asked


def test_snippet_marks_matched_words(engine):
    hit = engine.search("vagrants and beggars", k=1).hits[0]
    assert hit.unit.id in ("social-assistance-measures/art-50", "social-assistance-measures/art-51")
    assert "<mark>vagrants</mark>" in hit.snippet_html.lower() or "<mark>vagrant" in hit.snippet_html.lower()
    assert "<mark>" not in hit.snippet


def test_snippet_escapes_html(engine):
    hit = engine.search("<b>dibao</b>", k=1).hits[0]
    assert "<b>" not in hit.snippet_html


def test_chinese_question_gets_chinese_snippet(engine):
    hit = engine.search("流浪乞讨人员有什么救助", k=1).hits[0]
    assert hit.unit.id in ("social-assistance-measures/art-50", "social-assistance-measures/art-51")
    assert "<mark>" in hit.snippet_html and "流浪" in hit.snippet


@pytest.mark.parametrize("question", ["how to bake sourdough bread", "football world cup results", "qwzx vbnm",
                                      "怎么做红烧肉", "明天天气怎么样", "上海到北京的火车票"])
def test_nothing_relevant_is_low_confidence(engine, question):
    response = engine.search(question, k=5)
    assert response.low_confidence and response.guides == []


@pytest.mark.parametrize("question", ["how do I apply for minimum living security", "特困人员供养包括哪些内容",
                                      "disaster victims whose homes collapsed", "低保没批 不服 能告吗",
                                      "my husband lost his job and we have two kids"])
def test_good_matches_are_confident(engine, question):
    assert not engine.search(question, k=5).low_confidence


def test_a_story_in_everyday_words_is_answered_when_the_multilingual_model_finds_it_close(engine):
    """Few of its words are the law's, so coverage alone flags it (as in
    keyword-only search, which has no model to vouch for a passage); the
    multilingual model's close match keeps it answered."""
    question = "老家发大水,房子被冲垮了一半,现在一家人借住在亲戚家里,什么时候能重新盖房"
    assert engine.search(question, k=5, mode="keyword").low_confidence
    response = engine.search(question, k=5)
    assert not response.low_confidence
    assert "social-assistance-measures/art-25" in [hit.unit.id for hit in response.hits[:3]]


def test_response_dict_follows_the_contract(engine):
    data = engine.search("medical assistance", k=3).to_dict()
    assert {"query", "mode", "results", "guides"} <= set(data)
    assert len(data["results"]) == 3 and all({"id", "citation", "url", "score", "snippet"} <= set(r) for r in data["results"])


def test_metrics_follow_the_contract():
    m = question_metrics(["a", "b", "c", "d"], ["c", "x"], k=3)
    assert m["hit"] == 1.0 and m["rr"] == pytest.approx(1 / 3) and m["recall"] == 0.5
    # DCG: relevant at rank 3 -> 1/log2(4) = 0.5; ideal for two relevant ids: 1 + 1/log2(3)
    assert m["ndcg"] == pytest.approx(0.5 / (1 + 1 / 1.5849625))
    miss = question_metrics(["a"] * 10 + ["c"], ["c"], k=5)
    assert miss["hit"] == 0.0 and miss["rr"] == 0.0


def test_a_word_the_law_never_uses_is_carried_by_its_character(engine):
    """骗 (everyday) for 骗取 (the law's word): jieba keeps 骗 whole, the index
    has no such word, so its character must carry it at a word's weight. A
    longer unknown word (医保) is not spread over its characters that way."""
    with engine.keyword._ix.searcher() as searcher:
        reader = searcher.reader()
        assert not reader.doc_frequency("text_zh", "骗") and reader.doc_frequency("text_zh", "骗取")
        assert not reader.doc_frequency("text_zh", "医保")
        def clauses(question):
            stand_ins = set(engine.keyword.stand_ins(tuple(terms(question, "zh")), frozenset()).values())
            return engine.keyword._stand_in_clauses(reader, stand_ins)
        fallback, known, longer = clauses("骗"), clauses("骗取"), clauses("医保")
    assert [(c.fieldname, c.text) for c in fallback] == [("chars_zh", "骗")]
    assert known == [] and longer == []


def test_a_chinese_question_is_answered_with_chinese_text_and_its_stand_ins_marked(engine):
    hit = next(h for h in engine.search("有人骗低保会被罚吗", k=10).hits
               if h.unit.id == "social-assistance-measures/art-68")
    assert "<mark>骗</mark>取" in hit.snippet_html and "<mark>罚</mark>款" in hit.snippet_html


def test_a_snippet_stays_in_the_question_language_when_only_the_other_matched():
    from indexer.snippets import make_snippet

    question = Question("着火了怎么办", "zh", {}, (), frozenset(), {}, (),
                        marked={"en": frozenset({"fire"}), "zh": frozenset()})
    plain, html = make_snippet(["Other text.", "Fire and flood."], ["其他。", "火灾和洪水。"], question)
    assert plain == "火灾和洪水。" and "<mark>" not in html
    plain, _ = make_snippet(["Fire and flood."], [], question)
    assert plain == "Fire and flood."


def test_a_paragraph_is_segmented_once_and_one_without_the_questions_words_not_at_all(monkeypatch):
    from indexer import paragraph_spans, snippets

    segmented = []
    cut = paragraph_spans.chinese_spans
    monkeypatch.setattr(paragraph_spans, "_found", {})
    monkeypatch.setattr(paragraph_spans, "chinese_spans", lambda text: segmented.append(text) or cut(text))
    question = Question("低保怎么申请", "zh", {}, (), frozenset(), {}, (),
                        marked={"en": frozenset(), "zh": frozenset({"低保", "申请"})})
    paragraphs = ["国家对流浪人员给予救助。", "低保的申请，向乡镇人民政府提出。"]
    first = snippets.make_snippet([], paragraphs, question)
    again = snippets.make_snippet([], paragraphs, question)
    assert segmented == [paragraphs[1]]
    assert first == again and "<mark>低保</mark>" in first[1] and "<mark>申请</mark>" in first[1]


def test_the_paragraph_holding_more_of_the_questions_terms_wins_over_one_repeating_a_word():
    from indexer.snippets import make_snippet

    question = Question("家里失火了能申请救助吗", "zh", {}, (), frozenset(), {}, (),
                        marked={"en": frozenset(), "zh": frozenset({"失火", "救助", "申请"})})
    paragraphs = ["救助对象的救助，由救助管理机构救助。", "因失火造成困难的，可以申请救助。"]
    plain, html = make_snippet([], paragraphs, question)
    assert plain == paragraphs[1] and "<mark>失火</mark>" in html


def test_a_one_character_chinese_word_is_marked_only_as_a_stand_in():
    from indexer.snippets import make_snippet

    question = Question("人怎么办", "zh", {}, (), frozenset(), {}, (),
                        marked={"en": frozenset(), "zh": frozenset({"人", "低保"})})
    plain, html = make_snippet([], ["每个人，每个人都有。", "乡镇办理低保。"], question)
    assert plain == "乡镇办理低保。" and "<mark>低保</mark>" in html


def test_a_guide_paragraph_lends_less_to_each_of_many_citations():
    from indexer.chunking import Chunk
    from indexer.engine import GUIDE_CARRY, _unit_ranking

    def paragraph(unit_id, cites):
        return Chunk(id=f"{unit_id}#p", unit_id=unit_id, kind="guide", title_en="", title_zh="", chapter_en="",
                     chapter_zh="", text_en="", text_zh="", cites=cites)
    one = dict(_unit_ranking([(paragraph("guides/a", ["art-1"]), 1.0)]))
    four = dict(_unit_ranking([(paragraph("guides/b", ["art-1", "art-2", "art-3", "art-4"]), 1.0)]))
    assert one["art-1"] == pytest.approx(GUIDE_CARRY)
    assert four["art-1"] == pytest.approx(GUIDE_CARRY / 2)


def test_a_question_is_analysed_once_per_search(engine, monkeypatch):
    """Language, concepts, stand-ins and expansions are worked out once, in
    the analysed question that every retriever and the snippets take."""
    calls = []
    matches = engine.expander.matches
    monkeypatch.setattr(engine.expander, "matches", lambda text: calls.append(text) or matches(text))
    response = engine.search("有人骗低保会被罚吗", k=10, mode="hybrid")
    assert calls == ["有人骗低保会被罚吗"] and response.hits
    question = analyse("有人骗低保会被罚吗", engine.expander, engine.keyword)
    assert question.lang == "zh" and "dibao" in question.concept_ids
    assert question.stand_ins["骗"] == "骗" and question.stand_ins["罚"] == "罚"
    assert "低保" in question.concept_words and "低保" not in question.asked


def test_a_long_question_is_analysed_only_up_to_the_bound(engine):
    from indexer.question import MAX_CHARS

    long_zh = "低保怎么申请" + "".join(chr(0x4E00 + 7 * i) for i in range(400))
    question = analyse(long_zh, engine.expander, engine.keyword, engine.corpus.intents, engine.corpus.scope)
    assert len(question.text) == MAX_CHARS["zh"] and "dibao" in question.concept_ids and "apply" in question.intent
    long_en = "how do I apply for dibao " + " ".join(f"word{i}" for i in range(300))
    question = analyse(long_en, engine.expander, engine.keyword)
    assert len(question.text) <= MAX_CHARS["en"] and question.text.endswith(tuple("0123456789")), "cut between words"


def test_the_encoder_reads_a_long_chinese_question_up_to_its_own_bound(engine):
    from indexer.question import MAX_ENCODED_CHARS, open_question

    asked = "低保户" + "我家" * 25 + "的危房改造怎么申请"
    opening = open_question(asked, engine.expander)
    encoded = opening.semantic_text
    assert encoded.startswith(asked[:MAX_ENCODED_CHARS["zh"]] + " ") and "危房" not in encoded
    # The concepts come from the whole question: the cut loses none of them.
    named = [entry.id for entry in opening.concepts]
    assert "dibao" in named and len(named) >= 2
    assert all(entry.label_en in encoded for entry in opening.concepts)
    short = open_question("低保怎么申请", engine.expander)
    assert short.semantic_text.startswith("低保怎么申请 ")


def test_answers_are_cached_per_question_k_mode_and_build(engine, monkeypatch):
    from indexer.result_cache import ResultCache

    monkeypatch.setattr(engine, "results", ResultCache(2))
    first = engine.search("how  do I apply for dibao", k=5)
    assert engine.search("how do I apply for dibao", k=5) is first  # the same question, normalised
    assert engine.search("how do I apply for dibao", k=6) is not first
    assert engine.search("how do I apply for dibao", k=5, mode="keyword") is not first
    assert engine.results.stats() == {"size": 2, "capacity": 2, "hits": 1, "misses": 3, "hit_rate": 0.25}
    # Another build (a swap) never answers from the old one's entries.
    monkeypatch.setattr(engine, "manifest", {**engine.manifest, "build_time": "another build"})
    again = engine.search("how do I apply for dibao", k=5)
    assert again is not first and [h.unit.id for h in again.hits] == [h.unit.id for h in first.hits]


def test_the_result_cache_keeps_the_most_recent_answers_only():
    from indexer.result_cache import ResultCache

    cache = ResultCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    off = ResultCache(0)
    off.put("a", 1)
    assert off.get("a") is None and off.stats()["size"] == 0


def test_the_keyword_index_reads_every_terms_document_frequency_as_whoosh_counts_it(engine):
    """Read once from the lexicon at open (keyword_index.py); idf and which terms a long question keeps use it."""
    from indexer.keyword_index import FIELDS

    index = engine.keyword
    reader = index._thread_reader()
    for field in FIELDS:
        lexicon = list(reader.field_terms(field))
        assert lexicon, field
        assert {t: index._frequency(field, t) for t in lexicon} == {t: reader.doc_frequency(field, t) for t in lexicon}
    assert index._frequency("text_zh", "不在词典里的词") == 0


COVERAGE_QUESTIONS = ["低保怎么申请", "骗低保要罚吗", "房子塌了怎么办", "低保户看病能报多少", "孩子上学有补助吗 dibao 940元",
                      "人死了丧葬费谁出", "罚", "what happens if I lie to get dibao", "flood relief tents"]


@pytest.mark.parametrize("asked", COVERAGE_QUESTIONS)
def test_coverage_is_the_share_the_whole_text_holds(engine, asked):
    # The check reads only the texts that hold a Chinese word, from the build's
    # spans: it must say what segmenting the whole text would.
    from indexer.analysis import terms
    from indexer.question import analyse

    question = analyse(asked, engine.expander, engine.keyword, engine.corpus.intents, engine.corpus.scope)

    def reference(text: str) -> float:
        have = set(terms(text, question.lang)) | (set(terms(text, "zh_chars")) if question.stand_ins else set())
        covered = sum(question.stand_ins.get(w, w) in have for w in question.asked)
        covered += sum(any(ws and all(w in have for w in ws) for ws in words) for words in question.concept_lang_words)
        total = len(question.asked) + len(question.concept_lang_words)
        return covered / total if total else 0.0

    seen = set()
    for unit in engine.corpus.all_units():
        parts = [unit.title, unit.title_zh or ""] + unit.paragraphs_en + unit.paragraphs_zh
        got = engine._coverage(question, unit.id)
        assert got == reference(" ".join(parts)), unit.id
        seen.add(got)
    assert len(seen) > 1, "every unit covers the question alike: the comparison proves nothing"
