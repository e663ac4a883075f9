"""The release and export files in the tools of the field: oak, pronto, py-horned-owl, ROBOT, the OWL API.

oak, pronto and py-horned-owl run in their own virtualenv (see ``tests/toolvenv.py``);
ROBOT and the OWL API come from Maven Central (``.ci/robot.sh``, ``.ci/owlapi-check.sh``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli
from legkg.store.local import open_backend

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "ontology" / "release"
JVM = pytest.mark.skipif(not (shutil.which("java") and shutil.which("mvn")), reason="needs Java and Maven")
pytestmark = pytest.mark.slow

# written from the article: sciatica is a nerve-related or spinal cause, a condition; the reasoner
# adds that it compresses (and so affects) a nerve
SCIATICA_ANCESTORS = {"legkg:NerveRelatedOrSpinalCause", "legkg:Condition", "legkg:NerveCondition",
                      "legkg:NerveCompressionCondition"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    for fmt, name in [("obo", "legkg.obo"), ("obographs", "legkg.json"), ("jsonld", "legkg.jsonld"),
                      ("owl", "legkg.owl"), ("ttl", "legkg.ttl"), ("nt", "legkg.nt")]:
        source = ["--source"] if fmt in ("jsonld", "owl", "ttl", "nt") else []  # the ontology, for OWL tools
        result = CliRunner().invoke(cli, ["export", "--format", fmt, *source, "-o", str(out / name)])
        assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def oak() -> Path:
    from toolvenv import OAK, tool_venv

    return tool_venv("oak", *OAK)


def graph_ancestors(iri: str = "https://w3id.org/legkg/Sciatica") -> set[str]:
    """Named superclasses in legkg's own store (asserted and inferred)."""
    rows = open_backend().select(f"SELECT DISTINCT ?a WHERE {{ <{iri}> rdfs:subClassOf+ ?a . FILTER isIRI(?a) }}")
    return {"legkg:" + r["a"].value.removeprefix("https://w3id.org/legkg/") for r in rows}


