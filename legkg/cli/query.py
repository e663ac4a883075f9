"""Reading commands: ``conditions``, ``describe``, ``terms``, ``query`` and ``sparql``.

Each parses its options, calls one library function and hands the rows to a writer.

Example:
    legkg conditions --anatomy "sciatic nerve" --symptom numbness
"""

from __future__ import annotations

import sys

import click

from legkg.cli.common import (
    SPARQL_FORMATS,
    Seconds,
    Settings,
    emit,
    format_option,
    term_completer,
)
from legkg.core.errors import Misuse
from legkg.store.terms import KINDS, ROW_COLUMNS


@click.command()
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
    from legkg.answers.lookup import find_conditions

    columns = ["id", "label", "article_category"]
    if anatomy or symptom or mechanism:  # rows found through a fact say how strongly, and where, it is stated
        columns += ["modality", "source"]
    if xref is not None:
        from legkg.vocab.mappings import vocabulary

        vocabulary(xref)  # an unknown vocabulary is misuse, reported before the store loads
    rows = find_conditions(settings.backend(), anatomy, symptom, mechanism, category)
    if xref:
        from legkg.vocab.mappings import add_xrefs

        columns.append(add_xrefs(settings.backend(), rows, xref))
    emit(rows, columns, fmt)


@click.command()
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
    from legkg.answers.lookup import describe as describe_entity
    from legkg.cli.writers import write_describe_table

    rows = describe_entity(settings.backend(), term)
    if fmt == "table":
        write_describe_table(rows, sys.stdout)
    else:
        emit(rows, ["id", "label", "field", "direction", "value", "value_id", "modality", "source"], fmt)


@click.command()
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
    emit(settings.term_index().rows(text, kind), list(ROW_COLUMNS), fmt)


@click.group()
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
    from legkg.store.canned import query_catalogue

    emit(query_catalogue(), ["id", "label", "parameters", "description"], fmt)


@query.command("show")
@click.argument("name")
def query_show(name: str) -> None:
    """Print the text of a canned query.

    \b
    Example:
      legkg query show red-flags
    """
    from legkg.store.queries import load_query

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
    from legkg.store.canned import run_canned
    from legkg.store.queries import load_query

    load_query(name)  # an unknown name is misuse, reported before the store loads
    columns, rows = run_canned(settings.backend(), name, params)
    emit(rows, columns, fmt)


@click.command()
@click.argument("text", required=False)
@click.option("--file", "query_file", metavar="PATH", help="Read the query from a file (- for stdin).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (federated queries reach other servers).")
@click.option("--timeout", "time_limit", type=Seconds(), default=30.0, show_default=True,
              metavar="SECONDS", help="Stop the query after this long.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Cut the answer to this many rows (or triples), with a warning.")
@click.option("--memory", type=click.IntRange(min=16), default=1024, show_default=True, metavar="MIB",
              help="Stop the query once it holds more than this many MiB.")
@format_option(SPARQL_FORMATS)
@click.pass_obj
def sparql(settings: Settings, text: str | None, query_file: str | None, allow_service: bool, time_limit: float,
           limit: int, memory: int, fmt: str) -> None:
    """Run any SELECT, ASK, CONSTRUCT or DESCRIBE query; common prefixes are predeclared.

    SELECT and ASK answers come as W3C SPARQL results (json, csv, tsv, xml) or
    a table; CONSTRUCT and DESCRIBE as ttl, nt, xml or jsonld. Updates are refused.

    \b
    Example:
      legkg sparql "SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }"
      legkg sparql --file my-query.rq --format json
    """
    from legkg.store.canned import run_sparql

    if (text is None) == (query_file is None):
        raise Misuse("give the query as an argument or with --file, not both or neither")
    source = text if text is not None else read_query_file(query_file)
    kind, columns, payload, cut = run_sparql(settings.backend(), source, fmt, allow_service=allow_service,
                                             timeout=time_limit, limit=limit, memory=memory << 20)
    if cut:
        click.echo(f"warning: the answer was cut to {limit} rows (--limit)", err=True)
    if isinstance(payload, bytes):
        out = sys.stdout.buffer
        out.write(payload if payload.endswith(b"\n") else payload + b"\n")
    else:
        emit(payload, columns, "table")


def read_query_file(name: str) -> str:
    """A query file's text (``-``: stdin), bounded in size and read time, UTF-8 with or without a BOM."""
    from pathlib import Path

    from legkg.core.errors import LegkgError
    from legkg.store.files import read_input

    if not name.strip():
        raise Misuse("--file is empty; give a file, or - for stdin")
    limit = 16 << 20
    if name == "-":
        stream = click.get_binary_stream("stdin")
        try:
            data = read_input(stream.fileno(), "query file", limit=limit)
        except (OSError, ValueError, AttributeError):  # not a real file (tests, embedding)
            data = stream.read(limit + 1)
            if len(data) > limit:
                raise LegkgError("the query on stdin is over 16 MiB; refused") from None
    else:
        data = read_input(Path(name), "query file", limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LegkgError(f"query file {name} is not UTF-8 text (byte {e.start}); save it as UTF-8") from None
