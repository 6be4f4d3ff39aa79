"""The JSON API, checked against ../shared/CONTRACT.md."""
from __future__ import annotations

import pytest

from indexer.engine import MAX_QUERY_CHARS

UNIT_KEYS = {"id", "doc_id", "kind", "number", "title", "chapter", "text_en", "text_zh", "citation", "url"}


def test_search_returns_the_contract_shape(client):
    r = client.get("/api/search", query_string={"q": "How do I apply for minimum living security?", "k": 5})
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    data = r.get_json()
    assert {"query", "mode", "results", "guides"} <= set(data)
    assert data["query"] == "How do I apply for minimum living security?"
    assert data["mode"] == "hybrid"
    assert 1 <= len(data["results"]) <= 5
    for result in data["results"]:
        assert UNIT_KEYS | {"score", "snippet"} <= set(result)
        assert result["kind"] in ("article", "pathway")
        assert result["url"] == f"/units/{result['id']}"
        assert result["citation"]
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    for guide in data["guides"]:
        assert guide["kind"] == "guide"
        assert guide["id"].startswith("guides/")


def test_search_finds_the_application_article(client):
    data = client.get("/api/search?q=apply+for+dibao+township&k=10").get_json()
    assert "social-assistance-measures/art-11" in [r["id"] for r in data["results"]]


def test_search_answers_chinese_questions_in_utf8(client):
    r = client.get("/api/search", query_string={"q": "最低生活保障标准由谁确定"})
    assert r.status_code == 200
    assert "最低生活保障标准由谁确定".encode() in r.data  # not \u escapes
    assert r.get_json()["results"]


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_every_mode_works(client, mode):
    data = client.get("/api/search", query_string={"q": "disaster relief", "mode": mode, "k": 3}).get_json()
    assert data["mode"] == mode
    assert len(data["results"]) <= 3


@pytest.mark.parametrize("query, fragment", [
    ("", "q"),
    ("q=", "q"),
    ("q=%20%20", "q"),
    ("q=dibao&k=0", "k"),
    ("q=dibao&k=51", "k"),
    ("q=dibao&k=-3", "k"),
    ("q=dibao&k=ten", "k"),
    ("q=dibao&k=1.5", "k"),
    ("q=dibao&mode=fuzzy", "mode"),
])
def test_bad_input_is_a_400_with_a_json_reason(client, query, fragment):
    r = client.get("/api/search?" + query)
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    error = r.get_json()["error"]
    assert isinstance(error, str) and fragment in error


def test_too_long_question_is_a_400(client):
    r = client.get("/api/search", query_string={"q": "x" * (MAX_QUERY_CHARS + 1)})
    assert r.status_code == 400
    assert str(MAX_QUERY_CHARS) in r.get_json()["error"]
    assert client.get("/api/search", query_string={"q": "a " * (MAX_QUERY_CHARS // 2)}).status_code == 200
    # runs of spaces count once, as the engine counts them
    assert client.get("/api/search", query_string={"q": "dibao" + " " * MAX_QUERY_CHARS + "apply"}).status_code == 200


def test_unit_api_returns_the_unit(client, corpus):
    r = client.get("/api/units/social-assistance-measures/art-11")
    assert r.status_code == 200
    data = r.get_json()
    assert data == corpus.units["social-assistance-measures/art-11"].to_dict()
    assert data["citation"] == "Interim Measures for Social Assistance (State Council Decree No. 649, rev. 2019), Art. 11"
    assert data["citation_zh"] == "《社会救助暂行办法》第十一条"


def test_unit_api_serves_every_unit(client, corpus):
    for uid, unit in corpus.units.items():
        data = client.get(f"/api/units/{uid}").get_json()
        assert UNIT_KEYS <= set(data)
        assert data["id"] == uid and data["url"] == unit.url


def test_unit_api_serves_guides_as_units(client, corpus):
    gid = next(iter(corpus.guides))
    data = client.get(f"/api/units/{gid}").get_json()
    assert data["kind"] == "guide" and data["id"] == gid


@pytest.mark.parametrize("path", [
    "/api/units/social-assistance-measures/art-71",
    "/api/units/social-assistance-measures/art-0",
    "/api/units/no-such-doc/art-1",
    "/api/units/guides/no-such-guide",
])
def test_unknown_unit_is_a_404_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.mimetype == "application/json"
    assert "no unit" in r.get_json()["error"]


def test_unknown_api_route_is_json(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.mimetype == "application/json"
    assert r.get_json()["error"]


def test_wrong_method_is_a_405_json(client):
    r = client.post("/api/search?q=dibao")
    assert r.status_code == 405 and r.mimetype == "application/json"
    assert "GET" in r.headers["Allow"]


def test_healthz_reports_the_index(client, engine):
    r = client.get("/healthz")
    assert r.status_code == 200
    data = r.get_json()
    assert data["status"] == "ok"
    assert data["build_time"] == engine.manifest["build_time"]
    assert data["corpus_hash"] == engine.manifest["corpus_hash"]
    assert data["model"] == engine.manifest["model"] and data["model"]
    assert data["units"] == 78


def test_without_an_index_search_and_health_are_503_with_what_to_run(bare_client):
    for path in ("/api/search?q=dibao", "/healthz"):
        r = bare_client.get(path)
        assert r.status_code == 503
        assert r.mimetype == "application/json"
        assert "policykb build" in r.get_json()["error"]


def test_without_an_index_units_still_work(bare_client):
    r = bare_client.get("/api/units/social-assistance-measures/art-60")
    assert r.status_code == 200 and r.get_json()["id"] == "social-assistance-measures/art-60"
