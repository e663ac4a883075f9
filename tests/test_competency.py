"""Competency questions: what the article says, asked through the CLI with --format json.

Each expected answer was written from the article text
(ontology/source/why-cant-i-lift-my-leg.txt), not from running the tool. Where the
article leaves an answer open, ``optional`` lists the labels a faithful model may or
may not return; everything else returned is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from conftest import labels, run, run_json

Rows = list[dict[str, Any]]


def conditions(*args: str) -> Rows:
    return run_json("conditions", *args, "--format", "json")


def canned(name: str, *params: tuple[str, str]) -> Rows:
    args: list[str] = ["query", "run", name]
    for p, v in params:
        args += ["-p", p, v]
    return run_json(*args, "--format", "json")


def assert_answer(rows: Rows, expected: Iterable[str], optional: Iterable[str] = ()) -> None:
    """Every expected label is returned; nothing is returned beyond expected and optional."""
    found = labels(rows)
    expected, optional = set(expected), set(optional)
    missing = expected - found
    extra = found - expected - optional
    assert not missing and not extra, f"missing {sorted(missing)}, unexpected {sorted(extra)}; rows: {rows}"


MUSCULOSKELETAL = {
    "muscle strain", "hip flexor strain", "tendinitis", "hip flexor tendinitis", "bursitis",
    "trochanteric bursitis", "osteoarthritis", "hip osteoarthritis", "labral tear",
}
NERVE_SPINAL = {"sciatica", "spinal stenosis", "piriformis syndrome"}
BROADER = {"stroke", "multiple sclerosis", "generalized weakness", "chronic infection",
           "advanced cancer", "malnutrition"}


# --- the design card example --------------------------------------------------------------------

def test_design_card_sciatic_nerve_and_numbness() -> None:
    """Sciatica compresses the sciatic nerve causing numbness; piriformis syndrome irritates it."""
    rows = conditions("--anatomy", "sciatic nerve", "--symptom", "numbness")
    assert {(r["id"], r["label"]) for r in rows} == {
        ("legkg:Sciatica", "sciatica"), ("legkg:PiriformisSyndrome", "piriformis syndrome")}, rows
    assert {r["article_category"] for r in rows} == {"nerve-related or spinal cause"}, rows


def test_design_card_as_canned_query() -> None:
    rows = canned("conditions-by-anatomy-and-symptom", ("anatomy", "sciatic nerve"),
                  ("symptom", "numbness"))
    assert_answer(rows, {"sciatica", "piriformis syndrome"})


# --- conditions by anatomy ----------------------------------------------------------------------

def test_conditions_affecting_hip() -> None:
    """Hip flexor strain/tendinitis, trochanteric bursitis (outer hip), osteoarthritis and labral
    tears (hip joint). Tendinitis "commonly affects the hip"; the piriformis muscle lies in the
    buttock, arguably part of the hip region."""
    assert_answer(conditions("--anatomy", "hip"),
                  {"hip flexor strain", "hip flexor tendinitis", "trochanteric bursitis",
                   "hip osteoarthritis", "labral tear"},
                  optional={"tendinitis", "osteoarthritis", "piriformis syndrome"})


def test_conditions_affecting_hip_joint() -> None:
    """'Problems within the hip joint': osteoarthritis and labral tears."""
    assert_answer(conditions("--anatomy", "hip joint"), {"hip osteoarthritis", "labral tear"},
                  optional={"osteoarthritis"})


def test_conditions_affecting_spinal_canal() -> None:
    """Spinal stenosis narrows the spinal canal; MS affects the spinal cord, which lies in it."""
    assert_answer(conditions("--anatomy", "spinal canal"), {"spinal stenosis"},
                  optional={"multiple sclerosis"})


def test_conditions_affecting_brain() -> None:
    """Stroke interrupts blood flow to the brain; MS attacks myelin in the brain."""
    assert_answer(conditions("--anatomy", "brain"), {"stroke", "multiple sclerosis"})


def test_conditions_affecting_buttock() -> None:
    """The piriformis muscle lies deep in the buttock."""
    assert_answer(conditions("--anatomy", "buttock"), {"piriformis syndrome"})


def test_conditions_affecting_lower_back() -> None:
    """Spinal stenosis compresses nerve roots in the lower back; a herniated disc in the lumbar
    spine presses on nerve roots. The sciatic nerve only branches from the lower back."""
    assert_answer(conditions("--anatomy", "lower back"), {"spinal stenosis", "herniated disc"},
                  optional={"sciatica"})


# --- conditions by symptom ----------------------------------------------------------------------

def test_conditions_with_tingling() -> None:
    """Tingling is named for spinal stenosis and piriformis syndrome only."""
    assert_answer(conditions("--symptom", "tingling"), {"spinal stenosis", "piriformis syndrome"})


def test_conditions_with_pins_and_needles_synonym() -> None:
    assert_answer(conditions("--symptom", "pins and needles"),
                  {"spinal stenosis", "piriformis syndrome"})


def test_conditions_with_mechanical_symptoms() -> None:
    """Catching, locking and clicking are named only for labral tears."""
    assert_answer(conditions("--symptom", "mechanical symptom"), {"labral tear"})


def test_conditions_with_catching() -> None:
    assert_answer(conditions("--symptom", "catching"), {"labral tear"})


def test_conditions_with_pain() -> None:
    """Pain is named for hip flexor strains ('This damage causes pain', 7.4, about hip flexor strains,
    not every muscle strain), hip flexor tendinitis, trochanteric bursitis, osteoarthritis, labral
    tears, sciatica, spinal stenosis and piriformis syndrome; never for stroke, MS or generalized
    weakness."""
    assert_answer(conditions("--symptom", "pain"),
                  {"hip flexor strain", "hip flexor tendinitis",
                   "trochanteric bursitis", "hip osteoarthritis", "labral tear", "sciatica",
                   "spinal stenosis", "piriformis syndrome"},
                  optional={"osteoarthritis", "herniated disc", "bursitis", "tendinitis"})


def test_conditions_with_numbness() -> None:
    assert_answer(conditions("--symptom", "numbness"),
                  {"sciatica", "spinal stenosis", "piriformis syndrome"}, optional={"herniated disc"})


def test_conditions_with_swelling() -> None:
    """'This damage causes pain, swelling, and weakness' - said of (hip flexor) muscle strains."""
    assert_answer(conditions("--symptom", "swelling"), {"hip flexor strain"})


def test_conditions_with_spasticity() -> None:
    assert_answer(conditions("--symptom", "spasticity"), {"multiple sclerosis"})


# --- conditions by mechanism --------------------------------------------------------------------

def test_conditions_through_inflammation() -> None:
    """Tendinitis is tendon inflammation; bursitis is inflammation of bursae."""
    assert_answer(conditions("--mechanism", "inflammation"),
                  {"tendinitis", "hip flexor tendinitis", "bursitis", "trochanteric bursitis"})


def test_conditions_through_nerve_compression_including_kinds() -> None:
    """Sciatica and piriformis syndrome compress the nerve; spinal stenosis compresses the cord
    or nerve roots; a herniated disc presses on nerve roots (nerve root compression)."""
    assert_answer(conditions("--mechanism", "nerve compression"),
                  {"sciatica", "piriformis syndrome", "spinal stenosis", "herniated disc"})


def test_conditions_through_nerve_root_compression() -> None:
    assert_answer(conditions("--mechanism", "nerve root compression"),
                  {"spinal stenosis", "herniated disc"})


def test_conditions_through_nerve_irritation() -> None:
    assert_answer(conditions("--mechanism", "nerve irritation"), {"sciatica", "piriformis syndrome"})


# --- conditions by category ---------------------------------------------------------------------

def test_musculoskeletal_category() -> None:
    assert_answer(conditions("--category", "musculoskeletal"), MUSCULOSKELETAL)


def test_nerve_related_and_spinal_category() -> None:
    assert_answer(conditions("--category", "nerve-related"), NERVE_SPINAL,
                  optional={"herniated disc"})


def test_broader_medical_category() -> None:
    assert_answer(conditions("--category", "broader medical condition"), BROADER,
                  optional={"severe systemic illness", "nutritional deficiency"})


@pytest.mark.parametrize(
    ("category", "expected"),
    [("musculoskeletal", "musculoskeletal cause"), ("nerve-related", "nerve-related or spinal cause"),
     ("broader medical", "broader medical condition")],
)
def test_article_category_column(category: str, expected: str) -> None:
    rows = conditions("--category", category)
    assert rows and {r["article_category"] for r in rows} == {expected}, rows


# --- combined filters ---------------------------------------------------------------------------

def test_musculoskeletal_with_mechanical_symptoms() -> None:
    assert_answer(conditions("--category", "musculoskeletal", "--symptom", "mechanical symptom"),
                  {"labral tear"})


def test_inflammation_at_the_hip() -> None:
    assert_answer(conditions("--mechanism", "inflammation", "--anatomy", "hip"),
                  {"hip flexor tendinitis", "trochanteric bursitis"}, optional={"tendinitis"})


def test_broader_conditions_with_weakness() -> None:
    """Stroke: sudden weakness on one side; MS: muscle weakness; generalized weakness."""
    assert_answer(conditions("--category", "broader medical", "--symptom", "weakness"),
                  {"stroke", "multiple sclerosis", "generalized weakness"},
                  optional={"chronic infection", "advanced cancer", "malnutrition",
                            "severe systemic illness", "nutritional deficiency"})


def test_nerve_compression_with_tingling_in_buttock() -> None:
    assert_answer(conditions("--mechanism", "nerve compression", "--symptom", "tingling",
                             "--anatomy", "buttock"), {"piriformis syndrome"})


# --- situations ---------------------------------------------------------------------------------

def test_spinal_stenosis_worsens_and_improves() -> None:
    """'Symptoms often worsen with standing or walking and improve with sitting or leaning
    forward.'"""
    assert_answer(canned("aggravating-situations", ("condition", "spinal stenosis")),
                  {"standing", "walking"})
    assert_answer(canned("relieving-situations", ("condition", "spinal stenosis")),
                  {"sitting", "leaning forward"})


