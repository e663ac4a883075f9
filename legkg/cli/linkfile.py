"""``legkg link FILE --name NAME`` and ``legkg link list``: any RDF vocabulary in the linked store.

Registered on the ``link`` group (:mod:`legkg.cli.release`) at the bottom of :mod:`legkg.cli.main`;
the group sends a first argument that is not one of its commands here, so
``legkg link mondo.owl --name mondo`` is ``legkg link file mondo.owl --name mondo``.

Example:
    legkg link mondo.owl --name mondo
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from legkg.cli.common import format_option


class _Line:
    """A progress line redrawn in place on a terminal, at most every 0.2 s."""

    def __init__(self) -> None:
        self.shown, self.last, self.start = False, 0.0, time.monotonic()

    def tick(self, read: int, total: int, triples: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and read < total:
            return
        self.last = now
        pct = 100 * read / total if total else 100
        counted = f", {triples:,} triples" if triples else ""
        sys.stderr.write(f"\r  {pct:3.0f}%  {read / 2**20:,.0f}/{total / 2**20:,.0f} MiB{counted}, "
                         f"{now - self.start:.0f} s\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def say(self, message: str) -> None:
        if self.shown:
            sys.stderr.write("\n")
            self.shown = False
        click.echo(message, err=True)


@click.command("file")
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--name", "-n", required=True, metavar="NAME",
              help="Name of the vocabulary: --with NAME queries it (lower-case letters, digits, dashes).")
@click.option("--format", "-f", "fmt", type=click.Choice(["nt", "nq", "ttl", "trig", "xml"]),
              help="The file's syntax (default: from its extension; .gz is read as gzip).")
@click.option("--force", is_flag=True, help="Reload even if this copy of the file is already linked.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr (there is none when stderr is not a "
                                                   "terminal).")
def link_file(file: Path, name: str, fmt: str | None, force: bool, quiet: bool) -> None:
    """Load any RDF vocabulary from FILE into the local linked store as NAME.

    N-Triples (.nt), N-Quads (.nq), Turtle (.ttl), TriG (.trig) or RDF/XML (.owl, .rdf,
    .xml), gzipped or not (.nt.gz), streamed into the graph
    <https://w3id.org/legkg/graph/NAME> once; run again, it does not reload the same copy.
    Afterwards 'legkg --with NAME ...' queries it together with the ontology.
    'legkg link FILE --name NAME' is short for this command.

    \b
    Example:
      legkg link mondo.owl --name mondo
      legkg link file codes.nt.gz --name codes
      legkg --with mondo sparql "SELECT ?c ?l WHERE { ?c skos:exactMatch ?m . ?m rdfs:label ?l }"
    """
    from legkg.vocab.linkfile import link_file as run_link

    line = _Line()
    loud = not quiet and sys.stderr.isatty()
    info = run_link(file, name, fmt, force, say=line.say if loud else None, tick=line.tick if loud else None)
    if line.shown:
        sys.stderr.write("\n")
    state = "loaded" if info["loaded"] else "current, not reloaded"
    click.echo(f"{info['name']}: {info['triples']:,} triples from {file} as <{info['graph']}> ({state})")


@click.command("remove")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
def link_remove(names: tuple[str, ...]) -> None:
    """Remove linked vocabularies from the local linked store; the others stay.

    A vocabulary linked from a file, a load that stopped part-way, or a bundled one
    (hpo, icd10cm); 'legkg link' loads it again.

    \b
    Example:
      legkg link remove mondo
    """
    from legkg.vocab.linkfile import unlink

    loud = sys.stderr.isatty()
    for name in names:
        info = unlink(name, say=(lambda m: click.echo(m, err=True)) if loud else None)
        click.echo(f"removed {info['name']}: {info['triples']:,} triples (<{info['graph']}>)")


@click.command("list")
@format_option()
def link_list(fmt: str) -> None:
    """List the vocabularies in the linked store, with their graphs, sizes and sources.

    \b
    Example:
      legkg link list
    """
    from legkg.cli.common import emit
    from legkg.vocab.linkfile import linked_list

    emit(linked_list(), ["name", "graph", "triples", "source", "state"], fmt)
