"""``export``: write the graph as RDF, KGX, OBO or OBO Graphs.

Example:
    legkg export --format nt -o legkg.nt
"""

from __future__ import annotations

import click

from legkg.cli.common import Settings, output_format, write_output
from legkg.core.errors import Misuse
from legkg.publish.formats import EXPORTERS


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(list(EXPORTERS)), default="ttl", show_default=True,
              help="RDF (ttl, owl, nt, jsonld), KGX for Biolink graphs (kgx, kgx-jsonl), obo or obographs.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (- for stdout; its extension sets the format), or the prefix of the files "
                   "for kgx and kgx-jsonl; written atomically.")
@click.option("--source", is_flag=True,
              help="RDF formats: write the ontology as edited, without the relation graph, inferences and closures.")
@click.pass_obj
def export(settings: Settings, fmt: str, output: str, source: bool) -> None:
    """Write the graph as RDF, KGX (Biolink), OBO or OBO Graphs.

    The RDF formats write the published graph: the ontology, its relation graph, the
    reasoner's inferences (each marked) and the closures the canned queries follow; load it
    into any SPARQL server and legkg --endpoint answers there as it does here. --source
    writes the ontology alone (what OWL tools such as Protégé and ROBOT want).

    \b
    Example:
      legkg export --format nt -o legkg.nt
      legkg export --source --format ttl -o legkg-source.ttl
      legkg export --format kgx -o legkg      # legkg_nodes.tsv, legkg_edges.tsv
      legkg export --format obo -o legkg.obo
    """
    if EXPORTERS[fmt].single_file:
        fmt = output_format(output, fmt, [name for name, f in EXPORTERS.items() if f.single_file])
    exporter = EXPORTERS[fmt]
    if output == "-" and not exporter.single_file:
        raise Misuse(f"--format {fmt} writes {len(exporter.suffixes)} files; give -o PREFIX, not -")
    if source and not exporter.rdf:
        raise Misuse(f"--source applies to the RDF formats (ttl, owl, nt, jsonld), not {fmt}")
    files = exporter.render(settings.ontology, source, settings.asserted)
    for suffix, path in zip(exporter.suffixes, exporter.paths(output)):
        write_output(files[suffix], path, fmt)


