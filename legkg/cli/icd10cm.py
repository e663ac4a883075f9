"""``legkg link icd10cm``: the ICD-10-CM code set as a linked SKOS vocabulary.

Registered on the ``link`` group (:mod:`legkg.cli.release`) at the bottom of :mod:`legkg.cli.main`.

Example:
    legkg link icd10cm
"""

from __future__ import annotations

import click


@click.command("icd10cm")
@click.option("--force", is_flag=True, help="Reload even if the store is current.")
def link_icd10cm(force: bool) -> None:
    """Load the ICD-10-CM code set (from simple-icd-10-cm) into the local linked store as SKOS.

    Every chapter, block, category and subcategory (~98,500 codes, ~490,000 triples) becomes
    a skos:Concept with its notation, title and skos:broader parent, in the graph
    <https://w3id.org/legkg/graph/icd10cm>; IRIs are those of the ICD10CM: mappings
    (http://purl.bioontology.org/ontology/ICD10CM/M54.30). Done once per package release;
    progress goes to stderr. Afterwards queries/linked/icd10cm-chapters.rq gives the chapter
    of every condition's code.

    \b
    Example:
      legkg link icd10cm
    """
    from legkg.vocab.icd10cm import link_icd10cm as run_link

    info = run_link(force=force, progress=lambda m: click.echo(m, err=True))
    state = "loaded" if info["loaded"] else "current, not reloaded"
    click.echo(f"{info['graph']}: {info['concepts']:,} concepts, {info['triples']:,} triples ({info['version']}) "
               f"in {info['store']} ({state})")
