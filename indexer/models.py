"""The parsed corpus: documents, their citable units, guides and the glossary."""
from __future__ import annotations

from dataclasses import dataclass, field

from .intents import IntentMap
from .scope import ScopeMap

SITE_UNIT_PREFIX = "/units"


@dataclass(frozen=True)
class Chapter:
    number: int
    title_en: str
    title_zh: str

    @property
    def id(self) -> str:
        return f"chapter-{self.number}"

    def to_dict(self) -> dict:
        return {"id": self.id, "number": self.number, "title_en": self.title_en, "title_zh": self.title_zh}


@dataclass
class Document:
    id: str
    title_en: str
    title_zh: str
    citation_en: str
    citation_zh: str
    unit_label_en: str
    unit_label_zh: str
    meta: dict
    source: str
    chapters: list[Chapter] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title_en": self.title_en,
            "title_zh": self.title_zh,
            "citation": self.citation_en,
            "citation_zh": self.citation_zh,
            "meta": self.meta,
            "chapters": [c.to_dict() for c in self.chapters],
            "units": self.unit_ids,
        }


@dataclass
class Unit:
    """A citable unit (article or pathway), or a guide seen as a unit."""

    id: str
    doc_id: str
    kind: str  # "article" | "pathway" | "guide"
    number: int | None
    title: str  # label and English subject, e.g. "Art. 11: Applying for minimum living security"
    title_zh: str | None  # label and Chinese subject, e.g. "第十一条：最低生活保障的申请"
    label_en: str  # "Art. 11"
    label_zh: str | None  # "第十一条"
    caption: str  # the English subject alone: an article's editorial caption, or the pathway / guide name
    chapter: Chapter | None
    paragraphs_en: list[str]
    paragraphs_zh: list[str]
    status_en: str  # "official" | "seed" | "unofficial"
    status_zh: str | None
    citation: str
    citation_zh: str | None
    note: str | None = None
    source: str = ""  # file:line where it is defined
    caption_zh: str | None = None  # the Chinese subject alone
    # The law has no captions: an article's subjects are the team's (editorial);
    # a pathway's are the plan's own names.
    caption_editorial: bool = False
    # Editorial links between the plan's pathways and the Measures' articles,
    # both ways; not text of either document.
    related: list[str] = field(default_factory=list)
    # References written in the official text ("适用本办法第十一条规定") and their reverse.
    refers_to: list[str] = field(default_factory=list)
    referred_by: list[str] = field(default_factory=list)

    @property
    def text_en(self) -> str:
        return "\n\n".join(self.paragraphs_en)

    @property
    def text_zh(self) -> str | None:
        return "\n\n".join(self.paragraphs_zh) if self.paragraphs_zh else None

    @property
    def url(self) -> str:
        if self.kind == "guide":
            return f"/{self.id}"
        return f"{SITE_UNIT_PREFIX}/{self.id}"

    @property
    def is_citable(self) -> bool:
        return self.kind in ("article", "pathway")

    def citation_in(self, lang: str) -> str:
        """The citation for a reader of `lang` (the English one where there is no Chinese)."""
        return self.citation_zh if lang == "zh" and self.citation_zh else self.citation

    def label_in(self, lang: str) -> str:
        """"Art. 11" or "第十一条" for a reader of `lang`."""
        return self.label_zh if lang == "zh" and self.label_zh else self.label_en

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "number": self.number,
            "title": self.title,
            "title_zh": self.title_zh,
            "caption": self.caption,
            "caption_zh": self.caption_zh,
            "caption_status": "editorial" if self.caption_editorial else "document",
            "label": self.label_en,
            "label_zh": self.label_zh,
            "chapter": self.chapter.to_dict() if self.chapter else None,
            "text_en": self.text_en,
            "text_zh": self.text_zh,
            "translation_status": {"en": self.status_en, "zh": self.status_zh},
            "citation": self.citation,
            "citation_zh": self.citation_zh,
            "note": self.note,
            "related": self.related,
            "refers_to": self.refers_to,
            "referred_by": self.referred_by,
            "url": self.url,
        }


