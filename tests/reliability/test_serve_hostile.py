"""`legkg serve` against hostile clients: SSRF, memory, bodies, methods, bursts, heavy queries, hang-ups.

Every server listens on loopback and every test is bounded in time.
"""

from __future__ import annotations

import importlib.machinery
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import types
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from legkg.publish.serve import SparqlServer
from tests.reliability.hostile import HostileServer

pytestmark = pytest.mark.server
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LEGKG = str(Path(sys.executable).parent / "legkg")


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    s = SparqlServer(host="127.0.0.1", port=0, timeout=4.0, row_limit=10_000, workers=2, memory=160 << 20)
    s.start()
    yield s
    s.stop()


def _ask(url: str, query: str, method: str = "POST", timeout: float = 60) -> tuple[int, bytes, float]:
    if method == "POST":
        request = urllib.request.Request(url, data=query.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-query"})
    else:
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), method=method)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read(), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - start


def test_service_is_refused_unless_its_host_is_allowed(server: SparqlServer) -> None:
    with HostileServer() as canary:
        for query in (f"SELECT * WHERE {{ SERVICE <{canary.url('/x')}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ service silent <{canary.url('/y')}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ BIND(legkg:x\\# AS ?z) SERVICE <{canary.url('/z')}> {{ ?s ?p ?o }} }}"):
            status, body, _ = _ask(server.url, query)
            assert status == 403 and b"--allow-service-host" in body, body
        assert canary.requests == []
        allowed = SparqlServer(port=0, timeout=10.0, workers=1, allow_service_hosts=["127.0.0.1"])
        allowed.start()
        try:
            status, body, _ = _ask(allowed.url, f"SELECT * WHERE {{ SERVICE <{canary.url('/ok')}> {{ ?s ?p ?o }} }}",
                                   method="GET")
        finally:
            allowed.stop()
        assert status == 200 and b"CANARY-ANSWER" in body, body


def test_memory_limit_stops_a_query_and_says_which_limit() -> None:
    server = SparqlServer(port=0, timeout=120.0, workers=1, memory=128 << 20)  # time enough to reach the memory
    server.start()
    try:
        query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l"
        status, body, took = _ask(server.url, query, timeout=150)
        assert status == 503 and b"128 MiB memory limit" in body, body
        assert _ask(server.url, "ASK {}")[0] == 200
        deadline = time.monotonic() + 60
        while len(server.pool.quick.all) < 2 and time.monotonic() < deadline:  # its worker and a loaded spare
            time.sleep(0.1)
        quick = {w.process.pid for w in server.pool.quick.all}
        status, body, took = _ask(server.url, query, timeout=150)  # sent again: the heavy lane stops it
        assert status == 503 and b"128 MiB memory limit" in body, body
        assert {w.process.pid for w in server.pool.quick.all} == quick  # no quick worker was ended for it
    finally:
        server.stop()


def test_crashed_worker_is_reported_as_crashed(server: SparqlServer) -> None:
    status, body, took = _ask(server.url, "SELECT * WHERE " + "{" * 20000 + "}" * 20000)
    assert status in (400, 503) and b"limit" not in body, body
    if status == 503:
        assert b"crashed" in body, body
    assert _ask(server.url, "ASK {}")[0] == 200


def test_negative_content_length_is_refused(server: SparqlServer) -> None:
    with socket.create_connection((server.host, server.port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: -1\r\n\r\n" + b"#" * (1 << 20) + b"\nASK {}")
        answer = s.recv(300)
    assert answer.split(b"\r\n")[0] == b"HTTP/1.1 400 Bad Request", answer
    assert b"\r\nConnection: close\r\n" in answer, answer  # its body was not read: the connection cannot go on


def test_one_connection_carries_many_queries_until_a_body_is_left_unread(server: SparqlServer) -> None:
    import http.client
    import json

    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    answers, sockets = [], []
    for query in ("ASK { legkg:HerniatedDisc legkg:causes legkg:Sciatica }", "ASK { legkg:Sciatica legkg:causes ?x }"):
        conn.request("POST", "/sparql", body=query, headers={"Content-Type": "application/sparql-query"})
        response = conn.getresponse()
        answers.append((response.status, json.loads(response.read())["boolean"], response.will_close))
        sockets.append(conn.sock)
    conn.request("PUT", "/sparql", body=b"ASK {}")  # refused without reading its body
    response = conn.getresponse()
    refused = (response.status, response.read(), response.will_close)
    conn.close()
    assert answers == [(200, True, False), (200, False, False)] and sockets[0] is sockets[1], answers
    assert refused[0] == 405 and refused[2], refused


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "PUT", "OPTIONS"])
def test_refused_methods_name_themselves(server: SparqlServer, method: str) -> None:
    request = urllib.request.Request(server.url, data=b"x", method=method)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request, timeout=10)
    assert e.value.code == 405 and method.encode() in e.value.read() and e.value.headers["Allow"]


