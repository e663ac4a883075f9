"""OWL reasoning: inferred-only answers, reasoner agreement, broken ontologies, explanations, staleness.

Tests marked ``reasoner`` start a JVM (HermiT, Pellet); the others read the committed
inferences (ontology/inferred/legkg-inferred.nq) and need no Java. Every test writes only under
tmp_path (the session fixture points LEGKG_CACHE_DIR at a temporary folder).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, LEGKG, ONTOLOGY, labels, run, run_json

from legkg.reasoning import reason as reason_mod
from legkg.reasoning.reason import NOTHING, find_java
from legkg.store.artefacts import bundled_artefact, read_key, source_key

BROKEN_INCONSISTENT = DATA / "broken-inconsistent.owl"
BROKEN_UNSATISFIABLE = DATA / "broken-unsatisfiable.owl"
HAS_JAVA = find_java(8) is not None
needs_java = pytest.mark.skipif(not HAS_JAVA, reason="no Java runtime")

# Defined class -> the conditions (or signs) a DL reasoner files under it, none of them asserted.
INFERRED_MEMBERS = {
    "nerve compression condition": {"sciatica", "piriformis syndrome", "herniated disc"},
    "condition affecting a nerve": {"sciatica", "piriformis syndrome", "herniated disc"},
    "hip joint condition": {"hip osteoarthritis", "labral tear"},
    "inflammatory condition": {"tendinitis", "hip flexor tendinitis", "bursitis", "trochanteric bursitis"},
    # a labral tear only *can* cause mechanical symptoms (11.4): a hedge never classifies
    "condition with mechanical symptoms": set(),
    # spinal stenosis only *can* compress the spinal cord or nerve roots (17.1): not neurological
    "neurological condition": {"stroke", "multiple sclerosis"},
}
URGENT_SIGNS = {"groin numbness", "loss of bowel or bladder control", "sudden severe pain",
                "rapidly progressing weakness", "inability to bear weight"}
# Found by HermiT, not OWL 2 RL: through the chain affects o partOf -> affects across existentials, and
# through an "or" inside an existential (sciatica has mechanism some compression or irritation).
# The hip joint conditions are found through the labrum and the hip cartilage, parts of the hip joint.
CHAIN_ONLY = {(LEGKG + "HerniatedDisc", LEGKG + "NerveCondition"),
              (LEGKG + "Sciatica", LEGKG + "NerveCompressionCondition"),
              (LEGKG + "HipOsteoarthritis", LEGKG + "HipJointCondition"),
              (LEGKG + "LabralTear", LEGKG + "HipJointCondition")}


def _iri(name: str) -> str:
    return LEGKG + name


# --- inferred-only answers (no JVM: the committed artefact) ---------------------------------------

def test_committed_artefact_is_current() -> None:
    """The committed inferences match the source; if not, run 'legkg reason --write-artefact'."""
    assert read_key(bundled_artefact()) == source_key(ONTOLOGY.read_bytes(), ".owl"), \
        "ontology/inferred/legkg-inferred.nq is stale: run 'legkg reason --write-artefact'"


@pytest.mark.parametrize("category", sorted(INFERRED_MEMBERS))
def test_conditions_in_defined_class_are_inferred_only(category: str) -> None:
    rows = run_json("conditions", "--category", category, "--format", "json")
    assert labels(rows) == INFERRED_MEMBERS[category], rows
    asserted = run_json("--asserted", "conditions", "--category", category, "--format", "json")
    assert asserted == [], asserted


@pytest.mark.parametrize("category", ["nerve compression condition", "inflammatory condition"])
def test_canned_query_answers_over_inferences(category: str) -> None:
    rows = run_json("query", "run", "conditions-by-category", "-p", "category", category, "--format", "json")
    assert labels(rows) == INFERRED_MEMBERS[category], rows
    assert run_json("--asserted", "query", "run", "conditions-by-category", "-p", "category", category,
                    "--format", "json") == []


def test_urgent_signs_are_inferred_and_red_flags_unchanged() -> None:
    rows = run_json("query", "run", "kinds-of", "-p", "entity", "urgent sign", "--format", "json")
    assert labels(rows) == URGENT_SIGNS, rows
    assert run_json("--asserted", "query", "run", "kinds-of", "-p", "entity", "urgent sign", "--format", "json") == []
    red = run_json("query", "run", "kinds-of", "-p", "entity", "red flag", "--format", "json")
    assert labels(red) == {"groin numbness", "loss of bowel or bladder control"}, red


def test_combined_filter_uses_inferences() -> None:
    """Conditions affecting a nerve that produce tingling: only through the inferred links."""
    rows = run_json("conditions", "--category", "condition affecting a nerve", "--symptom", "tingling",
                    "--format", "json")
    assert labels(rows) == {"piriformis syndrome"}, rows
    assert run_json("--asserted", "conditions", "--category", "condition affecting a nerve", "--symptom",
                    "tingling", "--format", "json") == []


@pytest.mark.parametrize(("s", "p", "o"), [("HipOsteoarthritis", "affects", "Hip"), ("LabralTear", "affects", "Hip"),
                                           ("HerniatedDisc", "affects", "Nerve"), ("HipLabrum", "partOf", "Hip")])
def test_inferred_facts_in_their_own_graph(s: str, p: str, o: str) -> None:
    query = f"ASK {{ GRAPH <{LEGKG}graph/inferred> {{ legkg:{s} legkg:{p} legkg:{o} }} }}"
    code, out, err = run("sparql", query, "--format", "json")
    assert code == 0 and json.loads(out)["boolean"] is True, (out, err)
    code, out, err = run("--asserted", "sparql", query, "--format", "json")
    assert code == 0 and json.loads(out)["boolean"] is False, (out, err)


def test_inferred_facts_do_not_leak_into_default_graph() -> None:
    """Asserted-answer queries (anatomy-of) keep their article answers."""
    rows = run_json("query", "run", "anatomy-of", "-p", "condition", "herniated disc", "--format", "json")
    assert "lower back" not in labels(rows) and "nerve" not in labels(rows), rows


def test_asserted_flag_keeps_asserted_answers() -> None:
    both = run_json("conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "--format", "json")
    asserted = run_json("--asserted", "conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness",
                        "--format", "json")
    assert labels(both) == labels(asserted) == {"sciatica", "piriformis syndrome"}


def test_query_path_does_not_import_owlready2() -> None:
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from legkg.cli.main import cli; "
            "r = CliRunner().invoke(cli, ['conditions', '--category', 'inflammatory condition']); "
            "assert r.exit_code == 0, r.output; print('owlready2' in sys.modules, 'owlrl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"], out


# --- reasoners ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hermit():
    if not HAS_JAVA:
        pytest.skip("no Java runtime")
    return reason_mod.reason(reasoner="hermit")


@pytest.mark.reasoner
def test_hermit_consistent_and_classifies(hermit) -> None:
    assert hermit.consistent and hermit.unsatisfiable == []
    links = set(hermit.hierarchy)
    for category, members in INFERRED_MEMBERS.items():
        direct = {hermit.labels[c] for c, d in links if hermit.labels[d] == category}
        assert (direct or not members) and direct <= members, (category, direct)
    assert len(links) >= 10
    assert (_iri("LabralTear"), _iri("affects"), _iri("Hip")) in hermit.facts


@pytest.mark.reasoner
def test_hermit_matches_committed_artefact(hermit) -> None:
    text = bundled_artefact().read_text(encoding="utf-8")
    for c, d in hermit.hierarchy:
        assert f"<{c}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{d}> ." in text
    for s, p, o in hermit.facts:
        assert f"<{s}> <{p}> <{o}> <{LEGKG}graph/inferred> ." in text


@pytest.mark.reasoner
def test_rl_agrees_with_hermit_on_what_rl_can_express(hermit) -> None:
    rl = reason_mod.reason(reasoner="rl")
    assert rl.consistent and rl.unsatisfiable == []
    assert set(rl.hierarchy) <= set(hermit.hierarchy), set(rl.hierarchy) - set(hermit.hierarchy)
    assert set(hermit.hierarchy) - set(rl.hierarchy) == CHAIN_ONLY
    individual_facts = {f for f in hermit.facts if f[0] in _individuals()}
    assert set(rl.facts) == individual_facts, set(rl.facts) ^ individual_facts


def _individuals() -> set[str]:
    return {_iri(n) for n in ("ImmediateMedicalAttention", "UrgentEvaluation", "ConsultHealthcareProfessional",
                              "SeekMedicalGuidance", "Common", "LessCommon", "SuddenOnset")}


@pytest.mark.reasoner
@pytest.mark.skipif(find_java(25) is None, reason="Pellet needs Java 25")
def test_pellet_agrees_with_hermit(hermit) -> None:
    pellet = reason_mod.reason(reasoner="pellet")
    assert pellet.consistent and set(pellet.hierarchy) == set(hermit.hierarchy)
    assert set(pellet.facts) == set(hermit.facts)


@pytest.mark.reasoner
def test_reason_command_json() -> None:
    rows = run_json("reason", "--format", "json")
    kinds = {r["kind"] for r in rows}
    assert {"consistency", "subclass", "fact"} <= kinds, kinds
    assert rows[0]["value"] == "consistent"
    assert {"id": "legkg:Sciatica", "value_id": "legkg:NerveCompressionCondition"}.items() <= \
        next(r for r in rows if r["id"] == "legkg:Sciatica" and r["kind"] == "subclass"
             and r["value_id"] == "legkg:NerveCompressionCondition").items()


@pytest.mark.reasoner
def test_reason_timeout_is_one_line() -> None:
    code, out, err = run("reason", "--timeout", "0.2")
    assert code == 1 and "did not finish within 0.2 s" in err and len(err.strip().splitlines()) == 1, err


def _no_java(monkeypatch: pytest.MonkeyPatch) -> None:
    for where in ("legkg.reasoning.jvm", "legkg.reasoning.reason", "legkg.reasoning.build"):
        monkeypatch.setattr(f"{where}.find_java", lambda minimum=8: None)


def test_pellet_without_java25_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_java(monkeypatch)
    code, out, err = run("reason", "--reasoner", "pellet")
    assert code == 1 and "pellet needs Java 25" in err and "Traceback" not in err, err


def test_rl_fallback_when_no_java(monkeypatch: pytest.MonkeyPatch, tiny: Path) -> None:
    _no_java(monkeypatch)
    monkeypatch.setattr(reason_mod.shutil, "which", lambda name: None)
    code, out, err = run("--ontology", tiny, "reason", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["relation"] == "rl" and "no Java found" in err, (out, err)


# --- broken ontologies ----------------------------------------------------------------------------

@pytest.mark.reasoner
def test_inconsistent_fixture_reported_with_explanation() -> None:
    code, out, err = run("--ontology", BROKEN_INCONSISTENT, "reason", "--format", "json")
    assert code == 1 and "inconsistent" in err, err
    rows = json.loads(out)
    assert rows[0]["value"] == "inconsistent"
    steps = {r["value"].split(" (")[0] for r in rows if r["kind"] == "explanation"}
    assert steps == {"widget one is a widget", "widget one is a sprocket", "every widget is an anatomical entity",
                     "every sprocket is a condition", "nothing is both an anatomical entity and a condition"}, steps
    assert not any("gear" in s for s in steps)


@pytest.mark.reasoner
def test_unsatisfiable_fixture_reported_with_explanation() -> None:
    code, out, err = run("--ontology", BROKEN_UNSATISFIABLE, "reason", "--format", "json")
    assert code == 1 and "unsatisfiable" in err and "confused thing" in err, err
    rows = json.loads(out)
    assert [r["id"] for r in rows if r["kind"] == "unsatisfiable"] == ["legkg:ConfusedThing"]
    steps = [r["value"] for r in rows if r["kind"] == "explanation"]
    assert any(s.startswith("every confused thing affects some knee (article: A made-up sentence") for s in steps)
    assert {s.split(" (")[0] for s in steps} == {
        "every confused thing is a knee", "every confused thing affects some knee",
        "every knee is an anatomical entity", "anything that affects something is a condition",
        "no two of these share a member: condition, anatomical entity"}, steps


@pytest.mark.reasoner
def test_queries_on_inconsistent_ontology_fail_clearly_but_asserted_works() -> None:
    """Building an inconsistent ontology's inferences fails in one line; queries say they are asserted only."""
    code, out, err = run("--ontology", BROKEN_INCONSISTENT, "build")
    assert code == 1 and "inconsistent" in err and "--asserted" in err and len(err.splitlines()) == 1, err
    code, out, err = run("--ontology", BROKEN_INCONSISTENT, "terms", "--format", "json")
    assert code == 0 and err.startswith("warning:") and "asserted axioms only" in err, err
    rows = run_json("--asserted", "--ontology", BROKEN_INCONSISTENT, "terms", "--format", "json")
    assert "widget" in labels(rows)


