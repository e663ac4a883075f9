"""Plain-English questions: each phrasing must give exactly the answer read from the article."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli

SCIATIC_NUMB = {"sciatica", "piriformis syndrome"}
STENOSIS_WORSE = {"standing", "walking"}
STENOSIS_BETTER = {"sitting", "leaning forward"}
# "An accurate diagnosis allows for an appropriate treatment plan, which may involve physical therapy,
# medication, or surgery": said of any diagnosed cause, never of one condition.
GENERAL_CARE = {"treatment plan", "physical therapy", "medication", "surgery"}
# "broader medical conditions affecting overall body systems or neurological function" (23.1)
BROADER = {"body system", "nervous system structure"}
TINGLING = {"spinal stenosis", "piriformis syndrome"}
INFLAMMATORY = {"tendinitis", "hip flexor tendinitis", "bursitis", "trochanteric bursitis"}
HIP_FLEXORS = {"iliopsoas", "rectus femoris"}
MECHANICAL = {"catching", "locking", "clicking"}

PHRASINGS: list[tuple[str, set[str]]] = [
    # the design card and paraphrases
    ("which conditions affecting the sciatic nerve cause numbness", SCIATIC_NUMB),
    ("Which conditions affecting the sciatic nerve cause numbness?", SCIATIC_NUMB),
    ("What conditions affect the sciatic nerve and cause numbness?", SCIATIC_NUMB),
    ("which conditions cause numbness and affect the sciatic nerve", SCIATIC_NUMB),
    ("what problems of the sciatic nerve can cause numbness?", SCIATIC_NUMB),
    ("numbness from the sciatic nerve: which conditions?", SCIATIC_NUMB),
    ("Which conditions affecting the SCIATIC NERVES cause numbness?", SCIATIC_NUMB),
    ("which conditions affecting the sciatc nerve cause numbnes", SCIATIC_NUMB),
    ("which conditions affecting the nerve sciatic cause numbness", SCIATIC_NUMB),
    # conditions by symptom
    ("what can cause tingling?", TINGLING),
    ("what causes pins and needles?", TINGLING),
    ("which conditions give you pins and needles", TINGLING),
    ("what conditions cause mechanical symptoms?", {"labral tear"}),
    ("which conditions cause clicking in the hip?", {"labral tear"}),
    ("what could cause spasticity?", {"multiple sclerosis"}),
    ("which conditions cause fatigue?", {"generalized weakness"}),
    ("what conditions cause stiffness", {"hip osteoarthritis"}),
    # conditions by anatomy, mechanism, category
    ("which conditions affect the hip joint?", {"hip osteoarthritis", "labral tear"}),
    ("what conditions affect the brain?", {"stroke", "multiple sclerosis"}),
    ("which conditions affect the spinal canal?", {"spinal stenosis"}),
    ("what problems affect the buttock?", {"piriformis syndrome"}),
    ("which conditions involve inflammation?", INFLAMMATORY),
    ("what conditions are caused by inflammation", INFLAMMATORY),
    ("which conditions involve nerve compression", {"sciatica", "herniated disc", "spinal stenosis",
                                                    "piriformis syndrome"}),
    ("which conditions involve immune attack on myelin", {"multiple sclerosis"}),
    ("which broader medical conditions cause weakness?", {"stroke", "multiple sclerosis", "generalized weakness"}),
    # what causes a condition
    ("what causes sciatica?", {"herniated disc"}),
    ("What can cause sciatica", {"herniated disc"}),
    ("what is the cause of sciatica?", {"herniated disc"}),
    ("why does sciatica happen?", {"nerve compression", "nerve irritation"}),
    ("what causes spinal stenosis?", {"age-related change", "age-related bone spurs"}),
    ("what is spinal stenosis due to", {"age-related change", "age-related bone spurs"}),
    ("what causes stroke?", {"interrupted blood flow to the brain"}),
    ("what causes generalized weakness?", {"severe systemic illness", "nutritional deficiency"}),
    # what a condition causes
    ("what does a herniated disc cause?", {"sciatica"}),
    ("what can a slipped disc lead to?", {"sciatica"}),
    ("what can bone spurs cause?", {"spinal stenosis"}),
    # worse and better
    ("what makes spinal stenosis worse?", STENOSIS_WORSE),
    ("What aggravates spinal stenosis", STENOSIS_WORSE),
    ("when does spinal stenosis get worse", STENOSIS_WORSE),
    ("what makes spinal stenosis better?", STENOSIS_BETTER),
    ("what relieves spinal stenosis", STENOSIS_BETTER),
    ("how can I ease spinal stenosis", STENOSIS_BETTER),
    ("what makes hip flexor tendinitis worse?", {"lifting the leg", "climbing stairs"}),
    ("what aggravates trochanteric bursitis?", {"movement", "leg abduction", "lifting the leg"}),
    ("which conditions get worse with walking?", {"spinal stenosis"}),
    ("which conditions are made worse by climbing stairs", {"hip flexor tendinitis"}),
    # urgency
    ("is groin numbness an emergency?", {"urgent evaluation"}),
    ("what does groin numbness warrant?", {"urgent evaluation"}),
    ("how urgent is loss of bladder control?", {"urgent evaluation"}),
    ("should I see a doctor for sudden severe pain?", {"immediate medical attention"}),
    ("is it serious if I cannot bear weight?", {"immediate medical attention"}),
    ("should I see a doctor after a fall?", {"consult a healthcare professional"}),
    ("what does rapid weakness progression warrant", {"immediate medical attention"}),
    # the article calls two signs "red flags" (32.3); its warning signs beyond the general advice
    # are those and the three that warrant immediate medical attention (32.2)
    ("what are the red flags?", {"loss of bowel or bladder control", "groin numbness"}),
    ("what are the warning signs", {"sudden severe pain", "rapidly progressing weakness", "inability to bear weight",
                                    "loss of bowel or bladder control", "groin numbness"}),
    # what should I do: the level the article advises, never below its general advice (31.1)
    ("I fell and now can't lift my leg, what should I do?", {"consult a healthcare professional"}),
    ("I can't lift my leg, what should I do?", {"seek medical guidance"}),
    ("what should I do with groin numbness?", {"urgent evaluation"}),
    ("what should I do with paralysis on one side of the body?", {"seek medical guidance"}),
    # which conditions are sudden / common / less common; what a sign indicates; what a thing is a kind of
    ("which conditions are sudden?", {"stroke"}),
    ("what does groin numbness indicate?", {"serious spinal condition"}),
    ("what is a hip flexor strain a kind of?", {"muscle strain"}),
    # where, what, how treated, mechanisms, symptoms, kinds
    ("where is the piriformis muscle?", {"buttock"}),
    ("where is the trochanteric bursa located", {"outer hip"}),
    ("where is the sciatic nerve", {"leg", "lower back"}),
    ("how is sciatica treated?", GENERAL_CARE),
    ("what is the treatment for piriformis syndrome", GENERAL_CARE),
    ("what are the care options for a labral tear", GENERAL_CARE),
    ("how does multiple sclerosis work?", {"immune attack on myelin", "disrupted nerve signalling"}),
    ("what is the mechanism of a muscle strain", {"overstretched or torn fibres"}),
    ("what are the symptoms of a labral tear?", {"catching", "locking", "clicking", "pain",
                                                 "difficulty lifting the leg"}),
    ("what are the signs of hip osteoarthritis", {"pain", "stiffness", "reduced range of motion",
                                                  "difficulty lifting the leg"}),
    ("what are the hip flexor muscles?", HIP_FLEXORS),
    ("which muscles are hip flexors", HIP_FLEXORS),
    ("what kinds of mechanical symptom are there?", MECHANICAL),
    ("what part of the body does a stroke affect?", {"brain", "motor cortex"} | BROADER),
    # 25.2: the myelin sheath covering nerve fibers; that MS affects the fibres themselves is inferred
    # (affects, then part of), not asserted, and this form lists asserted facts
    ("what does multiple sclerosis affect", {"myelin sheath", "brain", "spinal cord", "leg"} | BROADER),
]


def _ask(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["ask", *args])
    return result.exit_code, result.stdout, result.stderr


def test_there_are_at_least_sixty_phrasings() -> None:
    assert len(PHRASINGS) >= 60


@pytest.mark.parametrize(("question", "expected"), PHRASINGS, ids=[q for q, _ in PHRASINGS])
def test_phrasing(question: str, expected: set[str]) -> None:
    code, out, err = _ask(question, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["label"] for r in rows} == expected, out
    assert all(r["id"].startswith("legkg:") for r in rows), out


def test_what_is_gives_the_definition_and_sentence() -> None:
    code, out, err = _ask("what is tendonitis?", "--format", "json")
    assert code == 0, err
    fields = {r["field"]: r["value"] for r in json.loads(out)}
    assert fields["definition"] == "Inflammation of a tendon.", out
    assert fields["article sentence"].startswith("Tendinitis, or tendon inflammation"), out


def test_rows_carry_article_sentences() -> None:
    code, out, _ = _ask("which conditions affecting the sciatic nerve cause numbness", "--format", "json")
    sources = {r["label"]: r["source"] for r in json.loads(out)}
    assert sources["sciatica"].startswith("Sciatica, a common condition"), out


def test_show_sparql_prints_the_canned_queries() -> None:
    code, out, err = _ask("what makes spinal stenosis worse?", "--show-sparql")
    assert code == 0, err
    assert "# aggravating-situations.rq" in err and "legkg:aggravatedBy" in err, err
    assert "standing" in out and "walking" in out, out


@pytest.mark.parametrize("question", ["what is the weather today?", "tell me a joke",
                                      "does sciatica like pizza", "x\" } UNION { ?s ?p ?o"])
def test_unanswerable_questions_are_refused_honestly(question: str) -> None:
    code, out, err = _ask(question)
    assert code == 1, out + err
    assert err.startswith("Error: I can't answer that."), err
    assert "Try:" in err and "Traceback" not in err, err
    assert out == "", out


def test_refusal_names_the_recognised_terms_and_close_forms() -> None:
    code, _, err = _ask("does sciatica like pizza")
    assert code == 1
    assert "sciatica (condition)" in err and "what causes sciatica?" in err, err


def test_empty_question_is_misuse() -> None:
    code, _, err = _ask("   ")
    assert code == 2 and "empty question" in err, err


@pytest.mark.parametrize(("question", "absent"), [
    # The article names no drug, only "medication" in a treatment plan (33.4).
    ("does ibuprofen help sciatica?", "ibuprofen"),
    # It never speaks of yoga; standing and walking are what worsen stenosis (17.3).
    ("does yoga make spinal stenosis worse?", "yoga"),
])
def test_answer_says_which_words_the_article_never_uses(question: str, absent: str) -> None:
    result = CliRunner().invoke(cli, ["ask", question])
    assert result.exit_code == 0, result.output
    assert f"Not in the article: {absent}" in result.output
    as_json = CliRunner().invoke(cli, ["ask", question, "-f", "json"])
    assert f"not in the article: {absent}".lower() in as_json.stderr.lower()
    json.loads(as_json.stdout)


@pytest.mark.parametrize("question", ["wat makes spinal stenosis worse",
                                      "My symptoms haven't improved after a few days of rest, what should I do?",
                                      "which conditions affecting the sciatc nerve cause numbnes"])
def test_question_words_and_typos_are_not_reported_missing(question: str) -> None:
    result = CliRunner().invoke(cli, ["ask", question])
    assert result.exit_code == 0, result.output
    assert "Not in the article" not in result.output
