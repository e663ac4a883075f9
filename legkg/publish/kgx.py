"""The graph as KGX (the Biolink Model's exchange format): nodes and edges as TSV or JSON Lines.

Each legkg entity becomes a node with a Biolink category chosen by its kind; each fact
between two entities becomes an edge with a Biolink predicate and the evidence Biolink asks
for: the article sentence (``supporting_text``), the article (``publications``), legkg as
``primary_knowledge_source``, ``knowledge_level`` and ``agent_type``. A fact's strength (its
``legkg:modality``) goes to ``frequency_qualifier`` when it is a frequency word, and a
condition's onset to ``onset_qualifier`` on the phenotypes named in the same sentence; the
word itself is kept in a ``modality`` column. The frequency of a condition itself (``a common
condition``) has no Biolink slot and is not exported.

Example:
    >>> files = render_kgx_tsv(None)
    >>> sorted(files)
    ['_edges.tsv', '_nodes.tsv']
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from legkg.core.prefixes import LEGKG, PREFIXES, curie
from legkg.store.codes import VOCABULARIES
from legkg.store.local import open_backend
from legkg.store.queries import internal_query

INFORES = "infores:legkg"
ARTICLE = "legkg:article"
SUBCLASS = PREFIXES["rdfs"] + "subClassOf"

# legkg kind -> Biolink category
CATEGORIES = {
    "condition": "biolink:Disease",
    "symptom": "biolink:PhenotypicFeature",
    "anatomy": "biolink:AnatomicalEntity",
    "mechanism": "biolink:PathologicalProcess",
    "care": "biolink:Treatment",
    "situation": "biolink:Phenomenon",
    "urgency": "biolink:ClinicalIntervention",
}
# kinds that are qualifiers of other facts, not nodes
QUALIFIER_KINDS = {"frequency", "onset", "severity"}

# legkg property -> Biolink predicate; a pair is (for a disease subject, for any other subject)
PREDICATES: dict[str, str | tuple[str, str]] = {
    "hasSymptom": "biolink:has_phenotype",
    "affects": ("biolink:disease_has_location", "biolink:affects"),
    "hasMechanism": ("biolink:disease_has_basis_in", "biolink:related_to"),
    "causes": "biolink:causes",
    "impairs": "biolink:disrupts",
    "partOf": "biolink:part_of",
    "locatedIn": "biolink:located_in",
    "originatesIn": "biolink:related_to",
    "controls": "biolink:related_to",
    "enables": "biolink:related_to",
    "aggravatedBy": "biolink:condition_exacerbated_by",
    "relievedBy": "biolink:condition_ameliorated_by",
    "managedBy": "biolink:treated_by",
    "mayIndicate": "biolink:related_to",
    "warrants": "biolink:related_to",
    "requires": "biolink:has_participant",
    "involves": "biolink:has_part",
    "allowsFor": "biolink:related_to",
    "extentDependsOn": "biolink:related_to",
    "hasSimilarSymptomsTo": "biolink:similar_to",
    "moreUrgentThan": "biolink:related_to",
    "subClassOf": "biolink:subclass_of",
}
# facts that become qualifiers of other edges rather than edges
QUALIFIER_PREDICATES = {"hasFrequency", "hasOnset", "hasSeverity"}
# strength words that say how often: Biolink's frequency_qualifier takes them
FREQUENCY_WORDS = {"often", "frequently", "commonly", "common", "less commonly", "less common", "usually",
                   "sometimes", "occasionally", "rarely", "typically"}

NODE_COLUMNS = ["id", "category", "name", "description", "synonym", "xref", "iri", "provided_by"]
EDGE_COLUMNS = ["id", "subject", "predicate", "object", "original_predicate", "supporting_text", "publications",
                "primary_knowledge_source", "knowledge_level", "agent_type", "frequency_qualifier",
                "onset_qualifier", "negated", "modality"]
MULTIVALUED = {"category", "synonym", "xref", "provided_by", "supporting_text", "publications"}


@dataclass
class Graph:
    """KGX nodes and edges as dicts of column -> value (lists for multivalued columns)."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)


def _code(iri: str) -> str:
    for v in VOCABULARIES.values():
        if iri.startswith(v.namespace):
            return f"{v.prefix}:{iri[len(v.namespace):]}"
    return curie(iri)


