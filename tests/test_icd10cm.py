"""ICD-10-CM as a linked SKOS vocabulary: the graph, `legkg link icd10cm` and the cross query.

The graph tests build the SKOS lines in memory (a few seconds: the package parses the
CMS XML on import). The link tests load the whole code set (~490,000 triples) into a
persistent store under a temporary LEGKG_CACHE_DIR once per module; they are marked slow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from legkg.vocab import icd10cm
from legkg.vocab.mappings import curie_to_iri, load_mappings, select

NS = icd10cm.NAMESPACE
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def concepts() -> dict[str, icd10cm.Concept]:
    return {c.iri: c for c in icd10cm.concepts()}


def test_every_code_of_the_package_is_a_concept(concepts: dict[str, icd10cm.Concept]) -> None:
    import simple_icd_10_cm as icd

    codes = icd.get_all_codes(True)
    assert len(concepts) == len(codes), "one concept per entry of the package's code list"
    assert {c.code for c in concepts.values()} == set(codes)
    kinds = [c.kind for c in concepts.values()]
    assert kinds.count("chapter") == 22
    assert all(c.parent in concepts for c in concepts.values() if c.parent), "a broader concept is missing"


def test_hierarchy_of_sciatica_unspecified_side(concepts: dict[str, icd10cm.Concept]) -> None:
    path, c = [], concepts[NS + "M54.30"]
    while c is not None:
        path.append((c.kind, c.notation))
        c = concepts.get(c.parent) if c.parent else None
    assert path == [("subcategory", "M54.30"), ("subcategory", "M54.3"), ("category", "M54"),
                    ("block", "M50-M54"), ("chapter", "13")]
    assert concepts[NS + "M00-M99"].label.startswith("Diseases of the musculoskeletal system")


def test_single_category_block_and_category_are_two_concepts(concepts: dict[str, icd10cm.Concept]) -> None:
    block, category = concepts[NS + "B20-B20"], concepts[NS + "B20"]
    assert (block.kind, category.kind) == ("block", "category")
    assert category.parent == block.iri


def test_iris_are_those_of_the_mapping_file(concepts: dict[str, icd10cm.Concept]) -> None:
    """Every ICD10CM code legkg maps to expands (by the SSSOM curie map) to a concept of the graph."""
    codes = [m.object_id for m in select(load_mappings(), "ICD10CM")]
    assert codes
    assert [c for c in codes if curie_to_iri(c) not in concepts] == []


def test_ntriples_parse_and_escape() -> None:
    import pyoxigraph as ox

    lines = list(icd10cm.ntriples())
    store = ox.Store()
    store.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == len(lines)
    label = next(store.quads_for_pattern(ox.NamedNode(NS + "M54.30"), ox.NamedNode(SKOS + "prefLabel"), None))
    assert label.object == ox.Literal("Sciatica, unspecified side", language="en")


# ---------------------------------------------------------------- the linked store (slow)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment whose LEGKG_CACHE_DIR holds the linked ICD-10-CM graph; the first run's output under '_'."""
    cache = tmp_path_factory.mktemp("icd10cm-cache")
    env = {k: v for k, v in os.environ.items() if k != "LEGKG_ONTOLOGY"}
    env["LEGKG_CACHE_DIR"] = str(cache)
    proc = _legkg(env, "link", "icd10cm")
    assert proc.returncode == 0, proc.stderr
    return {**env, "_stdout": proc.stdout, "_stderr": proc.stderr}


def _env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith("_")}


def _legkg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legkg", *args], env=_env(env), capture_output=True, text=True,
                          timeout=600)


def _select(env: dict[str, str], query: str) -> list[dict[str, str]]:
    """Rows of a SELECT over the ontology and the linked ICD-10-CM graph (``legkg --with icd10cm sparql``)."""
    proc = _legkg(env, "--with", "icd10cm", "sparql", "--format", "json", query)
    assert proc.returncode == 0, proc.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(proc.stdout)["results"]["bindings"]]


