"""The ``serve`` command: the embedded store as a read-only SPARQL endpoint.

Example:
    legkg serve --port 3030
"""

from __future__ import annotations

import click

from legkg.cli.common import Seconds, Settings
from legkg.core.errors import LegkgError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; loopback unless you mean to share it.")
@click.option("--port", type=click.IntRange(0, 65535), default=3030, show_default=True, help="Port (0: any free one).")
@click.option("--query-timeout", type=Seconds(), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop a query that runs longer than this (HTTP 503).")
@click.option("--row-limit", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Cut answers to this many rows (header X-Legkg-Warning says so).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Query worker processes.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, query_timeout: float, row_limit: int, workers: int) -> None:
    """Serve the ontology as a read-only SPARQL 1.1 Protocol endpoint (GET and POST at /sparql).

    Answers come in the W3C formats chosen by the Accept header (or a format
    parameter); updates are refused with 403.

    \b
    Example:
      legkg serve --port 3030
      curl -H 'Accept: text/csv' 'http://127.0.0.1:3030/sparql?query=SELECT+*+WHERE+{?s+?p+?o}+LIMIT+3'
    """
    from legkg.publish.serve import SparqlServer
    from legkg.store.local import load_store

    load_store(settings.ontology)  # fail early on a bad ontology, and warm the cache for the workers
    try:
        server = SparqlServer(host, port, settings.ontology, query_timeout, row_limit, workers)
    except OSError as e:
        raise LegkgError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}, reachable beyond this machine", err=True)
    click.echo(f"serving {server.url} (read-only; Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