def _local(iri: str) -> str:
    return iri[len(LEGKG):] if iri.startswith(LEGKG) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def build_graph(ontology: Path | None = None) -> Graph:
    """Nodes and edges of the ontology (with its built inferences) as Biolink KGX records."""
    backend = open_backend(ontology)
    kinds: dict[str, set[str]] = {}
    nodes: dict[str, dict] = {}
    for row in backend.select(internal_query("export-nodes")):
        iri, kind = row["entity"].value, row["kind"].value
        kinds.setdefault(iri, set()).add(kind)
        if kind in QUALIFIER_KINDS:
            continue
        node = nodes.setdefault(iri, {
            "id": curie(iri), "category": [], "name": row["label"].value,
            "description": row["definition"].value if row.get("definition") else "",
            "synonym": sorted(s for s in row["synonyms"].value.split("\x1f") if s) if row.get("synonyms") else [],
            "xref": sorted(_code(m) for m in row["matches"].value.split()) if row.get("matches") else [],
            "iri": iri, "provided_by": [INFORES]})
        if CATEGORIES[kind] not in node["category"]:
            node["category"].append(CATEGORIES[kind])
    title = backend.select("SELECT ?t WHERE { ?o a owl:Ontology ; dcterms:source ?t } LIMIT 1")
    article = {"id": ARTICLE, "category": ["biolink:Publication"],
               "name": title[0]["t"].value if title else "the article", "description": "", "synonym": [],
               "xref": [], "iri": LEGKG + "article", "provided_by": [INFORES]}
    graph = Graph(nodes=[nodes[k] for k in sorted(nodes)] + [article])
    graph.edges = _edges(backend, nodes, kinds)
    return graph


def _edges(backend, nodes: dict[str, dict], kinds: dict[str, set[str]]) -> list[dict]:
    facts: dict[tuple[str, str, str], dict] = {}
    onsets: list[tuple[str, str, str]] = []  # (subject, onset, sentence)
    for row in backend.select(internal_query("export-facts")):
        s, p, o = row["subject"].value, row["predicate"].value, row["object"].value
        sentence = row["sentence"].value if row.get("sentence") else None
        name = "subClassOf" if p == SUBCLASS else _local(p)
        if name == "hasOnset" and sentence:
            onsets.append((s, curie(o), sentence))
        if name in QUALIFIER_PREDICATES or s not in nodes or o not in nodes:
            continue
        fact = facts.setdefault((s, name, o), {"sentences": [], "background": [], "modality": []})
        if sentence and sentence not in fact["sentences"]:
            fact["sentences"].append(sentence)
        if row.get("background"):
            fact["background"].append(row["background"].value)
        word = row.get("modalityLabel") or row.get("modality")
        if word is not None:
            text = word.value if not word.value.startswith(LEGKG) else _local(word.value)
            if text not in fact["modality"]:
                fact["modality"].append(text)
    edges = []
    for (s, name, o), fact in sorted(facts.items()):
        predicate = PREDICATES.get(name, "biolink:related_to")
        if isinstance(predicate, tuple):
            predicate = predicate[0] if "condition" in kinds.get(s, ()) else predicate[1]
        inferred = any("inferred" in b for b in fact["background"]) and not fact["sentences"]
        frequency = [w for w in fact["modality"] if w.lower() in FREQUENCY_WORDS]
        onset = sorted({on for subj, on, sent in onsets if subj == s and sent in fact["sentences"]}) \
            if predicate == "biolink:has_phenotype" else []
        edges.append({
            "id": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{s} {name} {o}")),
            "subject": curie(s), "predicate": predicate, "object": curie(o),
            "original_predicate": "rdfs:subClassOf" if name == "subClassOf" else f"legkg:{name}",
            "supporting_text": fact["sentences"],
            "publications": [ARTICLE] if fact["sentences"] else [],
            "primary_knowledge_source": INFORES,
            "knowledge_level": "logical_entailment" if inferred else "knowledge_assertion",
            "agent_type": "automated_agent" if inferred else "manual_agent",
            "frequency_qualifier": frequency[0] if frequency else "",
            "onset_qualifier": onset[0] if onset else "",
            "negated": "True" if "not" in fact["modality"] else "",
            "modality": "|".join(fact["modality"]),
        })
    return edges


def _cell(value) -> str:
    if isinstance(value, list):
        return "|".join(_cell(v) for v in value)
    return " ".join(str(value).replace("|", "/").split())


def _tsv(rows: list[dict], columns: list[str]) -> bytes:
    lines = ["\t".join(columns)] + ["\t".join(_cell(r.get(c, "")) for c in columns) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _jsonl(rows: list[dict], columns: list[str]) -> bytes:
    out = []
    for r in rows:
        record = {c: r[c] for c in columns if r.get(c) not in (None, "", [])}
        out.append(json.dumps(record, ensure_ascii=False, sort_keys=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def render_kgx_tsv(ontology: Path | None) -> dict[str, bytes]:
    """``{"_nodes.tsv": ..., "_edges.tsv": ...}``: KGX TSV, multivalued cells joined by ``|``."""
    g = build_graph(ontology)
    return {"_nodes.tsv": _tsv(g.nodes, NODE_COLUMNS), "_edges.tsv": _tsv(g.edges, EDGE_COLUMNS)}


def render_kgx_jsonl(ontology: Path | None) -> dict[str, bytes]:
    """``{"_nodes.jsonl": ..., "_edges.jsonl": ...}``: KGX JSON Lines, one record a line."""
    g = build_graph(ontology)
    return {"_nodes.jsonl": _jsonl(g.nodes, NODE_COLUMNS), "_edges.jsonl": _jsonl(g.edges, EDGE_COLUMNS)}
