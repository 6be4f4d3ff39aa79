"""Property tests: any input to the API and the command line gets an answer or a clear refusal.

Never a 500, never a traceback. The API answers 200 with results or 400 with
{"error": ...}; the CLI exits 0 with output or 2 with one line on stderr
(../shared/CONTRACT.md). Inputs: arbitrary Unicode, control characters,
very long text, and fragments of query syntax (Whoosh, Lucene, SQL, shell).
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import indexer.engine as engine_module
from indexer.cli import main
from indexer.engine import MAX_QUERY_CHARS, MODES
from webapp import create_app

from .conftest import CORPUS

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any code point a URL or argv can carry (no lone surrogates: they cannot be encoded as UTF-8).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u2029\u200b\ufeff\u202e")
SYNTAX = st.sampled_from([
    "AND", "OR", "NOT", "and", "*", "?", "~", "^2", "~0.5", ":", "title_en:", "text_zh:dibao", "unit_id:*", '"',
    '"dibao', "(", ")", "[", "]", "{", "}", "[a TO z]", "{1 TO 5}", "\\", "/", "-", "+", "!", "&&", "||", "%", "%00",
    "%s", "{0}", "${x}", "'; DROP TABLE units; --", "<script>", "&amp;", "\u00ad", "低保", "最低生活保障", "第十一条",
    "dibao", "Art. 11", "social-assistance-measures/art-11", "\t", "\n", "  ",
])
WORDS = st.sampled_from(["dibao", "apply", "disaster", "medical", "housing", "township", "助", "救助", "申请", "x"])
ODD_QUERY = st.lists(SYNTAX | WORDS, min_size=1, max_size=12).map(" ".join)
QUERY = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.text(CONTROL | ANY_CHAR, min_size=1, max_size=40),
    ODD_QUERY,
    st.text(ANY_CHAR, min_size=MAX_QUERY_CHARS - 20, max_size=MAX_QUERY_CHARS * 3),
    st.builds(lambda w, n: (w + " ") * n, WORDS, st.integers(1, 300)),
)
K = st.one_of(st.none(), st.integers(-10**6, 10**6).map(str), st.sampled_from(["", " 5 ", "1e3", "0x10", "½", "٣", "1_0", "9" * 5000]),
              st.text(ANY_CHAR, max_size=12))
MODE = st.one_of(st.none(), st.sampled_from(MODES), st.text(ANY_CHAR, max_size=12))


# -- the API -------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(engine):
    # TESTING off: errors go through the app's own handlers, as in production.
    return create_app({"POLICYKB_ENGINE": engine}).test_client()


def _no_traceback(body: str) -> None:
    assert "Traceback" not in body and 'File "' not in body


def check_api_search(api, q, k, mode) -> None:
    params = {"q": q}
    if k is not None:
        params["k"] = k
    if mode is not None:
        params["mode"] = mode
    r = api.get("/api/search", query_string=params)
    body = r.get_data(as_text=True)
    _no_traceback(body)
    assert r.status_code in (200, 400), (r.status_code, body[:300])
    assert r.mimetype == "application/json"
    data = r.get_json()
    if r.status_code == 400:
        assert isinstance(data["error"], str) and data["error"].strip()
        return
    expected_k = int(k.strip()) if k not in (None, "") else 10
    assert data["mode"] == (mode or "hybrid")
    assert isinstance(data["results"], list) and len(data["results"]) <= expected_k
    for hit in data["results"]:
        assert hit["kind"] in ("article", "pathway") and hit["id"] and hit["citation"]
        assert isinstance(hit["score"], float | int)


@SETTINGS
@given(q=QUERY, k=K, mode=MODE)
@example(q="\x00", k=None, mode=None)
@example(q="dibao\x00\x1b[31m", k="3", mode="keyword")
@example(q="x" * (MAX_QUERY_CHARS + 1), k=None, mode=None)
@example(q="  " + "y" * MAX_QUERY_CHARS + "  ", k=None, mode="semantic")
@example(q='title_en:"dibao" AND NOT (x OR *)', k="50", mode="hybrid")
@example(q="\u200b", k="1", mode="semantic")
@example(q="dibao", k="9" * 5000, mode=None)
def test_api_search_answers_or_refuses_clearly(api, q, k, mode):
    check_api_search(api, q, k, mode)


@SETTINGS
@given(q=QUERY)
def test_results_page_never_fails(api, q):
    r = api.get("/search", query_string={"q": q})
    body = r.get_data(as_text=True)
    _no_traceback(body)
    assert r.status_code in (200, 400), r.status_code


@SETTINGS
@given(doc=st.text(ANY_CHAR, min_size=1, max_size=40).filter(lambda s: "/" not in s),
       unit=st.text(ANY_CHAR, min_size=1, max_size=40).filter(lambda s: "/" not in s))
def test_api_unit_is_found_or_404(api, doc, unit):
    from urllib.parse import quote

    r = api.get(f"/api/units/{quote(doc, safe='')}/{quote(unit, safe='')}")
    _no_traceback(r.get_data(as_text=True))
    assert r.status_code in (200, 404), r.status_code
    assert r.mimetype == "application/json"
    if r.status_code == 404:
        assert r.get_json()["error"]


def test_api_raw_bytes_in_the_query_string(api):
    """Percent-escapes that are not UTF-8 reach the app as replacement characters, not errors."""
    for raw in (b"q=%ff%fe%00", b"q=%c3%28", b"q=%e6%9c", b"q=dibao&k=%ff", b"q=dibao&mode=%00"):
        r = api.get("/api/search?" + raw.decode("ascii"))
        assert r.status_code in (200, 400), (raw, r.status_code)
        _no_traceback(r.get_data(as_text=True))


# -- the command line ------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_env(engine, index_dir):
    """The CLI on the session index; SearchEngine.open returns the already-open engine (same files)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYKB_INDEX_DIR", str(index_dir))
        mp.setenv("POLICYKB_CORPUS_DIR", str(CORPUS))
        mp.setattr(engine_module.SearchEngine, "open", classmethod(lambda cls, *a, **kw: engine))
        yield


