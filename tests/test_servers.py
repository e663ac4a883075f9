"""Each of the five SPARQL servers starts on 127.0.0.1 and holds exactly the published graph."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run

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


ALL = [*SERVERS]


@pytest.mark.parametrize("name", ALL)
def test_endpoint_check_finds_the_current_graph(name: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(name)
    code, out, err = run("endpoint", "check", url, "-f", "json")
    assert code == 0, err
    rows = {r["check"]: r for r in json.loads(out)}
    assert rows["query"]["result"] == "ok"
    assert rows["published graph"]["detail"].startswith("current: legkg 2026-11-23 with "), out


def test_endpoint_check_reports_a_missing_graph(pushed: str) -> None:
    code, out, err = run("endpoint", "check", f"{pushed}/query?default-graph-uri=urn%3Aempty", "-f", "json")
    assert code == 1 and "no legkg version triples" in err and "expected legkg 2026-11-23" in err, err


QUERIES = [
    (["sparql", "SELECT ?c ?l WHERE { ?c legkg:affects legkg:SciaticNerve ; rdfs:label ?l } ORDER BY ?c"], "table"),
    (["sparql", "SELECT ?c ?l WHERE { ?c legkg:affects legkg:SciaticNerve ; rdfs:label ?l } ORDER BY ?c"], "csv"),
    (["sparql", "SELECT ?c ?l WHERE { ?c legkg:affects legkg:SciaticNerve ; rdfs:label ?l } ORDER BY ?c"], "tsv"),
    (["sparql", "ASK { legkg:Sciatica legkg:affects legkg:SciaticNerve }"], "table"),
    (["conditions"], "json"),
    (["terms", "numb"], "json"),
]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(("args", "fmt"), QUERIES, ids=[f"{a[0]}-{f}-{i}" for i, (a, f) in enumerate(QUERIES)])
def test_same_answers_in_every_format(name: str, args: list[str], fmt: str, request: pytest.FixtureRequest) -> None:
    """Whatever results format a server answers in, legkg writes the embedded store's answer."""
    url = request.getfixturevalue(name)
    local = run(*args, "-f", fmt)
    assert local[0] == 0, local[2]
    assert run("--endpoint", url, *args, "-f", fmt) == local


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_blank_nodes_from_any_server(name: str, fmt: str, request: pytest.FixtureRequest) -> None:
    """Blank nodes in any server's form (Virtuoso's nodeID://) come back as valid blank nodes."""
    url = request.getfixturevalue(name)
    query = "SELECT ?o WHERE { legkg:Sciatica rdfs:subClassOf ?o FILTER isBlank(?o) }"
    code, out, err = run("--endpoint", url, "sparql", query, "-f", fmt)
    assert code == 0, err
    local = run("sparql", query, "-f", fmt)[1]
    parsed = [list(ox.parse_query_results(text.encode(), format=getattr(ox.QueryResultsFormat, fmt.upper())))
              for text in (out, local)]
    assert len(parsed[0]) == len(parsed[1]) > 0


@pytest.mark.parametrize("name", ALL)
def test_construct_from_any_server(name: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(name)
    query = "CONSTRUCT { ?c legkg:affects legkg:SciaticNerve } WHERE { ?c legkg:affects legkg:SciaticNerve }"
    code, out, err = run("--endpoint", url, "sparql", query, "-f", "nt")
    assert code == 0, err
    assert set(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES)) == set(
        ox.parse(run("sparql", query, "-f", "nt")[1].encode(), format=ox.RdfFormat.N_TRIPLES))


def test_chunked_push_keeps_blank_nodes(fuseki: str) -> None:
    """A push in many small chunks holds the same graph: blank-node clusters travel together."""
    from legkg.store.local import load_store
    from legkg.store.pushing import push
    from legkg.store.remote import RemoteBackend

    graph = "urn:legkg:chunked"
    remote = RemoteBackend(fuseki, server="fuseki")
    store = load_store()
    for gsp in (True, False):
        assert push(remote, store, graph, gsp=gsp, chunk=500)[0] == remote.count(graph)
        query = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?ax a owl:Axiom ; owl:annotatedSource ?s ; "
                 "legkg:sourceSentence ?q } }")
        local = "SELECT (COUNT(*) AS ?n) WHERE { ?ax a owl:Axiom ; owl:annotatedSource ?s ; legkg:sourceSentence ?q }"
        assert remote.select(query)[0]["n"].value == run("sparql", local, "-f", "csv")[1].split()[1]
