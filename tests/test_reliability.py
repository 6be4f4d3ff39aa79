"""Reliability: a damaged, missing or out-of-date index, a rebuild while the site serves, a bad corpus.

Whatever is wrong with the index, every entry point says so and names the fix
(`policykb build`): SearchEngine.open raises an IndexProblem, the CLI exits 1
with the message on stderr, the API and /healthz answer 503 with it. Never a
crash, never results from a half-read index. A rebuild swaps the new index in
whole while requests keep being answered; a corpus error stops the build with
file:line and leaves the index in use untouched.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import threading
import time
import urllib.parse
from pathlib import Path

import faiss
import numpy as np
import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.corpus import CorpusError
from indexer.engine import SearchEngine
from indexer.index_store import REBUILD_HINT, IndexCorrupt, IndexMissing, IndexProblem, IndexStale
from webapp import create_app

from .conftest import CORPUS

FIX = "policykb build"
assert FIX in REBUILD_HINT


@pytest.fixture
def index_copy(tmp_path, index_dir) -> Path:
    """A private copy of the session index (its `current` link is relative, so it follows)."""
    root = tmp_path / "index"
    shutil.copytree(index_dir, root, symlinks=True)
    return root


def build_of(root: Path) -> Path:
    return (root / "current").resolve()


def _truncate(path: Path, size: int | None = None) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 if size is None else size])


def _views(build: Path) -> list[str]:
    return json.loads((build / "manifest.json").read_text(encoding="utf-8"))["views"]


def _edit_manifest(build: Path, **changes) -> None:
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    (build / "manifest.json").write_text(json.dumps({**manifest, **changes}), encoding="utf-8")


def _other_dimension(build: Path) -> None:
    """Vectors of another model's size (768) in place of the 384-dimension ones, the manifest unchanged."""
    rows = json.loads((build / "rows.json").read_text(encoding="utf-8"))
    for view, view_rows in rows.items():
        index = faiss.IndexFlatIP(768)
        vectors = np.random.default_rng(0).normal(size=(len(view_rows), 768)).astype(np.float32)
        index.add(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
        faiss.write_index(index, str(build / f"vectors-{view}.faiss"))


def _segments(build: Path, action) -> None:
    segments = list((build / "keyword").glob("*.seg"))
    assert segments, "the keyword index has no segment files to break"
    for seg in segments:
        action(seg)


# name -> (how to break the build, the IndexProblem expected)
DAMAGE = {
    "vectors-en.faiss truncated": (lambda b: _truncate(b / "vectors-en.faiss"), IndexCorrupt),
    "vectors-en.faiss empty": (lambda b: _truncate(b / "vectors-en.faiss", 0), IndexCorrupt),
    "a view's vectors deleted": (lambda b: (b / f"vectors-{_views(b)[-1]}.faiss").unlink(), IndexCorrupt),
    "keyword segment files deleted": (lambda b: _segments(b, Path.unlink), IndexCorrupt),
    "keyword segment files truncated": (lambda b: _segments(b, _truncate), IndexCorrupt),
    "keyword segment files overwritten": (lambda b: _segments(b, lambda p: p.write_bytes(b"\0garbage" * 64)), IndexCorrupt),
    "keyword table of contents deleted": (lambda b: [p.unlink() for p in (b / "keyword").glob("*.toc")], IndexCorrupt),
    "keyword folder deleted": (lambda b: shutil.rmtree(b / "keyword"), IndexCorrupt),
    "manifest.json garbage": (lambda b: (b / "manifest.json").write_text("{not json", encoding="utf-8"), IndexCorrupt),
    "manifest.json not an object": (lambda b: (b / "manifest.json").write_text("[1, 2]", encoding="utf-8"), IndexStale),
    "manifest.json deleted": (lambda b: (b / "manifest.json").unlink(), IndexCorrupt),
    "manifest.json of another format": (lambda b: _edit_manifest(b, format_version=99), IndexStale),
    "manifest.json views garbled": (lambda b: _edit_manifest(b, views=None), IndexCorrupt),
    "concepts.json deleted": (lambda b: (b / "concepts.json").unlink(), IndexCorrupt),
    "concepts.json truncated": (lambda b: _truncate(b / "concepts.json"), IndexCorrupt),
    "concepts.json missing a concept": (lambda b: (b / "concepts.json").write_text("{}", encoding="utf-8"), IndexCorrupt),
    "chunks.json truncated": (lambda b: _truncate(b / "chunks.json"), IndexCorrupt),
    "chunks.json empty": (lambda b: (b / "chunks.json").write_text("[]", encoding="utf-8"), IndexCorrupt),
    "rows.json does not match the vectors": (lambda b: (b / "rows.json").write_text('{"en": [0]}'), IndexCorrupt),
    "corpus snapshot deleted": (lambda b: shutil.rmtree(b / "corpus"), IndexCorrupt),
    "corpus snapshot garbled": (lambda b: (b / "corpus" / "social-assistance-measures.md").write_text("garbage"), IndexCorrupt),
    "built with another model (manifest)": (lambda b: _edit_manifest(b, model="sentence-transformers/all-mpnet-base-v2"), IndexStale),
    # Vectors swapped in after the build: their checksum no longer matches the manifest.
    "built with another model (vector size)": (_other_dimension, IndexCorrupt),
    "current link dangling": (lambda b: shutil.rmtree(b), IndexMissing),
    # Damage that still parses: only the checksums recorded at build time see it.
    "a guide removed from the corpus copy": (lambda b: next((b / "corpus" / "guides").glob("*.md")).unlink(), IndexCorrupt),
    "the glossary copy emptied": (lambda b: (b / "corpus" / "glossary.md").write_text("", encoding="utf-8"), IndexCorrupt),
    "a byte of the vectors flipped": (lambda b: _flip_a_byte(b / "vectors-en.faiss"), IndexCorrupt),
    "the paragraphs' spans deleted": (lambda b: shutil.rmtree(b / "spans"), IndexCorrupt),
    "the Chinese paragraphs' spans truncated": (lambda b: _truncate(b / "spans" / "zh-offsets.npy"), IndexCorrupt),
}


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def assert_cli_names_the_fix(monkeypatch, capsys, root: Path, corpus: Path = CORPUS) -> str:
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(root))
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(corpus))
    capsys.readouterr()
    code = main(["search", "how do I apply for dibao", "--json"])
    out, err = capsys.readouterr()
    assert code == 1, (code, err)
    assert out == ""
    assert err.startswith("policykb: ") and FIX in err
    assert "Traceback" not in err
    return err


