"""The embedder interface on both runtimes, and an index that refuses queries from another runtime or export."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from indexer import config
from indexer.embeddings import OnnxEmbedder, TorchEmbedder, ensure_export, export_path
from indexer.engine import SearchEngine
from indexer.index_store import IndexStale

from .conftest import CORPUS, REPO_ROOT, SHARED

FIX = "policykb build"
SETS = [REPO_ROOT / "tests" / "data" / "questions.jsonl", REPO_ROOT / "tests" / "data" / "heldout.jsonl",
        SHARED / "eval" / "dev.jsonl"]


def _questions() -> list[str]:
    out = []
    for path in SETS:
        assert path.exists(), f"question set {path} is missing"
        out += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


@pytest.fixture(scope="module")
def both():
    ensure_export()
    name, path = config.model_spec()
    return OnnxEmbedder(name, path, export_path(), threads=1), TorchEmbedder(name, path)


def test_both_runtimes_give_unit_vectors_of_the_model_dimension(both):
    for embedder in both:
        vectors = embedder.encode(["What can a family on dibao receive?", "低保怎么申请"])
        assert vectors.shape == (2, 384) and vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert both[0].runtime == "onnxruntime" and len(both[0].export_hash) == 64
    assert both[1].runtime == "torch" and both[1].export_hash is None


def test_onnx_vectors_match_torch_on_every_question_of_the_sets(both):
    questions = _questions()
    onnx, torch = (e.encode(questions) for e in both)
    cosines = (onnx * torch).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, f"{questions[worst]!r}: cosine {cosines[worst]:.5f}"


def test_one_question_alone_encodes_as_in_a_padded_batch(both):
    questions = _questions()[:40]
    batch = both[0].encode(questions)
    alone = np.stack([both[0].encode([q])[0] for q in questions])
    assert (batch * alone).sum(axis=1).min() >= 0.99999


@pytest.fixture
def index_copy(tmp_path, index_dir):
    root = tmp_path / "index"
    shutil.copytree(index_dir, root, symlinks=True)
    return root


def _edit_manifest(root, **changes):
    path = (root / "current").resolve() / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, **changes}), encoding="utf-8")


def test_the_index_records_its_runtime_and_export(index_dir):
    manifest = json.loads(((index_dir / "current").resolve() / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["runtime"] == config.runtime() == "onnxruntime"
    from indexer.onnx_export import checksum
    assert manifest["export_sha256"] == checksum(export_path())


def test_queries_on_another_runtime_are_refused_with_the_rebuild_hint(index_dir, monkeypatch):
    monkeypatch.setenv("POLICYKB_RUNTIME", "torch")
    with pytest.raises(IndexStale, match=FIX) as caught:
        SearchEngine.open(index_dir, CORPUS)
    assert "onnxruntime" in str(caught.value) and "torch" in str(caught.value)


def test_an_index_from_another_export_is_stale(index_copy):
    _edit_manifest(index_copy, export_sha256="0" * 64)
    with pytest.raises(IndexStale, match=FIX):
        SearchEngine.open(index_copy, CORPUS)


def test_an_index_from_before_runtimes_were_recorded_is_stale(index_copy):
    _edit_manifest(index_copy, runtime=None, export_sha256=None)
    with pytest.raises(IndexStale, match=FIX):
        SearchEngine.open(index_copy, CORPUS)


def test_an_index_whose_words_were_cut_with_other_stop_lists_is_stale(index_copy):
    _edit_manifest(index_copy, analysis="0" * 64)
    with pytest.raises(IndexStale, match=FIX) as caught:
        SearchEngine.open(index_copy, CORPUS)
    assert "stop lists" in str(caught.value)


def test_a_missing_export_says_to_rebuild(tmp_path, monkeypatch):
    from indexer.embeddings import ModelUnavailable
    monkeypatch.setenv("POLICYKB_MODELS_DIR", str(tmp_path / "no-models"))
    name, path = config.model_spec()
    with pytest.raises(ModelUnavailable, match=FIX):
        OnnxEmbedder(name, path, export_path())


def test_an_export_without_its_weights_file_is_missing_and_remade(tmp_path, monkeypatch):
    """The weights live beside the graph (onnxruntime maps them): a graph alone,
    as exports were once made, is not an export."""
    from indexer.embeddings import ModelUnavailable
    from indexer.onnx_export import DATA_FILE, checksum
    monkeypatch.setenv("POLICYKB_MODELS_DIR", str(tmp_path / "models"))
    graph = export_path()
    graph.parent.mkdir(parents=True)
    graph.write_bytes(b"a graph without its weights")
    name, path = config.model_spec()
    with pytest.raises(ModelUnavailable, match=FIX):
        OnnxEmbedder(name, path, graph)
    assert ensure_export() == graph and graph.with_name(DATA_FILE).stat().st_size > 80 * 2**20
    assert OnnxEmbedder(name, path, graph).export_hash == checksum(graph)
    assert sorted(p.name for p in graph.parent.iterdir()) == sorted([graph.name, DATA_FILE])  # no temporary left


def test_a_bad_runtime_setting_is_one_line_not_a_traceback(index_dir):
    import os
    import subprocess
    import sys

    env = {**os.environ, "POLICYKB_RUNTIME": "tensorflow", "POLICYKB_INDEX_DIR": str(index_dir)}
    done = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "低保"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "policykb: POLICYKB_RUNTIME must be one of onnxruntime, torch, got 'tensorflow'"]


def test_the_site_searching_on_onnx_runtime_never_imports_torch(index_dir):
    """torch alone held about 200 MB of the serving process (README, serving targets)."""
    import os
    import subprocess
    import sys

    code = "\n".join([
        "import sys",
        "from webapp import create_app",
        "client = create_app({'POLICYKB_INDEX_DIR': sys.argv[1], 'POLICYKB_CORPUS_DIR': sys.argv[2]}).test_client()",
        "for q in ('How do I apply for dibao?', '低保怎么申请'):",
        "    assert client.get('/api/search', query_string={'q': q}).status_code == 200",
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))",
    ])
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYKB_RUNTIME", "POLICYKB_MODEL")}
    done = subprocess.run([sys.executable, "-c", code, str(index_dir), str(CORPUS)], env=env,
                          capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
