"""Trainer handouts: units and guides in order, with full text and citations.

The handout is its URL (`/handout?items=id1,id2&title=...&intro=...&questions=...&note.<id>=...`); the
browser also keeps the list in localStorage (static/app.js). The server keeps
nothing. The same list prints cleanly (/handout/print and the print
stylesheet) and downloads as Markdown (/handout.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, g, render_template, request

from indexer.numerals import to_chinese

from .. import get_services as services, helpers, i18n
from ..guide_render import RenderedSection, render_guide
from ..security import site_root

bp = Blueprint("handout", __name__)

TEXTS = ("both", "zh", "en")
MAX_TITLE = 120
MAX_NOTE = 2000  # an introduction, a note or the discussion questions


@dataclass
class Item:
    id: str
    kind: str  # "article" | "pathway" | "guide"
    unit: object  # indexer.models.Unit (a guide seen as a unit for guides)
    guide: object | None = None
    sections: list[RenderedSection] | None = None
    texts: list | None = None  # helpers.TextBlock list for units


@dataclass
class Handout:
    ids: list[str]
    items: list[Item]
    unknown: list[str]
    truncated: bool
    title: str
    texts: str
    has_param: bool
    intro: str = ""
    questions: str = ""
    notes: dict[str, str] | None = None  # item id -> the trainer's note

    def query(self, ids: list[str] | None = None, **extra) -> str:
        ids = self.ids if ids is None else ids
        params = {"items": ",".join(ids)}
        for key in ("title", "intro", "questions"):
            if getattr(self, key):
                params[key] = getattr(self, key)
        if self.texts != "both":
            params["texts"] = self.texts
        for uid in ids:
            if (self.notes or {}).get(uid):
                params[f"note.{uid}"] = self.notes[uid]
        params.update(extra)
        return urlencode(params, safe=",/")

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def in_document_order(self, corpus) -> list[str]:
        """The items as the documents order them (units by document, then guides)."""
        order = {uid: i for i, uid in enumerate(corpus.units)}
        return sorted(self.ids, key=lambda uid: order.get(uid, len(order)))

    def moved(self, index: int, delta: int) -> list[str]:
        ids = list(self.ids)
        j = index + delta
        ids[index], ids[j] = ids[j], ids[index]
        return ids

    def without(self, index: int) -> list[str]:
        return self.ids[:index] + self.ids[index + 1:]


def _load_handout() -> Handout:
    corpus = services().corpus()
    wanted = helpers.parse_items(request.args.getlist("items"))
    truncated = len(wanted) > helpers.MAX_HANDOUT_ITEMS
    wanted = wanted[:helpers.MAX_HANDOUT_ITEMS]
    texts = request.args.get("texts", "both")
    texts = texts if texts in TEXTS else "both"
    title = " ".join(request.args.get("title", "").split())[:MAX_TITLE]
    intro, questions = (_long_text(request.args.get(k, "")) for k in ("intro", "questions"))
    items, unknown = [], []
    for uid in wanted:
        if uid in corpus.units:
            unit = corpus.units[uid]
            items.append(Item(uid, unit.kind, unit, texts=_texts(unit, texts)))
        elif uid in corpus.guides:
            guide = corpus.guides[uid]
            items.append(Item(uid, "guide", corpus.get(uid), guide=guide,
                              sections=render_guide(guide, corpus)))
        else:
            unknown.append(uid)
    ids = [it.id for it in items]
    notes = {uid: _long_text(request.args.get(f"note.{uid}", "")) for uid in ids}
    return Handout(ids, items, unknown, truncated, title, texts, "items" in request.args, intro, questions,
                   {uid: note for uid, note in notes.items() if note})


def _long_text(raw: str) -> str:
    """A trainer's text: its lines kept, each line's spaces collapsed, at most MAX_NOTE characters."""
    lines = [" ".join(line.split()) for line in raw.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()[:MAX_NOTE]


def _texts(unit, texts: str):
    blocks = helpers.text_blocks(unit, g.lang)
    return [b for b in blocks if texts == "both" or b.lang == texts]


def _guide_langs(texts: str) -> list[str]:
    if texts == "both":
        return [g.lang, "en" if g.lang == "zh" else "zh"]
    return [texts]


def _render_handout(template: str):
    h = _load_handout()
    return render_template(template, h=h, guide_langs=_guide_langs(h.texts),
                           link=site_root() + "/handout?" + h.query(),
                           today=date.today().isoformat(), unit_heading=helpers.unit_heading,
                           corpus=services().corpus())


@bp.get("/handout")
def handout():
    return _render_handout("handout.html")


@bp.get("/handout/print")
def handout_print():
    return _render_handout("handout_print.html")


@bp.get("/handout.md")
def handout_markdown():
    h = _load_handout()
    root = site_root()
    body = handout_to_markdown(h, root, g.lang, _guide_langs(h.texts))
    response = Response(body, mimetype="text/markdown")
    response.headers["Content-Disposition"] = content_disposition(h.title or i18n.translate("handout.default_title", g.lang))
    return response


def content_disposition(title: str) -> str:
    """An attachment named after the title: an ASCII filename, and the title itself (Chinese too) as
    RFC 5987 filename*; characters a file name cannot hold become '-'."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "-", title).strip(" .-")[:80] or "policykb-handout"
    ascii_name = re.sub(r"[^A-Za-z0-9._]+", "-", safe).strip("-.")
    if sum(c.isalpha() for c in ascii_name) < 3:  # a Chinese title: its ASCII remains say nothing
        ascii_name = "policykb-handout"
    return f"attachment; filename=\"{ascii_name}.md\"; filename*=UTF-8''{quote(safe + '.md', safe='')}"