def assert_web_answers_503_naming_the_fix(root: Path) -> None:
    client = create_app({"POLICYKB_INDEX_DIR": root}).test_client()
    for path in ("/api/search?q=dibao", "/healthz"):
        r = client.get(path)
        assert r.status_code == 503, (path, r.status_code)
        assert r.mimetype == "application/json"
        error = r.get_json()["error"]
        assert FIX in error, error
        assert "Traceback" not in r.get_data(as_text=True)
    # Pages that need only the corpus still work; the search page says search is unavailable.
    assert client.get("/units/social-assistance-measures/art-11").status_code == 200
    r = client.get("/search?q=dibao")
    assert r.status_code == 503 and "Traceback" not in r.get_data(as_text=True)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_says_what_to_run_everywhere(damage, index_copy, monkeypatch, capsys):
    breaks, expected = DAMAGE[damage]
    breaks(build_of(index_copy))
    with pytest.raises(IndexProblem) as exc:
        SearchEngine.open(index_copy, CORPUS)
    assert isinstance(exc.value, expected), f"{type(exc.value).__name__}: {exc.value}"
    assert FIX in str(exc.value)
    assert_cli_names_the_fix(monkeypatch, capsys, index_copy)
    assert_web_answers_503_naming_the_fix(index_copy)


def test_no_index_at_all(tmp_path, monkeypatch, capsys):
    empty = tmp_path / "nothing-here"
    with pytest.raises(IndexMissing, match=FIX):
        SearchEngine.open(empty, CORPUS)
    assert_cli_names_the_fix(monkeypatch, capsys, empty)
    empty.mkdir()
    assert_web_answers_503_naming_the_fix(empty)


