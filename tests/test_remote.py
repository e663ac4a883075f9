"""legkg against SPARQL servers: a real Apache Jena Fuseki, and fault-injecting stubs.

The Fuseki jar comes from Maven Central through ``.ci/fetch-fuseki.sh`` (cached in
``$LEGKG_TOOLS_DIR`` or ``~/.cache/legkg-tools``). Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import email.utils
import io
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run
from sparql_servers import free_port, running_fuseki

from legkg.core.errors import QueryFailed
from legkg.store.local import load_store
from legkg.store.pushing import push
from legkg.store.remote import RemoteBackend, query_kind, service_urls, with_prologue

pytestmark = pytest.mark.server

OK_JSON = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"ok"}}]}}'
ASK_X = "SELECT ?x WHERE { ?x ?p ?o }"


def triples() -> int:
    store = load_store()  # push sends the default graph: what queries see
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


# -- push ----------------------------------------------------------------------------------------

def test_push_verifies_and_replaces(fuseki: str) -> None:
    n = triples()
    for _ in range(2):  # a second push replaces the graph, it does not add to it
        code, out, err = run("push", fuseki)
        assert (code, err) == (0, "")
        assert out == f"pushed {n} triples to the default graph (verified)\n"
    assert RemoteBackend(fuseki).count() == n


def test_push_named_graph_replaces(fuseki: str) -> None:
    graph = "https://w3id.org/legkg/test-graph"
    n = triples()
    for _ in range(2):
        code, out, err = run("--store-url", f"{fuseki}/data", "push", f"{fuseki}/query", "--graph", graph)
        assert code == 0, err
        assert out == f"pushed {n} triples to <{graph}> (verified)\n"
    assert RemoteBackend(f"{fuseki}/query").count(graph) == n


def test_push_by_sparql_update(fuseki: str) -> None:
    graph = "urn:legkg:update-test"
    remote = RemoteBackend(fuseki)
    for _ in range(2):
        assert push(remote, load_store(), graph, gsp=False) == (triples(), "sparql update")
    assert remote.count(graph) == triples()


def test_push_bad_graph_is_misuse(fuseki: str) -> None:
    code, _, err = run("push", fuseki, "--graph", "not an iri")
    assert code == 2 and "--graph must be an absolute IRI" in err


# -- the same answers as the embedded store ---------------------------------------------------------

PARAMS = {
    "aggravating-situations": ["condition", "sciatica"], "anatomy-of": ["condition", "sciatica"],
    "care-options": ["condition", "sciatica"], "causes-of": ["condition", "sciatica"],
    "conditions-by-anatomy": ["anatomy", "hip"], "conditions-by-category": ["category", "musculoskeletal"],
    "conditions-by-frequency": ["frequency", "common"], "conditions-by-mechanism": ["mechanism", "cartilage wear"],
    "conditions-by-situation": ["situation", "climbing stairs"], "conditions-by-symptom": ["symptom", "numbness"],
    "effects-of": ["cause", "sciatica"], "impaired-activities": ["condition", "sciatica"],
    "kinds-of": ["entity", "condition"], "location-of": ["entity", "numbness"],
    "mechanisms-of": ["condition", "sciatica"], "parts-of": ["anatomy", "hip"],
    "relieving-situations": ["condition", "sciatica"], "symptoms-of": ["condition", "sciatica"],
    "urgency-of": ["sign", "inability to bear weight"], "facts-of": ["entity", "groin numbness"],
    "facts-about": ["entity", "sitting"], "kind-of": ["entity", "sciatica"],
}


def canned() -> list[list[str]]:
    from legkg.store.queries import all_queries

    cases = []
    for q in all_queries():
        args = ["query", "run", q.name]
        if q.name == "conditions-by-anatomy-and-symptom":
            args += ["-p", "anatomy", "sciatic nerve", "-p", "symptom", "numbness"]
        elif q.params:
            args += ["-p", *PARAMS[q.name]]
        cases.append(args + ["--format", "json"])
    return cases


COMMANDS = [
    ["conditions", "--format", "json"],
    ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "--format", "json"],
    ["conditions", "--anatomy", "hip", "--format", "json"],
    ["conditions", "--symptom", "pins and needles", "--format", "json"],
    ["conditions", "--mechanism", "nerve compression", "--format", "json"],
    ["conditions", "--category", "musculoskeletal", "--format", "json"],
    ["conditions", "-a", "lower back", "-s", "weakness", "-c", "nerve-related or spinal cause", "-f", "json"],
    ["describe", "sciatica", "--format", "json"],
    ["describe", "legkg:SciaticNerve", "--format", "json"],
    ["describe", "pins and needles"],
    ["terms", "--format", "json"],
    ["terms", "numb", "--format", "json"],
    ["terms", "--kind", "symptom", "--format", "csv"],
    ["sparql", "SELECT ?c ?l WHERE { ?c legkg:affects legkg:SciaticNerve ; rdfs:label ?l } ORDER BY ?c"],
    ["sparql", "ASK { legkg:Sciatica legkg:affects legkg:SciaticNerve }"],
    *canned(),
]


def comparable(args: list[str], result: tuple[int, str, str]) -> tuple:
    """The result, with the synonyms of ``terms`` as a sorted list.

    ``terms`` lists synonyms in the order the term-index query returns them, which
    has no ORDER BY: any order is right, and servers differ.
    """
    if args[0] != "terms" or result[0] != 0:
        return result
    rows = json.loads(result[1]) if "json" in args else list(csv.DictReader(io.StringIO(result[1])))
    for r in rows:
        r["synonyms"] = sorted(filter(None, r["synonyms"].split("; ")))
    return result[0], rows, result[2]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:3]) for a in COMMANDS])
def test_same_output_as_embedded_store(pushed: str, args: list[str]) -> None:
    local = run(*args)
    remote = run("--endpoint", pushed, *args)
    assert local[0] == 0, local[2]
    assert comparable(args, remote) == comparable(args, local)


@pytest.mark.parametrize("args", [
    ["conditions", "--symptom", "numbnes"],
    ["describe", "no such thing at all"],
    ["query", "run", "conditions-by-anatomy", "-p", "anatomy", "numbness"],
    ["query", "run", "red-flags", "-p", "x", "y"],
])
def test_same_errors_as_embedded_store(pushed: str, args: list[str]) -> None:
    local = run(*args)
    assert local[0] != 0 and local[2].startswith("Error: ")
    assert run("--endpoint", pushed, *args) == local


def test_unknown_term_suggestion_remote(pushed: str) -> None:
    code, _, err = run("--endpoint", pushed, "conditions", "--symptom", "numbnes")
    assert code == 1 and "did you mean 'numbness'" in err


@pytest.mark.parametrize("fmt", ["ttl", "nt", "xml", "jsonld"])
def test_construct_same_graph(pushed: str, fmt: str) -> None:
    query = "CONSTRUCT { ?c legkg:affects legkg:SciaticNerve } WHERE { ?c legkg:affects legkg:SciaticNerve }"
    local, remote = run("sparql", query, "-f", fmt), run("--endpoint", pushed, "sparql", query, "-f", fmt)
    assert local[0] == remote[0] == 0, remote[2]
    syntax = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
              "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    graphs = [set(ox.parse(out.encode(), format=syntax)) for _, out, _ in (local, remote)]
    assert graphs[0] == graphs[1] and len(graphs[0]) >= 2


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_formats(pushed: str, fmt: str) -> None:
    code, out, err = run("--endpoint", pushed, "sparql", "SELECT ?l WHERE { legkg:Sciatica rdfs:label ?l }",
                         "-f", fmt)
    assert code == 0, err
    assert "sciatica" in out


def test_query_with_own_prefix_declaration(pushed: str) -> None:
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?l WHERE { legkg:Sciatica rdfs:label ?l }"
    code, out, err = run("--endpoint", pushed, "sparql", query)
    assert code == 0, err
    assert "sciatica" in out


def test_bad_query_and_wrong_format(pushed: str) -> None:
    code, _, err = run("--endpoint", pushed, "sparql", "SELECT ?x WHERE { ?x ?p }")
    assert code == 1 and "rejected the request (HTTP 400)" in err
    code, _, err = run("--endpoint", pushed, "sparql", "ASK { ?s ?p ?o }", "-f", "ttl")
    assert code == 2 and "does not fit a ASK result" in err
    code, _, err = run("--endpoint", pushed, "sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert code == 2 and "updates are refused" in err


def test_endpoint_url_forms(pushed: str) -> None:
    for url in (pushed, pushed + "/", pushed + "/query", pushed + "/sparql"):
        code, out, err = run("--endpoint", url, "terms", "numb", "-f", "csv")
        assert code == 0, (url, err)
    code, out, err = run("--server", "fuseki", "--endpoint", pushed, "terms", "numb", "-f", "csv")
    assert code == 0, err


@pytest.mark.parametrize(("url", "server", "expected"), [
    ("http://h:8000/", "generic", ("http://h:8000/", "http://h:8000/", "http://h:8000/")),
    ("http://h/repositories/kb?infer=false", "generic", ("http://h/repositories/kb?infer=false",) * 3),
    ("http://h:3030/ds", "fuseki", ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data")),
    ("http://h:3030/ds/query", "fuseki", ("http://h:3030/ds/query", "http://h:3030/ds/update",
                                          "http://h:3030/ds/data")),
    ("http://h:7878", "oxigraph", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:8890", "virtuoso", ("http://h:8890/sparql", "http://h:8890/sparql-auth",
                                   "http://h:8890/sparql-graph-crud-auth")),
    ("http://h/repositories/kb", "graphdb", ("http://h/repositories/kb", "http://h/repositories/kb/statements",
                                             "http://h/repositories/kb/rdf-graphs/service")),
    ("http://h/bigdata/namespace/kb", "blazegraph", ("http://h/bigdata/namespace/kb/sparql",
                                                     "http://h/bigdata/namespace/kb/sparql", None)),
])
def test_service_urls(url: str, server: str, expected: tuple) -> None:
    """The query URL is used as given; --server fills in the usual update and store URLs."""
    got = service_urls(url, server)
    assert (got.query, got.update, got.data) == expected


def test_endpoint_options_after_the_command(pushed: str) -> None:
    before = run("--endpoint", pushed, "terms", "numb", "-f", "csv")
    assert before[0] == 0, before[2]
    assert run("terms", "numb", "-f", "csv", "--endpoint", pushed) == before
    assert run("terms", "numb", "--endpoint=" + pushed, "-f", "csv") == before


def test_asserted_and_with_are_refused_remotely(pushed: str) -> None:
    code, _, err = run("--endpoint", pushed, "--asserted", "conditions")
    assert code == 2 and "--asserted works on the embedded store only" in err
    code, _, err = run("--endpoint", pushed, "--with", "hpo", "conditions")
    assert code == 2 and "--with works on the embedded store only" in err


# -- fault injection ---------------------------------------------------------------------------

class Stub:
    """A scripted HTTP server on 127.0.0.1: each request takes the next step (the last repeats)."""

    def __init__(self, steps: list[tuple]) -> None:
        self.steps, self.requests = steps, []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stub.requests.append((self.command, self.path, dict(self.headers), body))
                step = stub.steps[min(len(stub.requests), len(stub.steps)) - 1]
                if callable(step):
                    step = step(self.headers, body)
                status, headers, payload, *extra = step
                if extra and extra[0] == "slow":
                    time.sleep(extra[1])
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                declared = len(payload) + (500 if extra and extra[0] == "truncate" else 0)
                self.send_header("Content-Length", str(declared))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(payload)
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ds"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


JSON = {"Content-Type": "application/sparql-results+json"}


def ok() -> tuple:
    return (200, JSON, OK_JSON)


@pytest.mark.parametrize("steps, code, message, requests", [
    ([(429, {"Retry-After": "0"}, b"slow down"), ok()], 0, None, 2),
    ([(503, {}, b"busy"), ok()], 0, None, 2),
    ([(503, {"Retry-After": email.utils.formatdate(time.time() + 1, usegmt=True)}, b""), ok()], 0, None, 2),
    ([(500, {"Content-Type": "text/plain"}, b"java.lang.NullPointerException")], 1,
     "failed (HTTP 500 Internal Server Error): java.lang.NullPointerException", 1),
    ([(429, {"Retry-After": "3600"}, b"")], 1, "busy (HTTP 429); it asks to retry after 3600 s", 1),
    ([(200, {"Content-Type": "text/html"}, b"<html><body>Welcome</body></html>")], 1,
     "answered with an HTML page, not SPARQL results", 1),
    ([(200, JSON, OK_JSON[:40], "truncate")], 1, "truncated answer from", 1),
    ([(200, JSON, OK_JSON[:40])], 1, "truncated answer from", 1),
    ([(200, {"Content-Type": "text/plain"}, b"hello")], 1, "sent malformed or truncated SPARQL results", 1),
    ([(404, {}, b"")], 1, "no SPARQL service at", 1),
    ([(401, {}, b"")], 1, "refused access (HTTP 401); give --user NAME and set $LEGKG_ENDPOINT_PASSWORD", 1),
    ([(403, {}, b"")], 1, "refused access (HTTP 403)", 1),
])
def test_faults(steps: list, code: int, message: str | None, requests: int) -> None:
    with Stub(steps) as stub:
        got, out, err = run("--endpoint", stub.url, "sparql", ASK_X, "-f", "json")
        if message is None:
            assert got == 0, err
            assert '"ok"' in out
        else:
            assert got == code and err.startswith("Error: ") and err.count("\n") == 1, err
            assert message in err
        assert len(stub.requests) == requests


def test_select_truncated_json() -> None:
    with Stub([(200, JSON, OK_JSON[:50])]) as stub:
        code, _, err = run("--endpoint", stub.url, "conditions")
    assert code == 1 and "truncated answer" in err and "JSON results end early" in err


def test_retries_are_bounded() -> None:
    with Stub([(503, {}, b"busy")]) as stub:
        backend = RemoteBackend(stub.url, retries=3, backoff=0.01)
        with pytest.raises(Exception, match=r"busy \(HTTP 503\); gave up after 4 attempts"):
            backend.select(ASK_X)
    assert len(stub.requests) == 4


def test_slow_server_times_out() -> None:
    with Stub([(200, JSON, OK_JSON, "slow", 2.0)]) as stub:
        start = time.monotonic()
        code, _, err = run("--endpoint", stub.url, "--timeout", "0.3", "sparql", ASK_X)
        elapsed = time.monotonic() - start
    assert code == 1 and "no answer from" in err and "within 0.3 s" in err
    assert elapsed < 1.9 and len(stub.requests) == 1


def test_connection_refused() -> None:
    code, _, err = run("--endpoint", f"http://127.0.0.1:{free_port()}/ds", "conditions")
    assert code == 1
    assert "connection refused; is the SPARQL server running?" in err


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    code, _, err = run("--endpoint", "http://sparql.invalid/ds", "conditions")
    assert code == 1 and "cannot find the host 'sparql.invalid'" in err


def test_query_kind_and_prologue() -> None:
    text = "# title: Movements\n# DROP it\nPREFIX ex: <urn:ex#>\nSELECT ?x WHERE { ?x <urn:a#b> '# INSERT' }"
    assert query_kind(text) == "select"
    assert query_kind("DESCRIBE <urn:x>") == query_kind("base <urn:b> CONSTRUCT WHERE {}") == "graph"
    with pytest.raises(QueryFailed, match="expected SELECT, ASK, CONSTRUCT or DESCRIBE"):
        query_kind("# SELECT\nhello")
    once = with_prologue("PREFIX rdfs: <urn:mine#>\nASK {}")
    assert once.count("PREFIX rdfs:") == 1 and "PREFIX legkg: <https://w3id.org/legkg/>" in once


def test_ontology_with_endpoint_is_misuse(tmp_path: Path) -> None:
    code, _, err = run("--ontology", tmp_path / "x.owl", "--endpoint", "http://127.0.0.1:9/ds", "conditions")
    assert code == 2 and "--ontology and --endpoint exclude each other" in err


def test_bad_endpoint_url_is_misuse() -> None:
    for url in ("ftp://x/ds", "not a url", "http://u:secret@127.0.0.1/ds"):
        code, _, err = run("--endpoint", url, "conditions")
        assert code == 2, err
        assert "secret" not in err


# -- auth ----------------------------------------------------------------------------------------

def checks_auth(user: str, password: str):
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def step(headers, body) -> tuple:
        return ok() if headers.get("Authorization") == expected else (401, {}, b"")

    return step


def test_password_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_ENDPOINT_PASSWORD", "s3cr3t:with colon")
    with Stub([checks_auth("alice", "s3cr3t:with colon")]) as stub:
        code, out, err = run("--endpoint", stub.url, "--user", "alice", "--user-agent", "legkg-test/1",
                             "sparql", ASK_X, "-f", "json")
        assert code == 0, err
        assert stub.requests[0][2]["User-Agent"] == "legkg-test/1"
        monkeypatch.setenv("LEGKG_ENDPOINT_PASSWORD", "wrong")
        code, _, err = run("--endpoint", stub.url, "--user", "alice", "sparql", ASK_X)
        assert code == 1 and "refused the credentials (HTTP 401); check --user" in err
        assert "wrong" not in err


def test_basic_auth_on_fuseki(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "passwd").write_text("alice: s3cret\n")
    with running_fuseki(tmp_path, "--passwd", str(tmp_path / "passwd"), "--auth", "basic") as url:
        monkeypatch.setenv("LEGKG_ENDPOINT_PASSWORD", "s3cret")
        code, out, err = run("--user", "alice", "push", url)
        assert code == 0 and "(verified)" in out, err
        code, out, err = run("--endpoint", url, "--user", "alice", "terms", "numb", "-f", "csv")
        assert code == 0 and "numbness" in out, err
        monkeypatch.setenv("LEGKG_ENDPOINT_PASSWORD", "wrong")
        code, _, err = run("--endpoint", url, "--user", "alice", "terms", "numb")
        assert code == 1 and "refused the credentials (HTTP 401)" in err
        code, _, err = run("--endpoint", url, "terms", "numb")
        assert code == 1 and "give --user NAME" in err


def test_user_without_password_is_misuse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEGKG_ENDPOINT_PASSWORD", raising=False)
    code, _, err = run("--endpoint", "http://127.0.0.1:9/ds", "--user", "alice", "conditions")
    assert code == 2 and "LEGKG_ENDPOINT_PASSWORD" in err
    code, _, err = run("--endpoint", "http://127.0.0.1:9/ds", "--password", "x", "conditions")
    assert code == 2


def test_push_falls_back_to_sparql_update() -> None:
    count = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
        "type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": str(triples())}}]}})
    steps = [(405, {}, b"no GSP here"), (204, {}, b""), (204, {}, b""), (200, JSON, count.encode())]
    with Stub(steps) as stub:
        code, out, err = run("--server", "fuseki", "push", stub.url, "--graph", "urn:g")
    assert code == 0, err
    assert out == f"pushed {triples()} triples to <urn:g> (verified)\n"
    (m1, p1, _, _), (m2, p2, _, b2), (m3, p3, _, b3), (m4, p4, _, _) = stub.requests
    assert (m1, p1) == ("PUT", "/ds/data?graph=urn%3Ag")
    assert (m2, p2) == ("POST", "/ds/update") and b2 == b"update=DROP+SILENT+GRAPH+%3Curn%3Ag%3E"
    assert (m3, p3) == ("POST", "/ds/update") and b3.startswith(b"update=INSERT+%7B+GRAPH+%3Curn%3Ag%3E")
    assert (m4, p4) == ("POST", "/ds/query")


def test_push_count_mismatch_fails() -> None:
    count = OK_JSON.replace(b'"x"', b'"n"').replace(b'"ok"', b'"7"')
    with Stub([(204, {}, b""), (200, JSON, count), (204, {}, b"")]) as stub:
        code, _, err = run("push", stub.url)
    assert code == 1 and f"push not verified: sent {triples()} triples but the default graph" in err
    method, path, _, body = stub.requests[-1]  # a failed push removes what it wrote
    assert (method, path) == ("DELETE", "/ds?default")
