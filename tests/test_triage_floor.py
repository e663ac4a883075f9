"""No triage answer goes below the article's general advice, for any sign, symptom or situation.

The article's general advice (31.1): "Seek medical guidance if you experience difficulty lifting
your leg". Its triggers raise the level (31.2, 32.1, 32.2): nothing may lower it, and a red flag
(32.3: loss of bowel or bladder control, groin numbness) is never outranked by a milder sign.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, run

from legkg.answers.lookup import list_terms
from legkg.answers.triage import triage
from legkg.store.local import open_backend

GENERAL_ADVICE = "seek medical guidance"
RED_FLAGS = ["groin numbness", "loss of bowel or bladder control"]


@pytest.fixture(scope="module")
def backend():
    return open_backend()


def _inputs(backend, kind: str) -> list[str]:
    return [r["label"] for r in list_terms(backend, None, kind)]


def test_every_symptom_and_situation_is_at_least_the_general_advice(backend) -> None:
    symptoms, situations = _inputs(backend, "symptom"), _inputs(backend, "situation") + _inputs(backend, "onset")
    assert len(symptoms) > 20 and len(situations) > 10, (symptoms, situations)
    floor = triage(backend, ["difficulty lifting the leg"])
    assert floor["level"] == GENERAL_ADVICE, floor
    below = []
    for s in symptoms:
        t = triage(backend, symptoms=[s])
        if t["rank"] < floor["rank"] or not t["reasons"][0]["source"]:
            below.append((s, t["level"]))
    for s in situations:
        t = triage(backend, situations=[s])
        if t["rank"] < floor["rank"] or not t["reasons"][0]["source"]:
            below.append((s, t["level"]))
    assert not below, below


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_a_red_flag_leads_and_is_never_outranked(backend, flag: str) -> None:
    for other in _inputs(backend, "symptom")[:40]:
        t = triage(backend, symptoms=[other, flag])
        assert t["level"] in ("urgent evaluation", "immediate medical attention"), (other, t["level"])
        assert t["red_flag"], (other, t)
    t = triage(backend, symptoms=["numbness", "pain", flag])
    assert t["conditions"][0]["label"] == "serious spinal condition", t["conditions"][:3]
    assert any(c["relation"] == "may indicate" for c in t["cautions"]), t["cautions"]


def test_a_sudden_condition_says_so_and_cites_it(backend) -> None:
    t = triage(backend, symptoms=["paralysis on one side of the body"])
    assert t["level"] == GENERAL_ADVICE, t
    sudden = [c for c in t["cautions"] if c["about"] == "stroke" and c["value"] == "sudden onset"]
    assert sudden and "sudden weakness or paralysis on one side of the body" in sudden[0]["source"], t["cautions"]


def test_conditions_cite_the_fact_that_matched(backend) -> None:
    t = triage(backend, symptoms=["tingling"])
    evidence = {c["label"]: c["evidence"][0] for c in t["conditions"]}
    assert "tingling" in evidence["spinal stenosis"]["source"], evidence
    assert "tingling" in evidence["piriformis syndrome"]["source"], evidence


def test_the_note_names_the_article(backend) -> None:
    t = triage(backend, symptoms=["groin numbness"])
    assert "not a diagnosis" in t["note"] and "Why Can’t I Lift My Leg?" in t["note"], t["note"]


def test_triage_reads_its_levels_from_the_ontology(tmp_path: Path) -> None:
    """The same code answers over another ontology that follows docs/modelling.md."""
    other = DATA / "tiny-triage.ttl"
    code, out, err = run("--ontology", other, "triage", "-s", "test alarm", "-f", "json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["level"], result["conditions"][0]["label"]) == ("go now", "test widget fault"), result
    code, out, err = run("--ontology", other, "triage", "-s", "test ache", "-f", "json")
    result = json.loads(out)
    assert result["level"] == "ask someone" and result["reasons"][0]["source"] == "Ask someone if your widget hurts."
    assert result["note"].startswith("Made-up test content, not advice. Source: “A Test Leaflet”."), result["note"]