# --- explanations ---------------------------------------------------------------------------------

def _check_minimal(goal: tuple, axioms) -> None:
    """HermiT, independently: the axioms entail the goal, and no axiom can be dropped."""
    from legkg.reasoning.explain import _Checker, _load_axioms

    checker = _Checker(_load_axioms(None), goal, 300)
    answers = checker.entails([list(axioms)] + [[b for b in axioms if b is not a] for a in axioms])
    assert answers[0], "the explanation does not entail the inference"
    assert not any(answers[1:]), "the explanation is not minimal"


@pytest.mark.reasoner
def test_explain_chain_membership() -> None:
    """Herniated disc affects a nerve root, part of a nerve; what affects a part affects the whole."""
    from legkg.reasoning.explain import explain_subsumption

    e = explain_subsumption(None, _iri("HerniatedDisc"), _iri("NerveCondition"))
    sentences = set(e.sentences)
    assert {"every herniated disc affects some nerve root", "every nerve root is part of some nerve",
            "a condition affecting a nerve is exactly a condition that affects some nerve"} <= sentences, sentences
    assert any(s.startswith("what affects something that is part of") for s in sentences), sentences
    # and one way to being a condition: the category, or the domain of a relation it has
    assert len(sentences) in (5, 6), sentences
    _check_minimal(("sub", _iri("HerniatedDisc"), _iri("NerveCondition")), e.axioms)
    article = [src for src in e.sources if src.startswith("article: ")]
    assert any("herniated disc in the lumbar spine" in a for a in article), e.sources


