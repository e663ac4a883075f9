"""Modality and scope: every fact keeps the strength and the subject the article gives it.

Expected answers are written from the article (sentence ids are line.sentence of the article file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import OWL, RDFS

from legkg.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology" / "legkg-edit.owl"
L = rdflib.Namespace("https://w3id.org/legkg/")


def run_json(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def facts(rows: list[dict], key: str = "label") -> dict[str, set[str]]:
    """label -> the modalities it is stated with."""
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r[key], set()).add(r["modality"])
    return out


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ONTOLOGY, format="xml")
    return g


# --- hedged facts are not OWL axioms ---------------------------------------------------------------

def _existentials(g: rdflib.Graph, cls: rdflib.URIRef, prop: rdflib.URIRef) -> set[rdflib.term.Node]:
    return {g.value(r, OWL.someValuesFrom) for r in g.objects(cls, RDFS.subClassOf)
            if isinstance(r, rdflib.BNode) and g.value(r, OWL.onProperty) == prop}


@pytest.mark.parametrize(("cls", "prop", "obj"), [
    ("SpinalStenosis", "affects", "SpinalCord"),        # 17.1 "can compress the spinal cord or nerve roots"
    ("SpinalStenosis", "affects", "LumbarNerveRoot"),
    ("Stroke", "affects", "MotorCortex"),               # 23.3 "Damage to the brain's motor cortex ... can lead to"
    ("LabralTear", "hasSymptom", "Catching"),           # 11.4 "can cause mechanical symptoms"
    ("HerniatedDisc", "causes", "Sciatica"),            # 15.3 "This can result from a herniated disc"
])
def test_a_hedged_fact_is_an_annotation_not_an_axiom(graph: rdflib.Graph, cls: str, prop: str, obj: str) -> None:
    assert L[obj] not in _existentials(graph, L[cls], L[prop])
    assert (L[cls], L[prop + "Hedged"], L[obj]) in graph
    assert (L[prop + "Hedged"], L.hedgeOf, L[prop]) in graph


def test_spinal_stenosis_is_not_filed_as_neurological() -> None:
    """The article's neurological conditions are stroke and MS; stenosis only *can* compress the cord."""
    labels = {r["label"] for r in run_json("conditions", "--category", "neurological condition")}
    assert labels == {"stroke", "multiple sclerosis"}, labels


def test_an_or_is_one_union(graph: rdflib.Graph) -> None:
    """15.2 'involves irritation or compression of the sciatic nerve': not both."""
    fillers = _existentials(graph, L.Sciatica, L.hasMechanism)
    assert L.NerveCompression not in fillers and L.NerveIrritation not in fillers
    unions = [set(graph.items(graph.value(f, OWL.unionOf))) for f in fillers if isinstance(f, rdflib.BNode)]
    assert {L.NerveCompression, L.NerveIrritation} in unions, unions


# --- named examples reachable ----------------------------------------------------------------------

@pytest.mark.parametrize("muscle", ["iliopsoas", "rectus femoris"])
def test_named_hip_flexor_muscles_reach_hip_flexor_strain(muscle: str) -> None:
    """7.3 'Strains to hip flexor muscles, like the iliopsoas or rectus femoris'."""
    rows = run_json("conditions", "--anatomy", muscle)
    assert [(r["label"], r["modality"]) for r in rows] == [("hip flexor strain", "for example")], rows
    assert rows[0]["source"].startswith("Strains to hip flexor muscles, like the iliopsoas or rectus femoris")


# --- modality in canned query rows -----------------------------------------------------------------

