"""Every article's Chinese text matches the official reference, word for word.

The reference lives in ../shared/reference/ beside the repository (as in CI).
The project never reads it at run time; this test is the check.
"""
from __future__ import annotations

import re

import pytest

from indexer.numerals import to_chinese

from .conftest import SHARED

REFERENCE = SHARED / "reference" / "social-assistance-measures.zh.md"


@pytest.fixture(scope="module")
def reference_articles() -> dict[int, str]:
    if not REFERENCE.exists():
        pytest.fail(f"the official reference text is missing: {REFERENCE} (check out ../shared beside the repository)")
    numbers = {to_chinese(n): n for n in range(1, 100)}
    articles: dict[int, list[str]] = {}
    current = None
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        match = re.match(r"^第([一二三四五六七八九十百]+)条\s*(.*)$", line)
        if match:
            current = numbers[match.group(1)]
            articles[current] = [match.group(2)]
        elif current and line and not line.startswith(("#", "<!--")):
            articles[current].append(line)
    return {n: "".join("".join(p.split()) for p in paras) for n, paras in articles.items()}


def test_reference_has_70_articles(reference_articles):
    assert sorted(reference_articles) == list(range(1, 71))


@pytest.mark.parametrize("number", range(1, 71))
def test_article_matches_reference(corpus, reference_articles, number):
    unit = corpus.units[f"social-assistance-measures/art-{number}"]
    ours = "".join("".join(p.split()) for p in unit.paragraphs_zh)  # whitespace aside
    assert ours == reference_articles[number]
