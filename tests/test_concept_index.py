"""A glossary concept is scored as one term: counted once per place, with its own idf."""
from __future__ import annotations

from indexer.chunking import Chunk
from indexer.concept_index import OccurrenceCounter, concept_scores
from indexer.models import GlossaryEntry

DIBAO = GlossaryEntry(id="dibao", label_en="Minimum living security", label_zh="最低生活保障",
                      terms_en=["dibao", "minimum living allowance"],
                      terms_zh=["低保", "最低生活保障", "最低生活保障金"],
                      definition_en="", cites=[], source="")
FIRE = GlossaryEntry(id="fire", label_en="Fire", label_zh="火灾", terms_en=["fire"], terms_zh=["火灾"],
                     definition_en="", cites=[], source="")


def chunk(n: int, en: str = "", zh: str = "") -> Chunk:
    return Chunk(id=f"c{n}", unit_id=f"u{n}", kind="article", title_en="", title_zh="", chapter_en="",
                 chapter_zh="", text_en=en, text_zh=zh)


def scores(*chunks: Chunk, glossary=(DIBAO, FIRE)) -> dict:
    return concept_scores(list(chunks), list(glossary))


def test_synonyms_count_as_one_term():
    count = OccurrenceCounter(DIBAO)
    assert count("text_zh", "低保和低保") == count("text_zh", "低保和最低生活保障") == 2
    assert count("text_en", "dibao, or the minimum living allowance") == 2
    assert count("text_zh", "其他救助") == 0


def test_a_longer_term_is_not_also_counted_as_the_shorter_one_inside_it():
    assert OccurrenceCounter(DIBAO)("text_zh", "发放最低生活保障金") == 1


def test_english_terms_match_as_whole_phrases_after_stemming():
    s = scores(chunk(0, en="Minimum living allowances are paid monthly."),
               chunk(1, en="An allowance for living costs."), chunk(2, en="Nothing here."))["dibao"]
    assert "c0" in s and "c1" not in s and "c2" not in s


def test_a_concept_found_everywhere_weighs_less_than_a_rare_one():
    everywhere = [chunk(n, en=f"dibao and item {n}") for n in range(9)]
    s = scores(*everywhere, chunk(9, en="dibao after a fire"))
    assert s["fire"]["c9"] > 3 * s["dibao"]["c9"]


def test_frequency_saturates():
    s = scores(chunk(0, en="fire"), chunk(1, en="fire fire fire fire fire fire fire fire"),
               *[chunk(n, en="other words here") for n in range(2, 6)])["fire"]
    assert s["c0"] < s["c1"] < 2.2 * s["c0"]


def test_every_glossary_concept_is_in_the_built_index(engine):
    assert all(entry.id in engine.concepts for entry in engine.corpus.glossary)
    assert engine.concepts.scores(["dibao"], [c.id for c in engine.chunks])


def test_the_best_chunks_of_a_question_s_concepts_are_those_with_the_highest_summed_score(engine):
    every = engine.concepts.scores(["dibao", "temporary-assistance"], [c.id for c in engine.chunks])
    best = engine.concepts.best(["dibao", "temporary-assistance"], 5)
    assert len(best) == 5 and min(every[c] for c in best) >= sorted(every.values(), reverse=True)[4]
    assert set(engine.concepts.best(["dibao"], 10**6)) == set(engine.concepts.scores(["dibao"], [c.id for c in engine.chunks]))


def _count_by_scanning(words: list[str], by_first: dict[str, list[list[str]]]) -> int:
    """The plain reading of _count_sequences: try every place, left to right."""
    count = i = 0
    while i < len(words):
        match = next((s for s in by_first.get(words[i], ()) if words[i:i + len(s)] == s), None)
        count += match is not None
        i += len(match) if match else 1
    return count


def test_sequences_are_counted_as_a_left_to_right_scan_counts_them():
    import random

    from indexer.concept_index import _count_sequences

    rng = random.Random(7)
    vocabulary = list("abcde")
    for _ in range(3000):
        terms = [[rng.choice(vocabulary) for _ in range(rng.randint(1, 3))] for _ in range(rng.randint(1, 4))]
        by_first: dict[str, list[list[str]]] = {}
        for term in sorted(terms, key=len, reverse=True):
            by_first.setdefault(term[0], []).append(term)
        words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 30))]
        assert _count_sequences(words, set(words), by_first) == _count_by_scanning(words, by_first), (words, terms)
