"""`triage` (urgency with article reasons, ranked conditions) and `graph` (pictures of a neighbourhood)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli

# the ontology's own disclaimer and the article's title, in every answer
NOTE = ("Information from one consumer-health article, not medical advice and not a diagnosis. "
        "Source: “Why Can’t I Lift My Leg? Common Causes Explained”.")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _triage(*args: str) -> dict:
    code, out, err = _run("triage", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(("args", "level", "rank"), [
    (["-s", "sudden severe pain"], "immediate medical attention", 3),
    (["-s", "rapid weakness progression"], "immediate medical attention", 3),
    (["-s", "cannot bear weight"], "immediate medical attention", 3),
    (["-s", "groin numbness"], "urgent evaluation", 3),
    (["-s", "loss of bladder control"], "urgent evaluation", 3),
    (["-t", "after a fall"], "consult a healthcare professional", 2),
    (["-t", "persistent symptoms"], "consult a healthcare professional", 2),
    (["-t", "worsening symptoms"], "consult a healthcare professional", 2),
    (["-t", "limiting daily life"], "consult a healthcare professional", 2),
    # the article never advises rest: its general advice is "Seek medical guidance if you experience
    # difficulty lifting your leg", the floor of every answer
    (["-s", "numbness"], "seek medical guidance", 1),
    (["-s", "stiffness", "-t", "walking"], "seek medical guidance", 1),
    (["-s", "difficulty lifting the leg"], "seek medical guidance", 1),
    (["-s", "paralysis on one side of the body"], "seek medical guidance", 1),
])
def test_level_follows_the_article(args: list[str], level: str, rank: int) -> None:
    result = _triage(*args)
    assert (result["level"], result["rank"]) == (level, rank), result
    assert result["note"].startswith(NOTE), result


@pytest.mark.parametrize("milder", ["numbness", "pain", "stiffness", "tingling", "swelling"])
def test_a_red_flag_is_never_outranked_by_a_milder_sign(milder: str) -> None:
    alone = _triage("-s", "groin numbness")
    mixed = _triage("-s", milder, "-s", "groin numbness", "-t", "after a fall")
    assert mixed["rank"] >= alone["rank"] == 3, mixed
    assert mixed["level"] == "urgent evaluation", mixed


def test_reasons_cite_the_article() -> None:
    result = _triage("-s", "groin numbness", "-s", "numbness")
    reasons = {r["input"]: r for r in result["reasons"]}
    assert reasons["groin numbness"]["source"].startswith("Accompanying symptoms like loss of bowel"), result
    general = "Seek medical guidance if you experience difficulty lifting your leg"
    assert general in reasons["numbness"]["source"], result
    assert [r["rank"] for r in result["reasons"]] == sorted((r["rank"] for r in result["reasons"]), reverse=True)


def test_conditions_are_ranked_by_how_many_inputs_they_explain() -> None:
    result = _triage("-s", "tingling", "-t", "walking")
    first = result["conditions"][0]
    assert (first["label"], sorted(first["matched"]), first["missing"]) == (
        "spinal stenosis", ["tingling", "walking"], []), result
    piriformis = next(c for c in result["conditions"] if c["label"] == "piriformis syndrome")
    assert piriformis["matched"] == ["tingling"] and piriformis["missing"] == ["walking"], result


def test_general_symptom_matches_conditions_with_specific_ones() -> None:
    labels = {c["label"] for c in _triage("-s", "mechanical symptom")["conditions"]}
    assert labels == {"labral tear"}, labels


def test_table_output_ends_with_the_note() -> None:
    code, out, err = _run("triage", "-s", "groin numbness")
    assert code == 0, err
    assert out.startswith("Urgency: urgent evaluation"), out
    assert out.rstrip().splitlines()[-1].startswith(f"Note: {NOTE}"), out


@pytest.mark.parametrize(("args", "code", "message"), [
    ([], 2, "give at least one --symptom or --situation"),
    (["-s", "walking"], 1, "'walking' is a situation (walking), not a symptom term"),
    (["-s", "numbnes"], 1, "did you mean 'numbness'"),
    (["-s", "x\" } UNION { ?s ?p ?o"], 1, "unknown symptom"),
])
def test_triage_bad_input(args: list[str], code: int, message: str) -> None:
    got, out, err = _run("triage", *args)
    assert got == code and message in err, out + err
    assert "Traceback" not in err


def test_graph_mermaid_has_coloured_nodes_and_labelled_edges() -> None:
    code, out, err = _run("graph", "sciatica", "--format", "mermaid", "-o", "-")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "graph LR", out
    assert "  legkg_HerniatedDisc -->|causes| legkg_Sciatica" in lines, out
    assert "  legkg_Sciatica -->|affects| legkg_SciaticNerve" in lines, out
    assert '  legkg_SciaticNerve["sciatic nerve"]:::anatomy' in lines, out


def test_graph_depth_reaches_further(tmp_path: Path) -> None:
    one = tmp_path / "one.dot"
    two = tmp_path / "two.dot"
    assert _run("graph", "sciatica", "-f", "dot", "-o", str(one))[0] == 0
    assert _run("graph", "sciatica", "-f", "dot", "--depth", "2", "-o", str(two))[0] == 0
    assert '"legkg:LumbarSpine"' not in one.read_text() and '"legkg:IntervertebralDisc"' in two.read_text()
    assert one.read_text().startswith("digraph legkg {")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is installed by .ci/run")
def test_graph_svg_and_png(tmp_path: Path) -> None:
    svg, png = tmp_path / "s.svg", tmp_path / "s.png"
    assert _run("graph", "stroke", "-o", str(svg))[0] == 0
    assert _run("graph", "stroke", "-f", "png", "-o", str(png))[0] == 0
    assert "<svg" in svg.read_text() and "motor cortex" in svg.read_text()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_graph_bad_input() -> None:
    code, _, err = _run("graph", "piriformis", "-f", "dot", "-o", "-")
    assert code == 1 and "ambiguous" in err, err
    code, _, err = _run("graph", "sciatica", "--depth", "9", "-o", "-")
    assert code == 2 and "--depth" in err, err
