"""Small pure functions the views share: parsing parameters, shaping corpus data for templates."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from indexer.models import Chapter, Corpus, Document, Unit

from . import i18n

DEFAULT_K = 10
MAX_HANDOUT_ITEMS = 50
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")

STATUS_KEYS = {"official": "unit.official", "seed": "unit.seed", "unofficial": "unit.unofficial"}
# (language, status) -> the note under the text. An unofficial Chinese text is
# the team's rendering of English (the plan's pathways), not a translation
# of Chinese into English, so it needs its own note.
STATUS_NOTES = {
    ("zh", "official"): "unit.authentic_note", ("en", "official"): "unit.authentic_note",
    ("en", "seed"): "unit.seed_note", ("en", "unofficial"): "unit.unofficial_note",
    ("zh", "unofficial"): "unit.unofficial_zh_note",
}


def parse_k(raw: str | None) -> int | str:
    """The k parameter as an int, or an error message (range checks are the engine's)."""
    if raw is None or raw == "":
        return DEFAULT_K
    try:
        return int(raw.strip())
    except ValueError:
        return f"k must be a whole number from 1 to 50, not '{raw[:20]}'"


def parse_items(values: list[str]) -> list[str]:
    """Handout items from `items=a,b` and/or repeated `items=` parameters: ids, in order, once each."""
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part and _ID.match(part):
                seen.setdefault(part, None)
            elif part:
                seen.setdefault(part[:80], None)  # kept so it can be reported as not found
    return list(seen)


@dataclass
class TextBlock:
    lang: str  # "zh" | "en"
    paragraphs: list[str]
    status: str
    status_key: str
    note_key: str


def text_blocks(unit: Unit, first: str) -> list[TextBlock]:
    """The unit's Chinese and English texts, the reader's language first."""
    blocks = {
        "zh": TextBlock("zh", unit.paragraphs_zh, unit.status_zh or "", STATUS_KEYS.get(unit.status_zh or "", "unit.official"),
                        STATUS_NOTES.get(("zh", unit.status_zh or ""), "unit.authentic_note")),
        "en": TextBlock("en", unit.paragraphs_en, unit.status_en, STATUS_KEYS.get(unit.status_en, "unit.unofficial"),
                        STATUS_NOTES.get(("en", unit.status_en), "unit.unofficial_note")),
    }
    order = [first, "en" if first == "zh" else "zh"]
    return [blocks[lang] for lang in order if blocks[lang].paragraphs]


_CJK = re.compile(r"[\u3400-\u9fff]")


def language_first(terms: list[str], lang: str) -> list[str]:
    """Terms in the reader's language first (Chinese ones hold CJK characters), each group in its order."""
    zh = [t for t in terms if _CJK.search(t)]
    en = [t for t in terms if not _CJK.search(t)]
    return zh + en if lang == "zh" else en + zh


def unit_heading(unit: Unit, lang: str) -> tuple[str, str]:
    """(label, name) for headings: ("Art. 11", "Applying for ...") or ("第十一条", "")."""
    if lang == "zh" and unit.label_zh:
        # title_zh may be the subject alone or "第十一条：subject"; the label is shown once
        name = (unit.title_zh or "").removeprefix(unit.label_zh).lstrip("：: ·　")
        return unit.label_zh, name
    return unit.label_en, unit.caption


def units_in_order(corpus: Corpus, ids) -> list[Unit]:
    """The units named by `ids` that exist, in document order."""
    wanted = set(ids)
    return [u for uid, u in corpus.units.items() if uid in wanted]


def related_units(corpus: Corpus, unit_id: str) -> list[Unit]:
    """The unit's editorial links (Unit.related), both ways, in document order."""
    return units_in_order(corpus, corpus.units[unit_id].related)


def reference_links(corpus: Corpus, unit: Unit) -> tuple[list[Unit], list[Unit]]:
    """(the units this one's text refers to, the units whose text refers to this one), from the corpus."""
    return (units_in_order(corpus, getattr(unit, "refers_to", None) or []),
            units_in_order(corpus, getattr(unit, "referred_by", None) or []))


def linked_paragraphs(paragraphs: list[str], lang: str, targets: list[Unit]) -> list[Markup]:
    """The official words, escaped, with each reference the corpus lists (第十一条 / Article 11) as a link.

    Only the words already in the text become link text; nothing is added or
    changed, and a reference the data does not list stays plain.
    """
    labels = {}
    for t in targets:
        if lang == "zh" and t.label_zh:
            labels[t.label_zh] = t
        elif lang == "en" and t.kind == "article" and t.number:
            labels[f"Article {t.number}"] = t
    if not labels:
        return [Markup.escape(p) for p in paragraphs]
    alternatives = "|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True))
    pattern = re.compile(f"({alternatives})" + ("" if lang == "zh" else r"(?!\d)"))
    out = []
    for para in paragraphs:
        pieces, last = [], 0
        for match in pattern.finditer(para):
            target = labels[match.group(1)]
            pieces.append(Markup.escape(para[last:match.start()]))
            pieces.append(Markup('<a class="ref" href="{}" data-ref="{}" title="{}">{}</a>').format(
                target.url, target.id, target.citation_in(lang), match.group(1)))
            last = match.end()
        pieces.append(Markup.escape(para[last:]))
        out.append(Markup("").join(pieces))
    return out


@dataclass
class ChapterToc:
    chapter: Chapter | None
    units: list[Unit]


def table_of_contents(corpus: Corpus, doc: Document) -> list[ChapterToc]:
    toc: list[ChapterToc] = []
    for uid in doc.unit_ids:
        unit = corpus.units[uid]
        if not toc or toc[-1].chapter != unit.chapter:
            toc.append(ChapterToc(unit.chapter, []))
        toc[-1].units.append(unit)
    return toc


def meta_rows(doc: Document, lang: str) -> list[tuple[str, str, bool]]:
    """(label, value, is_translation_key) rows of a document's metadata in the reader's language.

    Known keys get a translated label; other keys show their own name. A key
    given as `x_en` / `x_zh` is one row, in the reader's language first.
    """
    bases: dict[str, None] = {}
    for key in doc.meta:
        bases.setdefault(re.sub(r"_(en|zh)$", "", key), None)
    shown = {"status", "scope"}  # shown as notes of their own
    rows = []
    ordered = [b for b in i18n.META_ORDER if b in bases] + [b for b in bases if b not in i18n.META_ORDER]
    for base in ordered:
        if base in shown:
            continue
        value = i18n.pick(doc.meta, base, lang)
        if not value:
            continue
        key = f"meta.{base}"
        if key in i18n.STRINGS:
            rows.append((key, value, True))
        else:
            rows.append((base.replace("_", " ").capitalize(), value, False))
    return rows


def glossary_index(corpus: Corpus) -> dict[str, str]:
    """Every glossary term (lower case) to its entry id, to link 'also searched' terms."""
    return {term.lower(): entry.id for entry in corpus.glossary for term in entry.terms}
