"""``KnowledgeGraph``: one method per command, each calling the library function its command calls.

Example:
    >>> kg = open()
    >>> kg.ancestors("sciatica")[0]["label"]
    'nerve related or spinal cause'
"""

from __future__ import annotations

from collections.abc import Sequence

from legkg.core.errors import Misuse, require

TYPE_CHECKING = False  # pathlib is loaded only when a file is given: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path

Terms = str | Sequence[str] | None


class Rows(list):
    """A list of dicts (one per row) that also knows its column order.

    Example:
        >>> Rows([{"id": "legkg:Sciatica", "label": "sciatica"}]).columns
        ['id', 'label']
    """

    def __init__(self, rows=(), columns: Sequence[str] | None = None) -> None:
        super().__init__(rows)
        self.columns = list(columns) if columns is not None else (list(self[0]) if self else [])

    def to_pandas(self):
        """The rows as a pandas DataFrame (needs pandas: ``pip install 'legkg[notebook]'``)."""
        pd = require("pandas", "to_pandas()")
        return pd.DataFrame(list(self), columns=self.columns)


def _list(value: Terms) -> list[str]:
    """A term or a list of terms as a list: ``"numbness"`` is one term, not seven letters."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class KnowledgeGraph:
    """The ontology (or a SPARQL endpoint) with one method per ``legkg`` command.

    Reading methods return :class:`Rows`; bad terms raise :class:`legkg.core.errors.LegkgError`
    with the same one-line message the command prints.
    """

    def __init__(self, backend, ontology: Path | None = None) -> None:
        self.backend = backend
        self.ontology = ontology

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.backend.label}>"

    # --- looking things up ------------------------------------------------------------------

    def conditions(self, anatomy: Terms = None, symptom: Terms = None, mechanism: Terms = None,
                   category: Terms = None, xref: str | None = None) -> Rows:
        """Conditions meeting every filter (each a term or a list of terms); ``xref`` adds codes.

        Example:
            >>> [r["id"] for r in open().conditions(symptom=["numbness"], anatomy="sciatic nerve")]
            ['legkg:PiriformisSyndrome', 'legkg:Sciatica']
        """
        from legkg.answers.lookup import find_conditions

        rows = find_conditions(self.backend, _list(anatomy), _list(symptom), _list(mechanism), _list(category))
        columns = ["id", "label", "article_category"]
        if xref:
            from legkg.vocab.mappings import add_xrefs

            columns.append(add_xrefs(self.backend, rows, xref))
        return Rows(rows, columns)

    def describe(self, term: str) -> Rows:
        """Everything about one entity, one row per annotation, relation or code."""
        from legkg.answers.lookup import describe

        return Rows(describe(self.backend, term))

    def terms(self, text: str | None = None, kind: str | None = None) -> Rows:
        """Entities whose label or synonym contains ``text``, optionally of one kind."""
        from legkg.answers.lookup import list_terms

        return Rows(list_terms(self.backend, text, kind), ["id", "label", "kind", "synonyms"])

    # --- walking the hierarchy --------------------------------------------------------------

    def ancestors(self, term: str, relation: Terms = None) -> Rows:
        """What ``term`` is a kind of (or reaches by ``relation``), nearest first."""
        from legkg.answers.navigate import ancestors

        return Rows(ancestors(self.backend, term, _list(relation)), ["id", "label", "kind", "distance"])

    def descendants(self, term: str, relation: Terms = None) -> Rows:
        """The kinds of ``term`` (or what reaches it by ``relation``), nearest first."""
        from legkg.answers.navigate import descendants

        return Rows(descendants(self.backend, term, _list(relation)), ["id", "label", "kind", "distance"])

    def paths(self, start: str, end: str, relation: Terms = None) -> Rows:
        """The shortest paths between two entities, one row per step."""
        from legkg.answers.navigate import paths

        return Rows(paths(self.backend, start, end, _list(relation)))

    def tree(self, term: str | None = None, relation: Terms = None) -> Rows:
        """The entities under ``term`` (or every root) depth first, each with its depth."""
        from legkg.answers.navigate import tree

        return Rows(tree(self.backend, term, _list(relation)))

    # --- queries ----------------------------------------------------------------------------

    def queries(self) -> Rows:
        """The canned queries with their parameters (``legkg query list``)."""
        from legkg.store.canned import query_catalogue

        return Rows(query_catalogue(), ["id", "label", "parameters", "description"])

    def query(self, name: str, **params: str) -> Rows:
        """Run a canned query by name, its parameters given as keywords (``legkg query run``).

        Example:
            >>> [r["label"] for r in open().query("symptoms-of", condition="piriformis syndrome")][:2]
            ['buttock pain', 'numbness']
        """
        from legkg.store.canned import run_canned

        columns, rows = run_canned(self.backend, name, list(params.items()))
        return Rows(rows, columns)

    def query_text(self, name: str) -> str:
        """The text of a canned query (``legkg query show``)."""
        from legkg.store.queries import load_query

        return load_query(name).text

    def sparql(self, text: str, allow_service: bool = False, timeout: float = 30.0,
               limit: int = 10_000) -> Rows | bool | str:
        """Run any read query: rows for SELECT, a bool for ASK, Turtle text for CONSTRUCT/DESCRIBE."""
        from legkg.store.canned import run_sparql

        kind, columns, payload, _ = run_sparql(self.backend, text, "table", allow_service=allow_service,
                                               timeout=timeout, limit=limit)
        if kind == "ask":
            return payload[0]["answer"] == "yes"
        if kind == "graph":
            return payload.decode("utf-8")
        return Rows(payload, columns)

    # --- questions for people ---------------------------------------------------------------

    def ask(self, question: str) -> Rows:
        """Answer a question in plain English; the rows carry ``form``, ``recognised`` and ``not_in_article``."""
        from legkg.answers.ask import ask

        answer = ask(self.backend, question)
        rows = Rows(answer.rows, answer.columns)
        rows.form = answer.form
        rows.recognised = [m.entity.label for m in answer.mentions]
        rows.not_in_article = answer.not_in_article
        return rows

    def triage(self, symptom: Terms = None, situation: Terms = None) -> dict:
        """The article's advice for symptoms and situations: level, reasons, matching conditions."""
        from legkg.answers.triage import triage

        return triage(self.backend, _list(symptom), _list(situation))

    def graph(self, term: str, depth: int = 1, fmt: str = "mermaid") -> bytes:
        """A picture of an entity's neighbourhood (mermaid or dot text; svg and png need Graphviz)."""
        from legkg.publish.pictures import draw, neighbourhood

        return draw(neighbourhood(self.backend, term, depth), fmt)

    # --- the ontology as a whole ------------------------------------------------------------

    def export(self, fmt: str = "ttl") -> bytes:
        """The ontology in another RDF syntax (ttl, owl, nt, jsonld)."""
        from legkg.publish.export import export_ontology

        self._local("export")
        return export_ontology(self.ontology, fmt)

    def mappings(self, vocabulary: str | None = None) -> Rows:
        """The SSSOM mappings to other vocabularies, optionally of one vocabulary."""
        from dataclasses import asdict

        from legkg.vocab.mappings import load_mappings, select

        return Rows(asdict(m) for m in select(load_mappings(), vocabulary))

    def link(self, file: str | Path, name: str, format: str | None = None, force: bool = False) -> dict:
        """Load an RDF vocabulary file into the linked store as ``name`` (``legkg link FILE --name NAME``).

        Returns its graph, triples, source and whether it loaded; ``open(linked=[name])`` then queries it.

        Example:
            >>> open().link("mondo.owl", "mondo")["graph"]  # doctest: +SKIP
            'https://w3id.org/legkg/graph/mondo'
        """
        from pathlib import Path

        from legkg.vocab.linkfile import link_file

        return link_file(Path(file), name, format, force)

    def linked(self) -> Rows:
        """The vocabularies in the linked store (``legkg link list``)."""
        from legkg.vocab.linkfile import linked_list

        return Rows(linked_list(), ["name", "graph", "triples", "source", "state"])

    def unlink(self, name: str) -> dict:
        """Remove a linked vocabulary from the linked store (``legkg link remove NAME``); the others stay.

        Example:
            >>> open().unlink("mondo")["triples"]  # doctest: +SKIP
            2345678
        """
        from legkg.vocab.linkfile import unlink

        return unlink(name)

    def validate(self) -> Rows:
        """QC queries and SHACL shapes: one row per violation (none means the ontology passes)."""
        from legkg.publish.validate import COLUMNS, validate

        self._local("validate")
        return Rows((v.row() for v in validate(self.ontology)), COLUMNS)

    def build(self, reasoner: str | None = None, timeout: float = 300.0) -> bool:
        """Make the reasoner's inferences current; True when it had to reason."""
        from legkg.reasoning.build import build

        self._local("build")
        return build(self.ontology, reasoner, timeout)[0]

    def reason(self, reasoner: str = "hermit", timeout: float = 120.0):
        """Run a reasoner over the ontology and return its result (classes, facts, problems)."""
        from legkg.reasoning.reason import reason

        self._local("reason")
        return reason(self.ontology, reasoner, timeout)

    def explain(self, sub: str, sup: str, timeout: float = 120.0):
        """Why ``sub`` is a kind of ``sup``: a minimal set of axioms with their sources."""
        from legkg.reasoning.explain import explain_subsumption
        from legkg.store.terms import TermIndex

        self._local("explain")
        index = TermIndex.load(self.backend)
        return explain_subsumption(self.ontology, index.resolve(sub).iri, index.resolve(sup).iri, timeout)

    def _local(self, what: str) -> None:
        from legkg.store.local import LocalBackend

        if not isinstance(self.backend, LocalBackend):
            raise Misuse(f"{what} works on an ontology file, not on a SPARQL endpoint")


def open(ontology: str | Path | None = None, endpoint: str | None = None, asserted: bool = False,
         user: str | None = None, password: str | None = None, timeout: float = 30.0,
         linked: Sequence[str] = ()) -> KnowledgeGraph:
    """Open the bundled ontology, another ontology file, or a SPARQL endpoint.

    Example:
        >>> open()
        <KnowledgeGraph embedded store>
    """
    from pathlib import Path

    path = Path(ontology) if ontology is not None else None
    if endpoint:
        if path is not None:
            raise Misuse("ontology and endpoint exclude each other: push the file to the server instead")
        from legkg.store.remote import RemoteBackend

        return KnowledgeGraph(RemoteBackend(endpoint, user, password, timeout=timeout))
    if linked:
        from legkg.vocab.linked import open_linked

        return KnowledgeGraph(open_linked(path, tuple(linked), asserted=asserted), path)
    from legkg.store.local import open_backend

    return KnowledgeGraph(open_backend(path, asserted=asserted), path)

