"""Baseline: the design question answered by a plain script with rdflib alone.

Parses the same source ontology, derives the same relation graph and runs the
same canned query with the same bindings, then prints the rows as JSON.

Example:
    python bench/rdflib_baseline.py
"""

import json
import sys
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parent.parent
L = rdflib.Namespace("https://w3id.org/legkg/")

graph = rdflib.Graph()
graph.parse(ROOT / "ontology" / "legkg-edit.owl", format="xml")
graph.update((ROOT / "queries" / "internal" / "relation-graph.ru").read_text(encoding="utf-8"))
query = (ROOT / "queries" / "conditions-by-anatomy-and-symptom.rq").read_text(encoding="utf-8")
rows = graph.query(query, initBindings={"anatomy": L.SciaticNerve, "symptom": L.Numbness})
json.dump([{"id": str(r.id), "label": str(r.label)} for r in rows], sys.stdout, indent=2)
sys.stdout.write("\n")
