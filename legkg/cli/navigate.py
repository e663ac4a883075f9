"""Walking the ontology: ``ancestors``, ``descendants``, ``paths`` and ``tree``, as OAK users know them.

Each command calls one method of :class:`legkg.api.KnowledgeGraph` and hands the rows to a writer.

Example:
    legkg ancestors sciatica
    legkg descendants hip -p "part of"
"""

from __future__ import annotations

import click

from legkg.cli.common import Settings, emit, format_option, term_completer

RELATION = click.option("--predicate", "-p", "relations", multiple=True, metavar="RELATION",
                        help="Follow this relation instead of is-a: a label ('part of', 'affects'), i (is a), "
                             "p (part of), a CURIE or an IRI; repeat to follow several.")
COLUMNS = ["id", "label", "kind", "distance"]


@click.command()
@click.argument("term", shell_complete=term_completer())
@RELATION
@format_option()
@click.pass_obj
def ancestors(settings: Settings, term: str, relations, fmt: str) -> None:
    """List what TERM is a kind of (or reaches by -p relations), nearest first.

    \b
    Example:
      legkg ancestors sciatica
      legkg ancestors "piriformis muscle" -p "part of"
    """
    emit(settings.graph().ancestors(term, relations), COLUMNS, fmt)


@click.command()
@click.argument("term", shell_complete=term_completer())
@RELATION
@format_option()
@click.pass_obj
def descendants(settings: Settings, term: str, relations, fmt: str) -> None:
    """List the kinds of TERM (or what reaches it by -p relations), nearest first.

    \b
    Example:
      legkg descendants "nerve related or spinal cause"
      legkg descendants leg -p "part of"
    """
    emit(settings.graph().descendants(term, relations), COLUMNS, fmt)


@click.command()
@click.argument("start", metavar="FROM", shell_complete=term_completer())
@click.argument("end", metavar="TO", shell_complete=term_completer())
@RELATION
@format_option()
@click.pass_obj
def paths(settings: Settings, start: str, end: str, relations, fmt: str) -> None:
    """Show the shortest paths from FROM up to TO (or from TO up to FROM), one row per step.

    \b
    Example:
      legkg paths sciatica condition
      legkg paths "piriformis muscle" leg -p "part of" -p i
    """
    emit(settings.graph().paths(start, end, relations), ["path", "step", "relation", "id", "label"], fmt)


@click.command()
@click.argument("term", required=False, shell_complete=term_completer())
@RELATION
@format_option()
@click.pass_obj
def tree(settings: Settings, term: str | None, relations, fmt: str) -> None:
    """Draw the entities under TERM (under every root without TERM) as an indented tree.

    An entity met a second time is marked (see above) and its subtree is not repeated.

    \b
    Example:
      legkg tree "nerve related or spinal cause"
      legkg tree leg -p "part of"
    """
    rows = settings.graph().tree(term, relations)
    if fmt != "table":
        emit(rows, ["depth", "relation", "id", "label", "kind", "repeated"], fmt)
        return
    plain = {"", "is a"}
    for r in rows:
        via = "" if r["relation"] in plain else f"[{r['relation']}] "
        more = " (see above)" if r["repeated"] else ""
        click.echo(f"{'  ' * r['depth']}{via}{r['label']} ({r['id']}){more}")
