"""Pages for people: home, results, units, documents, pathways, guides, glossary, language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from .. import get_services as services, helpers, i18n, i18n_cookie
from ..errors import html_error
from ..security import site_root
from ..guide_render import render_answer, render_glossary_definitions, render_guide
from ..services import SearchUnavailable, engine_module, max_query_chars, search_modes

bp = Blueprint("pages", __name__)

PLAN_ID = "poverty-alleviation-plan"
MEASURES_ID = "social-assistance-measures"
NEAREST_SHOWN = 3  # when nothing matches well, only a few nearest articles, for reference
WHERE_TO_ASK = ("social-assistance-measures/art-60", "social-assistance-measures/art-4")


@bp.get("/")
def home():
    corpus = services().corpus()
    return render_template("home.html", examples=i18n.EXAMPLES, corpus=corpus,
                           where_to_ask=_where_to_ask(corpus))


@bp.get("/search")
def search():
    if "q" not in request.args:
        return redirect(url_for("pages.home"))
    q = " ".join(request.args.get("q", "").split())  # as the engine counts it
    mode = request.args.get("mode", "hybrid") or "hybrid"
    k = helpers.parse_k(request.args.get("k"))
    corpus = services().corpus()
    context = dict(q=q, mode=mode, modes=search_modes(), k=k if isinstance(k, int) else helpers.DEFAULT_K,
                   resp=None, error=None, unavailable=None, where_to_ask=_where_to_ask(corpus),
                   glossary_ids=helpers.glossary_index(corpus), docs=corpus.documents,
                   nearest_shown=NEAREST_SHOWN, answer=None, expansions=[], unit_heading=helpers.unit_heading)
    lang = g.lang
    if not q:
        context["error"] = i18n.translate("error.q_empty", lang)
        return render_template("search.html", **context), 400
    limit = max_query_chars()
    if len(q) > limit:
        context["error"] = i18n.translate("error.q_too_long", lang, n=len(q), max=limit)
        return render_template("search.html", **context), 400
    if isinstance(k, str):
        context["error"] = i18n.translate("error.bad_query", lang, reason=k)
        return render_template("search.html", **context), 400
    try:
        engine = services().engine()
    except SearchUnavailable as exc:
        context["unavailable"] = str(exc)
        return render_template("search.html", **context), 503
    try:
        resp = engine.search(q, k=k, mode=mode)
    except engine_module().QueryError as exc:
        context["error"] = i18n.translate("error.bad_query", lang, reason=str(exc))
        return render_template("search.html", **context), 400
    context["resp"] = resp
    context["answer"] = render_answer(resp.answer, engine.corpus, lang)
    context["expansions"] = helpers.language_first(resp.expansions, lang)
    context["glossary_ids"] = helpers.glossary_index(engine.corpus)
    context["docs"] = engine.corpus.documents
    context["corpus"] = engine.corpus  # the not-covered pointer links the articles it cites
    return render_template("search.html", **context)


@bp.get("/units/<doc_id>/<unit>")
def unit_page(doc_id: str, unit: str):
    corpus = services().corpus()
    uid = f"{doc_id}/{unit}"
    if doc_id == "guides" and uid in corpus.guides:
        return redirect(url_for("pages.guide", slug=unit), code=301)
    u = corpus.units.get(uid)
    if u is None:
        return html_error(404, i18n.translate("error.unit_404", g.lang, id=uid))
    doc = corpus.documents[u.doc_id]
    prev, nxt = corpus.neighbours(uid)
    refers_to, referred_by = helpers.reference_links(corpus, u)
    texts = helpers.text_blocks(u, g.lang)
    for block in texts:
        block.paragraphs = helpers.linked_paragraphs(block.paragraphs, block.lang, refers_to)
    return render_template(
        "unit.html", unit=u, doc=doc, prev=prev, next=nxt,
        heading=helpers.unit_heading(u, g.lang),
        texts=texts, refers_to=refers_to, referred_by=referred_by,
        guides=corpus.guides_citing(uid),
        related=helpers.related_units(corpus, uid),
        permalink=site_root() + u.url,
        doc_status=i18n.pick(doc.meta, "status", g.lang),
        in_force=_in_force(doc),
        measures_id=MEASURES_ID,
        unit_heading=helpers.unit_heading,
    )


def _in_force(doc) -> bool:
    return doc.meta.get("status_en", "").lower().startswith("in force")


@bp.get("/browse")
def browse():
    corpus = services().corpus()
    return render_template("browse.html", corpus=corpus, plan_id=PLAN_ID)


@bp.get("/documents/")
def documents():
    return redirect(url_for("pages.browse"))


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    corpus = services().corpus()
    doc = corpus.documents.get(doc_id)
    if doc is None:
        abort(404)
    return render_template(
        "document.html", doc=doc, toc=helpers.table_of_contents(corpus, doc),
        rows=helpers.meta_rows(doc, g.lang),
        status=i18n.pick(doc.meta, "status", g.lang), scope=i18n.pick(doc.meta, "scope", g.lang),
        in_force=_in_force(doc), measures_id=MEASURES_ID,
        unit_heading=helpers.unit_heading,
    )


@bp.get("/pathways")
def pathways():
    corpus = services().corpus()
    doc = corpus.documents.get(PLAN_ID)
    if doc is None:
        abort(404)
    units = [corpus.units[uid] for uid in doc.unit_ids]
    related = {u.id: helpers.related_units(corpus, u.id) for u in units}
    return render_template("pathways.html", doc=doc, units=units, related=related, measures_id=MEASURES_ID,
                           status=i18n.pick(doc.meta, "status", g.lang),
                           unit_heading=helpers.unit_heading)


@bp.get("/guides/")
def guides_slash():
    return redirect(url_for("pages.guides"))


@bp.get("/guides")
def guides():
    corpus = services().corpus()
    return render_template("guides.html", guides=list(corpus.guides.values()))


@bp.get("/guides/<slug>")
def guide(slug: str):
    corpus = services().corpus()
    g_ = corpus.guides.get(f"guides/{slug}")
    if g_ is None:
        abort(404)
    text_lang = i18n.normalise_lang(request.args.get("text")) or g.lang
    sections = render_guide(g_, corpus)
    cited = [corpus.units[uid] for uid in g_.cites if uid in corpus.units]
    return render_template("guide.html", guide=g_, sections=sections, text_lang=text_lang,
                           cited=cited, permalink=site_root() + f"/guides/{slug}")


@bp.get("/glossary")
def glossary():
    corpus = services().corpus()
    linked = render_glossary_definitions(corpus, g.lang)
    entries = [(entry, linked.get(entry.id), [corpus.units[c] for c in dict.fromkeys(entry.cites) if c in corpus.units])
               for entry in corpus.glossary]
    return render_template("glossary.html", entries=entries)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it even with <link rel=icon>; answer with the SVG rather than a 404."""
    return current_app.send_static_file("favicon.svg")


@bp.get("/lang/<code>")
def set_lang(code: str):
    lang = i18n.normalise_lang(code)
    if lang is None:
        abort(404)
    target = _safe_next(request.args.get("next"))
    response = redirect(target)
    i18n_cookie(response, lang)
    return response


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if not target:
        return url_for("pages.home")
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 or ord(c) == 127 for c in target)):  # CR/LF would split the Location header
        return url_for("pages.home")
    return target


def _where_to_ask(corpus):
    return [corpus.units[uid] for uid in WHERE_TO_ASK if uid in corpus.units]
