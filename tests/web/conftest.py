"""Fixtures for the website: the Flask app on the real engine, and variants.

`engine`, `corpus` and `index_dir` come from tests/conftest.py (a real index
built once per session). Here:
    app / client         the site on that engine
    bare_app / bare_client   the site with no index at all (search answers 503)
    live_server          the site on waitress in a background thread (browser tests)
    browser              one Chromium for every browser test file (Playwright's sync API allows one per process)
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from webapp import create_app


@pytest.fixture(scope="session")
def session_app(engine):
    """One app for read-only tests (module and session scoped users, hypothesis)."""
    return create_app({"TESTING": True, "POLICYKB_ENGINE": engine})


@pytest.fixture
def app(engine):
    return create_app({"TESTING": True, "POLICYKB_ENGINE": engine})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def zh_client(app):
    c = app.test_client()
    c.set_cookie("lang", "zh")
    return c


@pytest.fixture
def missing_index_dir(tmp_path):
    folder = tmp_path / "no-index"
    folder.mkdir()
    return folder


@pytest.fixture
def bare_app(missing_index_dir):
    """No index: the real engine's IndexProblem decides what search says."""
    return create_app({"TESTING": True, "POLICYKB_INDEX_DIR": missing_index_dir})


@pytest.fixture
def bare_client(bare_app):
    return bare_app.test_client()


class LiveServer:
    def __init__(self, app):
        from waitress.server import create_server

        self.server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="policykb-test")
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(engine):
    """The site on waitress (as `policykb serve` runs it), on a free port of 127.0.0.1."""
    server = LiveServer(create_app({"POLICYKB_ENGINE": engine})).start()
    yield server
    server.stop()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, shared by the session: a second sync_playwright() in the same
    process fails ('Sync API inside the asyncio loop'), so no test file may start its own."""
    if not CHROMIUM.exists():
        pytest.fail(f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk "
                    "(or run: make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
