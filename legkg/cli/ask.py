"""Commands for people: ``ask``, ``triage`` and ``graph``.

Example:
    legkg ask "which conditions affecting the sciatic nerve cause numbness?"
"""

from __future__ import annotations

import json
import sys

import click

from legkg.cli.common import Settings, emit, format_option, output_format, term_completer, write_output


@click.command()
@click.argument("question")
@click.option("--show-sparql", is_flag=True, help="Also print (on stderr) the canned queries that were run.")
@format_option()
@click.pass_obj
def ask(settings: Settings, question: str, show_sparql: bool, fmt: str) -> None:
    """Answer a question in plain English over the ontology (no network, no language model).

    A question that no supported form fits gets "I can't answer that", the
    terms it recognised and the closest questions it can answer.

    \b
    Example:
      legkg ask "which conditions affecting the sciatic nerve cause numbness?"
      legkg ask "what makes spinal stenosis worse?" --format json
    """
    from legkg.answers.ask import ask as answer_question

    answer = answer_question(settings.backend(), question)
    if show_sparql:
        click.echo(answer.sparql() or "# answered from the entity's annotations (describe)", err=True)
    missing = ""
    if answer.not_in_article:
        missing = (f"Not in the article: {', '.join(answer.not_in_article)} (the article never mentions "
                   f"{'it' if len(answer.not_in_article) == 1 else 'them'}; below is what it does say)")
    if fmt == "table":
        terms = ", ".join(f"{m.entity.label} ({m.entity.kind})" for m in answer.mentions)
        click.echo(f"Question form: {answer.form}\nRecognised: {terms}")
        click.echo(f"{missing}\n" if missing else "")
    elif missing:
        click.echo(f"note: {missing}", err=True)
    emit(answer.rows, answer.columns, fmt)


@click.command()
@click.option("--symptom", "-s", "symptoms", multiple=True, metavar="TERM", shell_complete=term_completer("symptom"),
              help="A symptom or sign (repeatable).")
@click.option("--situation", "-t", "situations", multiple=True, metavar="TERM",
              shell_complete=term_completer("situation"),
              help="A situation such as 'after a fall' or 'walking' (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@click.pass_obj
def triage(settings: Settings, symptoms, situations, fmt: str) -> None:
    """Say what the article advises for a set of symptoms and situations.

    Gives the most urgent level any input warrants (a red flag is never
    outranked by a milder sign), the reasons with their article sentences, and
    the conditions whose symptoms best match. Information, not a diagnosis.

    \b
    Example:
      legkg triage --symptom numbness --symptom "groin numbness"
      legkg triage -s "pain" -t "climbing stairs" --format json
    """
    from legkg.answers.triage import triage as run_triage

    result = run_triage(settings.backend(), symptoms, situations)
    out = sys.stdout
    if fmt == "json":
        json.dump(result, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    from legkg.cli.writers import paint, width, wrap

    cols = width(out)
    flag = " (a red flag)" if result["red_flag"] else ""
    click.echo(paint(f"Urgency: {result['level']}{flag} (rank {result['rank']}; higher is more urgent)",
                     result["rank"], out))
    click.echo("Why:")
    for r in result["reasons"]:
        how = f" ({r['modality']})" if r.get("modality") else ""
        click.echo(paint(f"  - {r['input']}: {r['level']}{how}", r["rank"], out))
        if r.get("source"):
            click.echo(wrap(f"article: {r['source']}", "      ", cols))
    if result["cautions"]:
        click.echo("What the article says of how serious or sudden:")
        for c in result["cautions"]:
            click.echo(f"  - {c['about']} {c['relation']} {c['value']} ({c['modality']})")
            click.echo(wrap(f"article: {c['source']}", "      ", cols))
    click.echo("Conditions the article links to these, best first:")
    rows = [dict(c, matched=", ".join(c["matched"]), missing=", ".join(c["missing"])) for c in result["conditions"]]
    emit(rows, ["id", "label", "matched", "missing"], "table")
    click.echo(f"\nNote: {result['note']}")


@click.command()
@click.argument("term", shell_complete=term_completer())
@click.option("--depth", "-d", type=click.IntRange(1, 4), default=1, show_default=True,
              help="How many relations away from the entity to draw.")
@click.option("--format", "-f", "fmt", type=click.Choice(["svg", "png", "dot", "mermaid"]), default="svg",
              show_default=True, help="svg and png need Graphviz's dot; dot and mermaid are text.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (- for stdout); written atomically.")
@click.pass_obj
def graph(settings: Settings, term: str, depth: int, fmt: str, output: str) -> None:
    """Draw the neighbourhood of an entity, node kinds coloured and edges labelled.

    \b
    Example:
      legkg graph sciatica --depth 1 -o sciatica.svg
      legkg graph "spinal stenosis" --format mermaid -o -
    """
    from legkg.publish.pictures import draw, neighbourhood

    fmt = output_format(output, fmt, ["svg", "png", "dot", "mermaid"])
    write_output(draw(neighbourhood(settings.backend(), term, depth), fmt), output, fmt)