def test_head_is_answered_without_a_body(server: SparqlServer) -> None:
    request = urllib.request.Request(server.url + "?query=ASK%7B%7D", method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("application/sparql-results+json")
        assert r.read() == b""


def test_a_burst_of_connections_is_queued_not_reset(server: SparqlServer) -> None:
    results: list[tuple[int, float] | str] = []

    def one() -> None:
        try:
            status, _, took = _ask(server.url, "ASK { ?s ?p ?o }", method="GET", timeout=30)
            results.append((status, took))
        except OSError as e:
            results.append(f"{type(e).__name__}")

    threads = [threading.Thread(target=one) for _ in range(80)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(isinstance(r, tuple) and r[0] == 200 for r in results) and len(results) == 80, results


def test_a_cheap_query_does_not_wait_behind_heavy_ones(server: SparqlServer) -> None:
    heavy = [threading.Thread(target=_ask, args=(server.url, HEAVY)) for _ in range(20)]
    for t in heavy:
        t.start()
    time.sleep(1.5)
    status, body, took = _ask(server.url, "ASK {}")
    for t in heavy:
        t.join(120)
    assert status == 200 and took < 5.0, (status, body, took)  # it waited 40 s in a first-come queue


def test_web_pages_are_handed_to_the_web_module(server: SparqlServer, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def handle(method, path, query, headers):
        seen.append((method, path, query))
        return (200, {"Content-Type": "text/html; charset=utf-8"}, b"<p>page</p>") if path == "/term/x" else None

    web = types.ModuleType("legkg.publish.web")
    web.__spec__ = importlib.machinery.ModuleSpec("legkg.publish.web", None)
    web.handle = handle
    monkeypatch.setitem(sys.modules, "legkg.publish.web", web)
    base = server.url.removesuffix("/sparql")
    with urllib.request.urlopen(base + "/term/x?lang=en", timeout=10) as r:
        assert r.read() == b"<p>page</p>" and r.headers["Content-Type"].startswith("text/html")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(base + "/nothing", timeout=10)
    assert e.value.code == 404
    assert seen == [("GET", "/term/x", "lang=en"), ("GET", "/nothing", "")]


def test_ipv6_loopback() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        s = SparqlServer(host="::1", port=0, workers=1)
    except OSError as e:
        pytest.skip(f"no IPv6 loopback here: {e}")
    s.start()
    try:
        assert s.url.startswith("http://[::1]:")
        assert _ask(s.url, "ASK {}", method="GET")[0] == 200
    finally:
        s.stop()


def _start(*args: str) -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([LEGKG, "serve", "--port", str(port), *args], stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _ask(f"http://127.0.0.1:{port}/sparql", "ASK {}", method="GET", timeout=5)[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("serve did not start")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def test_hang_ups_and_ctrl_c_leave_no_traceback_and_no_workers() -> None:
    proc, port = _start()
    workers = _children(proc.pid)
    for _ in range(5):  # clients that hang up before the answer
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET /sparql?query=" + urllib.parse.quote(HEAVY).encode() + b" HTTP/1.0\r\n\r\n")
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and proc.returncode in (0, 130), err
    time.sleep(0.5)
    assert not [p for p in workers if os.path.exists(f"/proc/{p}") and _state(p) != "Z"], workers


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_sigterm_stops_serve_cleanly() -> None:
    proc, _ = _start()
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and proc.returncode == 0, err


@pytest.mark.parametrize("host,warned", [("", None), ("127.0.0.2", False)])
def test_host_values(host: str, warned: bool | None) -> None:
    if warned is None:
        result = subprocess.run([LEGKG, "serve", "--host", host], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "--host is empty" in result.stderr, result.stderr
        return
    from legkg.cli.serve import is_loopback

    assert is_loopback(host) and not is_loopback("0.0.0.0") and is_loopback("::1")
