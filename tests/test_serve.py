"""`legkg serve`: a read-only SPARQL 1.1 Protocol endpoint over the embedded store, queried for real over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli
from legkg.publish.serve import SparqlServer

pytestmark = pytest.mark.server
AFFECTS_SCIATIC = "SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve } ORDER BY ?c"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    s = SparqlServer(host="127.0.0.1", port=0, timeout=3.0, row_limit=100_000, workers=2)
    s.start()
    yield s
    s.stop()


def _get(server: SparqlServer, query: str, accept: str = "", **params: str) -> tuple[int, dict, bytes]:
    url = server.url + "?" + urllib.parse.urlencode({"query": query, **params})
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    return _send(request)


def _send(request: urllib.request.Request) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_get_json_results(server: SparqlServer) -> None:
    status, headers, body = _get(server, AFFECTS_SCIATIC)
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json", body
    values = [b["c"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert values == ["https://w3id.org/legkg/PiriformisSyndrome", "https://w3id.org/legkg/Sciatica"], body


@pytest.mark.parametrize(("accept", "media", "first_line"), [
    ("text/csv", "text/csv", "c"),
    ("text/tab-separated-values", "text/tab-separated-values", "?c"),
    ("application/sparql-results+xml", "application/sparql-results+xml", '<?xml version="1.0"?>'),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv", "c"),
])
def test_content_negotiation(server: SparqlServer, accept: str, media: str, first_line: str) -> None:
    status, headers, body = _get(server, AFFECTS_SCIATIC, accept)
    assert status == 200 and headers["Content-Type"].startswith(media), (headers, body)
    text = body.decode()
    assert text.splitlines()[0].startswith(first_line) and "PiriformisSyndrome" in text, text


def test_post_form_and_sparql_query_bodies(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": "ASK { legkg:Sciatica legkg:affects legkg:SciaticNerve }"}).encode()
    status, _, body = _send(urllib.request.Request(server.url, data=form, method="POST"))
    assert status == 200 and json.loads(body)["boolean"] is True, body
    direct = urllib.request.Request(server.url, data=AFFECTS_SCIATIC.encode(), method="POST",
                                    headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    status, _, body = _send(direct)
    assert status == 200 and body.decode().count("\n") == 3, body


def test_construct_gives_turtle(server: SparqlServer) -> None:
    status, headers, body = _get(server, "CONSTRUCT { legkg:Sciatica ?p ?o } WHERE { legkg:Sciatica ?p ?o }")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle"), headers
    assert b"legkg:SciaticNerve" in body or b"<https://w3id.org/legkg/SciaticNerve>" in body, body


@pytest.mark.parametrize("how", ["form", "media-type", "put"])
def test_updates_are_refused(server: SparqlServer, how: str) -> None:
    if how == "form":
        request = urllib.request.Request(server.url, data=b"update=DROP+ALL", method="POST")
    elif how == "media-type":
        request = urllib.request.Request(server.url, data=b"DROP ALL", method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
    else:
        request = urllib.request.Request(server.url, data=b"<a:b> <a:b> <a:b> .", method="PUT")
    status, _, body = _send(request)
    assert status in (403, 405) and b"refused" in body, body
    status, _, body = _get(server, "ASK { legkg:Sciatica ?p ?o }")
    assert json.loads(body)["boolean"] is True  # nothing was dropped


def test_row_limit_cuts_with_a_warning() -> None:
    small = SparqlServer(host="127.0.0.1", port=0, timeout=5.0, row_limit=50, workers=1)
    small.start()
    try:
        status, headers, body = _get(small, "SELECT ?s WHERE { ?s ?p ?o }")
        assert status == 200 and headers.get("X-Legkg-Warning") == "rows cut to 50", headers
        assert len(json.loads(body)["results"]["bindings"]) == 50
        status, headers, body = _get(small, AFFECTS_SCIATIC)
        assert "X-Legkg-Warning" not in headers and len(json.loads(body)["results"]["bindings"]) == 2
    finally:
        small.stop()


def test_slow_query_is_stopped_and_the_server_recovers(server: SparqlServer) -> None:
    status, _, body = _get(server, SLOW)
    assert status == 503 and b"over the 3 s limit" in body, body
    status, _, body = _get(server, AFFECTS_SCIATIC)
    assert status == 200 and b"Sciatica" in body, body


@pytest.mark.parametrize(("query", "status", "text"), [
    ("SELECT ?x WHERE {", 400, "invalid SPARQL query"),
    ("", 400, "missing 'query'"),
])
def test_bad_queries(server: SparqlServer, query: str, status: int, text: str) -> None:
    got, _, body = _get(server, query) if query else _send(urllib.request.Request(server.url))
    assert got == status and text in body.decode(), body


def test_unknown_path_is_404(server: SparqlServer) -> None:
    status, _, _ = _send(urllib.request.Request(server.url.replace("/sparql", "/admin")))
    assert status == 404


@pytest.mark.parametrize("args", [
    ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness"],
    ["conditions", "--category", "musculoskeletal"],
    ["describe", "sciatica"],
    ["query", "run", "red-flags"],
    ["query", "run", "aggravating-situations", "-p", "condition", "spinal stenosis"],
    ["terms", "--kind", "symptom"],
])
def test_serve_answers_like_the_embedded_store(server: SparqlServer, args: list[str]) -> None:
    runner = CliRunner()
    local = runner.invoke(cli, [*args, "--format", "json"])
    remote = runner.invoke(cli, ["--endpoint", server.url, *args, "--format", "json"])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731 - order-free comparison
    assert sorted(json.loads(remote.stdout), key=key) == sorted(json.loads(local.stdout), key=key)
