"""What every command shares: the settings from the group's options, output and error helpers.

Example:
    >>> Settings().asserted
    False
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from legkg.cli.fast import term_completions
from legkg.cli.writers import WRITERS
from legkg.core.errors import LegkgError, Misuse

TYPE_CHECKING = False  # pathlib is loaded only by commands writing files: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path

SPARQL_FORMATS = ["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"]
SERVER_KINDS = ("generic", "fuseki", "virtuoso", "graphdb", "blazegraph", "qlever", "oxigraph", "stardog", "neptune")


class Settings:
    """What the group's options decided, shared with every command through the context.

    ``preload`` is the :class:`legkg.store.preload.Preload` started before Click was loaded, if any.
    """

    def __init__(self, ontology: Path | None = None, endpoint: str | None = None, user: str | None = None,
                 server: str = "generic", update_url: str | None = None, store_url: str | None = None,
                 auth: str = "basic", timeout: float = 30.0, user_agent: str | None = None, asserted: bool = False,
                 linked: tuple[str, ...] = (), follow_redirects: bool = False, preload=None) -> None:
        self.ontology, self.endpoint, self.user, self.server = ontology, endpoint, user, server
        self.update_url, self.store_url, self.auth, self.timeout = update_url, store_url, auth, timeout
        self.user_agent, self.asserted, self.linked = user_agent, asserted, linked
        self.follow_redirects, self.preload = follow_redirects, preload
        self._backend = None

    def backend(self):
        """The backend, opened on first use: the remote endpoint if one is given, else the embedded store.

        Warnings raised while opening (such as inferences not built for an edited ontology) are
        printed on stderr as one line each.
        """
        if self._backend is None:
            with echo_warnings():
                self._open_backend()
        return self._backend

    def term_index(self):
        """The term index; the embedded store's is read from its cache without loading the store when it can be."""
        from legkg.store.terms import TermIndex, embedded_index

        if self._backend is not None or self.endpoint or self.linked:
            return TermIndex.load(self.backend())
        with echo_warnings():
            return embedded_index(self.ontology, self.asserted)

    def graph(self):
        """The :class:`legkg.api.KnowledgeGraph` over this backend, for commands that use the Python API."""
        from legkg.api import KnowledgeGraph

        return KnowledgeGraph(self.backend(), self.ontology)

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

            preload = self.preload
            same = preload is not None and preload.source is not None and not self.ontology and not self.asserted
            self._backend = open_backend(self.ontology, asserted=self.asserted, source=preload.source if same else None,
                                         preloaded=preload.take if preload is not None else None)

    def remote(self, url: str):
        """A remote backend for ``url`` with the endpoint options given to legkg."""
        from legkg.store.remote import USER_AGENT, RemoteBackend

        return RemoteBackend(url, self.user, timeout=self.timeout, user_agent=self.user_agent or USER_AGENT,
                             server=self.server, update_url=self.update_url, store_url=self.store_url,
                             auth=self.auth, follow_redirects=self.follow_redirects)


@contextmanager
def echo_warnings():
    """Print the warnings raised inside the block on stderr, one line each."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)


class Seconds(click.ParamType):
    """A positive, finite number of seconds (``inf`` and ``nan`` are refused), at most a week."""

    name = "seconds"

    def __init__(self, minimum: float = 0.0) -> None:
        self.minimum = minimum

    def convert(self, value, param, ctx) -> float:
        import math

        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or number <= self.minimum or number > 7 * 86400:
            self.fail(f"{value!r} is not a number of seconds above {self.minimum:g} and at most a week", param, ctx)
        return number


def check_url(url: str, name: str = "the URL") -> None:
    """Refuse a URL that cannot be parsed (a broken IPv6 address, a port out of range) as misuse."""
    from urllib.parse import urlsplit

    try:
        urlsplit(url.strip()).port  # noqa: B018 - raises ValueError for what cannot be parsed
    except ValueError as e:
        raise Misuse(f"{name} {url!r} is not a valid URL ({e}); give one such as http://127.0.0.1:3030/ds") from None


def fail(message: str, code: int) -> None:
    """Print one error line on stderr and exit."""
    from legkg.cli.writers import printable

    click.echo(f"Error: {printable(' '.join(message.split()))}", err=True)
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
    """Shell completion of term labels and synonyms of the given kinds (all kinds if none).

    Reads only the term index cached beside the store, never the whole store.
    """

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        import os

        from click.shell_completion import CompletionItem

        from legkg.store.terms import embedded_index

        shell = os.environ.get("_LEGKG_COMPLETE", "").partition("_")[0]
        try:
            index = embedded_index(ctx.find_root().params.get("ontology"), quiet=True)
            found = term_completions(index, kinds, incomplete, shell)
        except Exception:  # completion must never break the shell
            return []
        return [CompletionItem(value, help=kind) for value, kind in found]

    complete.term_kinds = kinds  # type: ignore[attr-defined] - read by legkg.cli.fastgen
    return complete


EXTENSIONS = {".ttl": "ttl", ".owl": "owl", ".rdf": "owl", ".nt": "nt", ".jsonld": "jsonld", ".svg": "svg",
              ".png": "png", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid"}


def output_format(output: str, fmt: str, choices: list[str]) -> str:
    """The format to write: ``--format`` if given, else the one the output's extension names.

    A file whose extension names another format than the one asked for is misuse, so
    ``-o x.png`` never holds SVG.
    """
    ctx = click.get_current_context()
    given = ctx.get_parameter_source("fmt") not in (click.core.ParameterSource.DEFAULT, None)
    check_output(output)
    from pathlib import Path

    named = EXTENSIONS.get(Path(output).suffix.lower()) if output != "-" else None
    if named is None or named not in choices:
        return fmt
    if given and named != fmt:
        raise Misuse(f"{output} names {named} by its extension but --format is {fmt}; "
                     f"drop --format or use a .{fmt} file")
    return named


def check_output(output: str) -> None:
    """Refuse an empty output name or one that names a folder (``dir/new/``)."""
    if not output.strip():
        raise Misuse("the output file name is empty; give a file, or - for stdout")
    try:
        from pathlib import Path

        folder = output != "-" and (output.endswith(("/", "\\")) or Path(output).is_dir())
    except OSError as e:  # a name too long, say
        raise LegkgError(f"cannot write {output[:60]}: {e.strerror or e}") from None
    if folder:
        raise Misuse(f"{output} is a folder; give a file name inside it")


def write_output(data: bytes, output: str, fmt: str) -> None:
    """Write bytes to stdout (``-``) or atomically to a file, and say what was written."""
    check_output(output)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from pathlib import Path

    from legkg.store.files import atomic_write

    try:
        atomic_write(Path(output), data)
    except OSError as e:
        raise LegkgError(f"cannot write {output}: {e.strerror or e}; the old file, if any, is unchanged") from None
    from legkg.cli.writers import printable

    click.echo(f"wrote {printable(output)} ({fmt}, {len(data)} bytes)", err=True)
