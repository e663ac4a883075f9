"""The whole competency suite again, asked of SPARQL servers: `legkg serve` and five independent servers.

Every question of tests/test_competency.py runs with ``--endpoint`` pointing at each
server and must give the same answers as the embedded store. Fuseki, Oxigraph and
Virtuoso are loaded by ``legkg push``; rdflib-endpoint and Comunica serve the file
``legkg export`` writes.
"""

from __future__ import annotations

from collections.abc import Iterator

import conftest
import pytest
from test_competency import *  # noqa: F403 - the same questions, collected again here

from legkg.publish.serve import SparqlServer

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`legkg serve` on a free port, for this module."""
    server = SparqlServer(host="127.0.0.1", port=0, timeout=30.0, row_limit=1_000_000, workers=2)
    server.start()
    yield server.url
    server.stop()


SERVERS = {"serve": "served", "fuseki": "pushed", "oxigraph": "oxigraph", "virtuoso": "virtuoso",
           "rdflib-endpoint": "rdflib_endpoint", "comunica": "comunica"}


@pytest.fixture(autouse=True, scope="module", params=list(SERVERS))
def remote_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Send every remote-capable command of the competency tests to one server."""
    url = request.getfixturevalue(SERVERS[request.param])
    conftest.endpoint[:] = [url]
    yield request.param
    conftest.endpoint.clear()


def test_questions_really_go_to_the_server(remote_backend: str) -> None:
    """With the endpoint pointed at a closed port, the same helper must fail to connect."""
    saved = list(conftest.endpoint)
    conftest.endpoint[:] = [f"http://127.0.0.1:{conftest_free_port()}/sparql"]
    try:
        code, _, err = conftest.run("conditions", "--symptom", "numbness")
    finally:
        conftest.endpoint[:] = saved
    assert code == 1 and "cannot connect" in err, err


def conftest_free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
