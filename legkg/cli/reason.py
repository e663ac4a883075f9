"""Commands for OWL reasoning: ``legkg reason``, ``legkg build`` and ``legkg explain``.

Registered on the ``legkg`` group at the bottom of :mod:`legkg.cli.main`; owlready2 and the JVM
are only touched when one of these commands runs.

Example:
    legkg reason
    legkg build
    legkg explain sciatica --as "nerve compression condition"
    legkg explain --fact "sciatica affects leg"
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from legkg.cli.common import Seconds
from legkg.cli.writers import WRITERS
from legkg.core.errors import LegkgError, Misuse

if TYPE_CHECKING:
    from collections.abc import Iterator

    from legkg.cli.common import Settings

FORMATS = ["table", "json", "csv", "tsv"]
REASON_COLUMNS = ["kind", "id", "label", "relation", "value_id", "value"]
EXPLAIN_COLUMNS = ["step", "axiom", "source"]


def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    out = sys.stdout
    if fmt == "table" and out.isatty():
        from legkg.cli.writers import write_rich_table

        write_rich_table(rows, columns, out)
        return
    WRITERS[fmt](rows, columns, out)


@contextmanager
def progress(message: str) -> Iterator[None]:
    """Show ``message`` and the seconds elapsed on stderr while the block runs (terminals only)."""
    err = sys.stderr
    if not err.isatty():
        yield
        return
    stop = threading.Event()
    start = time.monotonic()

    def tick() -> None:
        frames = "|/-\\"
        i = 0
        while not stop.wait(0.2):
            err.write(f"\r{frames[i % 4]} {message} {time.monotonic() - start:4.0f} s")
            err.flush()
            i += 1

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        err.write("\r" + " " * (len(message) + 12) + "\r")
        err.flush()


def _curie(iri: str) -> str:
    from legkg.core.prefixes import curie

    return curie(iri)


@click.command()
@click.option("--reasoner", "-r", type=click.Choice(["hermit", "pellet", "rl"]), default="hermit", show_default=True,
              help="HermiT (OWL 2 DL), Pellet (OWL 2 DL, needs Java 25) or the OWL 2 RL rules of owlrl (no Java).")
@click.option("--timeout", type=Seconds(), default=120.0, show_default=True,
              metavar="SECONDS", help="Stop the reasoner (and its JVM) after this long.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@click.option("--write-artefact", is_flag=True,
              help="Rebuild ontology/inferred/legkg-inferred.nq, the committed inferences of the bundled ontology.")
@click.pass_obj
def reason(settings: Settings, reasoner: str, timeout: float, fmt: str, write_artefact: bool) -> None:
    """Run an OWL reasoner and list what it infers beyond the asserted axioms.

    Prints consistency, unsatisfiable classes (with why), the inferred class hierarchy
    (subclass links between named classes nobody asserted) and inferred property facts.
    Exits 1 if the ontology is inconsistent or has an unsatisfiable class.

    \b
    Example:
      legkg reason
      legkg reason --reasoner rl --format json
      legkg --ontology my-edit.owl reason --timeout 30
      legkg reason --write-artefact
    """
    from legkg.reasoning.reason import reason as run_reason

    if write_artefact:
        from legkg.reasoning.build import write_bundled_artefact

        if settings.ontology:
            raise Misuse("--write-artefact rebuilds the bundled ontology's inferences; drop --ontology")
        with progress("reasoning with hermit"):
            target = write_bundled_artefact(timeout=timeout)
        click.echo(str(target))
        return
    with progress(f"reasoning with {reasoner}"):
        result = run_reason(settings.ontology, reasoner=reasoner, timeout=timeout)
        if not result.consistent or result.unsatisfiable:
            from legkg.reasoning.explain import explain_problems

            explain_problems(result, settings.ontology, timeout=timeout)
    label = result.labels.get
    rows = [{"kind": "consistency", "id": None, "label": None, "relation": result.reasoner,
             "value_id": None, "value": "consistent" if result.consistent else "inconsistent"}]
    for c in result.unsatisfiable:
        rows.append({"kind": "unsatisfiable", "id": _curie(c), "label": label(c), "relation": "is equivalent to",
                     "value_id": "owl:Nothing", "value": "nothing"})
    for c, d in result.hierarchy:
        rows.append({"kind": "subclass", "id": _curie(c), "label": label(c), "relation": "is a",
                     "value_id": _curie(d), "value": label(d)})
    for i, t in result.types:
        rows.append({"kind": "type", "id": _curie(i), "label": label(i), "relation": "instance of",
                     "value_id": _curie(t), "value": label(t)})
    for s, p, o in result.facts:
        rows.append({"kind": "fact", "id": _curie(s), "label": label(s), "relation": label(p) or _curie(p),
                     "value_id": _curie(o), "value": label(o)})
    for r in result.explanation:
        rows.append({"kind": "explanation", "id": None, "label": r["goal"], "relation": f"step {r['step']}",
                     "value_id": None, "value": f"{r['axiom']} ({r['source']})"})
    _emit(rows, REASON_COLUMNS, fmt)
    summary = (f"{result.reasoner}: {'consistent' if result.consistent else 'INCONSISTENT'}, "
               f"{len(result.unsatisfiable)} unsatisfiable, {len(result.hierarchy)} inferred subclass links, "
               f"{len(result.types) + len(result.facts)} inferred facts, {result.seconds:.1f} s")
    click.echo(summary, err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if not result.consistent:
        raise LegkgError("the ontology is inconsistent" + (f": {result.explanation[0]['axiom']} ..."
                                                            if result.explanation else ""))
    if result.unsatisfiable:
        names = ", ".join(label(c) or _curie(c) for c in result.unsatisfiable[:5])
        raise LegkgError(f"{len(result.unsatisfiable)} unsatisfiable class(es): {names}")


def _resolve(settings: Settings, term: str) -> str:
    from legkg.reasoning.reason import NOTHING
    from legkg.store.local import open_backend
    from legkg.store.terms import TermIndex

    if term.strip().casefold() in ("nothing", "owl:nothing", NOTHING.casefold()):
        return NOTHING
    index = TermIndex.load(open_backend(settings.ontology, asserted=True))
    return index.resolve(term).iri


def _split_fact(settings: Settings, text: str) -> tuple[str, str, str]:
    """Split 'S P O' at a relation's label or CURIE: 'sciatica affects leg' -> (S, affects, O)."""
    import re

    from legkg.core.prefixes import expand
    from legkg.store.local import open_backend

    backend = open_backend(settings.ontology, asserted=True)
    rows = backend.select("SELECT ?p ?l WHERE { ?p a owl:ObjectProperty ; rdfs:label ?l }")
    props = sorted(((r["l"].value, r["p"].value) for r in rows), key=lambda x: -len(x[0]))
    words = " ".join(text.split())
    for name, iri in props + [(k, v) for k, v in ((p.split("/")[-1], p) for _, p in props)]:
        m = re.search(rf"(?:^|\s){re.escape(name)}(?:\s|$)", words, re.IGNORECASE)
        if m and m.start() > 0 and m.end() < len(words):
            return words[:m.start()].strip(), iri, words[m.end():].strip()
    for token in words.split():
        if ":" in token:
            with_prefix = expand(token)
            if with_prefix:
                s, _, o = words.partition(token)
                if s.strip() and o.strip():
                    return s.strip(), with_prefix, o.strip()
    names = ", ".join(sorted({n for n, _ in props}))
    raise Misuse(f"cannot find a relation in {text!r}; write it as 'SUBJECT RELATION OBJECT' with one of: {names}")


