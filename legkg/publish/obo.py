"""The ontology as OBO 1.4 and OBO Graphs JSON, for OBO tools (the Ontology Access Kit, pronto, ROBOT).

Terms carry their name, definition, synonyms with scope, codes (``xref``), the article
sentence (``property_value: legkg:sourceSentence``), their direct superclasses (``is_a``,
asserted and inferred, without redundant links) and their relations to other classes
(``relationship: legkg:affects legkg:SciaticNerve``), only for facts the article states without
a hedge: an OBO relationship says every instance has it. The value individuals (frequency,
onset, urgency levels) and the facts that point at them (``hasFrequency common``, ``warrants
urgent evaluation``) have no form that OBO readers accept (oak and fastobo reject
``[Instance]`` stanzas), so the OBO file leaves them out; OBO Graphs keeps them as
``INDIVIDUAL`` nodes. Identifiers are CURIEs with an ``idspace``
header, so ``legkg:Sciatica`` expands to ``https://w3id.org/legkg/Sciatica``.

Example:
    >>> text = render_obo(None)[""].decode()
    >>> "[Term]\\nid: legkg:Sciatica" in text
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from legkg.core.prefixes import LEGKG, PREFIXES, curie
from legkg.publish.kgx import _code
from legkg.store.local import open_backend
from legkg.store.queries import internal_query

SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
OWL = PREFIXES["owl"]
ONTOLOGY_IRI = LEGKG + "legkg.owl"
KINDS = {OWL + "Class": "CLASS", OWL + "NamedIndividual": "INDIVIDUAL", OWL + "ObjectProperty": "PROPERTY"}


@dataclass
class Entity:
    """One class, individual or property with what the OBO formats need of it."""

    iri: str
    kind: str
    label: str = ""
    definition: str = ""
    synonyms: set[tuple[str, str]] = field(default_factory=set)
    xrefs: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)
    inverse: str = ""
    transitive: bool = False
    parents: set[str] = field(default_factory=set)
    relations: set[tuple[str, str]] = field(default_factory=set)
    types: set[str] = field(default_factory=set)


def collect(ontology: Path | None = None) -> dict[str, Entity]:
    """Every legkg entity with its annotations, direct superclasses and relations (with inferences)."""
    backend = open_backend(ontology)
    entities: dict[str, Entity] = {}
    for row in backend.select(internal_query("obo-entities")):
        iri, kind = row["entity"].value, KINDS[row["type"].value]
        e = entities.get(iri)
        if e is None or (e.kind == "CLASS" and kind != "CLASS"):
            e = entities[iri] = Entity(iri, kind) if e is None else e
            e.kind = kind if e.kind != "INDIVIDUAL" else e.kind
        if row.get("label"):
            e.label = row["label"].value
        if row.get("definition"):
            e.definition = row["definition"].value
        if row.get("synonym"):
            e.synonyms.add((row["synonym"].value, row["scope"].value))
        if row.get("match"):
            e.xrefs.add(_code(row["match"].value))
        if row.get("sentence"):
            e.sentences.add(row["sentence"].value)
        if row.get("inverse"):
            e.inverse = row["inverse"].value
        e.transitive = e.transitive or row["transitive"].value == "true"
    for row in backend.select(internal_query("export-facts")):
        s, p, o = row["subject"].value, row["predicate"].value, row["object"].value
        if s not in entities or o not in entities or s == o:
            continue
        modality = row["modalityLabel"].value if row.get("modalityLabel") else "always"
        if p != SUBCLASS and modality != "always":
            continue  # OBO relationships are universal; hedged and denied facts stay in KGX and RDF
        if p == SUBCLASS:
            entities[s].parents.add(o)
        elif p == PREFIXES["rdf"] + "type":
            entities[s].types.add(o)
        elif entities[s].kind == entities[o].kind and p in entities:
            entities[s].relations.add((p, o))
    for s, o in _types(backend):
        if s in entities and o in entities:
            entities[s].types.add(o)
    _reduce(entities)
    return entities


def _types(backend) -> list[tuple[str, str]]:
    rows = backend.select("SELECT ?s ?o WHERE { ?s a owl:NamedIndividual , ?o . FILTER (isIRI(?o) && ?o != "
                          "owl:NamedIndividual) }")
    return [(r["s"].value, r["o"].value) for r in rows]


def _reduce(entities: dict[str, Entity]) -> None:
    """Keep only direct superclasses: drop a parent that another parent already reaches."""
    memo: dict[str, set[str]] = {}

    def ancestors(iri: str, seen: frozenset = frozenset()) -> set[str]:
        if iri not in memo:
            out: set[str] = set()
            for p in entities[iri].parents - seen - {iri}:
                out |= {p} | ancestors(p, seen | {iri})
            memo[iri] = out
        return memo[iri]

    for e in entities.values():
        if e.kind == "CLASS":
            e.parents = {p for p in e.parents if not any(p in ancestors(q) for q in e.parents if q != p)}


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _stanza(e: Entity, entities: dict[str, Entity]) -> str:
    tag = {"CLASS": "Term", "INDIVIDUAL": "Instance", "PROPERTY": "Typedef"}[e.kind]
    lines = [f"[{tag}]", f"id: {curie(e.iri)}"]
    if e.label:
        lines.append(f"name: {' '.join(e.label.split())}")
    if e.definition:
        lines.append(f"def: {_quote(e.definition)} []")
    lines += [f"synonym: {_quote(text)} {scope} []" for text, scope in sorted(e.synonyms)]
    lines += [f"xref: {x}" for x in sorted(e.xrefs)]
    lines += [f"property_value: legkg:sourceSentence {_quote(s)} xsd:string" for s in sorted(e.sentences)]
    lines += [f"instance_of: {curie(t)}" for t in sorted(e.types) if entities[t].kind == "CLASS"]
    lines += [f"is_a: {curie(p)} ! {entities[p].label}" for p in sorted(e.parents) if entities[p].kind == e.kind]
    if e.inverse:
        lines.append(f"inverse_of: {curie(e.inverse)}")
    if e.transitive:
        lines.append("is_transitive: true")
    lines += [f"relationship: {curie(p)} {curie(o)} ! {entities[o].label}" for p, o in sorted(e.relations)]
    return "\n".join(lines) + "\n"


def render_obo(ontology: Path | None) -> dict[str, bytes]:
    """``{"": OBO 1.4 text}``: header with the ``legkg`` idspace, then terms, instances and typedefs."""
    entities = collect(ontology)
    header = ["format-version: 1.4", "ontology: legkg",
              f"idspace: legkg {LEGKG} \"legkg\"",
              "remark: Information from one consumer-health article, not medical advice and not a diagnosis."]
    order = {"CLASS": 0, "INDIVIDUAL": 1, "PROPERTY": 2}
    stanzas = [_stanza(e, entities) for e in sorted(entities.values(), key=lambda e: (order[e.kind], e.iri))
               if e.kind != "INDIVIDUAL"]
    stanzas.append("[Typedef]\nid: legkg:sourceSentence\nname: article sentence\nis_metadata_tag: true\n")
    return {"": ("\n".join(header) + "\n\n" + "\n".join(stanzas)).encode("utf-8")}


def render_obographs(ontology: Path | None) -> dict[str, bytes]:
    """``{"": OBO Graphs JSON}``: one graph of nodes (meta: definition, synonyms, xrefs) and edges."""
    entities = collect(ontology)
    synonym_pred = {"EXACT": "hasExactSynonym", "RELATED": "hasRelatedSynonym"}
    nodes, edges = [], []
    for e in sorted(entities.values(), key=lambda e: e.iri):
        meta: dict = {}
        if e.definition:
            meta["definition"] = {"val": e.definition, "xrefs": []}
        if e.synonyms:
            meta["synonyms"] = [{"pred": synonym_pred[scope], "val": text, "xrefs": []}
                                for text, scope in sorted(e.synonyms)]
        if e.xrefs:
            meta["xrefs"] = [{"val": x} for x in sorted(e.xrefs)]
        if e.sentences:
            meta["basicPropertyValues"] = [{"pred": LEGKG + "sourceSentence", "val": s} for s in sorted(e.sentences)]
        node = {"id": e.iri, "lbl": e.label, "type": e.kind}
        if meta:
            node["meta"] = meta
        nodes.append(node)
        edges += [{"sub": e.iri, "pred": "is_a", "obj": p} for p in sorted(e.parents)]
        edges += [{"sub": e.iri, "pred": p, "obj": o} for p, o in sorted(e.relations)]
        edges += [{"sub": e.iri, "pred": "type", "obj": t} for t in sorted(e.types)]
    graph = {"id": ONTOLOGY_IRI, "meta": {"basicPropertyValues": []}, "nodes": nodes, "edges": edges,
             "equivalentNodesSets": [], "logicalDefinitionAxioms": [], "domainRangeAxioms": [],
             "propertyChainAxioms": []}
    return {"": (json.dumps({"graphs": [graph]}, indent=1, ensure_ascii=False) + "\n").encode("utf-8")}
