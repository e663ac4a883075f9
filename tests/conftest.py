"""Shared fixtures and helpers for the legkg test suite.

Every test runs with ``LEGKG_CACHE_DIR`` pointing at a session temporary
directory and without ``LEGKG_ONTOLOGY``, so nothing is written to
``~/.cache`` or the source tree and the bundled ontology is the default.
"""

from __future__ import annotations

import json
import os
import traceback
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sparql_servers
from click.testing import CliRunner

from legkg.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
DATA = TESTS / "data"
TINY = DATA / "tiny.ttl"
ONTOLOGY = REPO / "ontology" / "legkg-edit.owl"
QUERIES = REPO / "queries"
README = REPO / "README.md"

LEGKG = "https://w3id.org/legkg/"

# Real ontology IRIs used across the tests.
SCIATICA = LEGKG + "Sciatica"
PIRIFORMIS_SYNDROME = LEGKG + "PiriformisSyndrome"
PIRIFORMIS_MUSCLE = LEGKG + "PiriformisMuscle"
SCIATIC_NERVE = LEGKG + "SciaticNerve"
NUMBNESS = LEGKG + "Numbness"
TINGLING = LEGKG + "Tingling"

# Fixture ontology (tests/data/tiny.ttl) IRIs.
T = LEGKG
T_REGION = T + "GadgetRegion"
T_JOINT = T + "WidgetJoint"
T_NERVE = T + "WidgetNerve"
T_SPROCKET = T + "Sprocket"
T_ACHE = T + "TestAche"
T_SHARP_ACHE = T + "SharpTestAche"
T_CATEGORY = T + "TestCategory"
T_COND_A = T + "TestConditionA"
T_COND_B = T + "TestConditionB"
T_COND_C = T + "TestConditionC"
T_SQUEEZE = T + "Squeeze"
T_PINCH = T + "Pinch"


@pytest.fixture(scope="session", autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Send the derived-graph cache to a temporary directory for the whole session, and build the
    fixture ontology's inferences there once (as 'legkg --ontology tests/data/tiny.ttl build' would)."""
    from legkg.reasoning.build import build

    cache = tmp_path_factory.mktemp("legkg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEGKG_CACHE_DIR", str(cache))
        mp.delenv("LEGKG_ONTOLOGY", raising=False)
        build(TINY)
        yield cache


# When a SPARQL endpoint is set here (tests/test_competency_remote.py does), commands that can
# query a server are sent to it, so the same questions are asked of the embedded store and servers.
REMOTE_COMMANDS = {"conditions", "describe", "terms", "query", "sparql", "ask", "triage", "graph"}
endpoint: list[str] = []


def run(*args: str | os.PathLike[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr).

    An exception escaping the CLI (anything but SystemExit) fails the test with
    its traceback: the CLI promises one-line errors, never a traceback.
    """
    argv = [str(a) for a in args]
    if endpoint and argv and argv[0] in REMOTE_COMMANDS and "--ontology" not in argv:
        argv = ["--endpoint", endpoint[0], *argv]
    result = CliRunner().invoke(cli, argv, prog_name="legkg")
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
        pytest.fail(f"legkg {' '.join(map(str, args))} raised {exc!r}\n{tb}")
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Run the CLI with ``--format json`` already in ``args``; assert success; parse stdout."""
    code, out, err = run(*args)
    assert code == 0, f"legkg {' '.join(map(str, args))} exited {code}\nstdout: {out}\nstderr: {err}"
    data = json.loads(out)
    assert isinstance(data, list), out
    return data


def labels(rows: list[dict[str, Any]], key: str = "label") -> set[str]:
    """The set of one column's values."""
    return {str(r[key]) for r in rows}


# -- SPARQL servers, each started once per session and loaded with the published graph -------------

PUBLISHED_GRAPH = LEGKG + "graph"  # where servers whose default graph is a union (Virtuoso) hold it


@pytest.fixture(scope="session")
def published_nt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published graph as ``legkg export --format nt`` writes it."""
    path = tmp_path_factory.mktemp("published") / "legkg.nt"
    code, _, err = run("export", "--format", "nt", "--output", path)
    assert code == 0, err
    return path


@pytest.fixture(scope="session")
def fuseki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty Fuseki dataset shared by the session; yields its dataset URL."""
    with sparql_servers.running_fuseki(tmp_path_factory.mktemp("fuseki")) as url:
        yield url


@pytest.fixture(scope="session")
def pushed(fuseki: str) -> str:
    """The Fuseki dataset URL, its default graph holding the published graph (sent by ``legkg push``)."""
    code, out, err = run("push", fuseki)
    assert code == 0, err
    return fuseki


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Oxigraph server, loaded by ``legkg push`` at its root URL; yields that URL."""
    with sparql_servers.running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        code, out, err = run("--server", "oxigraph", "push", server.url)
        assert code == 0, err
        yield server.url + "/query"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, published_nt: Path) -> Iterator[str]:
    """Virtuoso 7, its named graph loaded by ``legkg push`` with digest auth; yields the query URL reading it."""
    with sparql_servers.running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server, \
            pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEGKG_ENDPOINT_PASSWORD", sparql_servers.VIRTUOSO_PASSWORD)
        code, out, err = run("--server", "virtuoso", "--user", "dba", "--auth", "digest", "push", server.url,
                             "--graph", PUBLISHED_GRAPH)
        assert code == 0, err
        mp.delenv("LEGKG_ENDPOINT_PASSWORD")
        yield f"{server.url}/sparql?default-graph-uri={urllib.parse.quote(PUBLISHED_GRAPH, safe='')}"


@pytest.fixture(scope="session")
def rdflib_endpoint(tmp_path_factory: pytest.TempPathFactory, published_nt: Path) -> Iterator[str]:
    """rdflib-endpoint serving the exported published graph; yields its root URL."""
    with sparql_servers.running_rdflib_endpoint(tmp_path_factory.mktemp("rdflib-endpoint"), published_nt) as s:
        yield s.url


@pytest.fixture(scope="session")
def comunica(tmp_path_factory: pytest.TempPathFactory, published_nt: Path) -> Iterator[str]:
    """Comunica's SPARQL endpoint over the exported published graph; yields its query URL."""
    with sparql_servers.running_comunica(tmp_path_factory.mktemp("comunica"), published_nt) as server:
        yield server.url


@pytest.fixture
def tiny() -> Path:
    """Path to the purpose-built fixture ontology."""
    return TINY
