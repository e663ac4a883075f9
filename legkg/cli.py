"""The ``legkg`` command line: thin commands over :mod:`legkg.api`.

Example:
    legkg conditions --anatomy "sciatic nerve" --symptom numbness
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from legkg import __version__
from legkg.errors import LegkgError, Misuse
from legkg.terms import KINDS
from legkg.writers import WRITERS

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
        """The backend, opened on first use: the remote endpoint if one is given, else the embedded store."""
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
            from legkg.link import open_linked

            self._backend = open_linked(self.ontology, self.linked, asserted=self.asserted)
        if self._backend is None:
            from legkg.store import open_backend

            self._backend = open_backend(self.ontology, asserted=self.asserted)
        return self._backend

    def remote(self, url: str):
        """A remote backend for ``url`` with the endpoint options given to legkg."""
        from legkg.remote import USER_AGENT, RemoteBackend

        return RemoteBackend(url, self.user, timeout=self.timeout, user_agent=self.user_agent or USER_AGENT,
                             server=self.server, update_url=self.update_url, store_url=self.store_url,
                             auth=self.auth)


# Options of the legkg group that may also follow the command name (legkg terms numb --endpoint URL).
ENDPOINT_OPTIONS = ("--endpoint", "--user", "--server", "--update-url", "--store-url", "--auth")


def hoist_endpoint_options(args: list[str]) -> list[str]:
    """Move endpoint options given after the command name to before it.

    Example:
        >>> hoist_endpoint_options(["terms", "numb", "--endpoint", "http://h/sparql"])
        ['--endpoint', 'http://h/sparql', 'terms', 'numb']
    """
    front, rest, i = [], [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.split("=", 1)[0]
        if rest and name in ENDPOINT_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front += args[i:i + 2]
                i += 1
        else:
            if not rest and not arg.startswith("-") and (not front or front[-1] not in _VALUED):
                rest.append(arg)  # the command name
            elif rest:
                rest.append(arg)
            else:
                front.append(arg)
        i += 1
    return front + rest


_VALUED = ("--ontology", "--endpoint", "--user", "--server", "--update-url", "--store-url", "--auth", "--timeout",
           "--user-agent", "--with")


class LegkgGroup(click.Group):
    """A group whose errors are one line on stderr with the right exit code, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = hoist_endpoint_options(list(sys.argv[1:] if args is None else args))
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                fail(f"an argument is not valid UTF-8: {arg.encode('utf-8', 'replace').decode()[:60]!r}", 1)
        try:
            rv = super().main(args, prog_name or "legkg", complete_var, standalone_mode=False,
                              **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help(), err=True)
            sys.exit(2)
        except click.UsageError as e:
            path = e.ctx.command_path if e.ctx else "legkg"
            fail(f"{e.format_message()} (see '{path} --help')", 2)
        except click.ClickException as e:
            fail(e.format_message(), e.exit_code)
        except click.Abort:
            fail("aborted", 1)
        except LegkgError as e:
            fail(str(e), e.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(1)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except RecursionError:
            fail("input too deeply nested to process", 1)
        except MemoryError:
            fail("out of memory", 1)
        except Exception as e:  # last resort: still one line, never a traceback
            fail(f"internal error: {type(e).__name__}: {' '.join(str(e).split())}", 1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


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
        from legkg.writers import write_rich_table

        write_rich_table(rows, columns, out)
        return
    WRITERS[fmt](rows, columns, out)


def term_completer(*kinds: str):
    """Shell completion of term labels and synonyms of the given kinds (all kinds if none)."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        from legkg.api import list_terms
        from legkg.store import open_backend

        try:
            backend = open_backend(ctx.find_root().params.get("ontology"))
            rows = [r for kind in (kinds or (None,)) for r in list_terms(backend, incomplete or None, kind)]
        except Exception:  # completion must never break the shell
            return []
        return [CompletionItem(r["label"], help=r["kind"]) for r in rows]

    return complete


@click.group(cls=LegkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="legkg", message="%(prog)s %(version)s")
@click.option("--ontology", type=click.Path(dir_okay=False, path_type=Path), envvar="LEGKG_ONTOLOGY",
              help="Query another ontology file instead of the bundled one (env LEGKG_ONTOLOGY).")
@click.option("--endpoint", metavar="URL", envvar="LEGKG_ENDPOINT",
              help="Query a SPARQL server instead, at this query URL used as given; with --server, a dataset "
                   "URL whose usual service URLs are filled in (env LEGKG_ENDPOINT).")
@click.option("--server", type=click.Choice(list(SERVER_KINDS)), default="generic", show_default=True,
              envvar="LEGKG_SERVER", help="Kind of server: fills in its query, update and store URLs from a "
                                           "dataset URL (env LEGKG_SERVER).")
@click.option("--update-url", metavar="URL", help="The server's SPARQL Update URL (for push).")
@click.option("--store-url", metavar="URL", help="The server's Graph Store Protocol URL (for push).")
@click.option("--user", metavar="NAME", envvar="LEGKG_ENDPOINT_USER",
              help="User for HTTP auth; the password is read from env LEGKG_ENDPOINT_PASSWORD.")
@click.option("--auth", type=click.Choice(["basic", "digest", "bearer"]), default="basic", show_default=True,
              help="HTTP auth scheme; bearer reads the token from env LEGKG_ENDPOINT_TOKEN.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Give up on a SPARQL server that has not answered in this time.")
@click.option("--user-agent", metavar="TEXT", help="User-Agent header sent to the SPARQL server.")
@click.option("--asserted", is_flag=True, envvar="LEGKG_ASSERTED",
              help="Answer over the asserted axioms alone, without the reasoner's inferences (env LEGKG_ASSERTED).")
@click.option("--with", "linked", multiple=True, type=click.Choice(["hpo", "icd10cm"]),
              help="Also query a vocabulary loaded by 'legkg link' (e.g. the HPO, as graph legkg:graph/hpo).")
@click.pass_context
def cli(ctx: click.Context, ontology: Path | None, endpoint: str | None, user: str | None, timeout: float,
        user_agent: str | None, asserted: bool = False, linked: tuple[str, ...] = (), server: str = "generic",
        update_url: str | None = None, store_url: str | None = None, auth: str = "basic") -> None:
    """Ask questions of the leg-lift knowledge graph.

    legkg models the article "Why Can't I Lift My Leg? Common Causes Explained"
    as an OWL ontology and answers questions over it. It informs; it does not
    diagnose.

    \b
    Example:
      legkg conditions --anatomy "sciatic nerve" --symptom numbness
    """
    ctx.obj = Settings(ontology=ontology, endpoint=endpoint, user=user, timeout=timeout, user_agent=user_agent,
                       server=server, update_url=update_url, store_url=store_url, auth=auth, asserted=asserted,
                       linked=tuple(dict.fromkeys(linked)))


@cli.command()
@click.option("--anatomy", "-a", multiple=True, metavar="TERM", shell_complete=term_completer("anatomy"),
              help="Affects this structure or a part of it.")
@click.option("--symptom", "-s", multiple=True, metavar="TERM", shell_complete=term_completer("symptom"),
              help="Can produce this symptom or a more specific one.")
@click.option("--mechanism", "-m", multiple=True, metavar="TERM", shell_complete=term_completer("mechanism"),
              help="Works through this mechanism or a kind of it.")
@click.option("--category", "-c", multiple=True, metavar="TERM", shell_complete=term_completer("condition"),
              help="Falls under this category or condition.")
@click.option("--xref", "-x", "xref", metavar="V", help="Add a column with each condition's codes in vocabulary V "
              "(ICD10CM, HP, SNOMEDCT, MONDO, DOID, MESH, UMLS ...).")
@format_option()
@click.pass_obj
def conditions(settings: Settings, anatomy, symptom, mechanism, category, xref, fmt) -> None:
    """List conditions meeting every filter given (all conditions without filters).

    \b
    Example:
      legkg conditions --anatomy "sciatic nerve" --symptom numbness
      legkg conditions --category musculoskeletal --format json
      legkg conditions --xref ICD10CM
    """
    from legkg.api import find_conditions

    columns = ["id", "label", "article_category"]
    if xref:
        from legkg.mappings import vocabulary

        vocabulary(xref)  # an unknown vocabulary is misuse, reported before the store loads
    rows = find_conditions(settings.backend(), anatomy, symptom, mechanism, category)
    if xref:
        from legkg.mappings import add_xrefs

        columns.append(add_xrefs(settings.backend(), rows, xref))
    emit(rows, columns, fmt)


@cli.command()
@click.argument("term", shell_complete=term_completer())
@format_option()
@click.pass_obj
def describe(settings: Settings, term: str, fmt: str) -> None:
    """Show everything about one entity: kind, definition, synonyms, relations both ways, sources.

    \b
    Example:
      legkg describe sciatica
      legkg describe "pins and needles" --format json
    """
    from legkg.api import describe as describe_entity
    from legkg.writers import write_describe_table

    rows = describe_entity(settings.backend(), term)
    if fmt == "table":
        write_describe_table(rows, sys.stdout)
    else:
        emit(rows, ["id", "label", "field", "direction", "value", "value_id", "source"], fmt)


@cli.command()
@click.argument("text", required=False)
@click.option("--kind", "-k", type=click.Choice(KINDS), help="Only entities of this kind.")
@format_option()
@click.pass_obj
def terms(settings: Settings, text: str | None, kind: str | None, fmt: str) -> None:
    """List entities, or search them by label and synonym.

    \b
    Example:
      legkg terms --kind symptom
      legkg terms numb
    """
    from legkg.api import list_terms

    emit(list_terms(settings.backend(), text, kind), ["id", "label", "kind", "synonyms"], fmt)


@cli.group()
def query() -> None:
    """List, show and run the canned queries in queries/*.rq.

    \b
    Example:
      legkg query list
      legkg query run conditions-by-symptom -p symptom "pins and needles"
    """


@query.command("list")
@format_option()
def query_list(fmt: str) -> None:
    """List the canned queries with their parameters.

    \b
    Example:
      legkg query list
    """
    from legkg.api import query_catalogue

    emit(query_catalogue(), ["id", "label", "parameters", "description"], fmt)


@query.command("show")
@click.argument("name")
def query_show(name: str) -> None:
    """Print the text of a canned query.

    \b
    Example:
      legkg query show red-flags
    """
    from legkg.queries import load_query

    click.echo(load_query(name).text, nl=False)


@query.command("run")
@click.argument("name")
@click.option("--param", "-p", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="A parameter value: a label, synonym, CURIE or IRI.")
@format_option()
@click.pass_obj
def query_run(settings: Settings, name: str, params, fmt: str) -> None:
    """Run a canned query by name, binding its parameters.

    \b
    Example:
      legkg query run conditions-by-anatomy -p anatomy hip
      legkg query run red-flags --format json
    """
    from legkg.api import run_canned
    from legkg.queries import load_query

    load_query(name)  # an unknown name is misuse, reported before the store loads
    columns, rows = run_canned(settings.backend(), name, params)
    emit(rows, columns, fmt)


@cli.command()
@click.argument("text", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file (- for stdin).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (federated queries reach other servers).")
@click.option("--timeout", "time_limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              metavar="SECONDS", help="Stop the query after this long.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Cut the answer to this many rows (or triples), with a warning.")
@format_option(SPARQL_FORMATS)
@click.pass_obj
def sparql(settings: Settings, text: str | None, query_file, allow_service: bool, time_limit: float, limit: int,
           fmt: str) -> None:
    """Run any SELECT, ASK, CONSTRUCT or DESCRIBE query; common prefixes are predeclared.

    SELECT and ASK answers come as W3C SPARQL results (json, csv, tsv, xml) or
    a table; CONSTRUCT and DESCRIBE as ttl, nt, xml or jsonld. Updates are refused.

    \b
    Example:
      legkg sparql "SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }"
      legkg sparql --file my-query.rq --format json
    """
    from legkg.api import run_sparql

    if (text is None) == (query_file is None):
        raise Misuse("give the query as an argument or with --file, not both or neither")
    source = text if text is not None else query_file.read()
    kind, columns, payload, cut = run_sparql(settings.backend(), source, fmt, allow_service=allow_service,
                                             timeout=time_limit, limit=limit)
    if cut:
        click.echo(f"warning: the answer was cut to {limit} rows (--limit)", err=True)
    if isinstance(payload, bytes):
        out = sys.stdout.buffer
        out.write(payload if payload.endswith(b"\n") else payload + b"\n")
    else:
        emit(payload, columns, "table")


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl",
              show_default=True, help="RDF syntax: Turtle, RDF/XML (owl), N-Triples or JSON-LD.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (- for stdout); written atomically.")
@click.option("--source", is_flag=True,
              help="Write the ontology as edited, without the relation graph, inferences and closures.")
@click.pass_obj
def export(settings: Settings, fmt: str, output: str, source: bool) -> None:
    """Write the published graph (what canned queries read) in an RDF syntax.

    The published graph is the ontology, its relation graph, the reasoner's inferences
    (each marked) and the closures the canned queries follow: load it into any SPARQL
    server and legkg --endpoint answers there as it does here. --source writes the
    ontology alone.

    \b
    Example:
      legkg export --format nt -o legkg.nt
      legkg export --source --format ttl -o legkg-source.ttl
    """
    from legkg.export import export_ontology, export_published

    if source:
        data = export_ontology(settings.ontology, fmt)
    else:
        data = export_published(settings.ontology, fmt, settings.asserted)
    write_output(data, output, fmt)


def write_output(data: bytes, output: str, fmt: str) -> None:
    """Write bytes to stdout (``-``) or atomically to a file, and say what was written."""
    if output == "-":
        sys.stdout.buffer.write(data)
        return
    from legkg.store import atomic_write

    try:
        atomic_write(Path(output), data)
    except OSError as e:
        raise LegkgError(f"cannot write {output}: {e.strerror or e}; the old file, if any, is unchanged") from None
    click.echo(f"wrote {output} ({fmt}, {len(data)} bytes)", err=True)


# Commands in other modules are imported only when used, so a query does not pay for them.
LAZY_COMMANDS = {
    "push": "legkg.cli_remote:push",
    "ask": "legkg.cli_ask:ask",
    "triage": "legkg.cli_ask:triage",
    "graph": "legkg.cli_ask:graph",
    "serve": "legkg.cli_serve:serve",
    "validate": "legkg.cli_release:validate",
    "release": "legkg.cli_release:release",
    "mappings": "legkg.cli_release:mappings",
    "link": "legkg.cli_release:link",
    "reason": "legkg.cli_reason:reason",
    "explain": "legkg.cli_reason:explain",
}
LAZY_SUBCOMMANDS = {"link": ["legkg.cli_icd10cm:link_icd10cm"]}


def _load(target: str) -> click.Command:
    import importlib

    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _lazy_list(self: click.Group, ctx: click.Context) -> list[str]:
    return sorted(set(click.Group.list_commands(self, ctx)) | set(LAZY_COMMANDS))


def _lazy_get(self: click.Group, ctx: click.Context, name: str) -> click.Command | None:
    command = click.Group.get_command(self, ctx, name)
    if command is None and name in LAZY_COMMANDS:
        command = _load(LAZY_COMMANDS[name])
        for sub in LAZY_SUBCOMMANDS.get(name, []):
            extra = _load(sub)
            if isinstance(command, click.Group) and extra.name not in command.commands:
                command.add_command(extra)
        self.add_command(command, name)
    return command


LegkgGroup.list_commands = _lazy_list
LegkgGroup.get_command = _lazy_get


def main() -> None:
    """Entry point of the console script."""
    cli.main(prog_name="legkg")
