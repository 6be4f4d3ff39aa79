"""The JSON API, exactly as ../shared/CONTRACT.md says: /api/search, /api/units/..., /healthz."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify, request

from indexer.index_store import REBUILD_HINT, WholeCheck

from .. import get_services as services, helpers
from ..errors import json_error
from ..services import SearchUnavailable, engine_module, max_query_chars

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search():
    q = request.args.get("q")
    if q is None or not q.strip():
        return json_error(400, "missing or empty q: ask a question with ?q=...")
    q = " ".join(q.split())  # as the engine counts it
    limit = max_query_chars()
    if len(q) > limit:
        return json_error(400, f"q is {len(q)} characters long; the limit is {limit}")
    k = helpers.parse_k(request.args.get("k"))
    if isinstance(k, str):
        return json_error(400, k)
    mode = request.args.get("mode") or "hybrid"
    try:
        engine = services().engine()
    except SearchUnavailable as exc:
        return json_error(503, f"search is not available: {exc}")
    try:
        resp = engine.search(q, k=k, mode=mode)
    except engine_module().QueryError as exc:
        return json_error(400, str(exc))
    return jsonify(resp.to_dict())


@bp.get("/api/units/<doc_id>/<unit>")
def unit(doc_id: str, unit: str):
    uid = f"{doc_id}/{unit}"
    found = services().corpus().get(uid)
    if found is None:
        return json_error(404, f"no unit '{uid}'")
    return jsonify(found.to_dict())


OPENAPI = Path(__file__).resolve().parent.parent / "openapi.json"


@bp.get("/api/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (webapp/openapi.json, kept true by tests/web/test_openapi.py)."""
    return Response(OPENAPI.read_bytes(), mimetype="application/json")


# One cached whole-index check per process: /healthz re-reads the files only when they moved (index_store).
_whole = WholeCheck()


@bp.get("/healthz")
def healthz():
    try:
        engine = services().engine()
        manifest = dict(engine.manifest)
    except SearchUnavailable as exc:
        return json_error(503, f"search is not available: {exc}", status="unavailable")
    problem = _whole(engine.build, manifest)
    if problem:
        return json_error(503, f"the index in {engine.build} is damaged: {problem}: {REBUILD_HINT}",
                          status="damaged")
    return jsonify({
        "status": "ok",
        "build_time": manifest.get("build_time"),
        "corpus_hash": manifest.get("corpus_hash"),
        "model": manifest.get("model"),
        "units": len(engine.corpus.units),
        # Set when corpus/ changed after the index was built: search still works on the old build.
        "stale": getattr(engine, "stale_reason", None),
        # Answers kept in memory (indexer/result_cache.py): how many, and how often asked again.
        "cache": engine.results.stats(),
    })
