"""The ``serve`` command: the embedded store as a read-only SPARQL endpoint.

Example:
    legkg serve --port 3030
"""

from __future__ import annotations

import click

from legkg.cli.common import Seconds, Settings
from legkg.core.errors import LegkgError, Misuse


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost).

    Example:
        >>> is_loopback("127.0.0.2"), is_loopback("0.0.0.0")
        (True, False)
    """
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (IPv4 or IPv6); loopback unless you mean to share it.")
@click.option("--port", type=click.IntRange(0, 65535), default=3030, show_default=True, help="Port (0: any free one).")
@click.option("--query-timeout", type=Seconds(), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop a query that runs longer than this (HTTP 503).")
@click.option("--query-memory", type=click.IntRange(min=64), default=256, show_default=True, metavar="MIB",
              help="Stop a query whose worker holds more memory than this (HTTP 503).")
@click.option("--row-limit", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Cut answers to this many rows (header X-Legkg-Warning says so).")
@click.option("--workers", type=click.IntRange(1, 32), default=3, show_default=True,
              help="Query worker processes for quick queries.")
@click.option("--heavy-workers", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Query worker processes for queries that outlast the quick lane's 0.5 s.")
@click.option("--allow-service-host", "service_hosts", multiple=True, metavar="HOST",
              help="Let SERVICE clauses call this host (or HOST:PORT); all are refused by default. Repeatable.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, query_timeout: float, query_memory: int, row_limit: int,
          workers: int, heavy_workers: int, service_hosts: tuple[str, ...]) -> None:
    """Serve the ontology's web pages and a read-only SPARQL 1.1 Protocol endpoint (GET, HEAD and POST at /sparql).

    Open the printed address in a browser: a page per term at the path of its
    IRI (HTML, or Turtle, RDF/XML, JSON-LD and N-Triples by Accept header or
    extension), search, and the canned queries as forms.

    Answers come in the W3C formats chosen by the Accept header (or a format
    parameter); updates, and SERVICE clauses to hosts not allowed, are refused
    with 403. docs/security.md lists what it exposes and its limits.

    \b
    Example:
      legkg serve --port 3030
      curl -H 'Accept: text/csv' 'http://127.0.0.1:3030/sparql?query=SELECT+*+WHERE+{?s+?p+?o}+LIMIT+3'
    """
    import signal

    from legkg.publish.serve import SparqlServer
    from legkg.store.local import load_store

    if not host.strip():
        raise Misuse("--host is empty; give an address such as 127.0.0.1 (0.0.0.0 listens on every interface)")
    if any(not h.strip() for h in service_hosts):
        raise Misuse("--allow-service-host is empty; give a host name")
    load_store(settings.ontology)  # fail early on a bad ontology, and warm the cache for the workers
    try:
        server = SparqlServer(host, port, settings.ontology, query_timeout, row_limit, workers,
                              memory=query_memory << 20, allow_service_hosts=service_hosts,
                              heavy_workers=heavy_workers)
    except OSError as e:
        raise LegkgError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, reachable beyond this machine", err=True)
    if service_hosts:
        click.echo(f"warning: SERVICE clauses may call {', '.join(service_hosts)}", err=True)
    from legkg.publish import web

    web.warm()  # pages are rendered once each; make them while the server starts
    shown = f"[{server.host}]" if ":" in str(server.host) else server.host
    click.echo(f"pages at http://{shown}:{server.port}/ and SPARQL at {server.url} (read-only; Ctrl-C to stop)",
               err=True)

    def stop(signum, frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
        server.stop()