def test_another_configured_model_is_refused_before_it_is_loaded(index_dir, monkeypatch, capsys):
    monkeypatch.setenv("POLICYKB_MODEL", "/nonexistent/other-model")
    with pytest.raises(IndexStale) as exc:
        SearchEngine.open(index_dir, CORPUS)
    assert FIX in str(exc.value) and "POLICYKB_MODEL" in str(exc.value)
    assert_cli_names_the_fix(monkeypatch, capsys, index_dir)
    assert_web_answers_503_naming_the_fix(index_dir)


def test_an_index_of_an_older_corpus_is_flagged_not_mixed(index_dir, corpus_copy, monkeypatch, capsys):
    """corpus/ changed after the build: the CLI refuses; the site keeps serving the build's own snapshot
    (text and ranking from one corpus, never a mix) and /healthz says it is stale and what to run."""
    measures = corpus_copy / "social-assistance-measures.md"
    marker = "zqxjmarker"
    text = measures.read_text(encoding="utf-8")
    assert "Applications for minimum living security shall be handled" in text
    measures.write_text(text.replace("Applications for minimum living security shall be handled",
                                     f"{marker} Applications for minimum living security shall be handled"),
                        encoding="utf-8")

    engine = SearchEngine.open(index_dir, corpus_copy)
    assert engine.stale_reason and FIX in engine.stale_reason and str(corpus_copy) in engine.stale_reason
    assert marker not in engine.corpus.get("social-assistance-measures/art-11").text_en

    err = assert_cli_names_the_fix(monkeypatch, capsys, index_dir, corpus_copy)
    assert "changed" in err

    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(corpus_copy))
    client = create_app({"POLICYKB_INDEX_DIR": index_dir, "POLICYKB_CORPUS_DIR": corpus_copy}).test_client()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["stale"] and FIX in health.get_json()["stale"]
    r = client.get("/api/search", query_string={"q": f"{marker} apply for minimum living security"})
    assert r.status_code == 200
    assert r.get_json()["results"]
    assert not any(marker in hit["text_en"] for hit in r.get_json()["results"])
    unit = client.get("/api/units/social-assistance-measures/art-11").get_json()
    assert marker not in unit["text_en"]  # the page matches what search indexed


