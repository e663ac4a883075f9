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