@pytest.mark.reasoner
def test_explain_an_or_that_classifies() -> None:
    """Sciatica 'involves irritation or compression' (15.2): one union, enough for the defined class."""
    from legkg.reasoning.explain import explain_subsumption

    e = explain_subsumption(None, _iri("Sciatica"), _iri("NerveCompressionCondition"))
    sentences = set(e.sentences)
    assert any(s.startswith("every sciatica has mechanism some ") and " or " in s for s in sentences), sentences
    assert any(s.startswith("a nerve compression condition is exactly") for s in sentences), sentences
    _check_minimal(("sub", _iri("Sciatica"), _iri("NerveCompressionCondition")), e.axioms)


@pytest.mark.reasoner
@pytest.mark.parametrize(("term", "category"), [("spinal stenosis", "neurological condition"),
                                                ("spinal stenosis", "condition affecting a nerve"),
                                                ("labral tear", "condition with mechanical symptoms"),
                                                ("stroke", "condition affecting a nerve")])
def test_hedged_facts_do_not_classify(term: str, category: str) -> None:
    """'can compress the spinal cord or nerve roots', 'can cause mechanical symptoms', 'can damage the motor
    cortex': the reasoner is never given a hedged fact, so it files nothing by one."""
    if not HAS_JAVA:
        pytest.skip("no Java runtime")
    code, _, err = run("explain", term, "--as", category)
    assert code == 1 and "does not entail" in err, err