@click.command()
@click.argument("term", required=False)
@click.option("--as", "as_", metavar="CLASS", help="Explain why TERM falls under CLASS ('nothing': why it is "
              "unsatisfiable).")
@click.option("--fact", metavar="'S P O'", help="Explain a fact such as 'sciatica affects leg'.")
@click.option("--timeout", type=Seconds(), default=300.0, show_default=True,
              metavar="SECONDS", help="Stop each reasoner run (and its JVM) after this long.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@click.pass_obj
def explain(settings: Settings, term: str | None, as_: str | None, fact: str | None, timeout: float,
            fmt: str) -> None:
    """Show a minimal set of axioms that entails an inference, with the article sentence behind each.

    The set is found black-box: HermiT re-checks the inference with axioms removed until no
    axiom can go (several checks per JVM run). Needs Java.

    \b
    Example:
      legkg explain sciatica --as "nerve compression condition"
      legkg explain "herniated disc" --as "condition affecting a nerve"
      legkg explain --fact "sciatica affects leg"
    """
    from legkg.reasoning.explain import explain_fact, explain_subsumption

    if fact and (term or as_):
        raise Misuse("give either TERM --as CLASS or --fact 'S P O', not both")
    if fact:
        s_text, prop, o_text = _split_fact(settings, fact)
        s, o = _resolve(settings, s_text), _resolve(settings, o_text)
        with progress("explaining"):
            result = explain_fact(settings.ontology, s, prop, o, timeout=timeout)
    elif term and as_:
        sub, sup = _resolve(settings, term), _resolve(settings, as_)
        with progress("explaining"):
            result = explain_subsumption(settings.ontology, sub, sup, timeout=timeout)
    else:
        raise Misuse("say what to explain: TERM --as CLASS, or --fact 'S P O'")
    if fmt == "table":
        click.echo(f"{result.goal}, because:")
        for r in result.rows():
            click.echo(f"  {r['step']}. {r['axiom']}")
            click.echo(f"     ({r['source']})")
    else:
        _emit(result.rows(), ["goal", *EXPLAIN_COLUMNS], fmt)
    click.echo(f"{len(result.axioms)} axioms of a {result.module_size}-axiom module; "
               f"{result.checks} HermiT runs", err=True)


@click.command()
@click.option("--reasoner", "-r", type=click.Choice(["hermit", "pellet", "rl"]), default=None,
              help="Reasoner to run when the inferences are stale [default: hermit, or rl without Java "
                   "for an ontology other than the bundled one].")
@click.option("--timeout", type=Seconds(), default=300.0, show_default=True,
              help="Seconds the reasoner may take.")
@click.pass_obj
def build(settings: Settings, reasoner: str | None, timeout: float) -> None:
    """Build the reasoner's inferences for the ontology after an edit (queries never reason).

    Does nothing when the inferences are current; prints where they are.

    \b
    Examples:
      legkg build
      legkg --ontology my-edit.owl build --reasoner rl
    """
    from legkg.reasoning.build import build as run_build

    with progress(f"reasoning with {reasoner or 'hermit'}"):
        rebuilt, where = run_build(settings.ontology, reasoner=reasoner, timeout=timeout)
    click.echo(f"{'built' if rebuilt else 'current'}: {where}")
