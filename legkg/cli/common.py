"""What every command shares: the settings from the group's options, output and error helpers.

Example:
    >>> Settings().asserted
    False
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from legkg.cli.writers import WRITERS
from legkg.core.errors import LegkgError, Misuse

SPARQL_FORMATS = ["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"]
EXPORT_FORMATS = ["ttl", "owl", "nt", "jsonld"]
SERVER_KINDS = ("generic", "fuseki", "virtuoso", "graphdb", "blazegraph", "qlever", "oxigraph", "stardog", "neptune")


@dataclass
class Settings:
    """What the group's options decided, shared with every command through the context."""

    ontology: Path | None = None
    endpoint: str | None = None
    user: str | None = None
    server: str = "generic"
    update_url: str | None = None
    store_url: str | None = None
    auth: str = "basic"
    timeout: float = 30.0
    user_agent: str | None = None
    asserted: bool = False
    linked: tuple[str, ...] = ()
    _backend: object = field(default=None, repr=False)

    def backend(self):
        """The backend, opened on first use: the remote endpoint if one is given, else the embedded store.

        Warnings raised while opening (such as inferences not built for an edited ontology) are
        printed on stderr as one line each.
        """
        if self._backend is None:
            import warnings

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self._open_backend()
            for w in caught:
                click.echo(f"warning: {w.message}", err=True)
        return self._backend

    def _open_backend(self) -> None:
        if self._backend is None and self.endpoint:
            if self.ontology:
                raise Misuse("--ontology and --endpoint exclude each other: push the file to the server instead")
            if self.asserted:
                raise Misuse("--asserted works on the embedded store only: a server holds the published graph, "
                             "inferences included; drop --endpoint or --asserted")
            if self.linked:
                raise Misuse("--with works on the embedded store only; load the vocabulary into the server "
                             "beside legkg's graph and drop --with, or drop --endpoint")
            self._backend = self.remote(self.endpoint)
        if self._backend is None and self.linked:
            from legkg.vocab.linked import open_linked

            self._backend = open_linked(self.ontology, self.linked, asserted=self.asserted)
        if self._backend is None:
            from legkg.store.local import open_backend

            self._backend = open_backend(self.ontology, asserted=self.asserted)

    def remote(self, url: str):
        """A remote backend for ``url`` with the endpoint options given to legkg."""
        from legkg.store.remote import USER_AGENT, RemoteBackend

        return RemoteBackend(url, self.user, timeout=self.timeout, user_agent=self.user_agent or USER_AGENT,
                             server=self.server, update_url=self.update_url, store_url=self.store_url,
                             auth=self.auth)


def fail(message: str, code: int) -> None:
    """Print one error line on stderr and exit."""
    click.echo(f"Error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def format_option(choices=None, default="table"):
    """The shared ``--format`` option, its choices taken from the writer registry."""
    return click.option("--format", "-f", "fmt", type=click.Choice(choices or list(WRITERS)),
                        default=default, show_default=True, help="Output format.")


def emit(rows, columns, fmt: str) -> None:
    """Write rows to stdout in the chosen format (tables drawn with rich on a terminal)."""
    out = sys.stdout
    if fmt == "table" and out.isatty():
        from legkg.cli.writers import write_rich_table

        write_rich_table(rows, columns, out)
        return
    WRITERS[fmt](rows, columns, out)


def term_completer(*kinds: str):
    """Shell completion of term labels and synonyms of the given kinds (all kinds if none)."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        from legkg.answers.lookup import list_terms
        from legkg.store.local import open_backend

        try:
            backend = open_backend(ctx.find_root().params.get("ontology"))
            rows = [r for kind in (kinds or (None,)) for r in list_terms(backend, incomplete or None, kind)]
        except Exception:  # completion must never break the shell
            return []
        return [CompletionItem(r["label"], help=r["kind"]) for r in rows]

    return complete


def write_output(data: bytes, output: str, fmt: str) -> None:
    """Write bytes to stdout (``-``) or atomically to a file, and say what was written."""
    if output == "-":
        sys.stdout.buffer.write(data)
        return
    from legkg.store.files import atomic_write

    try:
        atomic_write(Path(output), data)
    except OSError as e:
        raise LegkgError(f"cannot write {output}: {e.strerror or e}; the old file, if any, is unchanged") from None
    click.echo(f"wrote {output} ({fmt}, {len(data)} bytes)", err=True)