@pytest.mark.parametrize(("query", "param", "value", "expected"), [
    ("symptoms-of", "condition", "stroke", {"paralysis on one side of the body": {"can"},
                                           "sudden weakness on one side of the body": {"can"}}),
    ("symptoms-of", "condition", "hip flexor tendinitis", {"pain at the front of the hip": {"typically"}}),
    ("aggravating-situations", "condition", "hip flexor tendinitis", {"lifting the leg": {"especially"},
                                                                      "climbing stairs": {"especially"}}),
    ("aggravating-situations", "condition", "spinal stenosis", {"standing": {"often"}, "walking": {"often"}}),
    ("relieving-situations", "condition", "spinal stenosis", {"sitting": {"often"}, "leaning forward": {"often"}}),
    ("anatomy-of", "condition", "tendinitis", {"hip": {"commonly"}, "tendon": {"always"}}),
    ("anatomy-of", "condition", "spinal stenosis", {"spinal canal": {"always"}, "spinal cord": {"can"}}),
    ("causes-of", "condition", "spinal stenosis", {"age-related change": {"often"},
                                                   "age-related bone spurs": {"for example"}}),
    ("mechanisms-of", "condition", "sciatica", {"nerve compression": {"can"}, "nerve irritation": {"can"}}),
    ("care-options", "condition", "malnutrition", {"physical therapy": {"may"}, "surgery": {"may"}}),
])
def test_canned_rows_carry_modality_and_the_facts_sentence(query: str, param: str, value: str,
                                                           expected: dict[str, set[str]]) -> None:
    rows = run_json("query", "run", query, "-p", param, value)
    got = facts(rows)
    for label, modalities in expected.items():
        assert got.get(label) == modalities, rows
    assert all(r["modality"] and r["source"] for r in rows), rows


def test_condition_rows_cite_the_matching_fact_not_the_definition() -> None:
    rows = run_json("conditions", "--symptom", "tingling")
    by = {r["label"]: r for r in rows}
    assert set(by) == {"spinal stenosis", "piriformis syndrome"}, rows
    assert "tingling" in by["spinal stenosis"]["source"] and "tingling" in by["piriformis syndrome"]["source"], rows


def test_describe_rows_carry_modality() -> None:
    rows = run_json("describe", "stroke")
    out = {(r["field"], r["value"]): r["modality"] for r in rows if r["direction"] == "out"}
    assert out[("affects", "brain")] == "always", rows        # 23.2 "caused by interrupted blood flow to the brain"
    assert out[("affects", "motor cortex")] == "can", rows    # 23.3
    assert out[("has onset", "sudden onset")] == "can", rows  # 23.3 "can lead to sudden weakness"
    assert all("modality" in r for r in rows)


def test_describe_table_says_the_modality() -> None:
    result = CliRunner().invoke(cli, ["describe", "spinal stenosis"])
    assert result.exit_code == 0, result.output
    assert "often: aggravated by" in result.output and "can: affects" in result.output, result.output


# --- scope as written ------------------------------------------------------------------------------

def test_this_damage_is_the_hip_flexor_strain() -> None:
    """7.4 'This damage causes pain, swelling, and weakness': said of hip flexor strains only."""
    general = {r["label"] for r in run_json("query", "run", "symptoms-of", "-p", "condition", "muscle strain")}
    assert not general & {"pain", "swelling", "weakness"}, general
    specific = facts(run_json("query", "run", "symptoms-of", "-p", "condition", "hip flexor strain"))
    assert {k: specific[k] for k in ("pain", "swelling", "weakness")} == {
        "pain": {"typically"}, "swelling": {"typically"}, "weakness": {"typically"}}, specific