def test_a_build_that_fails_half_way_leaves_the_index_in_use(index_copy, monkeypatch):
    from indexer import keyword_index

    before = os.readlink(index_copy / "current")
    builds = sorted(p.name for p in (index_copy / "builds").iterdir())

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(keyword_index, "build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index(CORPUS, index_copy)
    assert os.readlink(index_copy / "current") == before
    assert sorted(p.name for p in (index_copy / "builds").iterdir()) == builds  # no partial left behind
    assert SearchEngine.open(index_copy, CORPUS).search("dibao").hits


# -- a malformed corpus during a rebuild -------------------------------------------

def test_a_malformed_corpus_stops_the_rebuild_with_file_and_line(index_copy, corpus_copy, monkeypatch, capsys):
    measures = corpus_copy / "social-assistance-measures.md"
    lines = measures.read_text(encoding="utf-8").splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("### art-12 "))
    lines[line_no - 1] = lines[line_no - 1].replace("### art-12 ", "### article-twelve ")
    measures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    where = f"{measures}:{line_no}"

    before = os.readlink(index_copy / "current")
    builds = sorted(p.name for p in (index_copy / "builds").iterdir())
    site = create_app({"POLICYKB_INDEX_DIR": index_copy}).test_client()
    assert site.get("/api/search?q=dibao").status_code == 200

    with pytest.raises(CorpusError) as exc:
        build_index(corpus_copy, index_copy)
    assert any(p.startswith(where + ":") for p in exc.value.problems), exc.value.problems

    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(index_copy))
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(corpus_copy))
    capsys.readouterr()
    assert main(["build", "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.splitlines()[0].startswith("policykb: ") and "problem(s) in the corpus" in err.splitlines()[0]
    assert where in err

    # The index in use is untouched, and still answers.
    assert os.readlink(index_copy / "current") == before
    assert sorted(p.name for p in (index_copy / "builds").iterdir()) == builds
    response = SearchEngine.open(index_copy, CORPUS).search("how do I apply for dibao")
    assert "social-assistance-measures/art-11" in [h.unit.id for h in response.hits]
    r = site.get("/api/search?q=dibao")
    assert r.status_code == 200 and r.get_json()["results"]


# -- rebuilding while the site serves -----------------------------------------------

class Hammer:
    """Clients sending /api/search and /healthz in a loop over keep-alive connections, recording every answer."""

    QUESTIONS = ["how do I apply for dibao", "disaster relief", "最低生活保障", "medical assistance for the poor",
                 "who supports extremely poor people", "housing assistance", "education assistance for children"]

    def __init__(self, port: int, clients: int = 2):
        self.port = port
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int, str | None]] = []  # (time, path, status, corpus hash)
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def _run(self, n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = n
        while not self.stop.is_set():
            i += 1
            q = self.QUESTIONS[i % len(self.QUESTIONS)]
            path = "/healthz" if i % 3 == 0 else "/api/search?" + urllib.parse.urlencode({"q": q, "k": 5})
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                data = json.loads(body)
                ok = r.status == 200 and (path == "/healthz" or bool(data.get("results")))
                with self.lock:
                    self.answers.append((time.monotonic(), path, r.status, data.get("corpus_hash")))
                    if not ok:
                        self.failures.append(f"{path}: HTTP {r.status} {body[:200]!r}")
            except Exception as exc:  # noqa: BLE001 - every failure is recorded and fails the test
                with self.lock:
                    self.failures.append(f"{path}: {exc.__class__.__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


@pytest.fixture
def served(index_copy, corpus_copy, monkeypatch):
    """The site on waitress (as `policykb serve` runs it) on a free port of 127.0.0.1, on a private index."""
    from waitress.server import create_server

    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(corpus_copy))
    app = create_app({"POLICYKB_INDEX_DIR": index_copy, "POLICYKB_CORPUS_DIR": corpus_copy})
    assert app.extensions["policykb"].warm() is None
    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="policykb-test")
    closing = threading.Event()

    def run():
        try:
            server.run()
        except OSError:  # the loop's select() on the socket closed below
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield server.effective_port
    closing.set()
    server.close()
    thread.join(timeout=10)


