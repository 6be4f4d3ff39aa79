"""Serving: waitress, the engine opened once, a rebuilt index picked up without a restart."""
from __future__ import annotations

import shutil
import urllib.request

from webapp import create_app, serve as serve_module
from webapp import services as services_module
from webapp.services import Services


def test_serve_runs_waitress_with_a_warm_engine(monkeypatch, engine):
    calls = {}
    opened = []

    def fake_run(server, **kwargs):
        calls["port"] = server.effective_port
        server.close()

    real_create_app = serve_module.create_app

    def create_app_with_engine():
        app = calls["app"] = real_create_app({"POLICYKB_ENGINE": engine})
        real_warm = app.extensions["policykb"].warm
        app.extensions["policykb"].warm = lambda: opened.append(1) or real_warm()
        return app

    monkeypatch.setattr(serve_module, "run_until_stopped", fake_run)
    monkeypatch.setattr(serve_module, "create_app", create_app_with_engine)
    serve_module.serve("127.0.0.1", 0, workers=1)
    assert opened == [1]
    assert calls["app"].test_client().get("/healthz").status_code == 200


def test_serve_without_an_index_still_starts_and_says_what_to_run(monkeypatch, missing_index_dir, capsys):
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(missing_index_dir))
    started = []
    monkeypatch.setattr(serve_module, "run_until_stopped", lambda server, **kw: started.append(1) or server.close())
    real_create_app = serve_module.create_app
    monkeypatch.setattr(serve_module, "create_app", lambda: started.append(real_create_app()) or started[-1])
    serve_module.serve("127.0.0.1", 0, workers=1)
    assert started
    assert "policykb build" in capsys.readouterr().err
    assert started[0].test_client().get("/").status_code == 200 and started[1] == 1


def test_an_address_that_cannot_be_listened_on_is_one_line_and_exit_2(monkeypatch, missing_index_dir, capsys):
    from indexer.cli import main

    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(missing_index_dir))
    code = main(["serve", "--host", "nosuchhost.invalid", "--port", "8767"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("policykb: cannot listen on nosuchhost.invalid:8767")


def test_engine_is_opened_once_per_process(monkeypatch, engine):
    import indexer.engine as engine_mod

    opens = []
    monkeypatch.setattr(engine_mod.SearchEngine, "open",
                        classmethod(lambda cls, index_dir=None, **kw: opens.append(index_dir) or engine))
    app = create_app({"TESTING": True})
    client = app.test_client()
    for _ in range(3):
        assert client.get("/search?q=dibao").status_code == 200
        assert client.get("/api/search?q=dibao").status_code == 200
    assert len(opens) == 1


def test_a_built_index_is_picked_up_without_a_restart(monkeypatch, tmp_path, index_dir):
    monkeypatch.setattr(services_module, "RETRY_SECONDS", 0.0)
    target = tmp_path / "index"
    target.mkdir()
    app = create_app({"TESTING": True, "POLICYKB_INDEX_DIR": target})
    client = app.test_client()
    assert client.get("/api/search?q=dibao").status_code == 503
    shutil.rmtree(target)
    shutil.copytree(index_dir, target, symlinks=True)
    assert client.get("/api/search?q=dibao").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_refresh_swaps_in_a_new_engine(engine):
    class Rebuilt:
        corpus = engine.corpus
        manifest = {**engine.manifest, "build_time": "rebuilt"}

        def refresh(self):
            return self

    class Old:
        corpus = engine.corpus
        manifest = engine.manifest

        def refresh(self):
            return Rebuilt()

    svc = Services(engine=Old())
    assert svc.engine().manifest["build_time"] == "rebuilt"
    assert isinstance(svc.engine(), Rebuilt)


def test_a_failing_refresh_keeps_the_loaded_engine(engine):
    class Flaky:
        corpus = engine.corpus
        manifest = engine.manifest

        def refresh(self):
            raise OSError("disk hiccup")

    flaky = Flaky()
    assert Services(engine=flaky).engine() is flaky


def test_live_server_serves_pages_and_api(live_server):
    with urllib.request.urlopen(live_server.url + "/healthz", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Security-Policy"]
    with urllib.request.urlopen(live_server.url + "/units/social-assistance-measures/art-11", timeout=10) as r:
        assert "《社会救助暂行办法》第十一条" in r.read().decode("utf-8")


def test_warming_the_site_asks_one_question_per_language_past_the_cache(engine, monkeypatch):
    import jieba

    from indexer.analysis import has_cjk

    asked = []
    real_search = engine._search
    monkeypatch.setattr(engine, "_search", lambda q, k, mode: asked.append(q) or real_search(q, k, mode))
    app = create_app({"POLICYKB_ENGINE": engine})
    assert app.extensions["policykb"].warm() is None
    assert sorted(has_cjk(q) for q in asked) == [False, True], asked
    assert jieba.dt.initialized, "the first Chinese question would load jieba's dictionary"