def test_no_condition_is_managed_by_care() -> None:
    """33.4: the plan *may* involve physical therapy, medication, or surgery; no condition is managed by them."""
    result = CliRunner().invoke(cli, ["sparql", "ASK { ?c legkg:managedBy ?care }", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["boolean"] is False, result.output


@pytest.mark.parametrize(("query", "param", "value", "label", "modality", "words"), [
    ("anatomy-of", "condition", "tendinitis", "hip", "commonly", "commonly affects the hip"),            # 9.1
    ("location-of", "entity", "difficulty lifting the leg", "ligament", "often", "ligaments"),           # 7.1
    ("symptoms-of", "condition", "sciatica", "pain radiating down the leg", "can", "along its pathway"),  # 15.4
])
def test_facts_the_article_adds(query: str, param: str, value: str, label: str, modality: str, words: str) -> None:
    rows = [r for r in run_json("query", "run", query, "-p", param, value) if r["label"] == label]
    assert [r["modality"] for r in rows] == [modality], rows
    assert words in rows[0]["source"], rows


@pytest.mark.parametrize("place", ["lower back", "pelvis"])
def test_nerve_compression_often_from_the_lower_back_or_pelvis(place: str) -> None:
    """15.1 'Nerve compression or irritation, often from the lower back or pelvis, can impact leg lifting.'"""
    for term in ("nerve compression", "nerve irritation"):
        rows = [r for r in run_json("describe", term) if r["field"] == "originates in" and r["value"] == place]
        assert [r["modality"] for r in rows] == ["often"], rows
        assert rows[0]["source"].startswith("Nerve compression or irritation, often from the lower back or pelvis")


def test_piriformis_syndrome_is_not_spinal_in_origin() -> None:
    """19.3 'While not spinal in origin': a denial the reasoner keeps, never an edge."""
    query = ("SELECT ?m WHERE { ?f rdf:subject legkg:PiriformisSyndrome ; rdf:predicate legkg:originatesIn ; "
             "rdf:object legkg:Spine ; legkg:modality/rdfs:label ?m }")
    result = CliRunner().invoke(cli, ["sparql", query, "--format", "json"])
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert [r["m"]["value"] for r in rows] == ["not"], result.output
    ask = CliRunner().invoke(cli, ["sparql", "ASK { legkg:PiriformisSyndrome legkg:originatesIn ?o }",
                                   "--format", "json"])
    assert json.loads(ask.stdout)["boolean"] is False, ask.output


# --- triage content ---------------------------------------------------------------------------------

def test_the_general_advice_is_the_baseline() -> None:
    """31.1 'Seek medical guidance if you experience difficulty lifting your leg'; the article never advises rest."""
    levels = run_json("query", "run", "urgency-levels")
    base = [r for r in levels if r["baseline"] == "true"]
    assert [r["label"] for r in base] == ["seek medical guidance"], levels
    assert base[0]["source"].startswith("Seek medical guidance if you experience difficulty lifting your leg")
    assert base[0]["rank"] == min(r["rank"] for r in levels)
    assert not any("rest" in r["label"].split() or "home care" in r["label"] for r in levels), levels
    rows = run_json("query", "run", "urgency-of", "-p", "sign", "difficulty lifting the leg")
    assert [(r["label"], r["modality"]) for r in rows] == [("seek medical guidance", "always")], rows


def test_red_flags_are_the_two_signs_the_article_names() -> None:
    """31.3 'loss of bowel or bladder control, or groin numbness, are "red flags" requiring urgent evaluation'."""
    levels = run_json("query", "run", "urgency-levels")
    assert [r["label"] for r in levels if r["red_flag"] == "true"] == ["urgent evaluation"], levels
    rows = run_json("query", "run", "red-flags")
    flagged = {r["label"] for r in rows if r["red_flag"] == "true"}
    assert flagged == {"loss of bowel or bladder control", "groin numbness"}, rows
    top = max(r["rank"] for r in rows)
    assert all(r["rank"] == top for r in rows if r["red_flag"] == "true"), "nothing outranks a red flag"


@pytest.mark.parametrize(("sign", "level", "words"), [
    ("sudden severe pain", "immediate medical attention", "Immediate medical attention is warranted"),
    ("rapid weakness progression", "immediate medical attention", "rapid weakness progression"),
    ("inability to bear weight", "immediate medical attention", "inability to bear weight"),
    ("groin numbness", "urgent evaluation", "“red flags” requiring urgent evaluation"),
    ("after a fall", "consult a healthcare professional", "follows a traumatic injury, such as a fall"),
    ("persistent symptoms", "consult a healthcare professional", "within a few days also warrant a medical opinion"),
    ("worsening symptoms", "consult a healthcare professional", "seek a diagnosis"),
    ("symptoms limiting daily activities", "consult a healthcare professional", "significantly impact daily"),
])
def test_triggers_and_their_levels(sign: str, level: str, words: str) -> None:
    rows = run_json("query", "run", "urgency-of", "-p", "sign", sign)
    assert [(r["label"], r["modality"]) for r in rows][0] == (level, "always"), rows
    assert words in rows[0]["source"], rows


def test_serious_and_sudden_are_facts() -> None:
    """31.4 'These could indicate a serious spinal condition'; 23.3 'can lead to sudden weakness'."""
    rows = run_json("describe", "groin numbness")
    may = [r for r in rows if r["field"] == "may indicate" and r["direction"] == "out"]
    assert [(r["value"], r["modality"]) for r in may] == [("serious spinal condition", "may")], rows
    serious = run_json("describe", "serious spinal condition")
    assert ("has severity", "serious", "always") in {(r["field"], r["value"], r["modality"]) for r in serious}
