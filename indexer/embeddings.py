"""The sentence-transformers model, loaded once per process and per model."""
from __future__ import annotations

import threading

import numpy as np

from . import config

BATCH_SIZE = 32
_models: dict[str, "Embedder"] = {}
_lock = threading.Lock()


class ModelUnavailable(Exception):
    pass


class Embedder:
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


def get_embedder() -> Embedder:
    """The configured model; the first call loads it, later calls share it."""
    name, path = config.model_spec()
    with _lock:
        if name not in _models:
            _models[name] = Embedder(name, path)
        return _models[name]
