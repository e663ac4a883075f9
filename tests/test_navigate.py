"""ancestors, descendants, paths and tree, by is-a and by other relations, on the article's facts."""

from __future__ import annotations

import pytest
from conftest import labels, run, run_json


def test_what_sciatica_is_a_kind_of() -> None:
    # The article lists sciatica under "Nerve-Related and Spinal Causes"; it is a condition.
    rows = run_json("ancestors", "sciatica", "--format", "json")
    assert {"nerve-related or spinal cause", "condition"} <= labels(rows), rows
    assert "sciatica" not in labels(rows) and "leg" not in labels(rows), rows
    assert [r["distance"] for r in rows] == sorted(r["distance"] for r in rows), rows


def test_kinds_of_nerve_related_causes() -> None:
    rows = run_json("descendants", "nerve-related or spinal cause", "--format", "json")
    assert {"sciatica", "herniated disc", "spinal stenosis", "piriformis syndrome"} <= labels(rows), rows
    assert "hip osteoarthritis" not in labels(rows), rows


def test_descendants_by_part_of() -> None:
    rows = run_json("descendants", "leg", "-p", "part of", "--format", "json")
    assert "thigh" in labels(rows), rows
    assert labels(run_json("descendants", "leg", "-p", "p", "--format", "json")) == labels(rows)


def test_ancestors_by_located_in() -> None:
    # "Piriformis syndrome occurs when the piriformis muscle, deep in the buttock, ..."
    rows = run_json("ancestors", "piriformis muscle", "-p", "located in", "--format", "json")
    assert "buttock" in labels(rows), rows


def test_paths_go_up_from_the_first_term() -> None:
    rows = run_json("paths", "sciatica", "condition", "--format", "json")
    first = [r for r in rows if r["path"] == 1]
    assert first[0]["label"] == "sciatica" and first[-1]["label"] == "condition", rows
    assert all(r["relation"] == "is a" for r in first[1:]), rows


def test_paths_reversed_when_the_second_term_is_below() -> None:
    rows = run_json("paths", "condition", "sciatica", "--format", "json")
    assert rows[0]["label"] == "condition" and rows[-1]["label"] == "sciatica", rows
    assert rows[1]["relation"] == "has subtype", rows


def test_no_path_is_a_clear_error() -> None:
    code, _, err = run("paths", "sciatica", "hip", "-p", "part of")
    assert code == 1 and err.startswith("Error: no path between sciatica"), err


def test_tree_shows_children_indented() -> None:
    code, out, err = run("tree", "nerve-related or spinal cause")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "nerve-related or spinal cause (legkg:NerveRelatedOrSpinalCause)", out
    assert "  sciatica (legkg:Sciatica)" in lines, out


def test_tree_of_everything_starts_at_the_roots() -> None:
    rows = run_json("tree", "--format", "json")
    roots = {r["label"] for r in rows if r["depth"] == 0}
    assert {"condition", "anatomical entity"} & roots, roots
    assert "sciatica" not in roots, roots


@pytest.mark.parametrize("relation", ["nonsense", "x\" } UNION { ?s ?p ?o"])
def test_unknown_relation(relation: str) -> None:
    code, _, err = run("ancestors", "sciatica", "-p", relation)
    assert code == 1 and "unknown relation" in err and "part of" in err, err


def test_describe_shows_codes_in_other_vocabularies() -> None:
    rows = run_json("describe", "sciatica", "--format", "json")
    codes = {r["value"]: r["field"] for r in rows if str(r["field"]).endswith(" match")}
    assert codes.get("ICD10CM:M54.30") == "narrow match" and codes.get("SNOMEDCT:23056005") == "exact match", codes
    code, out, _ = run("describe", "sciatica")
    assert "narrow match: ICD10CM:M54.30" in out and "exact match: SNOMEDCT:23056005" in out, out
