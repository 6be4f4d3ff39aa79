"""The policykb website and JSON API (Flask app factory).

    from webapp import create_app
    app = create_app()                       # engine opened lazily, once per process
    app = create_app({"POLICYKB_ENGINE": engine})   # tests: a prebuilt SearchEngine

Configuration keys (all optional):
    POLICYKB_ENGINE       a ready SearchEngine to use instead of opening one
    POLICYKB_CORPUS       a ready Corpus for the pages when there is no engine
    POLICYKB_CORPUS_DIR   where corpus/ is (default: indexer.config.corpus_dir())
    POLICYKB_INDEX_DIR    where the index is (default: the engine's own default)
    POLICYKB_OPEN_ENGINE  False: never open an engine (search answers 503)
"""
from __future__ import annotations

import logging

from flask import Flask, g, request
from jinja2 import StrictUndefined

from . import i18n, security
from .errors import register_error_handlers
from .services import Services, max_query_chars

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        POLICYKB_ENGINE=None,
        POLICYKB_CORPUS=None,
        POLICYKB_CORPUS_DIR=None,
        POLICYKB_INDEX_DIR=None,
        POLICYKB_OPEN_ENGINE=True,
        MAX_CONTENT_LENGTH=64 * 1024,  # the site takes no uploads
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if config:
        app.config.update(config)

    app.extensions["policykb"] = Services(
        engine=app.config["POLICYKB_ENGINE"],
        corpus=app.config["POLICYKB_CORPUS"],
        corpus_dir=app.config["POLICYKB_CORPUS_DIR"],
        index_dir=app.config["POLICYKB_INDEX_DIR"],
        open_engine=app.config["POLICYKB_OPEN_ENGINE"],
    )

    app.json.ensure_ascii = False  # Chinese stays readable in the API
    app.json.sort_keys = False
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.undefined = StrictUndefined  # a typo in a template fails loudly in tests
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    _install_language(app)
    security.init_app(app)
    register_error_handlers(app)

    from .views import api, check, handout, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(handout.bp)
    app.register_blueprint(check.bp)
    return app


def get_services() -> Services:
    from flask import current_app
    return current_app.extensions["policykb"]


def _install_language(app: Flask) -> None:
    @app.before_request
    def choose_language():
        asked = i18n.normalise_lang(request.args.get("lang"))
        g.lang_from_query = asked
        g.lang = (asked
                  or i18n.normalise_lang(request.cookies.get(i18n.COOKIE))
                  or i18n.normalise_lang(request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans"]))
                  or i18n.DEFAULT_LANG)

    @app.after_request
    def remember_language(response):
        asked = g.get("lang_from_query")
        if asked and request.cookies.get(i18n.COOKIE) != asked:
            i18n_cookie(response, asked)
        return response

    @app.context_processor
    def language_helpers():
        lang = g.get("lang", i18n.DEFAULT_LANG)
        return {
            "lang": lang,
            "other_lang": "en" if lang == "zh" else "zh",
            "html_lang": i18n.HTML_LANG[lang],
            "lang_names": i18n.LANG_NAMES,
            "_": lambda key, **params: i18n.translate(key, lang, **params),
            "pick": lambda obj, base, default="": i18n.pick(obj, base, lang, default),
            "max_query_chars": max_query_chars(),
            "switch_url": _switch_url,
            "chapter_label": lambda chapter: _chapter_label(chapter, lang),
        }


def _chapter_label(chapter, lang: str) -> str:
    from indexer.numerals import to_chinese
    title = chapter.title_zh if lang == "zh" else chapter.title_en
    return i18n.translate("unit.chapter", lang, n=chapter.number, cn=to_chinese(chapter.number), title=title)


def _switch_url(code: str) -> str:
    """/lang/<code>?next=<this page without any lang= parameter>."""
    from urllib.parse import urlencode
    from flask import url_for
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    here = request.path + ("?" + urlencode(args) if args else "")
    return url_for("pages.set_lang", code=code, next=here)


def i18n_cookie(response, lang: str) -> None:
    response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
