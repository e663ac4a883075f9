"""Release files: current with the source, deterministic, atomic, and loadable by the OWL API (Protégé)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from legkg.core.errors import LegkgError, Misuse
from legkg.core.resources import ontology_path
from legkg.publish.release import (
    FILES,
    ONTOLOGY_IRI,
    build_release,
    release_date,
    release_dir,
    render_catalog,
    render_turtle,
    stamp,
    version_iri,
)

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "ontology" / "release"
BAD = REPO / "tests" / "data" / "owlapi-bad.owl"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LEGKG_ONTOLOGY", raising=False)


def _source() -> str:
    return ontology_path().read_text(encoding="utf-8")


def test_release_folder_is_complete() -> None:
    assert release_dir() == RELEASE
    assert sorted(p.name for p in RELEASE.iterdir()) == sorted(FILES)
    assert release_date() is not None


def test_committed_release_is_current() -> None:
    """legkg.owl, legkg.ttl and the catalog equal a fresh build for the committed date (run 'make release')."""
    date = release_date()
    owl = stamp(_source(), date)
    assert (RELEASE / "legkg.owl").read_text(encoding="utf-8") == owl, "stale release: run 'make release'"
    assert (RELEASE / "legkg.ttl").read_text(encoding="utf-8") == render_turtle(owl), "stale: run 'make release'"
    assert (RELEASE / "catalog-v001.xml").read_text(encoding="utf-8") == render_catalog(date)


@pytest.mark.reasoner
def test_committed_inferred_release_is_current(tmp_path: Path) -> None:
    fresh = build_release(output=tmp_path / "release", date=release_date())
    for path in fresh:
        assert path.read_bytes() == (RELEASE / path.name).read_bytes(), f"stale {path.name}: run 'make release'"


def test_headers_carry_the_dated_version_iri() -> None:
    date = release_date()
    for name in ("legkg.owl", "legkg-inferred.owl"):
        g = rdflib.Graph().parse(RELEASE / name, format="xml")
        versions = {str(o) for o in g.objects(None, rdflib.OWL.versionIRI)}
        assert versions == {version_iri(date, name)}, versions
    ttl = rdflib.Graph().parse(RELEASE / "legkg.ttl", format="turtle")
    assert {str(o) for o in ttl.objects(rdflib.URIRef(ONTOLOGY_IRI), rdflib.OWL.versionIRI)} == {version_iri(date)}


def test_stamp_replaces_only_the_date() -> None:
    a, b = stamp(_source(), "2030-01-02"), stamp(_source(), "2031-03-04")
    assert a.replace("2030-01-02", "2031-03-04") == b
    assert "https://w3id.org/legkg/releases/2030-01-02/legkg.owl" in a


def test_turtle_is_deterministic_and_equal_to_the_owl() -> None:
    owl = stamp(_source(), "2030-01-02")
    ttl = render_turtle(owl)
    assert ttl == render_turtle(owl)
    assert "_:" not in ttl
    g_owl = rdflib.Graph().parse(data=owl, format="xml", publicID=ONTOLOGY_IRI)
    g_ttl = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(g_owl) == len(g_ttl)

    def ground(g: rdflib.Graph) -> set:
        return {t for t in g if not any(isinstance(x, rdflib.BNode) for x in t)}

    assert ground(g_owl) == ground(g_ttl)


def test_turtle_equals_the_owl_up_to_blank_nodes_small() -> None:
    """Full isomorphism on a small ontology (the check is too slow for the real one)."""
    owl = (REPO / "tests" / "data" / "owlapi-bad.owl").read_text(encoding="utf-8")
    g_owl = rdflib.Graph().parse(data=owl, format="xml")
    assert isomorphic(g_owl, rdflib.Graph().parse(data=render_turtle(owl), format="turtle"))


def test_inferred_release_adds_axioms_without_punning() -> None:
    asserted = rdflib.Graph().parse(RELEASE / "legkg.owl", format="xml")
    inferred = rdflib.Graph().parse(RELEASE / "legkg-inferred.owl", format="xml")
    assert len(inferred) > len(asserted)
    classes = set(inferred.subjects(rdflib.RDF.type, rdflib.OWL.Class))
    props = set(inferred.subjects(rdflib.RDF.type, rdflib.OWL.ObjectProperty))
    punned = [(s, p, o) for s, p, o in inferred if p in props and s in classes]
    assert not punned, punned[:3]
    new_links = {(s, o) for s, o in inferred.subject_objects(rdflib.RDFS.subClassOf)
                 if isinstance(o, rdflib.URIRef)} - set(asserted.subject_objects(rdflib.RDFS.subClassOf))
    assert new_links, "the inferred release has no inferred subclass links"


def test_catalog_maps_every_iri_to_a_file() -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(RELEASE / "catalog-v001.xml").getroot()
    uris = {e.get("name"): e.get("uri") for e in root}
    assert uris[ONTOLOGY_IRI] == "legkg.owl"
    assert all((RELEASE / f).is_file() for f in uris.values())


def test_failed_build_leaves_the_last_release(tmp_path: Path) -> None:
    out = tmp_path / "release"
    shutil.copytree(RELEASE, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = tmp_path / "broken.owl"
    broken.write_text(_source()[:5000], encoding="utf-8")  # cut off mid-way: not well-formed XML
    with pytest.raises(LegkgError, match="not valid RDF/XML"):
        build_release(broken, output=out, date="2030-01-02")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_date_and_turtle_source_are_misuse(tmp_path: Path) -> None:
    with pytest.raises(Misuse):
        build_release(output=tmp_path / "r", date="23/11/2026")
    ttl = tmp_path / "x.ttl"
    ttl.write_text("", encoding="utf-8")
    with pytest.raises(Misuse):
        build_release(ttl, output=tmp_path / "r", date="2030-01-02")


def _owlapi(*files: Path) -> subprocess.CompletedProcess:
    if shutil.which("java") is None or shutil.which("mvn") is None:
        pytest.skip("needs Java and Maven")
    env = dict(os.environ)
    return subprocess.run([str(REPO / ".ci" / "owlapi-check.sh"), *map(str, files)], capture_output=True,
                          text=True, timeout=1800, env=env)


@pytest.mark.reasoner
def test_owlapi_loads_the_release_cleanly() -> None:
    result = _owlapi(RELEASE / "legkg.owl", RELEASE / "legkg-inferred.owl", RELEASE / "legkg.ttl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": ok") == 3


@pytest.mark.reasoner
def test_owlapi_check_can_fail() -> None:
    result = _owlapi(BAD)
    assert result.returncode == 1, result.stdout + result.stderr
    for problem in ("punned entity", "undeclared entity", "OWL 2 DL violation", "unsatisfiable class"):
        assert problem in result.stdout, result.stdout


def test_inferred_release_declares_prefixes_only_on_the_root() -> None:
    """A local xmlns: for the legkg namespace would take over the legkg: prefix in oak's reader."""
    import xml.etree.ElementTree as ET

    text = (RELEASE / "legkg-inferred.owl").read_text(encoding="utf-8")
    root_end = text.index(">", text.index("<rdf:RDF"))
    assert "xmlns:" not in text[root_end:]
    root = ET.fromstring(text)
    source = ET.parse(RELEASE / "legkg.owl").getroot()

    def described(tree: ET.Element) -> list[str | None]:
        return sorted(e.get(f"{{{rdflib.RDF}}}about") for e in tree if e.tag == f"{{{rdflib.RDF}}}Description")

    assert described(root) == described(source), "inferences must sit inside their class or individual element"
    hd = next(e for e in root if e.get(f"{{{rdflib.RDF}}}about") == "https://w3id.org/legkg/HerniatedDisc")
    supers = {c.get(f"{{{rdflib.RDF}}}resource") for c in hd if c.tag == f"{{{rdflib.RDFS}}}subClassOf"}
    assert "https://w3id.org/legkg/NerveCompressionCondition" in supers
