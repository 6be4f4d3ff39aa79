"""Security headers on every response, and which Host a request may be trusted with.

The site runs no inline script or style: all JavaScript and CSS are static
files served from the site itself, so the policy can stay 'self' only.

The Host header is the client's to choose, so it never makes an absolute
URL unless it is on the trusted list (POLICYKB_TRUSTED_HOSTS, comma-separated;
loopback names by default) or the site's address is configured outright
(POLICYKB_BASE_URL, e.g. https://policykb.example.org). Otherwise links are
relative. A Host header that is not a host name at all is a 400.
"""
from __future__ import annotations

import os
import re

from flask import Flask, Response, current_app, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # No page needs to tell another site where its visitor came from; a search URL holds the question.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# Their URL holds the question (or the answers): no cache, shared or private, may keep them.
NO_STORE_PATHS = ("/search", "/api/search", "/api/check", "/check")

DEFAULT_TRUSTED_HOSTS = ("localhost", "127.0.0.1", "::1")
# A host name or IPv4 address, or a bracketed IPv6 address, and an optional port.
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                   r"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


def trusted_hosts() -> tuple[str, ...]:
    configured = os.environ.get("POLICYKB_TRUSTED_HOSTS", "")
    extra = tuple(h.strip().lower() for h in configured.split(",") if h.strip())
    return DEFAULT_TRUSTED_HOSTS + extra


def _host_name(host: str) -> str:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") and host.count(":") == 1 else host
    return name.strip("[]").lower()


def site_root() -> str:
    """The absolute root for links that leave the page ('' = relative links), never from an untrusted Host."""
    base = current_app.config.get("POLICYKB_BASE_URL") or os.environ.get("POLICYKB_BASE_URL")
    if base:
        return base.rstrip("/")
    host = request.environ.get("HTTP_HOST", "")
    if host and _host_name(host) in trusted_hosts():
        return request.url_root.rstrip("/")
    return ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals["site_root"] = site_root

    @app.before_request
    def refuse_a_malformed_host():
        host = request.environ.get("HTTP_HOST")
        if host is not None and (len(host) > 260 or not _HOST.match(host)):
            return Response("Bad Request: the Host header is not a host name.\n", 400,
                            {"Content-Type": "text/plain; charset=utf-8"})
        return None

    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path in NO_STORE_PATHS:
            response.headers["Cache-Control"] = "no-store"
        return response
