"""Loading a malformed corpus names the file, line and problem, all at once, and loads nothing."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.corpus import CorpusError, load_corpus

BAD = Path(__file__).parent / "fixtures" / "bad"


def problems_with(corpus_copy: Path, *names: str) -> list[str]:
    for name in names:
        target = corpus_copy / name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(BAD / name, target)
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus_copy)
    return info.value.problems


def test_a_gap_in_numbering(corpus_copy):
    [problem] = problems_with(corpus_copy, "gap.md")
    assert problem == f"{corpus_copy / 'gap.md'}:21: unit 'art-3' is out of order: expected art-2"


def test_chapters_out_of_order(corpus_copy):
    [problem] = problems_with(corpus_copy, "chapters.md")
    assert problem.endswith("chapters.md:9: chapter 'chapter-2' is out of order: expected chapter-1")


def test_empty_text_and_missing_status(corpus_copy):
    problems = problems_with(corpus_copy, "empty-text.md")
    assert any(p.endswith("empty-text.md:11: '::: zh' container is empty") for p in problems), problems
    assert any(p.endswith("empty-text.md:14: '::: en' needs a status: one of official, seed, unofficial")
               for p in problems), problems


def test_missing_front_matter(corpus_copy):
    problems = problems_with(corpus_copy, "no-front-matter.md")
    assert problems == [f"{corpus_copy / 'no-front-matter.md'}:1: missing front matter (a YAML block between '---' lines at the top)"]


def test_invalid_yaml_names_its_line(corpus_copy):
    [problem] = problems_with(corpus_copy, "bad-yaml.md")
    assert problem.startswith(f"{corpus_copy / 'bad-yaml.md'}:") and "not valid YAML" in problem


def test_duplicate_id(corpus_copy):
    problems = problems_with(corpus_copy, "duplicate.md")
    assert any("id 'social-assistance-measures' is already used at" in p for p in problems), problems


def test_guide_statements_must_cite_existing_units(corpus_copy):
    problems = problems_with(corpus_copy, "guides/uncited.md")
    assert any(p.endswith("uncited.md:12: statement cites no unit: add a link such as "
                          "[Art. 9](social-assistance-measures/art-9)") for p in problems), problems
    assert any("cites 'social-assistance-measures/art-99', which is not a unit in the corpus" in p
               for p in problems), problems


def test_all_problems_are_reported_at_once(corpus_copy):
    problems = problems_with(corpus_copy, "gap.md", "chapters.md", "guides/uncited.md")
    files = {p.split(":")[0].rsplit("/", 1)[-1] for p in problems}
    assert {"gap.md", "chapters.md", "uncited.md"} <= files


def test_a_broken_article_in_the_real_corpus(corpus_copy):
    doc = corpus_copy / "social-assistance-measures.md"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("### art-12 ·", "### art-13 ·", 1), encoding="utf-8")
    problems = problems_with(corpus_copy)
    assert any("unit 'art-13' is out of order: expected art-12" in p for p in problems)
    assert any("id 'social-assistance-measures/art-13' is already used" in p for p in problems)


def test_cli_reports_problems_with_exit_2(corpus_copy):
    shutil.copy(BAD / "gap.md", corpus_copy / "gap.md")
    run = subprocess.run([sys.executable, "-m", "indexer.cli", "units", "--json"], capture_output=True, text=True,
                         env={"POLICYKB_CORPUS_DIR": str(corpus_copy), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 2
    assert "gap.md:21: unit 'art-3' is out of order" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_related_links_must_resolve_and_be_marked_editorial(corpus_copy):
    doc = corpus_copy / "poverty-alleviation-plan.md"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("[Art. 27](social-assistance-measures/art-27)", "[Art. 97](social-assistance-measures/art-97)")
    text = text.replace("::: related editorial\n[Art. 52]", "::: related\n[Art. 52]")
    doc.write_text(text, encoding="utf-8")
    problems = problems_with(corpus_copy)
    assert any("related link to 'social-assistance-measures/art-97', which is not a unit" in p for p in problems)
    assert any("'::: related' links are editorial: write '::: related editorial'" in p for p in problems)


@pytest.mark.parametrize("heading, subject", [
    ("### art-12 · Monthly allowance and further support", None),
    ("### art-12 · Monthly allowance and further support · 第十二条", "第十二条"),
    ("### art-12 · Monthly allowance and further support · Art. 12", "Art. 12"),
])
def test_a_unit_needs_a_chinese_subject(corpus_copy, heading, subject):
    doc = corpus_copy / "social-assistance-measures.md"
    lines = doc.read_text(encoding="utf-8").split("\n")
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("### art-12 "))
    lines[line_no - 1] = heading
    doc.write_text("\n".join(lines), encoding="utf-8")
    problems = problems_with(corpus_copy)
    where = f"{doc}:{line_no}: "
    if subject is None:
        assert f"{where}heading '{heading[4:]}' should read 'id · English title · Chinese title'" in problems, problems
    else:
        assert f"{where}Chinese subject '{subject}' should say in Chinese what the unit is about, not only its number" \
            in problems, problems


def test_related_articles_must_not_link_to_themselves(corpus_copy):
    doc = corpus_copy / "social-assistance-measures.md"
    text = doc.read_text(encoding="utf-8")
    # Art. 9's related links, the first of which becomes Art. 9 itself.
    text = text.replace("[Art. 10](social-assistance-measures/art-10) [Art. 11]", "[Art. 9](social-assistance-measures/art-9) [Art. 11]", 1)
    doc.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("### art-9 "))
    problems = problems_with(corpus_copy)
    assert f"{doc}:{line_no}: related link to the unit itself" in problems, problems


def test_a_glossary_term_in_two_concepts_and_a_missing_chinese_definition(corpus_copy):
    path = corpus_copy / "glossary.md"
    text = path.read_text(encoding="utf-8").replace("- zh: 挪用; 挤占; 截留; 私分", "- zh: 挪用; 挤占; 截留; 私分; 专款专用; 低保", 1)
    start = text.index("## entry-into-force")
    text = text[:start] + text[start:].replace("\nzh: 本办法自2014年5月1日起施行。", "\n", 1)
    path.write_text(text, encoding="utf-8")
    line_of = {line.split(" · ")[0]: i for i, line in enumerate(text.split("\n"), 1) if line.startswith("## ")}
    problems = problems_with(corpus_copy)
    assert any(p.startswith(f"{path}:{line_of['## misuse-of-funds']}: term '低保' is already a term of 'dibao'")
               for p in problems), problems
    assert f"{path}:{line_of['## entry-into-force']}: glossary entry needs a definition in English and one in " \
           "Chinese (a paragraph starting 'zh: ')" in problems, problems
