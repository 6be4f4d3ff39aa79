"""Friendly error pages for people, JSON errors for the API; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

TITLES = {404: "error.404_title", 405: "error.405_title", 500: "error.500_title"}
BODIES = {404: "error.404_body", 500: "error.500_body"}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(code: int, message: str, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = code
    return response


def html_error(status: int, message: str | None = None):
    title_key = TITLES.get(status, "error.400_title" if status < 500 else "error.500_title")
    body_key = BODIES.get(status, "error.500_body" if status >= 500 else None)
    return render_template("error.html", status=status, title_key=title_key,
                           body_key=body_key, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError):
            return server_error(exc)
        status = exc.code or 500
        if wants_json():
            response = json_error(status, exc.description or exc.name)
        else:
            response = html_error(status)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            response = app.make_response(response)
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(500)
    def server_error(exc):
        original = getattr(exc, "original_exception", None) or exc
        log.error("error serving %s: %r", request.path, original, exc_info=original)
        if wants_json():
            return json_error(500, "internal error: the request could not be completed")
        try:
            return html_error(500)
        except Exception:  # noqa: BLE001 - the error page itself failed; stay plain
            return "Something went wrong. 出错了。", 500, {"Content-Type": "text/plain; charset=utf-8"}
