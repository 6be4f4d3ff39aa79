"""Every command reads files as UTF-8: a bad byte is `file:line: not valid UTF-8`, one broken front matter one problem."""
from __future__ import annotations

import json
import os

import pytest

from indexer.cli import main
from indexer.corpus import CorpusError, load_corpus

MEASURES = "social-assistance-measures.md"


def _problems(corpus_copy) -> list[str]:
    with pytest.raises(CorpusError) as exc:
        load_corpus(corpus_copy)
    return exc.value.problems


def _put_on_line(path, line_no: int, data: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[line_no - 1] = lines[line_no - 1] + data
    path.write_bytes(b"\n".join(lines))


@pytest.mark.parametrize("name", [MEASURES, "glossary.md", "guides/minimum-living-security.md"])
def test_an_invalid_byte_in_the_corpus_is_one_problem_with_file_and_line(corpus_copy, name):
    path = corpus_copy / name
    _put_on_line(path, 7, b"\xff\xfe")
    assert _problems(corpus_copy) == [f"{path}:7: not valid UTF-8"]


def test_a_nul_byte_in_the_corpus_is_refused(corpus_copy):
    path = corpus_copy / MEASURES
    _put_on_line(path, 9, b"\0")
    assert _problems(corpus_copy) == [f"{path}:9: contains a NUL byte"]


def test_a_byte_order_mark_is_read_as_utf8(corpus_copy, corpus):
    path = corpus_copy / MEASURES
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert set(load_corpus(corpus_copy).units) == set(corpus.units)


def test_one_bad_yaml_line_in_a_front_matter_is_one_problem(corpus_copy):
    path = corpus_copy / MEASURES
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---"
    lines.insert(1, "title_en: [unclosed")
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = _problems(corpus_copy)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:") and "YAML" in problems[0], problems


def test_build_reports_a_bad_byte_in_one_line(corpus_copy, tmp_path, monkeypatch, capsys):
    _put_on_line(corpus_copy / MEASURES, 5, b"\xc3")
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(corpus_copy))
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(tmp_path / "index"))
    assert main(["build", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"{corpus_copy / MEASURES}:5: not valid UTF-8" in err, err


def test_eval_reports_a_non_utf8_question_file(index_dir, tmp_path, monkeypatch, capsys):
    questions = tmp_path / "q.jsonl"
    good = json.dumps({"id": "a", "lang": "en", "question": "dibao", "relevant": []}).encode()
    questions.write_bytes(good + b"\n" + good.replace(b"dibao", b"dib\xe9o") + b"\n")
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(index_dir))
    assert main(["eval", str(questions)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"policykb: {questions}:2: not valid UTF-8", err


def test_search_refuses_a_question_with_an_invalid_byte(index_dir, monkeypatch, capsys):
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(index_dir))
    question = os.fsdecode(b"dibao \xff")  # what Python makes of argv bytes that are not UTF-8
    assert main(["search", question]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "policykb: question: not valid UTF-8", err