def _runoak(venv: Path, *args: str) -> list[str]:
    result = subprocess.run([str(venv / "bin" / "runoak"), *args], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    return [line.split("\t")[0] for line in result.stdout.splitlines()[1:] if line.strip()]


def test_graph_ancestors_are_the_article_ones() -> None:
    assert graph_ancestors() == SCIATICA_ANCESTORS


@pytest.mark.parametrize("adapter,where,name", [("", "export", "legkg.obo"), ("simpleobo:", "export", "legkg.obo"),
                                                ("", "release", "legkg-inferred.owl"),
                                                ("pronto:", "release", "legkg-inferred.owl")])
def test_oak_ancestors_match_the_graph(oak: Path, exports: Path, adapter: str, where: str, name: str) -> None:
    """`runoak -i legkg.obo ancestors legkg:Sciatica -p i` gives the graph's ancestors."""
    path = (exports if where == "export" else RELEASE) / name
    # oak's pronto adapter names terms of a non-OBO file by their IRIs
    term = "https://w3id.org/legkg/Sciatica" if adapter == "pronto:" else "legkg:Sciatica"
    found = {i.replace("https://w3id.org/legkg/", "legkg:")
             for i in _runoak(oak, "-i", f"{adapter}{path}", "ancestors", term, "-p", "i")} - {"legkg:Sciatica"}
    assert found == graph_ancestors()


def test_oak_reads_relationships_from_obo(oak: Path, exports: Path) -> None:
    rows = _runoak(oak, "-i", str(exports / "legkg.obo"), "relationships", "legkg:Sciatica")
    assert rows and set(rows) == {"legkg:Sciatica"}
    result = subprocess.run([str(oak / "bin" / "runoak"), "-i", str(exports / "legkg.obo"), "relationships",
                             "legkg:Sciatica"], capture_output=True, text=True, timeout=900)
    # "involves irritation or compression of the sciatic nerve" is stated outright; numbness only with
    # a hedge ("can"), and an OBO relationship would claim it for every case
    assert "legkg:SciaticNerve" in result.stdout and "legkg:Numbness" not in result.stdout, result.stdout


PRONTO = """
import json, sys, warnings
warnings.simplefilter("ignore")
import pronto
out = {}
for path in sys.argv[1:]:
    o = pronto.Ontology(path)
    t = o.get("legkg:Sciatica") or o.get("https://w3id.org/legkg/Sciatica")
    out[path] = sorted(x.id.replace("https://w3id.org/legkg/", "legkg:") for x in t.superclasses(with_self=False))
print(json.dumps(out))
"""


def test_pronto_reads_obo_obographs_and_the_release(oak: Path, exports: Path) -> None:
    files = [exports / "legkg.obo", exports / "legkg.json", RELEASE / "legkg-inferred.owl", RELEASE / "legkg.owl"]
    result = subprocess.run([str(oak / "bin" / "python"), "-c", PRONTO, *map(str, files)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    found = {Path(k).name: set(v) for k, v in json.loads(result.stdout).items()}
    ancestors = graph_ancestors()
    assert found["legkg.obo"] == found["legkg.json"] == found["legkg-inferred.owl"] == ancestors
    assert found["legkg.owl"] == {"legkg:NerveRelatedOrSpinalCause", "legkg:Condition"}  # asserted only


HORNED = """
import json, sys
import pyhornedowl
out = {}
for path in sys.argv[1:]:
    fmt = {"ttl": "ttl", "owl": "rdf"}[path.rsplit(".", 1)[1]]
    o = pyhornedowl.open_ontology(path, fmt)
    out[path] = len(o.get_axioms())
print(json.dumps(out))
"""


def test_py_horned_owl_reads_the_release(oak: Path, exports: Path) -> None:
    files = [RELEASE / "legkg.owl", RELEASE / "legkg.ttl", RELEASE / "legkg-inferred.owl", exports / "legkg.owl",
             exports / "legkg.ttl"]
    result = subprocess.run([str(oak / "bin" / "python"), "-c", HORNED, *map(str, files)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    counts = list(json.loads(result.stdout).values())
    assert counts[0] == counts[1] > 1000, counts  # the same ontology in RDF/XML and Turtle
    assert counts[2] > counts[0], "the inferred release adds axioms"


@JVM
def test_owlapi_reads_every_format(exports: Path) -> None:
    """The OWL API (Protégé's library) loads each file: DL, consistent, nothing unparsed or undeclared."""
    files = [exports / n for n in ("legkg.jsonld", "legkg.obo", "legkg.owl", "legkg.ttl", "legkg.nt")]
    result = subprocess.run([str(REPO / ".ci" / "owlapi-check.sh"), *map(str, files)], capture_output=True,
                            text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.stdout.count(": ok") == len(files), result.stdout


@JVM
@pytest.mark.parametrize("name", ["release:legkg.owl", "release:legkg-inferred.owl", "release:legkg.ttl",
                                  "export:legkg.jsonld", "export:legkg.obo", "export:legkg.nt"])
def test_robot_reads_and_reasons(exports: Path, tmp_path: Path, name: str) -> None:
    """ROBOT converts each file to OBO with the same hierarchy for sciatica."""
    where, _, file = name.partition(":")
    path = (RELEASE if where == "release" else exports) / file
    out = tmp_path / "out.obo"
    result = subprocess.run([str(REPO / ".ci" / "robot.sh"), "--prefix", "legkg: https://w3id.org/legkg/",
                             "convert", "-i", str(path), "--format", "obo",
                             "--check", "false", "-o", str(out)], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # N-Triples and expanded JSON-LD declare no prefixes: ROBOT writes IRIs or names a prefix itself
    text = out.read_text(encoding="utf-8")
    legkg = r"(?:[\w.-]+:|https://w3id\.org/legkg/)"
    stanza = re.search(rf"\nid: {legkg}Sciatica\n(.*?)\n\n", text, re.S)
    assert stanza, text[:2000]
    assert re.search(rf"^is_a: {legkg}NerveRelatedOrSpinalCause\b", stanza.group(1), re.M), stanza.group(1)
