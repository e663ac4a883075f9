"""Every mapped code resolves to its legkg term and back; a code found through a category says so."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.answers.lookup import describe
from legkg.cli.main import cli
from legkg.store.local import open_backend

REPO = Path(__file__).resolve().parent.parent
SSSOM = REPO / "ontology" / "mappings" / "legkg.sssom.tsv"


def _rows() -> list[dict]:
    text = "".join(line for line in SSSOM.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


@pytest.fixture(scope="module")
def backend():
    return open_backend()


def test_every_mapped_code_resolves_to_its_term_and_back(backend) -> None:
    rows = _rows()
    assert len(rows) > 100
    for row in rows:
        code, subject = row["object_id"], row["subject_id"]
        found = describe(backend, code)
        assert found[0]["id"] == subject, (code, found[0])
        resolved = [r for r in found if r["field"] == "resolved from"]
        assert resolved and resolved[0]["value_id"] == code, (code, resolved)
        assert "category" not in resolved[0]["value"]
        field = row["predicate_id"].removeprefix("skos:").removesuffix("Match") + " match"
        back = {(r["field"], r["value"]) for r in describe(backend, subject)}
        assert (field, code) in back, (subject, field, code)


def test_a_category_says_it_is_broader() -> None:
    result = CliRunner().invoke(cli, ["describe", "ICD10CM:M54.3", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "legkg:Sciatica"
    note = next(r for r in rows if r["field"] == "resolved from")
    assert note["value_id"] == "ICD10CM:M54.30"
    assert "ICD10CM:M54.3 is a broader ICD-10-CM category" in note["value"]
    assert "not ICD10CM:M54.3 itself" in note["value"]


def test_a_term_by_name_has_no_resolution_note() -> None:
    result = CliRunner().invoke(cli, ["describe", "sciatica", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert not [r for r in json.loads(result.stdout) if r["field"] == "resolved from"]