def run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def check_cli(code: int, out: str, err: str) -> None:
    _no_traceback(out + err)
    assert code in (0, 2), (code, err)
    if code == 2:
        assert out == ""
        # One line: a single "\n", at the end (a user's newline or carriage return must be escaped).
        assert err.startswith("policykb: ") and err.endswith("\n"), f"not one line: {err!r}"
        assert "\n" not in err[:-1] and "\r" not in err, f"not one line: {err!r}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(q=QUERY, mode=st.sampled_from(MODES), as_json=st.booleans())
@example(q="\x00\x1b[2J", mode="hybrid", as_json=False)
@example(q="-k", mode="hybrid", as_json=False)
@example(q="--help me", mode="keyword", as_json=True)
@example(q="x" * (MAX_QUERY_CHARS + 1), mode="semantic", as_json=False)
def test_cli_search_answers_or_exits_2_with_one_line(cli_env, capsys, q, mode, as_json):
    code, out, err = run_cli(capsys, ["search", q, "--mode", mode] + (["--json"] if as_json else []))
    check_cli(code, out, err)
    if code == 0 and as_json:
        data = json.loads(out)
        assert data["mode"] == mode and len(data["results"]) <= 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(k=st.text(ANY_CHAR | CONTROL, min_size=1, max_size=12), mode=st.text(ANY_CHAR | CONTROL, min_size=1, max_size=12))
@example(k="1\n2", mode="hybrid")
@example(k="5", mode="hybrid\nkeyword")
def test_cli_bad_options_exit_2_with_one_line(cli_env, capsys, k, mode):
    code, out, err = run_cli(capsys, ["search", "dibao", "-k", k, "--mode", mode])
    check_cli(code, out, err)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(unit_id=st.text(ANY_CHAR | CONTROL, min_size=1, max_size=60))
@example(unit_id="social-assistance-measures/art-71\nsocial-assistance-measures/art-1")
@example(unit_id="../../etc/passwd")
def test_cli_show_finds_the_unit_or_exits_2_with_one_line(cli_env, capsys, unit_id):
    code, out, err = run_cli(capsys, ["show", unit_id, "--json"])
    check_cli(code, out, err)
    if code == 0:
        assert json.loads(out)["id"] == unit_id


def test_cli_in_a_fresh_process_refuses_in_one_line(index_dir):
    """As a user runs it: the model loads in this process, and nothing it prints may join the refusal."""
    import subprocess
    import sys

    env = {**__import__("os").environ, "POLICYKB_INDEX_DIR": str(index_dir), "POLICYKB_CORPUS_DIR": str(CORPUS)}
    run = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "x" * (MAX_QUERY_CHARS + 1)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "\r" not in run.stderr, f"not one line: {run.stderr!r}"
    assert run.stderr.startswith("policykb: the question is too long")


# English-ish text: words, stop words, numbers, apostrophes, dots inside words (U.S.), the tokenizer's *.
EN_TEXT = st.lists(st.sampled_from(["Applying", "applied", "the", "a", "U.S.", "don't", "dibao's", "3.5", "x*y",
                                    "households", "assistance;", "ÉTÉ", "İstanbul", "  ", "\n", "低保", "ｆｕｌｌ"])
                   | st.text(ANY_CHAR, max_size=12), max_size=30).map(" ".join)


ZH_TEXT = st.lists(st.sampled_from(["最低生活保障", "低保", "的", "了", "申请", "ＡＢＣ", "Dibao", " ", "\n\n", "。", "（一）",
                                    "2019年", "骗取", "你好", "医疗救助"])
                   | st.text(ANY_CHAR, max_size=8), max_size=30).map("".join)



@pytest.mark.parametrize("lang", ["en", "zh"])
@given(data=st.data())
@SETTINGS
def test_spans_are_what_the_analyzer_yields(lang, data):
    # The build, snippets and question analysis find terms without Whoosh's
    # token chain (English words looked up one at a time, Chinese cut by jieba
    # directly): they must find the terms and offsets of the analyzer the
    # index was built with.
    from indexer import analysis

    text = data.draw(EN_TEXT if lang == "en" else ZH_TEXT)
    analyzer = analysis.english_analyzer() if lang == "en" else analysis.chinese_analyzer()
    spans = analysis.english_spans if lang == "en" else analysis.chinese_spans
    whole = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, removestops=True)]
    assert list(spans(text)) == whole