def _chapters(env: dict[str, str]) -> list[dict[str, str]]:
    proc = _legkg(env, "link", "query", "icd10cm-chapters", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.slow
def test_link_loads_once_with_progress(linked: dict[str, str]) -> None:
    import simple_icd_10_cm as icd

    n = len(icd.get_all_codes(True))
    assert f"{n:,}/{n:,} concepts" in linked["_stderr"], linked["_stderr"]  # progress, on stderr
    assert f"{n:,} concepts" in linked["_stdout"], linked["_stdout"]
    assert "(loaded)" in linked["_stdout"], linked["_stdout"]
    again = _legkg(linked, "link", "icd10cm")
    assert again.returncode == 0, again.stderr
    assert "(current, not reloaded)" in again.stdout, again.stdout
    assert "already linked and current" in again.stderr and "reading" not in again.stderr, again.stderr


@pytest.mark.slow
def test_linked_counts_and_hierarchy(linked: dict[str, str]) -> None:
    import simple_icd_10_cm as icd

    rows = _select(linked, f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{icd10cm.GRAPH}> {{ ?c a skos:Concept }} }}")
    assert int(rows[0]["n"]) == len(icd.get_all_codes(True))
    rows = _select(linked, f"SELECT ?code WHERE {{ <{NS}M54.30> skos:broader+ ?a . ?a skos:notation ?code }}")
    assert {r["code"] for r in rows} == {"M54.3", "M54", "M50-M54", "13"}


@pytest.mark.slow
def test_cross_query_gives_the_chapter_of_each_mapped_condition(linked: dict[str, str]) -> None:
    rows = _chapters(linked)
    got = {(r["id"], r["code"]): r["chapter"] for r in rows}
    terms = _legkg(linked, "terms", "--kind", "condition", "--format", "json")
    conditions = {r["id"] for r in json.loads(terms.stdout)}
    expected = {(m.subject_id, m.object_id.split(":", 1)[1]) for m in select(load_mappings(), "ICD10CM")
                if m.subject_id in conditions}
    assert expected and set(got) == expected, rows
    assert got[("legkg:Sciatica", "M54.30")] == "13"
    assert got[("legkg:MultipleSclerosis", "G35.D")] == "6"
    assert all(r["chapter_label"] and r["code_label"] for r in rows), rows


@pytest.mark.slow
def test_store_is_opened_read_only(linked: dict[str, str]) -> None:
    """While this process holds the store's write lock, another one still answers: it opens the store read-only."""
    import pyoxigraph as ox

    _chapters(linked)  # the first query after a link copies the ontology in (a write)
    path = str(Path(linked["LEGKG_CACHE_DIR"]) / "linked-store")
    writer = ox.Store(path)  # holds RocksDB's lock
    try:
        second = subprocess.run([sys.executable, "-c", f"import pyoxigraph; pyoxigraph.Store({path!r})"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode != 0 and "lock" in second.stderr.lower(), second.stderr  # no second writer
        assert _chapters(linked)
        again = _legkg(linked, "link", "icd10cm")  # checking that the graph is current is a read, too
        assert again.returncode == 0 and "current" in again.stdout, again.stderr
    finally:
        del writer


def test_cross_query_before_linking_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from legkg.core.errors import LegkgError
    from legkg.vocab.linked import open_linked

    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path))
    with pytest.raises(LegkgError, match="run 'legkg link icd10cm' first"):
        open_linked(graphs=["icd10cm"])


def test_cross_query_header() -> None:
    from legkg.core.resources import queries_dir
    from legkg.store.queries import parse_query

    q = parse_query("icd10cm-chapters", (queries_dir() / "linked" / "icd10cm-chapters.rq").read_text("utf-8"))
    assert q.title == "ICD-10-CM chapters of conditions" and "legkg link icd10cm" in q.description
    assert q.params == ()