@pytest.mark.reasoner
def test_explain_fact_through_chain() -> None:
    from legkg.reasoning.explain import explain_fact

    e = explain_fact(None, _iri("LabralTear"), _iri("affects"), _iri("Hip"))
    assert e.goal == "every labral tear affects some hip"
    assert "every hip joint is part of some hip" in set(e.sentences), e.sentences
    assert any(s.startswith("what affects something that is part of a thing also affects that thing")
               for s in e.sentences), e.sentences
    _check_minimal(("fact", _iri("LabralTear"), _iri("affects"), _iri("Hip"), "some", "class"), e.axioms)


@pytest.mark.reasoner
def test_explain_command_urgent_sign() -> None:
    code, out, err = run("explain", "groin numbness", "--as", "urgent sign")
    assert code == 0, err
    assert out.startswith("groin numbness is an urgent sign, because:"), out
    assert "every groin numbness warrants urgent evaluation" in out
    assert "“red flags” requiring urgent evaluation" in out
    assert "an urgent sign is exactly a symptom or sign that warrants some one of urgent evaluation, " \
           "immediate medical attention" in out


@pytest.mark.reasoner
def test_explain_command_fact_and_unsatisfiable() -> None:
    code, out, err = run("explain", "--fact", "labral tear affects hip", "--format", "json")
    assert code == 0, err
    assert {r["axiom"] for r in json.loads(out)} >= {"every hip joint is part of some hip"}
    code, out, err = run("--ontology", BROKEN_UNSATISFIABLE, "explain", "confused thing", "--as", "nothing")
    assert code == 0 and "confused thing is unsatisfiable, because:" in out, (out, err)


