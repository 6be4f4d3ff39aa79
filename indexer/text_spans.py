"""The spans of every chunk's texts for the keyword build, segmented in
worker processes when the corpus is large.

jieba's segmentation is about a third of the keyword build (3.8 of 11.5 s at
10k synthetic chunks) and pure Python: in the build's own process it cannot
overlap the posting writes. Worker processes segment batches of texts ahead
while the build consumes them in order: on 2 cores the keyword build of
100k chunks took 71 s against 123 s in process (10k: 5.2-7.9 against
7.1-9.7 s; alternated in one process). A worker sends back only the spans'
offsets (pickling the (term, start, end) tuples of 10k chunks and reading
them back took 0.8-1.2 s, a quarter of the segmentation); the build reads
each term back from its text as the analysis yields it
(paragraph_spans.term_of), so the spans are exactly chinese_spans() and
english_spans() of the text (tests/test_build.py compares the segments).

Small corpora, such as the real one (751 chunks, 1,500 texts), are
segmented in process: starting workers (importing jieba, loading its
dictionary: about a second) costs more than it saves. Workers are spawned,
so a script that builds a large corpus needs the usual
`if __name__ == "__main__":` guard (policykb's CLI and benchmarks have it).
"""
from __future__ import annotations

import multiprocessing
import os
from array import array
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator, Sequence

from .analysis import chinese_spans, english_spans
from .paragraph_spans import flat_offsets, term_of

# Below this many texts (two a chunk) they are segmented in the build's process.
PARALLEL_FROM = 4000
# Texts a worker segments per task: large enough that sending a task is
# cheap beside segmenting it, small enough that the build starts early.
BATCH = 256

_SPANS = {"zh": chinese_spans, "en": english_spans}

Span = tuple[str, int, int]


def _offsets(batch: list[tuple[str, str]]) -> list[bytes]:
    """Each (lang, text)'s spans as start, end pairs (a worker's task)."""
    return [flat_offsets(_SPANS[lang](text)).tobytes() for lang, text in batch]


def _spans(lang: str, text: str, offsets: bytes) -> tuple[Span, ...]:
    pairs = array("i")
    pairs.frombytes(offsets)
    term = term_of(lang)
    return tuple((term(text[pairs[i]:pairs[i + 1]]), pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2))


def workers() -> int:
    """Worker processes for a large corpus: one per CPU this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def spans_of(texts: Sequence[tuple[str, str]], processes: int | None = None) -> Iterator[tuple[Span, ...]]:
    """The (term, start, end) spans of each (lang, text), in order: what
    chinese_spans() or english_spans() gives for it. In `processes` worker
    processes (default: workers() for PARALLEL_FROM texts or more, else
    none) or, for none or one, in this one."""
    if processes is None:
        processes = workers() if len(texts) >= PARALLEL_FROM else 0
    if processes <= 1:
        for lang, text in texts:
            yield _SPANS[lang](text)
        return
    batches = [list(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)]
    # spawn, not fork: the build has loaded ONNX Runtime and torch, whose
    # threads a forked child would inherit mid-lock. An executor, not a
    # Pool: a worker that dies (killed, out of memory) fails the build,
    # where a Pool waits for its lost task for ever.
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    try:
        for batch, found in zip(batches, pool.map(_offsets, batches)):
            for (lang, text), offsets in zip(batch, found):
                yield _spans(lang, text, offsets)
    except BrokenProcessPool as exc:  # an OSError: the CLI says it in one line, the build removes its partial index
        raise ChildProcessError(
            "a worker process segmenting the corpus's texts stopped before it finished (killed, or out of "
            "memory?); nothing was published, the current index is unchanged. A script that builds a large "
            "corpus must start from `if __name__ == \"__main__\":` (workers are spawned)") from exc
    finally:  # a build that failed does not wait for the rest of the corpus to be segmented
        pool.shutdown(cancel_futures=True)
