"""The one embedder interface: name, dimension, runtime, export checksum, encode().

The packaged MiniLM runs on onnxruntime from an export made at build time
(onnx_export.py); a POLICYKB_MODEL model, or POLICYKB_RUNTIME=torch, runs on
sentence-transformers. Both give L2-normalised mean-pooled vectors, so an index
built with one is read the same way; the manifest still records which, since
their vectors differ in the last digits.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from . import config

BATCH_SIZE = 32
_models: dict[tuple, "Embedder"] = {}
_lock = threading.Lock()


class ModelUnavailable(Exception):
    pass


class Embedder:
    name: str
    dimension: int
    runtime: str
    export_hash: str | None = None

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        raise NotImplementedError


class TorchEmbedder(Embedder):
    runtime = "torch"

    def __init__(self, name: str, path: str):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # transformers draws a "Loading weights" bar on stderr; a server log
        # and the command line's one-line messages have no use for it.
        transformers_logging.disable_progress_bar()

        self.name = name
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # a bad name or path, or weights that are not on this machine
            raise ModelUnavailable(
                f"cannot load the embedding model '{name}' ({exc.__class__.__name__}: {exc}). "
                "Set POLICYKB_MODEL to an installed sentence-transformers model folder, "
                "or unset it to use the packaged default."
            ) from exc
        # sentence-transformers 6 renamed the method; 3-5 only have the old name.
        get_dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        vectors = self._model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class OnnxEmbedder(Embedder):
    """The packaged sentence-transformers model, run as sentence-transformers runs it:
    its own fast tokenizer (truncated at the model's max_seq_length), the
    transformer's token states, mean over the attended tokens, L2 norm."""
    runtime = "onnxruntime"

    def __init__(self, name: str, path: str, export: Path, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        from .onnx_export import checksum, is_complete

        if not is_complete(export):
            raise ModelUnavailable(f"the ONNX export of '{name}' is missing ({export}): run: policykb build")
        self.name = name
        self.export_hash = checksum(export)
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(str(export), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a truncated or foreign file
            raise ModelUnavailable(f"cannot load the ONNX export {export} ({exc.__class__.__name__}: {exc}): "
                                   "delete it and run: policykb build") from exc
        max_length = json.loads((Path(path) / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
        self._tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        # Batches of similar length waste less on padding (sentence-transformers sorts too).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(texts), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            # One question: encode(), which keeps the GIL for its 20 us. encode_batch()
            # lets it go, and getting it back from a thread busy in Python (the
            # keyword search, another request) took 5 ms, the interpreter's switch interval.
            encodings = [self._tokenizer.encode(texts[batch[0]])] if len(batch) == 1 \
                else self._tokenizer.encode_batch([texts[i] for i in batch])
            feeds = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            states = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
            mask = feeds["attention_mask"][:, :, None].astype(np.float32)
            pooled = (states * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            out[batch] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


def export_path() -> Path:
    """Where the default model's ONNX export lives: one folder per package version."""
    from importlib import metadata

    from .onnx_export import ONNX_FILE

    version = metadata.version(config.DEFAULT_MODEL_PACKAGE)
    return config.models_dir() / f"{config.DEFAULT_MODEL_PACKAGE}-{version}-onnx" / ONNX_FILE


def _runtime() -> str:
    """config.runtime(), with a bad POLICYKB_RUNTIME reported as the model being unavailable:
    every entry point already turns that into one line (CLI) or a 503 (site)."""
    try:
        return config.runtime()
    except ValueError as exc:
        raise ModelUnavailable(str(exc)) from exc


def ensure_export() -> Path:
    """Make the ONNX export if it is not there yet (build time; takes a few seconds)."""
    from .onnx_export import export, is_complete

    target = export_path()
    if not is_complete(target) and _runtime() == "onnxruntime":
        _, path = config.model_spec()
        export(path, target.parent)
    return target


def get_embedder(threads: int | None = None) -> Embedder:
    """The configured model on the configured runtime; the first call loads it, later calls share it.

    threads: onnxruntime intra-op threads (None: all cores, for building)."""
    name, path = config.model_spec()
    runtime = _runtime()
    key = (name, runtime, threads if runtime == "onnxruntime" else None)
    with _lock:
        if key not in _models:
            _models[key] = OnnxEmbedder(name, path, export_path(), threads) if runtime == "onnxruntime" \
                else TorchEmbedder(name, path)
        return _models[key]
