"""webapp/openapi.json is true: real responses validate against it, and a property-based run of the API,
driven by the spec's own parameters, only ever gets responses the spec documents (bounded: ~100 requests)."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from webapp.views.api import OPENAPI

SPEC = json.loads(OPENAPI.read_text(encoding="utf-8"))


def _validator(schema: dict) -> Draft202012Validator:
    # $refs in the spec point into #/components: validate against a document that carries them.
    return Draft202012Validator({**schema, "components": SPEC["components"]})


def _response_schema(path: str, method: str, status: int) -> dict:
    responses = SPEC["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered {status}, which the spec does not document"
    response = responses[str(status)]
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response["content"]["application/json"]["schema"]


def assert_documented(r, path: str, method: str = "get") -> None:
    assert r.mimetype == "application/json", (path, r.status_code, r.mimetype)
    schema = _response_schema(path, method, r.status_code)
    errors = sorted(_validator(schema).iter_errors(r.get_json()), key=str)
    assert not errors, f"{method.upper()} {path} {r.status_code}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])


def test_the_spec_is_served_and_is_openapi_3_1(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.get_json() == SPEC
    assert SPEC["openapi"].startswith("3.1")
    Draft202012Validator.check_schema({"components": SPEC["components"]})
    assert {"/api/search", "/api/units/{doc_id}/{unit}", "/api/check", "/healthz"} <= set(SPEC["paths"])


@pytest.mark.parametrize("query", [
    {"q": "how do I apply for dibao"}, {"q": "最低生活保障怎么申请", "k": "3"}, {"q": "disaster relief", "mode": "keyword"},
    {"q": "medical assistance", "mode": "semantic", "k": "50"}, {"q": "weather on mars tomorrow"},
    {"q": ""}, {"k": "5"}, {"q": "dibao", "k": "0"}, {"q": "dibao", "k": "51"}, {"q": "dibao", "mode": "fuzzy"},
    {"q": "d" * 501},
])
def test_real_search_responses_match_the_spec(client, query):
    assert_documented(client.get("/api/search", query_string=query), "/api/search")


def test_an_answer_and_results_are_described(client):
    r = client.get("/api/search", query_string={"q": "how do I apply for minimum living security"})
    body = r.get_json()
    assert body["answer"] is not None and body["results"], "the example no longer has an answer: pick another"
    assert_documented(r, "/api/search")


@pytest.mark.parametrize("uid", ["social-assistance-measures/art-11", "poverty-alleviation-plan/pathway-3",
                                 "guides/minimum-living-security", "nope/art-1"])
def test_unit_responses_match_the_spec(client, uid):
    assert_documented(client.get(f"/api/units/{uid}"), "/api/units/{doc_id}/{unit}")


@pytest.mark.parametrize("body", [{}, {"no_such_question": 1}, [1, 2], "text"])
def test_check_responses_match_the_spec(client, body):
    assert_documented(client.post("/api/check", json=body), "/api/check", "post")
    assert_documented(client.get("/api/check"), "/api/check", "get")


def test_health_responses_match_the_spec(client, bare_client):
    assert_documented(client.get("/healthz"), "/healthz")
    assert_documented(bare_client.get("/healthz"), "/healthz")
    assert bare_client.get("/healthz").status_code == 503


def _search_params():
    params = {p["name"]: p for p in SPEC["paths"]["/api/search"]["get"]["parameters"]}
    text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
    return st.fixed_dictionaries({}, optional={
        "q": st.one_of(text, st.just("  "), st.just("x" * (params["q"]["schema"]["maxLength"] + 1))),
        "k": st.one_of(st.integers(-5, 60).map(str), text),
        "mode": st.one_of(st.sampled_from(params["mode"]["schema"]["enum"]), text),
        "lang": st.one_of(st.sampled_from(params["lang"]["schema"]["enum"]), text),
    })


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=_search_params())
def test_any_search_gets_a_documented_response(session_app, query):
    assert_documented(session_app.test_client().get("/api/search", query_string=query), "/api/search")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.dictionaries(st.sampled_from(["receives_dibao", "household_size", "monthly_income", "x"]),
                                      st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6), st.text(max_size=10)),
                                      max_size=4),
                      st.lists(st.integers(), max_size=3)))
def test_any_check_body_gets_a_documented_response(session_app, body):
    assert_documented(session_app.test_client().post("/api/check", json=body), "/api/check", "post")
