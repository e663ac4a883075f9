"""The SHACL shapes run in standard processors: plain pyshacl (no advanced features) and Jena SHACL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib

REPO = Path(__file__).resolve().parent.parent
SHAPES = REPO / "ontology" / "shapes" / "legkg-shapes.ttl"
RELEASE = REPO / "ontology" / "release"
QC = REPO / "tests" / "data" / "qc"
LEGKG = rdflib.Namespace("https://w3id.org/legkg/")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

# fixture -> (focus node, message) results the shapes must report, written from the fixtures
EXPECTED = {
    "missing-label.ttl": {("TestCondition", "a condition needs a label")},
    "shacl-definition.ttl": {("TestCondition", "a condition needs a definition (obo:IAO_0000115)")},
    "shacl-condition.ttl": {("TestCondition",
                             "a condition needs the article sentence that names it (legkg:sourceSentence)")},
    "shacl-category.ttl": {("TestCondition", "a condition needs an article category superclass "
                                             "(musculoskeletal, nerve-related or spinal, broader medical)")},
    "shacl-edge.ttl": {("QuietCondition", "a condition needs at least one hasSymptom, affects, hasMechanism "
                                          "or causes edge")},
}


def _pyshacl(data: rdflib.Graph) -> set[tuple[str, str]]:
    import pyshacl

    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=False, inference="none")
    found = {(str(report.value(r, SH.focusNode)).removeprefix(str(LEGKG)), str(report.value(r, SH.resultMessage)))
             for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}
    assert conforms == (not found)
    return found


def test_shapes_use_no_advanced_features() -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    used = {str(t) for t in set(shapes.predicates()) | set(shapes.objects()) if isinstance(t, rdflib.URIRef)}
    assert not {t for t in used if t.startswith(str(SH)) and ("SPARQL" in t or t.endswith(("rule", "target")))}


@pytest.mark.parametrize("name", ["legkg.ttl", "legkg-inferred.owl", "legkg.owl"])
def test_release_conforms_in_plain_pyshacl(name: str) -> None:
    data = rdflib.Graph().parse(RELEASE / name)
    assert _pyshacl(data) == set()


def test_shapes_see_the_real_conditions() -> None:
    """Dropping the label and the edges of sciatica from the release is caught."""
    data = rdflib.Graph().parse(RELEASE / "legkg.ttl")
    data.remove((LEGKG.Sciatica, rdflib.RDFS.label, None))
    for restriction in list(data.objects(LEGKG.Sciatica, rdflib.RDFS.subClassOf)):
        if isinstance(restriction, rdflib.BNode):
            data.remove((LEGKG.Sciatica, rdflib.RDFS.subClassOf, restriction))
    for p in list(data.predicates(LEGKG.Sciatica)):
        if str(p).endswith("Hedged"):  # the facts the article states with a hedge (can, often ...)
            data.remove((LEGKG.Sciatica, p, None))
    assert _pyshacl(data) == {
        ("Sciatica", "a condition needs a label"),
        ("Sciatica", "a condition needs at least one hasSymptom, affects, hasMechanism or causes edge"),
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_fails_in_plain_pyshacl(name: str) -> None:
    assert _pyshacl(rdflib.Graph().parse(QC / name)) == EXPECTED[name]


def test_valid_fixture_conforms_in_plain_pyshacl() -> None:
    assert _pyshacl(rdflib.Graph().parse(QC / "valid.ttl")) == set()


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("java") and shutil.which("mvn")), reason="needs Java and Maven")
def test_jena_shacl_agrees() -> None:
    """Jena SHACL (tools/shacl-check, built by Maven) passes the release and fails every fixture."""
    files = [RELEASE / "legkg.ttl", RELEASE / "legkg-inferred.owl", QC / "valid.ttl",
             *(QC / n for n in sorted(EXPECTED))]
    result = subprocess.run([str(REPO / ".ci" / "shacl-check.sh"), str(SHAPES), *map(str, files)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = set(result.stdout.splitlines())
    for ok in ("legkg.ttl", "legkg-inferred.owl", "valid.ttl"):
        assert any(line.endswith(f"{ok}: conforms") for line in lines), result.stdout
    found = set()
    for line in lines:
        path, _, rest = line.partition(": ")
        if rest != "conforms":
            focus, _, message = rest.partition(": ")
            found.add((Path(path).name, focus.removeprefix(str(LEGKG)), message))
    assert found == {(name, focus, msg) for name, results in EXPECTED.items() for focus, msg in results}


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("java") and shutil.which("mvn")), reason="needs Java and Maven")
def test_jena_shacl_runner_rejects_unreadable_data(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("legkg:X a .", encoding="utf-8")
    result = subprocess.run([str(REPO / ".ci" / "shacl-check.sh"), str(SHAPES), str(bad)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "cannot read" in result.stderr