def test_hip_flexor_tendinitis_aggravated_by() -> None:
    """'... especially when lifting the leg or climbing stairs.'"""
    assert_answer(canned("aggravating-situations", ("condition", "hip flexor tendinitis")),
                  {"lifting the leg", "climbing stairs"})


def test_trochanteric_bursitis_aggravated_by() -> None:
    """'... pain that worsens with movement, including leg abduction or lifting.'"""
    assert_answer(canned("aggravating-situations", ("condition", "trochanteric bursitis")),
                  {"movement", "leg abduction", "lifting the leg"})


def test_conditions_worsened_by_walking() -> None:
    assert_answer(canned("conditions-by-situation", ("situation", "walking")), {"spinal stenosis"})


# --- causes -------------------------------------------------------------------------------------

def test_cause_of_sciatica_is_herniated_disc() -> None:
    rows = canned("causes-of", ("condition", "sciatica"))
    assert_answer(rows, {"herniated disc"})
    assert all("herniated disc in the lumbar spine" in (r["source"] or "") for r in rows), rows


def test_cause_of_spinal_stenosis_is_bone_spurs() -> None:
    """17.2 'Often due to age-related changes like bone spurs'."""
    assert_answer(canned("causes-of", ("condition", "spinal stenosis")),
                  {"age-related change", "age-related bone spurs"})