@dataclass
class GuideSection:
    id: str
    heading_en: str
    heading_zh: str
    markdown_en: list[str]  # paragraphs / list items as written, links included
    markdown_zh: list[str]
    text_en: list[str]  # the same, as plain text
    text_zh: list[str]
    cites: list[str]
    line: int
    # The units each paragraph cites, parallel to text_en / text_zh.
    cites_en: list[list[str]] = field(default_factory=list)
    cites_zh: list[list[str]] = field(default_factory=list)
    # Each container's Markdown as written (lists and links intact), for rendering.
    source_en: str = ""
    source_zh: str = ""


@dataclass
class Guide:
    id: str  # "guides/<slug>"
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    sections: list[GuideSection]
    source: str

    @property
    def slug(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def cites(self) -> list[str]:
        """Every unit the guide cites, in order of first citation."""
        return list(dict.fromkeys(uid for s in self.sections for uid in s.cites))

    def as_unit(self) -> Unit:
        return Unit(
            id=self.id, doc_id="guides", kind="guide", number=None,
            title=self.title_en, title_zh=self.title_zh,
            label_en=self.title_en, label_zh=self.title_zh, caption=self.summary_en,
            caption_zh=self.summary_zh, caption_editorial=True,
            chapter=None,
            paragraphs_en=[t for s in self.sections for t in s.text_en],
            paragraphs_zh=[t for s in self.sections for t in s.text_zh],
            status_en="editorial", status_zh="editorial",
            citation=f"policykb guide: {self.title_en}", citation_zh=f"policykb 指南：{self.title_zh}",
            source=self.source,
        )


@dataclass
class GlossaryEntry:
    id: str
    label_en: str
    label_zh: str
    terms_en: list[str]
    terms_zh: list[str]
    definition_en: str
    cites: list[str]
    source: str
    definition_markdown: str = ""  # as written, citation links included
    definition_zh: str = ""
    definition_markdown_zh: str = ""

    @property
    def terms(self) -> list[str]:
        return self.terms_en + self.terms_zh

    def to_dict(self) -> dict:
        return {
            "id": self.id, "label_en": self.label_en, "label_zh": self.label_zh,
            "terms_en": self.terms_en, "terms_zh": self.terms_zh,
            "definition_en": self.definition_en, "definition_zh": self.definition_zh, "cites": self.cites,
        }


@dataclass
class Corpus:
    documents: dict[str, Document]
    units: dict[str, Unit]  # citable units only, in document order
    guides: dict[str, Guide]
    glossary: list[GlossaryEntry]
    hash: str
    # Editorial data beside the texts (intents.yaml, scope.yaml); empty when absent.
    intents: IntentMap = field(default_factory=IntentMap)
    scope: ScopeMap = field(default_factory=ScopeMap)

    def __post_init__(self):
        # Guides seen as units, made once: search looks them up on every query.
        self._guide_units = {gid: guide.as_unit() for gid, guide in self.guides.items()}

    def get(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id) or self._guide_units.get(unit_id)

    def all_units(self) -> list[Unit]:
        """Citable units, then guides: what `policykb units` lists."""
        return list(self.units.values()) + list(self._guide_units.values())

    def neighbours(self, unit_id: str) -> tuple[Unit | None, Unit | None]:
        unit = self.units[unit_id]
        ids = self.documents[unit.doc_id].unit_ids
        i = ids.index(unit_id)
        prev = self.units[ids[i - 1]] if i > 0 else None
        nxt = self.units[ids[i + 1]] if i + 1 < len(ids) else None
        return prev, nxt

    def guides_citing(self, unit_id: str) -> list[Guide]:
        return [g for g in self.guides.values() if unit_id in g.cites]