def test_explain_misuse() -> None:
    code, _, err = run("explain", "sciatica")
    assert code == 2 and "TERM --as CLASS" in err, err
    code, _, err = run("explain", "--fact", "sciatica numbness")
    assert code == 2 and "cannot find a relation" in err, err


def test_explain_not_entailed() -> None:
    if not HAS_JAVA:
        pytest.skip("no Java runtime")
    code, _, err = run("explain", "stroke", "--as", "nerve compression condition")
    assert code == 1 and "does not entail" in err, err


# --- staleness ------------------------------------------------------------------------------------

_EXTRA = """
    <owl:Class rdf:about="https://w3id.org/legkg/TestPinchCondition">
        <rdfs:label xml:lang="en">test pinch condition</rdfs:label>
        <rdfs:subClassOf rdf:resource="https://w3id.org/legkg/Condition"/>
        <rdfs:subClassOf>
            <owl:Restriction>
                <owl:onProperty rdf:resource="https://w3id.org/legkg/hasMechanism"/>
                <owl:someValuesFrom rdf:resource="https://w3id.org/legkg/SpinalCordCompression"/>
            </owl:Restriction>
        </rdfs:subClassOf>
    </owl:Class>
</rdf:RDF>"""


def _edited_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "edited.owl"
    text = ONTOLOGY.read_text(encoding="utf-8")
    copy.write_text(text[: text.rindex("</rdf:RDF>")] + _EXTRA + "\n", encoding="utf-8")
    return copy


