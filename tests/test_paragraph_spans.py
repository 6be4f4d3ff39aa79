"""The paragraphs' term spans kept from the build (indexer/paragraph_spans.py)."""
from __future__ import annotations

import pytest

from indexer.analysis import chinese_spans, english_spans
from indexer.paragraph_spans import Collector, ParagraphSpans, write


SPANS = {"zh": chinese_spans, "en": english_spans}


def _by_term(text: str, lang: str = "zh") -> dict:
    found: dict = {}
    for term, start, end in SPANS[lang](text):
        found.setdefault(term, []).append((start, end))
    return {term: tuple(spans) for term, spans in found.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_paragraph_has_the_spans_analysing_it_alone_gives(engine, lang):
    # The build analyses chunks (paragraphs joined); a snippet reads one
    # paragraph: the two must agree for every paragraph of every unit and guide.
    paragraphs = [p for unit in engine.corpus.all_units() for p in getattr(unit, f"paragraphs_{lang}")]
    assert len(paragraphs) > 300
    for paragraph in paragraphs:
        assert engine.paragraph_spans.where(paragraph, lang) == _by_term(paragraph, lang), paragraph[:40]


def test_a_text_the_build_did_not_see_has_none(engine):
    assert engine.paragraph_spans.where("这段话不在任何一条里：低保、救助。", "zh") is None
    assert engine.paragraph_spans.where("This sentence is in no article.", "en") is None


def test_snippets_are_the_same_with_or_without_the_builds_spans(engine, monkeypatch):
    from indexer import paragraph_spans

    questions = ["低保怎么申请", "房子着火了有什么救助", "骗低保会被罚款吗", "孩子上学有补助吗", "how do I apply for dibao",
                 "flood relief for our village"]
    def answers():
        monkeypatch.setattr(paragraph_spans, "_found", {})  # nothing kept from before
        return [[(h.unit.id, h.snippet_html) for h in engine._search(q, 10, "hybrid").hits] for q in questions]
    with_spans = answers()
    monkeypatch.setattr(engine.paragraph_spans, "where", lambda text, lang: None)
    assert answers() == with_spans
    assert any("<mark>" in html for hits in with_spans for _, html in hits)


def test_a_lead_in_repeated_in_several_chunks_is_kept_once_and_split_at_paragraphs(tmp_path):
    lead, item1, item2 = "县级人民政府民政部门负责审批。", "（一）最低生活保障；", "（二）特困人员供养。"
    collector = Collector()
    for text in (f"{lead}\n\n{item1}", f"{lead}\n\n{item2}"):
        collector.add(text, chinese_spans(text))
    write({"zh": collector, "en": Collector()}, tmp_path)
    kept = ParagraphSpans(tmp_path)
    for paragraph in (lead, item1, item2):
        assert kept.where(paragraph, "zh") == _by_term(paragraph)
    assert kept.where(f"{lead}\n\n{item1}", "zh") is None


def test_arrays_that_do_not_agree_are_refused(tmp_path):
    import numpy as np

    collector = Collector()
    collector.add("最低生活保障", chinese_spans("最低生活保障"))
    write({"zh": collector, "en": Collector()}, tmp_path)
    np.save(tmp_path / "spans" / "zh-bounds.npy", np.zeros(5, dtype=np.int64))
    with pytest.raises(ValueError, match="do not agree"):
        ParagraphSpans(tmp_path)
