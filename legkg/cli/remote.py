"""Commands for SPARQL servers: ``legkg push``.

Registered on the ``legkg`` group at the bottom of :mod:`legkg.cli`.

Example:
    legkg push http://127.0.0.1:3030/ds
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from legkg.core.errors import Misuse

if TYPE_CHECKING:
    from legkg.cli.common import Settings


@click.command()
@click.argument("url", required=False)
@click.option("--graph", metavar="IRI", help="Replace this named graph instead of the default graph.")
@click.pass_obj
def push(settings: Settings, url: str | None, graph: str | None) -> None:
    """Replace a graph on a SPARQL server with the ontology and its relation graph.

    Sends the published graph (what `legkg export` writes). URL is used as given for
    the Graph Store Protocol, SPARQL Update and the check, unless --server fills in the
    usual service URLs from a dataset URL, or --store-url/--update-url name them; without
    URL, the --endpoint given to legkg. The triples go by the Graph Store Protocol (HTTP
    PUT, then POST per chunk), or by SPARQL Update (DROP SILENT + INSERT DATA) if the
    server refuses that; a COUNT in the target graph checks the push, and a failed push
    drops what it wrote.

    \b
    Example:
      legkg push http://127.0.0.1:3030/ds
      legkg --server oxigraph push http://127.0.0.1:7878
      legkg --server virtuoso --user dba --auth digest push http://127.0.0.1:8890 --graph https://w3id.org/legkg/graph
    """
    from legkg.store.local import load_store
    from legkg.store.pushing import push as push_store

    url = url or settings.endpoint
    if not url:
        raise Misuse("give the server's URL: legkg push URL (or legkg --endpoint URL push)")
    remote = settings.remote(url)
    count, _method = push_store(remote, load_store(settings.ontology, settings.asserted), graph)
    target = f"<{graph}>" if graph else "the default graph"
    click.echo(f"pushed {count} triples to {target} (verified)")


@click.group()
def endpoint() -> None:
    """Look at a SPARQL server: what it supports and which legkg graph it holds.

    \b
    Example:
      legkg endpoint check http://127.0.0.1:3030/ds/query
    """


@endpoint.command("check")
@click.argument("url", required=False)
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table",
              show_default=True, help="Output format.")
@click.pass_obj
def check(settings: Settings, url: str | None, fmt: str) -> None:
    """Report what a SPARQL server supports and whether it holds the current published graph.

    Probes the query URL (used as given, or filled in by --server), the result formats,
    property paths, SPARQL Update (an empty INSERT DATA), the Graph Store Protocol, and
    compares the server's legkg version triples and triple count with this legkg's.
    Exits 1 when the server does not answer queries or holds another copy of the graph.

    \b
    Example:
      legkg endpoint check http://127.0.0.1:3030/ds/query
      legkg --server virtuoso endpoint check http://127.0.0.1:8890
    """
    from legkg.cli.common import emit
    from legkg.core.errors import LegkgError
    from legkg.store.endpoint_check import check_endpoint

    url = url or settings.endpoint
    if not url:
        raise Misuse("give the server's URL: legkg endpoint check URL")
    rows = check_endpoint(settings.remote(url))
    emit(rows, ["check", "result", "detail"], fmt)
    bad = [r for r in rows if r["check"] in ("query", "published graph") and r["result"] != "ok"]
    if bad:
        raise LegkgError(f"{bad[0]['check']}: {bad[0]['detail']}")
