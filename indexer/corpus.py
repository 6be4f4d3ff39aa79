"""Load corpus/ into a validated Corpus, or report every problem at once.

The format is documented in corpus/README.md. Loading never returns a
partial corpus: any problem raises CorpusError with all problems found, each
as `file:line: problem`.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from .intents import load_intents
from .markdown_blocks import Block, parse_blocks
from .models import Chapter, Corpus, Document, GlossaryEntry, Guide, GuideSection, Unit
from .numerals import to_chinese
from .references import article_references
from .utf8 import NotUtf8, read_utf8
from .scope import load_scope

DOC_REQUIRED = ("id", "title_en", "title_zh", "citation_en", "unit_label_en")
GUIDE_REQUIRED = ("id", "title_en", "title_zh", "summary_en", "summary_zh")
TEXT_STATUSES = {"official", "seed", "unofficial"}
UNIT_KINDS = {"art": "article", "pathway": "pathway"}
GUIDE_SECTION_CONTAINERS = ("en", "zh")
SEP = " · "
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBERED = re.compile(r"^([a-z]+)-([1-9][0-9]*)$")
_ZH_DEFINITION = "zh:"
_CJK = re.compile(r"[\u3400-\u9fff]")
# "第十一条", "第11条", "路径1", "11": a number in words, not a subject.
_BARE_NUMBER = re.compile(r"^(第?[0-9零〇一二三四五六七八九十百千两]+[条款项章节]?|路径[0-9一二三四五六七八九十]+)$")


class CorpusError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the corpus:\n" + "\n".join(problems))


class _Problems(list):
    def add(self, path: Path, line: int, message: str) -> None:
        self.append(f"{path}:{line}: {message}")


def corpus_files(root: Path) -> list[Path]:
    """Every file the corpus is made of, in a stable order (for the hash too)."""
    docs = sorted(p for p in root.glob("*.md") if p.name not in ("README.md", "glossary.md"))
    guides = sorted((root / "guides").glob("*.md"))
    glossary = [root / "glossary.md"] if (root / "glossary.md").exists() else []
    # Editorial data files (intents.yaml, scope.yaml...): part of what an index is built from.
    editorial = sorted(root.glob("*.yaml"))
    return docs + guides + glossary + editorial


def corpus_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in corpus_files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _front_matter(path: Path, blocks: list[Block], required: tuple[str, ...], problems: _Problems) -> dict | None:
    if not blocks or blocks[0].kind != "front_matter":
        problems.add(path, 1, "missing front matter (a YAML block between '---' lines at the top)")
        return None
    try:
        data = yaml.safe_load(blocks[0].text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = blocks[0].line + 1 + (mark.line if mark else 0)
        problems.add(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(data, dict):
        problems.add(path, blocks[0].line, "front matter must be a mapping of keys to values")
        return None
    data = {str(k): ("" if v is None else str(v)) for k, v in data.items()}
    for key in required:
        if not data.get(key, "").strip():
            problems.add(path, blocks[0].line, f"front matter lacks '{key}'")
    return data


def _split_heading(block: Block, path: Path, problems: _Problems, min_parts: int, max_parts: int) -> list[str] | None:
    parts = [p.strip() for p in block.text.split(SEP.strip())]
    if not (min_parts <= len(parts) <= max_parts) or not all(parts):
        shape = "id · English title" + (" · Chinese title" if max_parts == 3 else "")
        if min_parts < max_parts:
            shape = "id · English title [· Chinese title]"
        problems.add(path, block.line, f"heading '{block.text}' should read '{shape}'")
        return None
    return parts


def _containers(blocks: list[Block], path: Path, line: int, allowed: tuple[str, ...],
                problems: _Problems) -> dict[str, Block]:
    found: dict[str, Block] = {}
    for block in blocks:
        if block.kind == "paragraph":
            problems.add(path, block.line, "text outside a ::: container")
        elif block.kind == "container":
            if block.name not in allowed:
                problems.add(path, block.line, f"unexpected container '::: {block.name}' here")
            elif block.name in found:
                problems.add(path, block.line, f"second '::: {block.name}' container in the same section")
            else:
                found[block.name] = block
                if not block.paragraphs:
                    problems.add(path, block.line, f"'::: {block.name}' container is empty")
    return found


def _sections(blocks: list[Block], level: int) -> list[tuple[Block | None, list[Block]]]:
    """Group blocks under the headings of one level; the first group has no heading."""
    groups: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for block in blocks:
        if block.kind == "heading" and block.level == level:
            groups.append((block, []))
        elif block.kind == "heading" and block.level < level:
            groups.append((None, [block]))
        else:
            groups[-1][1].append(block)
    return groups


def _read(path: Path, problems: _Problems) -> str | None:
    try:
        return read_utf8(path)
    except NotUtf8 as exc:
        problems.add(path, exc.line, exc.problem)
        return None


def _load_document(path: Path, problems: _Problems) -> tuple[Document, list[Unit]] | None:
    text = _read(path, problems)
    if text is None:
        return None
    blocks = parse_blocks(text)
    meta = _front_matter(path, blocks, DOC_REQUIRED, problems)
    if meta is None or any(not meta.get(k, "").strip() for k in DOC_REQUIRED):
        return None
    doc_id = meta["id"]
    if doc_id != path.stem:
        problems.add(path, 1, f"document id '{doc_id}' does not match the file name '{path.stem}.md'")
    doc = Document(
        id=doc_id, title_en=meta["title_en"], title_zh=meta["title_zh"],
        citation_en=meta["citation_en"], citation_zh=meta.get("citation_zh", ""),
        unit_label_en=meta["unit_label_en"], unit_label_zh=meta.get("unit_label_zh", ""),
        meta={k: v for k, v in meta.items() if k not in DOC_REQUIRED and k not in ("citation_zh", "unit_label_zh")},
        source=str(path),
    )
    units: list[Unit] = []
    chapter: Chapter | None = None
    prefix = None
    for heading, body in _sections(blocks[1:], 3):
        if heading is None:
            # Chapter headings (and the optional title) live between units.
            for block in body:
                if block.kind == "heading" and block.level == 2:
                    chapter = _chapter(block, path, len(doc.chapters) + 1, problems)
                    if chapter:
                        doc.chapters.append(chapter)
                elif block.kind in ("paragraph", "container"):
                    problems.add(path, block.line, "text outside a unit: start a unit with '### <id> · <title>'")
            continue
        own = []
        for block in body:
            if block.kind == "heading":
                problems.add(path, block.line, f"unexpected heading level {block.level} inside a unit")
            else:
                own.append(block)
        parts = _split_heading(heading, path, problems, 3, 3)
        if parts is None or not _chinese_subject(parts[2], heading, path, problems):
            continue
        match = _NUMBERED.match(parts[0])
        if not match or match.group(1) not in UNIT_KINDS:
            problems.add(path, heading.line, f"unit id '{parts[0]}' should be art-<n> or pathway-<n>")
            continue
        prefix = prefix or match.group(1)
        number = int(match.group(2))
        if match.group(1) != prefix:
            problems.add(path, heading.line, f"unit '{parts[0]}' mixes '{match.group(1)}' with '{prefix}' units in one document")
        if number != len(units) + 1:
            problems.add(path, heading.line, f"unit '{parts[0]}' is out of order: expected {prefix}-{len(units) + 1}")
        found = _containers(own, path, heading.line, ("zh", "en", "note", "related"), problems)
        if "related" in found and found["related"].params != "editorial":
            problems.add(path, found["related"].line, "'::: related' links are editorial: write '::: related editorial'")
        for lang in ("zh", "en"):
            if lang not in found:
                problems.add(path, heading.line, f"unit '{parts[0]}' has no '::: {lang}' text")
            elif found[lang].params not in TEXT_STATUSES:
                problems.add(path, found[lang].line,
                             f"'::: {lang}' needs a status: one of {', '.join(sorted(TEXT_STATUSES))}")
        if "zh" not in found or "en" not in found:
            continue
        units.append(_unit(doc, parts, number, UNIT_KINDS[match.group(1)], chapter, found, f"{path}:{heading.line}"))
    doc.unit_ids = [u.id for u in units]
    if not units:
        problems.add(path, 1, "document has no units")
    return doc, units


def _chinese_subject(subject: str, heading: Block, path: Path, problems: _Problems) -> bool:
    """A Chinese reader scans subjects as an English one scans captions: a bare number is not one."""
    if not _CJK.search(subject) or _BARE_NUMBER.match(subject):
        problems.add(path, heading.line, f"Chinese subject '{subject}' should say in Chinese what the unit is about, "
                                         "not only its number")
        return False
    return True


def _chapter(block: Block, path: Path, expected: int, problems: _Problems) -> Chapter | None:
    parts = _split_heading(block, path, problems, 3, 3)
    if parts is None:
        return None
    match = _NUMBERED.match(parts[0])
    if not match or match.group(1) != "chapter":
        problems.add(path, block.line, f"chapter id '{parts[0]}' should be chapter-<n>")
        return None
    if int(match.group(2)) != expected:
        problems.add(path, block.line, f"chapter '{parts[0]}' is out of order: expected chapter-{expected}")
    return Chapter(int(match.group(2)), parts[1], parts[2])


def _unit(doc: Document, parts: list[str], number: int, kind: str, chapter: Chapter | None,
          found: dict[str, Block], source: str) -> Unit:
    label_en = doc.unit_label_en.format(n=number)
    label_zh = doc.unit_label_zh.format(n=number, cn=to_chinese(number)) if doc.unit_label_zh else None
    caption_zh = parts[2]
    citation = f"{doc.citation_en}, {label_en}"
    citation_zh = f"{doc.citation_zh}{label_zh}" if doc.citation_zh and label_zh else None
    if kind == "pathway":
        # A pathway is cited by its name, as the plan names its chapters.
        citation += f" ({parts[1]})"
        citation_zh = f"{doc.citation_zh}{caption_zh}" if doc.citation_zh else None
    return Unit(
        id=f"{doc.id}/{parts[0]}", doc_id=doc.id, kind=kind, number=number,
        title=f"{label_en}: {parts[1]}", title_zh=f"{label_zh}：{caption_zh}" if label_zh else caption_zh,
        label_en=label_en, label_zh=label_zh, caption=parts[1], chapter=chapter,
        caption_zh=caption_zh, caption_editorial=kind == "article",
        paragraphs_en=[p.raw for p in found["en"].paragraphs],
        paragraphs_zh=[p.raw for p in found["zh"].paragraphs],
        status_en=found["en"].params, status_zh=found["zh"].params,
        citation=citation, citation_zh=citation_zh,
        note="\n\n".join(p.raw for p in found["note"].paragraphs) if "note" in found else None,
        source=source,
        related=[link for p in found["related"].paragraphs for link in p.links] if "related" in found else [],
        refers_to=[f"{doc.id}/art-{n}" for n in article_references("".join(p.raw for p in found["zh"].paragraphs))]
        if kind == "article" and found["zh"].params == "official" else [],
    )


def _load_guide(path: Path, problems: _Problems) -> Guide | None:
    text = _read(path, problems)
    if text is None:
        return None
    blocks = parse_blocks(text)
    meta = _front_matter(path, blocks, GUIDE_REQUIRED, problems)
    if meta is None or any(not meta.get(k, "").strip() for k in GUIDE_REQUIRED):
        return None
    if meta["id"] != f"guides/{path.stem}":
        problems.add(path, 1, f"guide id '{meta['id']}' should be 'guides/{path.stem}'")
    sections = []
    for heading, body in _sections(blocks[1:], 2):
        if heading is None:
            for block in body:
                if block.kind != "heading":
                    problems.add(path, block.line, "text outside a section: start one with '## <id> · <English> · <Chinese>'")
            continue
        parts = _split_heading(heading, path, problems, 3, 3)
        found = _containers(body, path, heading.line, GUIDE_SECTION_CONTAINERS, problems)
        for lang in GUIDE_SECTION_CONTAINERS:
            if lang not in found:
                problems.add(path, heading.line, f"section has no '::: {lang}' text")
        if parts is None or len(found) < 2:
            continue
        for lang in GUIDE_SECTION_CONTAINERS:
            for para in found[lang].paragraphs:
                # A lead-in to a list ("Where to apply:") states nothing itself.
                if not para.links and not para.text.rstrip().endswith((":", "：")):
                    problems.add(path, para.line, "statement cites no unit: add a link such as [Art. 9](social-assistance-measures/art-9)")
        paras = {lang: found[lang].paragraphs for lang in GUIDE_SECTION_CONTAINERS}
        sections.append(GuideSection(
            id=parts[0], heading_en=parts[1], heading_zh=parts[2],
            markdown_en=[p.raw for p in paras["en"]], markdown_zh=[p.raw for p in paras["zh"]],
            text_en=[p.text for p in paras["en"]], text_zh=[p.text for p in paras["zh"]],
            cites=[link for lang in GUIDE_SECTION_CONTAINERS for p in paras[lang] for link in p.links],
            line=heading.line,
            cites_en=[p.links for p in paras["en"]], cites_zh=[p.links for p in paras["zh"]],
            source_en=found["en"].source, source_zh=found["zh"].source,
        ))
    if not sections:
        problems.add(path, 1, "guide has no sections")
    return Guide(meta["id"], meta["title_en"], meta["title_zh"], meta["summary_en"], meta["summary_zh"],
                 sections, str(path))


def _load_glossary(path: Path, problems: _Problems) -> list[GlossaryEntry] | None:
    entries = []
    text = _read(path, problems)
    if text is None:
        return None
    for heading, body in _sections(parse_blocks(text), 2):
        if heading is None:
            continue
        parts = _split_heading(heading, path, problems, 3, 3)
        terms: dict[str, list[str]] = {"en": [], "zh": []}
        # The English definition, then the Chinese one ("zh: ..."), each as text and as written.
        definition: dict[str, tuple[list[str], list[str]]] = {"en": ([], []), "zh": ([], [])}
        cites = []
        for block in body:
            para = block.paragraphs[0] if block.paragraphs else None
            if para is None:
                continue
            lang, sep, rest = para.text.partition(":")
            if para.in_list and sep and lang.strip() in terms:
                terms[lang.strip()] += [t.strip() for t in rest.split(";") if t.strip()]
            elif para.in_list:
                problems.add(path, para.line, "glossary list items read 'en: term; term' or 'zh: 术语; 术语'")
            else:
                zh = para.text.startswith(_ZH_DEFINITION)
                texts, raws = definition["zh" if zh else "en"]
                texts.append(para.text.removeprefix(_ZH_DEFINITION).strip())
                raws.append(para.raw.removeprefix(_ZH_DEFINITION).strip())
                cites += para.links
        for lang in ("en", "zh"):
            if not terms[lang]:
                problems.add(path, heading.line, f"glossary entry has no '{lang}:' terms")
        if not definition["en"][0] or not definition["zh"][0]:
            problems.add(path, heading.line, "glossary entry needs a definition in English and one in Chinese "
                                             "(a paragraph starting 'zh: ')")
        if parts is not None:
            entries.append(GlossaryEntry(parts[0], parts[1], parts[2], terms["en"], terms["zh"],
                                         " ".join(definition["en"][0]), list(dict.fromkeys(cites)),
                                         f"{path}:{heading.line}", "\n\n".join(definition["en"][1]),
                                         " ".join(definition["zh"][0]), "\n\n".join(definition["zh"][1])))
    _one_concept_per_term(entries, problems)
    return entries


def _one_concept_per_term(entries: list[GlossaryEntry], problems: list[str]) -> None:
    """A term that names two concepts would expand a question into both (专款专用 is not 挪用)."""
    owner: dict[str, GlossaryEntry] = {}
    for entry in entries:
        for term in entry.terms:
            first = owner.setdefault(term.casefold(), entry)
            if first is not entry:
                problems.append(f"{entry.source}: term '{term}' is already a term of '{first.id}' ({first.source})")


def _link_related(units: dict[str, Unit], problems: list[str]) -> None:
    """Check the editorial links and the text's references, and add each one's reverse."""
    for unit in list(units.values()):
        for target in unit.related:
            if target == unit.id:
                problems.append(f"{unit.source}: related link to the unit itself")
            elif target not in units:
                problems.append(f"{unit.source}: related link to '{target}', which is not a unit in the corpus")
            elif unit.id not in units[target].related:
                units[target].related.append(unit.id)
        for target in unit.refers_to:
            if target not in units:
                problems.append(f"{unit.source}: the text refers to '{target}', which is not a unit in the corpus")
            elif unit.id not in units[target].referred_by:
                units[target].referred_by.append(unit.id)


def load_corpus(root: Path | str) -> Corpus:
    root = Path(root)
    if not root.is_dir():
        raise CorpusError([f"{root}: no corpus folder here"])
    problems = _Problems()
    documents: dict[str, Document] = {}
    units: dict[str, Unit] = {}
    seen_at: dict[str, str] = {}

    def claim(uid: str, where: str) -> bool:
        if uid in seen_at:
            problems.append(f"{where}: id '{uid}' is already used at {seen_at[uid]}")
            return False
        seen_at[uid] = where
        return True

    files = corpus_files(root)
    broken: list[Path] = []
    for path in files:
        if path.parent == root and path.suffix == ".md" and path.name != "glossary.md":
            loaded = _load_document(path, problems)
            if loaded is None:
                broken.append(path)
                continue
            doc, doc_units = loaded
            if claim(doc.id, f"{path}:1"):
                documents[doc.id] = doc
                for unit in doc_units:
                    if claim(unit.id, unit.source):
                        units[unit.id] = unit
    if broken:
        # Every citation of a document that did not load would be a problem of its own (626 for one bad
        # front matter line): report the document's own problem only.
        raise CorpusError(list(problems))
    _link_related(units, problems)
    guides: dict[str, Guide] = {}
    for path in (root / "guides").glob("*.md"):
        guide = _load_guide(path, problems)
        if guide and claim(guide.id, f"{path}:1"):
            guides[guide.id] = guide
            for section in guide.sections:
                for uid in section.cites:
                    if uid not in units:
                        problems.add(path, section.line, f"cites '{uid}', which is not a unit in the corpus")
    guides = dict(sorted(guides.items()))
    glossary = _load_glossary(root / "glossary.md", problems) if (root / "glossary.md").exists() else []
    if glossary is None:
        raise CorpusError(list(problems))  # unread, its concepts would be missing everywhere they are named
    for entry in glossary:
        for uid in entry.cites:
            if uid not in units:
                problems.append(f"{entry.source}: cites '{uid}', which is not a unit in the corpus")
    intents = load_intents(root, set(units), {s.id for g in guides.values() for s in g.sections}, problems)
    concept_terms = {term.lower(): entry.id for entry in glossary for term in entry.terms}
    scope = load_scope(root, set(units), {entry.id for entry in glossary}, concept_terms, problems)
    if not documents and not problems:
        problems.append(f"{root}: no documents (expected <doc-id>.md files)")
    if problems:
        raise CorpusError(list(problems))
    return Corpus(documents, units, guides, glossary, corpus_hash(root), intents, scope)
