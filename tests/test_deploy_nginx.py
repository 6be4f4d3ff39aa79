"""The production deployment, tested here: Debian's nginx with deploy/policykb-nginx.conf in front of
`policykb serve`, both on loopback ports. Slow connections and a burst: normal requests are still served,
limit_req answers the burst with 429, the security headers are on every answer (nginx's own too),
an untrusted Host is refused. Bounded: 120 slow connections, ~150 requests."""
from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from indexer.config import REPO_ROOT
from webapp.security import HEADERS

from .test_serve_limits import ServeProcess, _free_port

CONF = REPO_ROOT / "deploy" / "policykb-nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _site_conf(listen: int, app_port: int) -> str:
    text = CONF.read_text(encoding="utf-8")
    for old, new in [("listen 80 default_server;", f"listen 127.0.0.1:{listen} default_server;"),
                     ("listen 80;", f"listen 127.0.0.1:{listen};"),
                     ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
                     ("server_name policykb.example.org;", "server_name localhost 127.0.0.1;")]:
        assert text.count(old) == 1, f"{CONF} no longer has '{old}': update the test's templating"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def deployed(index_dir, tmp_path_factory):
    assert NGINX, "the deployment test needs Debian's nginx: run scripts/install-nginx.sh (apt-get install nginx-light)"
    app = ServeProcess(index_dir)
    root = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    (root / "site.conf").write_text(_site_conf(port, app.port), encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {root}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (root / "nginx.conf").write_text(
        f"daemon off;\nmaster_process on;\nworker_processes 1;\nuser root;\npid {root}/nginx.pid;\n"
        f"error_log {root}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n{temp}include {root}/site.conf;\n}}\n", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(root), "-c", str(root / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"nginx did not answer: {(root / 'error.log').read_text()}")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        app.stop()


def _get(port: int, path: str, host: str = "127.0.0.1", timeout: float = 15):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host})
        r = conn.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        conn.close()


def _assert_headers_once(headers) -> None:
    for name, value in HEADERS.items():
        got = [v for k, v in headers if k.lower() == name.lower()]
        assert got == [value], (name, got)


def test_pages_and_api_through_nginx_carry_the_headers_once(deployed):
    for path in ("/", "/units/social-assistance-measures/art-11", "/api/search?q=dibao", "/healthz"):
        status, headers, _ = _get(deployed, path)
        assert status == 200, path
        _assert_headers_once(headers)


def test_an_untrusted_host_is_refused_with_the_headers(deployed):
    status, headers, body = _get(deployed, "/units/social-assistance-measures/art-11", host="evil.example")
    assert status == 400 and b"evil.example" not in body
    _assert_headers_once(headers)


def test_a_burst_of_searches_is_limited_and_nothing_fails(deployed):
    results = []
    lock = threading.Lock()

    def one(i):
        status = _get(deployed, f"/api/search?q=dibao+{i}")[0]
        with lock:
            results.append(status)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 40
    assert set(results) <= {200, 429}, results
    assert results.count(429) >= 10 and results.count(200) >= 5, results
    time.sleep(1.5)  # the bucket refills: normal searches pass again
    assert _get(deployed, "/api/search?q=dibao")[0] == 200


def test_slow_connections_through_nginx_do_not_lock_anyone_out(deployed):
    slow = []
    try:
        for _ in range(120):
            s = socket.create_connection(("127.0.0.1", deployed), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(s)
        started = time.monotonic()
        served = []
        while time.monotonic() - started < 5:
            for s in slow:
                try:
                    s.sendall(b"X")
                except OSError:
                    pass
            t0 = time.monotonic()
            served.append((_get(deployed, "/units/social-assistance-measures/art-11")[0], time.monotonic() - t0))
            time.sleep(0.2)
        assert served and all(code == 200 for code, _ in served), served
        assert max(t for _, t in served) < 3, served
    finally:
        for s in slow:
            s.close()
