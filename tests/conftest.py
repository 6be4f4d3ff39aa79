"""Shared fixtures: the real corpus, and a real index built once per test session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Tests change ranking constants and search again: answers are not cached
# unless a test asks for a cache of its own (indexer/result_cache.py).
os.environ["POLICYKB_RESULT_CACHE"] = "0"

from indexer.config import REPO_ROOT  # noqa: E402
from indexer.corpus import load_corpus

CORPUS = REPO_ROOT / "corpus"
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private copy of the corpus that a test may break."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """The real corpus indexed with the default model, once per session."""
    from indexer.build import build_index

    folder = tmp_path_factory.mktemp("index")
    build_index(CORPUS, folder)
    return folder


@pytest.fixture(scope="session")
def engine(index_dir):
    from indexer.engine import SearchEngine

    return SearchEngine.open(index_dir, CORPUS)
