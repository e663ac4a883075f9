"""Commands for SPARQL servers: ``legkg push``.

Registered on the ``legkg`` group at the bottom of :mod:`legkg.cli.main`.

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

    URL is a Fuseki-style dataset URL (http://127.0.0.1:3030/ds: its /data, /update
    and /query services are used) or one of those service URLs; without URL, the
    --endpoint given to legkg. The triples go by the Graph Store Protocol (HTTP PUT),
    or by SPARQL Update (DROP SILENT GRAPH + INSERT DATA) if the server refuses that;
    then a COUNT query checks the graph holds exactly the triples sent. legkg queries
    the server's default graph, so push there (the default) to query it with legkg.

    \b
    Example:
      legkg push http://127.0.0.1:3030/ds
      legkg --user admin push https://sparql.example.org/ds --graph https://w3id.org/legkg/graph
    """
    from legkg.store.local import load_store
    from legkg.store.remote import USER_AGENT, RemoteBackend
    from legkg.store.remote import push as push_store

    url = url or settings.endpoint
    if not url:
        raise Misuse("give the server's URL: legkg push URL (or legkg --endpoint URL push)")
    from legkg.cli.common import check_url

    check_url(url)
    remote = RemoteBackend(url, settings.user, timeout=settings.timeout,
                           user_agent=settings.user_agent or USER_AGENT, follow_redirects=settings.follow_redirects)
    count, _method = push_store(remote, load_store(settings.ontology), graph)
    target = f"<{graph}>" if graph else "the default graph"
    click.echo(f"pushed {count} triples to {target} (verified)")
