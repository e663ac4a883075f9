"""Each of the five SPARQL servers starts on 127.0.0.1 and holds exactly the published graph."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

SERVERS = ["pushed", "oxigraph", "virtuoso", "rdflib_endpoint", "comunica"]


def query_url(url: str) -> str:
    """The query service below a dataset URL (Fuseki's /ds, Oxigraph's root answers /query too)."""
    path = urllib.parse.urlsplit(url).path
    return url if path.endswith(("/sparql", "/", "/query")) or "/sparql?" in url else url + "/query"


@pytest.mark.parametrize("name", SERVERS)
def test_server_holds_the_published_graph(name: str, request: pytest.FixtureRequest, published_nt: Path) -> None:
    url = request.getfixturevalue(name)
    expected = sum(1 for line in published_nt.read_bytes().splitlines() if line.strip())
    body = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).encode()
    req = urllib.request.Request(query_url(url), data=body, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        data = json.loads(resp.read())
    assert int(data["results"]["bindings"][0]["n"]["value"]) == expected
