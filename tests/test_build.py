"""The keyword index build (keyword_index.build) makes the segment Whoosh's own
writer makes, byte for byte, so every keyword score is the same; and the
concept index scores the same with the lengths the build hands on."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal

import pytest
from whoosh import index as whoosh_index

from indexer import keyword_index, text_spans
from indexer.analysis import analyzer_for, chinese_spans, english_spans, index_terms
from indexer.chunking import Chunk, corpus_chunks
from indexer.concept_index import concept_scores
from indexer.config import REPO_ROOT
from indexer.expansion import Expander
from indexer.keyword_index import FIELDS, SOURCE, KeywordIndex
from indexer.question import analyse
from indexer.text_spans import spans_of

# Texts that take the analyzers' less common paths: upper case and full-width
# Latin in Chinese text, spaces of every kind, a field of one term (its
# stored length byte is 0), a word many times over, stop words only, empty
# fields, characters outside the BMP and from CJK extension A.
ODD = [
    ("ABC低保ＡＢＣ，2024年 Ⅻ\t\n最低生活保障 İstanbul 低保低保", "Dibao DIBAO dibao's; fire-fighting 2024 x"),
    ("", ""),
    ("的了吗", "the and of what"),
    ("救助", "assistance"),
    ("低保" * 300 + "㐀㐁" + "𠀀", "fire " * 300 + "naïve café STRASSE straße"),
    ("  \u3000 ", " \u00a0 "),
]


def odd_chunks() -> list[Chunk]:
    out = []
    for n, (zh, en) in enumerate(ODD):
        out.append(Chunk(id=f"odd/{n}", unit_id=f"odd/u{n}", kind="article", title_en=en[:20], title_zh=zh[:3],
                         chapter_en="" if n % 2 else "Chapter", chapter_zh="" if n % 2 else "第一章",
                         text_en=en, text_zh=zh))
    return out


def whoosh_writer_build(chunks: list[Chunk], folder) -> None:
    """The reference: Whoosh's single-process writer, one add_document() a chunk."""
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), keyword_index.schema())
    writer = ix.writer()
    for chunk in chunks:
        writer.add_document(chunk_id=chunk.id, unit_id=chunk.unit_id,
                            **{name: getattr(chunk, SOURCE.get(name, name)) for name in FIELDS})
    writer.commit()


def segment_digest(folder) -> dict:
    """Everything the index holds: each file of its one segment (names
    without the segment's random id), its document count and field lengths."""
    ix = whoosh_index.open_dir(str(folder))
    (segment,) = ix._segments()
    out = {"doc_count": segment.doc_count_all(), "deleted": segment.deleted_count(),
           "field_lengths": dict(segment._fieldlengths), "schema": sorted(ix.schema.names())}
    files = segment.open_compound_file(ix.storage)
    for name in sorted(files.list()):
        out[name.replace(segment.segid, "SEGMENT")] = hashlib.sha256(files.open_file(name).read()).hexdigest()
    files.close()
    ix.close()
    return out


@pytest.fixture(scope="module")
def chunks(corpus) -> list[Chunk]:
    return corpus_chunks(corpus) + odd_chunks()