_UNIT_LINK = re.compile(r"\]\(([a-z0-9-]+/[a-z0-9-]+)\)")


def handout_to_markdown(h: Handout, root: str, lang: str, guide_langs: list[str]) -> str:
    t = lambda key, **kw: i18n.translate(key, lang, **kw)  # noqa: E731
    corpus = services().corpus()
    title = h.title or t("handout.default_title")
    out = [f"# {_md_text(_md_line(title))}", "", t("handout.made", date=date.today().isoformat()), ""]
    out += [_md_text(line) + "  " for line in h.intro.splitlines()] + ([""] if h.intro else [])

    def absolute(match: re.Match) -> str:
        unit = corpus.get(match.group(1))
        return f"]({root}{unit.url})" if unit else match.group(0)

    for n, item in enumerate(h.items, 1):
        unit = item.unit
        if item.kind == "guide":
            heading = unit.title_zh if lang == "zh" else unit.title
            out += [f"## {n}. {_md_line(heading)}", "", f"{t('guide.label')}: <{root}{unit.url}>", ""]
            for section in item.sections or []:
                for glang in guide_langs:
                    out += [f"### {_md_line(section.heading(glang))}", "",
                            _UNIT_LINK.sub(absolute, getattr(section, f"markdown_{glang}")), ""]
            out += _md_note(h, item.id, t)
            continue
        label, name = helpers.unit_heading(unit, lang)
        heading = f"{label}: {name}" if name else label
        out += [f"## {n}. {_md_line(heading)}", ""]
        cites = [unit.citation] + ([unit.citation_zh] if unit.citation_zh else [])
        if lang == "zh":
            cites.reverse()
        out += [f"> {_md_line(c)}  " for c in cites[:-1]] + [f"> {_md_line(cites[-1])}", ""]
        if unit.chapter:
            ch = unit.chapter
            out += [t("unit.chapter", n=ch.number, cn=to_chinese(ch.number),
                      title=ch.title_zh if lang == "zh" else ch.title_en), ""]
        for block in item.texts or []:
            out += [f"**{t('unit.zh_text' if block.lang == 'zh' else 'unit.en_text')} "
                    f"({t(block.status_key)})**", ""]
            for para in block.paragraphs:
                out += [_md_text(para), ""]
        out += _md_note(h, item.id, t)
        out += [f"{t('handout.source')}: <{root}{unit.url}>", ""]
    if h.question_list():
        out += [f"## {t('handout.questions')}", ""] + [f"{n}. {_md_text(q)}" for n, q in enumerate(h.question_list(), 1)] + [""]
    out += [f"{t('handout.link')}: <{root}/handout?{h.query()}>", ""]
    return "\n".join(out).rstrip() + "\n"


def _md_note(h: Handout, item_id: str, t) -> list[str]:
    note = (h.notes or {}).get(item_id)
    if not note:
        return []
    return [f"**{t('handout.note')}:** " + "  \n".join(_md_text(line) for line in note.splitlines()), ""]


def _md_line(text: str) -> str:
    return " ".join(text.split())


def _md_text(text: str) -> str:
    """Statutory text as a Markdown paragraph: nothing in it may turn into markup."""
    text = re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