@pytest.mark.reasoner
def test_edited_source_is_rematerialised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(cache))
    copy = tmp_path / "copy.owl"
    shutil.copy(ONTOLOGY, copy)
    before = labels(run_json("--ontology", copy, "conditions", "--category", "nerve compression condition",
                             "--format", "json"))
    assert before == INFERRED_MEMBERS["nerve compression condition"]
    assert not list(cache.glob("inferred-*.nq")), "an identical copy reuses the committed artefact"
    edited = _edited_copy(tmp_path)
    code, out, err = run("--ontology", edited, "conditions", "--category", "nerve compression condition",
                         "--format", "json")
    assert code == 0 and json.loads(out) == [], (out, err)  # a query never reasons: asserted answers only
    assert "warning:" in err and "legkg --ontology" in err and "build" in err, err
    assert not list(cache.glob("inferred-*.nq")), "a query must not start the reasoner"
    code, out, err = run("--ontology", edited, "build")
    assert code == 0 and out.startswith("built: "), (out, err)
    after = labels(run_json("--ontology", edited, "conditions", "--category", "nerve compression condition",
                            "--format", "json"))
    assert after == before | {"test pinch condition"}, after
    assert len(list(cache.glob("inferred-*.nq"))) == 1
    code, out, err = run("--ontology", edited, "build")
    assert code == 0 and out.startswith("current: "), (out, err)
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace(_EXTRA, _EXTRA.replace("SpinalCordCompression", "Inflammation")),
                      encoding="utf-8")
    assert run("--ontology", edited, "build")[0] == 0
    again = labels(run_json("--ontology", edited, "conditions", "--category", "nerve compression condition",
                            "--format", "json"))
    assert again == before, again
    assert "test pinch condition" in labels(run_json("--ontology", edited, "conditions", "--category",
                                                     "inflammatory condition", "--format", "json"))
    assert len(list(cache.glob("inferred-*.nq"))) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "copy.owl", "edited.owl"]


def test_stale_bundled_artefact_without_java_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never silently stale: an edited bundled ontology answers from asserted axioms with a warning;
    building its inferences without Java is a clear error."""
    folder = tmp_path / "ontology"
    (folder / "inferred").mkdir(parents=True)
    source = _edited_copy(tmp_path).rename(folder / "legkg-edit.owl")
    shutil.copy(bundled_artefact(), folder / "inferred" / "legkg-inferred.nq")
    monkeypatch.setattr("legkg.core.resources.ontology_file", lambda: str(source))  # ontology_path() follows
    monkeypatch.setattr("legkg.store.source.ontology_file", lambda: str(source))
    monkeypatch.setattr("legkg.reasoning.build.ontology_path", lambda: source)
    monkeypatch.setattr("legkg.reasoning.build.find_java", lambda minimum=8: None)
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    code, out, err = run("conditions", "--category", "nerve compression condition", "-f", "json")
    assert code == 0 and json.loads(out) == [], (out, err)  # answers from what is current, never stale ones
    assert err.startswith("warning:") and "legkg build" in err and len(err.splitlines()) == 1, err
    code, out, err = run("build")
    assert code == 1 and "stale" in err and "--asserted" in err and len(err.splitlines()) == 1, err


def test_edited_source_without_java_uses_rl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another ontology without Java: the OWL 2 RL fallback builds its inferences."""
    monkeypatch.setattr("legkg.reasoning.build.find_java", lambda minimum=8: None)
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    tiny_edit = tmp_path / "tiny-edit.ttl"
    tiny_edit.write_text((DATA / "tiny.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("--ontology", tiny_edit, "build")
    assert code == 0, err
    rows = run_json("--ontology", tiny_edit, "conditions", "--format", "json")
    assert rows, rows
    [artefact] = (tmp_path / "cache").glob("inferred-*.nq")
    assert "reasoner=rl" in artefact.read_text(encoding="utf-8").splitlines()[0]


def test_unsatisfiable_goal_constant() -> None:
    assert NOTHING.endswith("#Nothing")


def test_rl_finds_the_inconsistency_it_can_express() -> None:
    """An individual in two disjoint classes is within OWL 2 RL (rule cax-dw)."""
    result = reason_mod.reason(BROKEN_INCONSISTENT, reasoner="rl")
    assert not result.consistent
    assert any("widgetOne" in n for n in result.notes), result.notes