@pytest.fixture(scope="module")
def built(chunks, tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    whoosh_writer_build(chunks, root / "reference")
    analysed = keyword_index.build(chunks, root / "fast")
    return root / "reference", root / "fast", analysed


def test_index_terms_are_what_the_analyzers_yield(chunks):
    for chunk in chunks:
        for name, (lang, _) in FIELDS.items():
            text = getattr(chunk, SOURCE.get(name, name))
            assert index_terms(text, lang) == [t.text for t in analyzer_for(lang)(text, mode="index")], (name, text)


def test_the_segment_is_byte_for_byte_what_whoosh_writes(built):
    reference, fast, _ = built
    want, got = segment_digest(reference), segment_digest(fast)
    assert len(want) > 10  # the length columns, postings, terms, stored fields...
    assert got == want


def test_every_keyword_score_is_the_same(built, corpus):
    reference, fast, _ = built
    want, got = KeywordIndex(reference), KeywordIndex(fast)
    assert got._chunk_ids == want._chunk_ids
    reader_w, reader_g = want._thread_reader(), got._thread_reader()
    n = 0
    for name in FIELDS:
        assert got._df[name] == want._df[name]
        for term in want._df[name]:
            (dw, sw), (dg, sg) = want._term_scores(reader_w, name, term), got._term_scores(reader_g, name, term)
            assert dg.tolist() == dw.tolist() and sg.tolist() == sw.tolist(), (name, term)
            n += 1
    assert n > 3000
    expander = Expander(corpus.glossary)
    questions = [json.loads(line)["question"] for path in (REPO_ROOT / "tests" / "data" / "questions.jsonl",
                                                            REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl")
                 if path.exists() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions += [zh for zh, _ in ODD] + [en for _, en in ODD]
    assert len(questions) > 30
    for text in questions:
        q_want, q_got = analyse(text, expander, want), analyse(text, expander, got)
        assert q_got == q_want
        result = got.search(q_got, 100)
        assert list(result.items()) == list(want.search(q_want, 100).items()), text


def test_the_build_hands_on_each_fields_number_of_terms_and_the_english_terms(built, chunks):
    _, _, analysed = built
    assert set(analysed.lengths) == set(FIELDS)
    for name, (lang, _) in FIELDS.items():
        found = [index_terms(getattr(c, SOURCE.get(name, name)), lang) for c in chunks]
        assert analysed.lengths[name] == [len(terms) for terms in found]
        if lang == "en":
            assert analysed.english[name] == found
    assert set(analysed.english) == {"title_en", "chapter_en", "text_en"}


def test_concepts_score_the_same_with_the_builds_analysis(built, chunks, corpus):
    _, _, analysed = built
    assert concept_scores(chunks, corpus.glossary, analysed) == concept_scores(chunks, corpus.glossary)


def test_an_empty_corpus_builds_an_empty_index(tmp_path):
    analysed = keyword_index.build([], tmp_path / "keyword")
    assert analysed.lengths == {name: [] for name in FIELDS} and all(not v for v in analysed.english.values())
    assert whoosh_index.open_dir(str(tmp_path / "keyword")).doc_count() == 0


def test_worker_processes_segment_every_text_as_the_analyses_do(chunks):
    texts = [(lang, getattr(c, name)) for c in chunks for name, lang in (("text_zh", "zh"), ("text_en", "en"))]
    texts += [("zh", en) for _, en in ODD] + [("en", zh) for zh, _ in ODD]  # each analysis on the other's text
    assert len(texts) > 1000
    want = [chinese_spans(text) if lang == "zh" else english_spans(text) for lang, text in texts]
    assert list(spans_of(texts, processes=2)) == want
    assert list(spans_of(texts, processes=0)) == want


def test_a_workers_error_fails_the_build():
    with pytest.raises(KeyError, match="xx"):
        list(spans_of([("zh", "低保")] * 600 + [("xx", "not a language")], processes=2))


def test_a_worker_that_dies_fails_the_build_with_a_message_not_a_hang():
    found = spans_of([("zh", "低保怎么申请，临时救助去哪里办") for _ in range(20000)], processes=2)
    next(found)  # the workers are running
    for worker in multiprocessing.active_children():
        os.kill(worker.pid, signal.SIGKILL)
    with pytest.raises(ChildProcessError, match="worker process .* stopped before it finished"):
        for _ in found:
            pass


def test_a_build_segmented_in_worker_processes_is_the_same_segment(built, chunks, tmp_path, monkeypatch):
    reference, _, analysed = built
    monkeypatch.setattr(text_spans, "PARALLEL_FROM", 0)  # the real corpus is segmented in process otherwise
    parallel = keyword_index.build(chunks, tmp_path / "parallel")
    assert segment_digest(tmp_path / "parallel") == segment_digest(reference)
    assert parallel.lengths == analysed.lengths and parallel.english == analysed.english
    for lang in ("en", "zh"):
        assert parallel.paragraphs[lang]._spans == analysed.paragraphs[lang]._spans
