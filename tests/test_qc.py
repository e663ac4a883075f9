"""QC queries and SHACL shapes: the real ontology passes; a fixture per check proves it can fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli
from legkg.publish.validate import qc_queries, validate
from legkg.store.queries import parse_query

REPO = Path(__file__).resolve().parent.parent
QC = REPO / "tests" / "data" / "qc"

# fixture file -> the checks it must fail (and no others)
FAILING = {
    "missing-label.ttl": {"missing-label", "shacl-condition"},
    "duplicate-label.ttl": {"duplicate-label"},
    "missing-definition.ttl": {"missing-definition"},
    "multiple-definitions.ttl": {"multiple-definitions"},
    "missing-source.ttl": {"missing-source"},
    "missing-modality.ttl": {"missing-modality"},
    "whitespace.ttl": {"whitespace"},
    "no-superclass.ttl": {"no-superclass"},
    "invalid-xref.ttl": {"invalid-xref"},
    "shacl-condition.ttl": {"shacl-condition"},
    "shacl-category.ttl": {"shacl-described-condition"},
    "shacl-edge.ttl": {"shacl-described-condition"},
}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LEGKG_ONTOLOGY", raising=False)


def test_every_qc_query_has_a_header_and_a_failing_fixture() -> None:
    names = {q.name.removesuffix("-violation") for q in qc_queries()}
    assert len(names) >= 8
    for path in sorted((REPO / "queries" / "qc").glob("*.rq")):
        assert path.name.endswith("-violation.rq"), path
        q = parse_query(path.stem, path.read_text(encoding="utf-8"))
        assert q.title and q.description
    covered = set().union(*FAILING.values())
    assert names <= covered, f"no failing fixture for {sorted(names - covered)}"


def test_real_ontology_passes() -> None:
    assert validate() == []


def test_valid_fixture_passes() -> None:
    assert validate(QC / "valid.ttl") == []


@pytest.mark.parametrize("name", sorted(FAILING))
def test_fixture_fails_its_check(name: str) -> None:
    violations = validate(QC / name)
    assert {v.check for v in violations} == FAILING[name], violations
    assert all(v.entity.startswith("legkg:") and v.message for v in violations)


def test_cli_passes_on_real_ontology() -> None:
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "pass" in result.stderr


def test_cli_reports_and_exits_1() -> None:
    result = CliRunner().invoke(cli, ["--ontology", str(QC / "whitespace.ttl"), "validate", "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert {r["check"] for r in rows} == {"whitespace"}
    assert any("trailing whitespace" in r["message"] for r in rows)
    assert "violation" in result.stderr


def test_cli_table_report_names_entity() -> None:
    result = CliRunner().invoke(cli, ["--ontology", str(QC / "no-superclass.ttl"), "validate"])
    assert result.exit_code == 1
    assert "legkg:Orphan" in result.stdout and "no-superclass" in result.stdout