def test_herniated_disc_causes_sciatica() -> None:
    assert_answer(canned("effects-of", ("cause", "herniated disc")), {"sciatica"})


def test_causes_of_generalized_weakness() -> None:
    """'Generalized weakness from severe systemic illness or nutritional deficiencies.'"""
    assert_answer(canned("causes-of", ("condition", "generalized weakness")),
                  {"severe systemic illness", "nutritional deficiency"})


@pytest.mark.parametrize("cause", ["chronic infection", "advanced cancer", "malnutrition"])
def test_systemic_conditions_cause_generalized_weakness_via_parent(cause: str) -> None:
    """'Conditions like chronic infections, advanced cancers, or malnutrition' are the kinds of
    systemic illness and nutritional deficiency; the cause is stated for their parents."""
    assert_answer(canned("effects-of", ("cause", cause)), {"generalized weakness"})


def test_kinds_of_systemic_illness_and_deficiency() -> None:
    assert_answer(canned("kinds-of", ("entity", "severe systemic illness")),
                  {"chronic infection", "advanced cancer"})
    assert_answer(canned("kinds-of", ("entity", "nutritional deficiency")), {"malnutrition"})


# --- urgency and red flags ----------------------------------------------------------------------

IMMEDIATE = {"sudden severe pain", "rapidly progressing weakness", "inability to bear weight"}
URGENT = {"loss of bowel or bladder control", "groin numbness"}
CONSULT_IDS = {"legkg:OnsetAfterTraumaticInjury", "legkg:PersistentSymptoms",
               "legkg:WorseningSymptoms", "legkg:SymptomsLimitingDailyActivities"}