def _healthz(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/healthz")
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def test_rebuilding_while_the_site_serves(served, index_copy, corpus_copy):
    """No failed request during the build; the new build is picked up without a restart, never a partial one."""
    port = served
    old = _healthz(port)
    # The edit a rebuild is for: here, the guides and glossary are withdrawn (also a smaller, faster build).
    shutil.rmtree(corpus_copy / "guides")
    (corpus_copy / "glossary.md").unlink()
    for editorial in ("intents.yaml", "scope.yaml"):  # they name guide sections and glossary concepts
        (corpus_copy / editorial).unlink()
    old_build = build_of(index_copy)

    with Hammer(port) as hammer:
        time.sleep(1.0)
        started = time.monotonic()
        summary = build_index(corpus_copy, index_copy)
        finished = time.monotonic()
        # Keep asking until an answer shows the new build (at most 10 s).
        deadline = finished + 10
        while time.monotonic() < deadline:
            with hammer.lock:
                if any(t > finished and h and h != old["corpus_hash"] for t, _, _, h in hammer.answers):
                    break
            time.sleep(0.1)
        time.sleep(0.5)

    assert not hammer.failures, hammer.failures[:5]
    during = [a for a in hammer.answers if started <= a[0] <= finished]
    assert len(during) >= 10, f"only {len(during)} requests during the build: the test proves nothing"
    new_hash = json.loads((summary.path / "manifest.json").read_text(encoding="utf-8"))["corpus_hash"]
    assert new_hash != old["corpus_hash"]
    seen = {h for _, path, _, h in hammer.answers if path == "/healthz"}
    assert seen <= {old["corpus_hash"], new_hash}, "an answer came from neither build"
    assert new_hash in seen, "the site did not pick up the new build"

    now = _healthz(port)
    assert now["corpus_hash"] == new_hash and now["stale"] is None
    assert build_of(index_copy) == summary.path
    assert old_build.exists(), "the previous build should be kept for readers still using it"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": "how do I apply for dibao"}))
    data = json.loads(conn.getresponse().read())
    conn.close()
    assert data["results"] and data["guides"] == []  # the new build has no guides


def test_a_rebuilt_index_that_cannot_be_opened_is_tried_once(index_copy, monkeypatch):
    """A new build the site cannot use (here: made with another model) leaves the site on the build it has,
    and is not re-opened on every request (at 100k chunks an open takes ~20 s)."""
    import indexer.engine as engine_module

    site = create_app({"POLICYKB_INDEX_DIR": index_copy}).test_client()
    assert site.get("/api/search?q=dibao").status_code == 200
    before = site.get("/healthz").get_json()

    other = index_copy / "builds" / "29990101T000000000000Z"
    shutil.copytree(build_of(index_copy), other)
    _edit_manifest(other, model="sentence-transformers/all-mpnet-base-v2", build_time="2999-01-01T00:00:00+00:00")
    link = index_copy / ".current.test"
    os.symlink(f"builds/{other.name}", link)
    os.replace(link, index_copy / "current")

    opened = []
    real_init = engine_module.SearchEngine.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(args[1] if len(args) > 1 else kwargs.get("build"))
        return real_init(self, *args, **kwargs)

    monkeypatch.setattr(engine_module.SearchEngine, "__init__", counting_init)
    for _ in range(5):
        r = site.get("/api/search?q=dibao")
        assert r.status_code == 200 and r.get_json()["results"]
    assert site.get("/healthz").get_json()["build_time"] == before["build_time"]
    assert len(opened) <= 1, f"the unusable build was opened {len(opened)} times"


# -- a whole index, checked by /healthz; killed builds; a full disk --------------------

@pytest.mark.parametrize("damage", ["a guide removed from the corpus copy", "the glossary copy emptied",
                                    "a byte of the vectors flipped"])
def test_healthz_sees_damage_done_after_the_site_opened_the_index(damage, index_copy):
    client = create_app({"POLICYKB_INDEX_DIR": index_copy}).test_client()
    assert client.get("/healthz").status_code == 200
    DAMAGE[damage][0](build_of(index_copy))
    r = client.get("/healthz")
    assert r.status_code == 503, r.get_json()
    body = r.get_json()
    assert body["status"] == "damaged" and FIX in body["error"]
    assert "checksum" in body["error"] or "bytes" in body["error"] or "missing" in body["error"], body["error"]


def test_the_manifest_lists_every_file_with_its_checksum(index_dir):
    import hashlib

    build = build_of(index_dir)
    files = json.loads((build / "manifest.json").read_text(encoding="utf-8"))["files"]
    on_disk = {p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(files) == on_disk
    for rel, want in files.items():
        assert hashlib.sha256((build / rel).read_bytes()).hexdigest() == want["sha256"], rel


def test_a_killed_build_leaves_no_partial_folder_after_the_next_build(index_copy, tmp_path):
    import subprocess
    import sys

    # A build process killed half-way: its partial folder is left, its lock dies with it.
    script = ("import os, sys; from pathlib import Path; from indexer.index_store import new_partial; "
              "p = new_partial(Path(sys.argv[1]), '20000101T000000000000Z'); (p / 'half.bin').write_bytes(b'x'); "
              "os._exit(9)")
    assert subprocess.run([sys.executable, "-c", script, str(index_copy)], timeout=60).returncode == 9
    left = list((index_copy / "builds").glob(".*.partial"))
    assert len(left) == 1
    build_index(CORPUS, index_copy)
    assert not list((index_copy / "builds").glob(".*.partial")), "the killed build's folder is still there"


def test_a_partial_folder_of_a_build_still_running_is_kept(index_copy):
    from indexer.index_store import new_partial

    running = new_partial(index_copy, "20000101T000000000000Z")  # this process holds its lock
    other = new_partial(index_copy, "20000101T000000000001Z")
    assert running.is_dir() and other.is_dir()


def test_a_full_disk_names_the_path(index_copy, monkeypatch, capsys):
    import errno

    from indexer import keyword_index

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keyword_index, "build", full)
    monkeypatch.setenv("POLICYKB_INDEX_DIR", str(index_copy))
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(CORPUS))
    capsys.readouterr()
    assert main(["build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and str(index_copy) in err, err
    assert not list((index_copy / "builds").glob(".*.partial"))
