"""Every canned query in queries/*.rq: its header parses and it answers as the article says."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import QUERIES, labels, run, run_json

from legkg.core.prefixes import PREFIXES
from legkg.store.queries import parse_query

QUERY_FILES = sorted(QUERIES.glob("*.rq"))
NAMES = [p.stem for p in QUERY_FILES]
KINDS = {"anatomy", "condition", "mechanism", "symptom", "situation", "care", "urgency", "severity",
         "frequency", "onset"}

# query name -> (parameters, labels that must be among the rows)
EXPECTED: dict[str, tuple[list[tuple[str, str]], set[str]]] = {
    "aggravating-situations": ([("condition", "spinal stenosis")], {"standing", "walking"}),
    "all-conditions": ([], {"sciatica", "stroke", "labral tear", "multiple sclerosis"}),
    "anatomy-of": ([("condition", "piriformis syndrome")], {"piriformis muscle", "sciatic nerve"}),
    "care-options": ([("condition", "spinal stenosis")], {"physical therapy", "medication", "surgery"}),
    "causes-of": ([("condition", "sciatica")], {"herniated disc"}),
    "conditions-by-anatomy-and-symptom": ([("anatomy", "sciatic nerve"), ("symptom", "numbness")],
                                          {"sciatica", "piriformis syndrome"}),
    "conditions-by-anatomy": ([("anatomy", "hip joint")], {"hip osteoarthritis", "labral tear"}),
    "conditions-by-category": ([("category", "musculoskeletal")],
                               {"muscle strain", "tendinitis", "bursitis", "labral tear"}),
    "conditions-by-frequency": ([("frequency", "less common")], {"stroke", "multiple sclerosis"}),
    "conditions-by-mechanism": ([("mechanism", "inflammation")], {"tendinitis", "bursitis"}),
    "conditions-by-situation": ([("situation", "standing")], {"spinal stenosis"}),
    "conditions-by-symptom": ([("symptom", "tingling")], {"spinal stenosis", "piriformis syndrome"}),
    "effects-of": ([("cause", "herniated disc")], {"sciatica"}),
    # 32.3-32.4: groin numbness is a red flag requiring urgent evaluation; it could indicate a serious spinal condition
    "facts-of": ([("entity", "groin numbness")], {"urgent evaluation", "serious spinal condition"}),
    # 17.3: symptoms improve with sitting or leaning forward (spinal stenosis)
    "facts-about": ([("entity", "sitting")], {"spinal stenosis"}),
    # 7.3: strains to hip flexor muscles are muscle strains
    "kind-of": ([("entity", "hip flexor strain")], {"muscle strain"}),
    # 33.4: a treatment plan may involve physical therapy, medication, or surgery
    "treatment-plan": ([], {"physical therapy", "medication", "surgery"}),
    "hip-flexor-muscles": ([], {"iliopsoas", "rectus femoris"}),
    "impaired-activities": ([("condition", "hip osteoarthritis")], {"hip flexion", "lifting the leg"}),
    "kinds-of": ([("entity", "mechanical symptom")], {"catching", "locking", "clicking"}),
    "location-of": ([("entity", "sciatic nerve")], {"leg", "lower back"}),
    "mechanisms-of": ([("condition", "multiple sclerosis")], {"immune attack on myelin"}),
    "parts-of": ([("anatomy", "hip joint")], {"hip labrum", "hip socket", "hip cartilage"}),
    "red-flags": ([], {"groin numbness", "loss of bowel or bladder control", "sudden severe pain"}),
    "relieving-situations": ([("condition", "spinal stenosis")], {"sitting", "leaning forward"}),
    "symptoms-of": ([("condition", "spinal stenosis")], {"pain", "tingling", "numbness", "weakness"}),
    "urgency-levels": ([], {"immediate medical attention", "urgent evaluation",
                            "consult a healthcare professional"}),
    "urgency-of": ([("sign", "loss of bowel or bladder control")], {"urgent evaluation"}),
}


def test_at_least_twelve_queries() -> None:
    assert len(NAMES) >= 12, NAMES


def test_every_query_has_an_expectation() -> None:
    assert set(NAMES) == set(EXPECTED), (
        f"no entry for {sorted(set(NAMES) - set(EXPECTED))}; "
        f"stale entries {sorted(set(EXPECTED) - set(NAMES))}")


@pytest.mark.parametrize("path", QUERY_FILES, ids=NAMES)
def test_header_complete_and_params_used(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    keys = [line[1:].strip().partition(":")[0] for line in header]
    assert keys[:2] == ["title", "description"], header
    assert set(keys) <= {"title", "description", "param"}, header
    q = parse_query(path.stem, text)
    assert q.title.strip() and q.description.strip(), header
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for p in q.params:
        assert re.search(rf"\?{p.name}\b", body), f"{path.name}: ?{p.name} not in the query body"
        assert set(p.kinds) <= KINDS, f"{path.name}: unknown kinds {p.kinds}"
        assert p.help.strip(), f"{path.name}: parameter {p.name} has no help"
    assert re.search(r"\bSELECT\b", body, re.IGNORECASE), f"{path.name} is not a SELECT query"
    try:  # valid SPARQL on its own, before any binding
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as e:
        pytest.fail(f"{path.name}: invalid SPARQL: {e}")


@pytest.mark.parametrize("name", NAMES)
def test_query_answers(name: str) -> None:
    assert name in EXPECTED, f"queries/{name}.rq has no entry in EXPECTED"
    params, expected = EXPECTED[name]
    declared = {p.name for p in parse_query(name, (QUERIES / f"{name}.rq").read_text("utf-8")).params}
    assert {p for p, _ in params} == declared, f"{name}: test gives {params}, query declares {declared}"
    args = ["query", "run", name]
    for p, v in params:
        args += ["-p", p, v]
    rows = run_json(*args, "--format", "json")
    assert all("id" in r and "label" in r for r in rows), rows
    assert all(str(r["id"]).startswith("legkg:") for r in rows), rows
    missing = expected - labels(rows)
    assert not missing, f"{name}: missing {sorted(missing)} in {rows}"


def test_query_list_lists_every_query() -> None:
    rows = run_json("query", "list", "--format", "json")
    assert {r["id"] for r in rows} == set(NAMES), rows
    for r in rows:
        q = parse_query(r["id"], (QUERIES / f"{r['id']}.rq").read_text("utf-8"))
        assert r["label"] == q.title, r
        assert r["description"] == q.description, r
        for p in q.params:
            assert p.name in r["parameters"], r


def test_query_list_table() -> None:
    code, out, err = run("query", "list")
    assert code == 0, err
    for name in NAMES:
        assert re.search(rf"^{re.escape(name)}\s", out, re.MULTILINE), out


@pytest.mark.parametrize("name", ["red-flags", "conditions-by-anatomy"])
def test_query_show_prints_file(name: str) -> None:
    code, out, err = run("query", "show", name)
    assert code == 0, err
    assert out == (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def test_parts_of_hip_lists_only_anatomy() -> None:
    """parts-of promises anatomical structures; symptoms located at the hip are not parts of it."""
    rows = run_json("query", "run", "parts-of", "-p", "anatomy", "hip", "--format", "json")
    anatomy = labels(run_json("terms", "--kind", "anatomy", "--format", "json"))
    assert {"hip joint", "outer hip", "front of the hip"} <= labels(rows), rows
    assert "buttock" not in labels(rows), "the article puts the piriformis deep in the buttock, not in the hip"
    assert labels(rows) <= anatomy, f"not anatomy: {sorted(labels(rows) - anatomy)}"