def red_flags() -> Rows:
    return canned("red-flags")


def test_immediate_medical_attention() -> None:
    rows = [r for r in red_flags() if r["urgency_label"] == "immediate medical attention"]
    assert_answer(rows, IMMEDIATE)


def test_urgent_evaluation() -> None:
    rows = [r for r in red_flags() if r["urgency_label"] == "urgent evaluation"]
    assert_answer(rows, URGENT)


def test_consult_a_professional() -> None:
    """Traumatic injury such as a fall; persistent symptoms; worsening; impact on daily life."""
    rows = [r for r in red_flags() if r["urgency"] == "legkg:ConsultHealthcareProfessional"]
    assert {r["id"] for r in rows} == CONSULT_IDS, rows


def test_every_trigger_has_one_level_and_a_sentence() -> None:
    rows = red_flags()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == len(IMMEDIATE) + len(URGENT) + len(CONSULT_IDS), rows
    assert all(r["source"] for r in rows), rows
    assert all(isinstance(r["rank"], int) for r in rows), rows  # JSON numbers, not strings


def test_no_red_flag_ranks_below_a_milder_sign() -> None:
    """Nothing outranks a red flag; both red flags and the immediate-attention triggers outrank
    consulting (the article never orders immediate attention against urgent evaluation); the
    sorted output follows the rank, red flags first among equals."""
    rows = red_flags()
    rank = {r["label"]: int(r["rank"]) for r in rows}
    consult = [int(r["rank"]) for r in rows if r["id"] in CONSULT_IDS]
    assert min(rank[s] for s in URGENT) >= max(rank.values()), rows
    assert min(rank[s] for s in IMMEDIATE) > max(consult), rows
    assert {r["label"] for r in rows if r["red_flag"] == "true"} == set(URGENT), rows
    assert [r["label"] for r in rows][:2] == sorted(URGENT), rows
    assert min(rank[s] for s in URGENT) > max(consult), rows
    ranks = [int(r["rank"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True), rows


def test_urgency_of_groin_numbness() -> None:
    rows = canned("urgency-of", ("sign", "groin numbness"))
    assert [(r["label"]) for r in rows] == ["urgent evaluation"], rows


def test_red_flag_class_members() -> None:
    """Only bowel/bladder control loss and groin numbness are called "red flags"."""
    rows = canned("kinds-of", ("entity", "red flag"))
    assert_answer(rows, URGENT)


# --- anatomy, care, onset, mechanism ------------------------------------------------------------

def test_hip_flexor_muscles() -> None:
    assert_answer(canned("hip-flexor-muscles"), {"iliopsoas", "rectus femoris"})


@pytest.mark.parametrize("condition", ["sciatica", "stroke", "labral tear"])
def test_care_options(condition: str) -> None:
    """'An accurate diagnosis allows for an appropriate treatment plan, which may involve physical therapy,
    medication, or surgery': the plan may involve them; no condition is managed by all three."""
    rows = canned("care-options", ("condition", condition))
    assert_answer(rows, {"treatment plan", "physical therapy", "medication", "surgery"})
    assert {r["label"]: r["modality"] for r in rows} == {
        "treatment plan": "typically", "physical therapy": "may", "medication": "may", "surgery": "may"}, rows


def test_stroke_onset_is_sudden() -> None:
    rows = run_json("describe", "stroke", "--format", "json")
    onset = {r["value"] for r in rows if r["field"] == "has onset" and r["direction"] == "out"}
    assert onset == {"sudden onset"}, rows


def test_ms_mechanism_is_immune_attack_on_myelin() -> None:
    assert_answer(canned("mechanisms-of", ("condition", "MS")),
                  {"immune attack on myelin"}, optional={"disrupted nerve signalling"})


def test_ms_affects_brain_and_spinal_cord() -> None:
    assert_answer(canned("anatomy-of", ("condition", "multiple sclerosis")),
                  {"brain", "spinal cord", "myelin sheath", "leg"},
                  optional={"nerve fiber", "body system", "nervous system structure"})


def test_osteoarthritis_mechanisms() -> None:
    assert_answer(canned("mechanisms-of", ("condition", "hip osteoarthritis")),
                  {"cartilage wear", "bone-on-bone friction"})


def test_labral_tear_symptoms() -> None:
    assert_answer(canned("symptoms-of", ("condition", "labral tear")),
                  {"catching", "locking", "clicking", "pain"},
                  optional={"difficulty lifting the leg", "mechanical symptom"})


def test_spinal_stenosis_impairs() -> None:
    """'... making leg lifting or walking difficult.'"""
    assert_answer(canned("impaired-activities", ("condition", "spinal stenosis")),
                  {"lifting the leg", "walking"})


def test_piriformis_muscle_is_in_the_buttock() -> None:
    rows = canned("location-of", ("entity", "piriformis muscle"))
    assert_answer(rows, {"buttock"})


def test_common_and_less_common() -> None:
    """Musculoskeletal causes and sciatica are common; broader conditions are less common."""
    assert_answer(canned("conditions-by-frequency", ("frequency", "common")),
                  MUSCULOSKELETAL | {"sciatica"})
    assert_answer(canned("conditions-by-frequency", ("frequency", "less common")), BROADER,
                  optional={"severe systemic illness", "nutritional deficiency"})


# --- synonyms and describe ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("synonym", "entity_id"),
    [("tendonitis", "legkg:Tendinitis"), ("cerebrovascular accident", "legkg:Stroke"),
     ("pins and needles", "legkg:Tingling"), ("MS", "legkg:MultipleSclerosis"),
     ("hip flexor tendonitis", "legkg:HipFlexorTendinitis"), ("labrum", "legkg:HipLabrum")],
)
def test_synonyms_resolve(synonym: str, entity_id: str) -> None:
    rows = run_json("describe", synonym, "--format", "json")
    assert {r["id"] for r in rows} == {entity_id}, rows


def test_describe_carries_article_sentence_behind_relation() -> None:
    rows = run_json("describe", "sciatica", "--format", "json")
    [caused] = [r for r in rows if r["value_id"] == "legkg:HerniatedDisc"]
    assert caused["direction"] == "in", caused
    assert caused["source"] == ("This can result from a herniated disc in the lumbar spine, "
                                "where disc material presses on nerve roots."), caused


def test_describe_table_shows_article_sentence() -> None:
    code, out, err = run("describe", "spinal stenosis")
    assert code == 0, err
    sentence = "Symptoms often worsen with standing or walking and improve with sitting or leaning forward."
    assert " ".join(out.split()).count(sentence) == 1, out  # wrapped at 80 columns, shown once
    assert out.startswith("spinal stenosis (legkg:SpinalStenosis)"), out
    assert max(len(line) for line in out.splitlines()) <= 80, out


def test_terms_by_kind_symptom_excludes_conditions() -> None:
    rows = run_json("terms", "--kind", "symptom", "--format", "json")
    found = labels(rows)
    assert {"numbness", "tingling", "groin numbness", "catching", "spasticity"} <= found, rows
    assert not found & {"sciatica", "hip", "inflammation"}, rows


# --- more questions ---------------------------------------------------------------------------------

def test_conditions_affecting_spinal_cord() -> None:
    """Spinal stenosis 'can compress the spinal cord'; MS attacks myelin 'in the brain and spinal
    cord'."""
    assert_answer(conditions("--anatomy", "spinal cord"), {"spinal stenosis", "multiple sclerosis"})


def test_conditions_with_weakness() -> None:
    assert_answer(conditions("--symptom", "weakness"),
                  {"hip flexor strain", "sciatica", "spinal stenosis",
                   "piriformis syndrome", "stroke", "multiple sclerosis", "generalized weakness"},
                  optional={"hip flexor tendinitis", "tendinitis", "herniated disc",
                            "chronic infection", "advanced cancer", "malnutrition",
                            "severe systemic illness", "nutritional deficiency"})


def test_conditions_with_poor_coordination() -> None:
    """Piriformis syndrome: 'strength loss or poor coordination'; MS: 'coordination problems'."""
    assert_answer(conditions("--symptom", "coordination problems"),
                  {"piriformis syndrome", "multiple sclerosis"})


def test_conditions_with_fatigue() -> None:
    assert_answer(conditions("--symptom", "fatigue"), {"generalized weakness"},
                  optional={"chronic infection", "advanced cancer", "malnutrition",
                            "severe systemic illness", "nutritional deficiency"})


def test_every_article_cause_makes_lifting_the_leg_difficult() -> None:
    assert_answer(conditions("--symptom", "difficulty lifting the leg"),
                  MUSCULOSKELETAL - {"osteoarthritis"} | NERVE_SPINAL
                  | {"stroke", "multiple sclerosis", "generalized weakness"},
                  optional={"osteoarthritis", "herniated disc", "chronic infection",
                            "advanced cancer", "malnutrition", "severe systemic illness",
                            "nutritional deficiency"})


def test_stroke_is_caused_by_interrupted_blood_flow() -> None:
    assert_answer(canned("causes-of", ("condition", "stroke")),
                  {"interrupted blood flow to the brain"})


def test_kinds_of_nerve_compression() -> None:
    """Spinal stenosis 'can compress the spinal cord or nerve roots'."""
    assert_answer(canned("kinds-of", ("entity", "nerve compression")),
                  {"nerve root compression", "spinal cord compression"})


def test_plain_numbness_is_not_a_red_flag() -> None:
    """Only groin numbness is a red flag; numbness in general warrants no stated urgency."""
    assert canned("urgency-of", ("sign", "numbness")) == []


def test_red_flags_may_indicate_serious_spinal_condition_via_sparql() -> None:
    """'These could indicate a serious spinal condition.' - asked in raw SPARQL."""
    code, out, err = run("sparql", "SELECT ?x WHERE { ?x legkg:mayIndicate legkg:SeriousSpinalCondition }",
                         "--format", "json")
    assert code == 0, err
    found = {b["x"]["value"] for b in json.loads(out)["results"]["bindings"]}
    assert found == {"https://w3id.org/legkg/GroinNumbness",
                     "https://w3id.org/legkg/LossOfBowelOrBladderControl"}, out


def test_herniated_disc_location() -> None:
    """'a herniated disc in the lumbar spine, where disc material presses on nerve roots'."""
    assert_answer(canned("anatomy-of", ("condition", "herniated disc")),
                  {"lumbar spine", "nerve root"}, optional={"intervertebral disc", "lumbar nerve root"})
