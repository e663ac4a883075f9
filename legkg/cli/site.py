"""The ``site`` command: the web pages written as files for any static host.

Example:
    legkg site -o site/
"""

from __future__ import annotations

from pathlib import Path

import click

from legkg.cli.common import Settings


@click.command()
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write (a new or empty one, or an earlier site, which is replaced whole).")
@click.pass_obj
def site(settings: Settings, output: Path) -> None:
    """Write every term page, the landing and query pages and the release files as a static site.

    Links are relative: open index.html from disk or put the folder on any web
    server. Canned queries without parameters are answered in advance; the
    others and the SPARQL editor need 'legkg serve'.

    \b
    Example:
      legkg site -o site/
    """
    from legkg.publish.web.static import write_site

    files = write_site(output, settings.ontology, progress=lambda m: click.echo(m, err=True))
    click.echo(f"wrote {len(files)} files to {output}; open {output / 'index.html'}", err=True)
