"""Bad input: exit code 1 (bad data, failed query, unknown term) or 2 (misuse), one error line."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import ONTOLOGY, TINY, run

INJECTION = 'x" } UNION { ?s ?p ?o'


def fails(code: int, *args: str | os.PathLike[str]) -> str:
    """Run the CLI; assert the exit code, no stdout, one 'Error: ' line and no traceback."""
    rc, out, err = run(*args)
    assert rc == code, f"exit {rc}, expected {code}\nstdout: {out}\nstderr: {err}"
    assert out == "", f"stdout should be empty on error: {out!r}"
    assert err.startswith("Error: ") and err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert "Traceback" not in out + err
    return err


# --- unknown, ambiguous, wrong-kind and empty terms -------------------------------------------

def test_unknown_term_suggests() -> None:
    err = fails(1, "conditions", "--symptom", "numbnes")
    assert "unknown symptom 'numbnes'" in err and "did you mean 'numbness'" in err, err


def test_unknown_term_in_describe_suggests() -> None:
    err = fails(1, "describe", "sciatika")
    assert "did you mean 'sciatica'" in err, err


def test_ambiguous_term_lists_both_candidates() -> None:
    err = fails(1, "describe", "piriformis")
    assert "ambiguous" in err, err
    assert "legkg:PiriformisMuscle" in err and "legkg:PiriformisSyndrome" in err, err


@pytest.mark.parametrize("option", ["--anatomy", "--symptom", "--mechanism", "--category"])
def test_injection_through_conditions_filter(option: str) -> None:
    err = fails(1, "conditions", option, INJECTION, "--format", "json")
    assert "unknown" in err and "UNION" in err, err


@pytest.mark.parametrize("option", ["--anatomy", "--symptom"])
def test_injection_after_a_good_filter(option: str) -> None:
    fails(1, "conditions", "--anatomy", "hip", option, INJECTION, "--format", "json")


@pytest.mark.parametrize(
    ("query", "param"),
    [("conditions-by-anatomy", "anatomy"), ("symptoms-of", "condition"), ("urgency-of", "sign")],
)
def test_injection_through_canned_parameter(query: str, param: str) -> None:
    err = fails(1, "query", "run", query, "-p", param, INJECTION, "--format", "json")
    assert "unknown" in err, err


@pytest.mark.parametrize(
    "value",
    ["<https://w3id.org/legkg/Hip> } UNION { ?s ?p ?o>", "https://w3id.org/legkg/Hip>}UNION{?s?p?o}",
     "legkg:Hip>}UNION{?s?p?o}", "hip\" } UNION { ?s ?p ?o } #"],
)
def test_injection_in_iri_form(value: str) -> None:
    fails(1, "query", "run", "conditions-by-anatomy", "-p", "anatomy", value, "--format", "json")
    fails(1, "conditions", "--anatomy", value, "--format", "json")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("conditions", "--anatomy", "numbness"), "'numbness' is a symptom (numbness), not an anatomy term"),
        (("conditions", "--symptom", "sciatica"), "'sciatica' is a condition"),
        (("conditions", "--mechanism", "hip"), "'hip' is an anatomy (hip), not a mechanism term"),
        (("conditions", "--category", "legkg:Tingling"), "is a symptom"),
        (("query", "run", "symptoms-of", "-p", "condition", "hip"), "'hip' is a"),
    ],
)
def test_term_of_wrong_kind(args: tuple[str, ...], message: str) -> None:
    err = fails(1, *args)
    assert message in err, err


@pytest.mark.parametrize(
    "args",
    [("conditions", "--anatomy", ""), ("conditions", "--symptom", "   "), ("describe", ""),
     ("query", "run", "symptoms-of", "-p", "condition", "")],
)
def test_empty_term_is_misuse(args: tuple[str, ...]) -> None:
    err = fails(2, *args)
    assert "empty" in err, err


def test_empty_term_message_reads_well() -> None:
    err = fails(2, "describe", "")
    assert "term term" not in err, err


def test_unknown_curie_prefix() -> None:
    err = fails(1, "describe", "foo:Sciatica")
    assert "unknown prefix 'foo'" in err and "legkg" in err, err


def test_unknown_curie_in_known_prefix() -> None:
    err = fails(1, "describe", "legkg:NoSuchThing")
    assert "https://w3id.org/legkg/NoSuchThing" in err, err


# --- SPARQL --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["SELECT ?x WHERE { ?x", "SELEKT * WHERE { ?s ?p ?o }",
                                  "SELECT * WHERE { ?s nope:p ?o }"])
def test_malformed_sparql(text: str) -> None:
    err = fails(1, "sparql", text)
    assert "invalid SPARQL" in err, err


@pytest.mark.parametrize(
    "text",
    ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }",
     "PREFIX x: <http://x/>\nDELETE DATA { <urn:a> <urn:b> <urn:c> }", "# a comment\nCLEAR ALL",
     "DROP DEFAULT", "LOAD <http://example.org/x.ttl>",
     "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"],
)
def test_sparql_update_refused(text: str) -> None:
    err = fails(2, "sparql", text)
    assert "updates are refused" in err, err


def test_sparql_update_refused_from_file(tmp_path: Path) -> None:
    q = tmp_path / "u.rq"
    q.write_text("INSERT DATA { <urn:a> <urn:b> <urn:c> }\n", encoding="utf-8")
    fails(2, "sparql", "--file", q)


def test_sparql_update_did_not_change_anything() -> None:
    run("sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    code, out, err = run("sparql", "ASK { <urn:a> <urn:b> <urn:c> }", "--format", "json")
    assert code == 0 and '"boolean": false' in out.replace('":false', '": false'), (out, err)


@pytest.mark.parametrize("args", [("sparql",), ("sparql", "SELECT * {}", "--file", "-")])
def test_sparql_needs_exactly_one_query(args: tuple[str, ...]) -> None:
    fails(2, *args)


def test_sparql_format_not_fitting_result() -> None:
    err = fails(2, "sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--format", "ttl")
    assert "does not fit" in err, err


# --- options and canned queries ------------------------------------------------------------------

@pytest.mark.parametrize(
    "args",
    [("conditions", "--format", "yaml"), ("describe", "sciatica", "-f", "xml"),
     ("query", "run", "red-flags", "-f", "html"), ("sparql", "SELECT * {}", "-f", "yaml"),
     ("export", "-f", "csv", "-o", "-")],
)
def test_bad_format(args: tuple[str, ...]) -> None:
    err = fails(2, *args)
    assert "--format" in err and "is not one of" in err, err


def test_unknown_option() -> None:
    err = fails(2, "conditions", "--colour", "red")
    assert "--colour" in err, err


def test_unknown_command() -> None:
    err = fails(2, "diagnose")
    assert "diagnose" in err, err


def test_unknown_canned_query_suggests() -> None:
    err = fails(2, "query", "run", "red-flag")
    assert "no canned query named 'red-flag'" in err and "did you mean 'red-flags'" in err, err


@pytest.mark.parametrize("name", ["../queries/red-flags", "internal/term-index", "RED-FLAGS"])
def test_canned_query_name_is_not_a_path(name: str) -> None:
    fails(2, "query", "run", name)


def test_unknown_canned_query_in_show() -> None:
    fails(2, "query", "show", "no-such-query")


def test_missing_parameter() -> None:
    err = fails(2, "query", "run", "conditions-by-anatomy")
    assert "needs -p anatomy" in err, err


def test_one_of_two_parameters_missing() -> None:
    err = fails(2, "query", "run", "conditions-by-anatomy-and-symptom", "-p", "anatomy", "hip")
    assert "needs -p symptom" in err, err


def test_extra_parameter() -> None:
    err = fails(2, "query", "run", "conditions-by-anatomy", "-p", "anatomy", "hip", "-p",
                "symptom", "pain")
    assert "no parameter 'symptom'" in err, err


def test_parameter_for_query_without_parameters() -> None:
    err = fails(2, "query", "run", "red-flags", "-p", "x", "y")
    assert "no parameter 'x'" in err, err


def test_parameter_given_twice() -> None:
    err = fails(2, "query", "run", "conditions-by-anatomy", "-p", "anatomy", "hip", "-p",
                "anatomy", "brain")
    assert "twice" in err, err


# --- ontology files ------------------------------------------------------------------------------

def test_missing_ontology_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.owl"
    err = fails(1, "--ontology", missing, "conditions")
    assert "cannot read ontology" in err and "nope.owl" in err, err


def test_missing_ontology_file_in_export(tmp_path: Path) -> None:
    fails(1, "--ontology", tmp_path / "nope.ttl", "export", "-o", tmp_path / "out.ttl")
    assert not (tmp_path / "out.ttl").exists()


@pytest.mark.parametrize(
    ("name", "content", "syntax"),
    [("bad.ttl", "legkg:Sciatica rdfs:label 'x' .", "Turtle"),
     ("bad.owl", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf=', "RDF/XML"),
     ("bad.nt", "<urn:a> <urn:b> .\n", "N-Triples")],
)
def test_ontology_with_syntax_error(tmp_path: Path, name: str, content: str, syntax: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    err = fails(1, "--ontology", path, "conditions")
    assert name in err and "not valid" in err, err


@pytest.mark.parametrize("warm_cache", [False, True], ids=["cold-cache", "warm-cache"])
def test_ontology_of_unknown_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm_cache: bool) -> None:
    """The file type decides, whether or not the same bytes were cached from a .ttl file."""
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    if warm_cache:
        assert run("--ontology", TINY, "terms")[0] == 0
    path = tmp_path / "onto.txt"
    shutil.copy(TINY, path)
    err = fails(1, "--ontology", path, "terms")
    assert "unknown RDF file type" in err, err


@pytest.mark.parametrize("warm_cache", [False, True], ids=["cold-cache", "warm-cache"])
def test_turtle_named_owl_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm_cache: bool) -> None:
    """Turtle in a .owl file is not RDF/XML, whether or not the same bytes were cached."""
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    if warm_cache:
        assert run("--ontology", TINY, "terms")[0] == 0
    path = tmp_path / "onto.owl"
    shutil.copy(TINY, path)
    err = fails(1, "--ontology", path, "terms")
    assert "not valid RDF" in err, err


def test_ontology_path_is_a_directory(tmp_path: Path) -> None:
    fails(2, "--ontology", tmp_path, "terms")


# --- export --------------------------------------------------------------------------------------

def _listing(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def test_export_into_unwritable_place_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file, not a directory\n", encoding="utf-8")
    err = fails(1, "export", "-f", "ttl", "-o", blocker / "x.ttl")
    assert "cannot write" in err, err
    assert _listing(tmp_path) == ["not-a-dir"]
    assert blocker.read_text(encoding="utf-8") == "a file, not a directory\n"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root ignores directory permissions")
def test_export_into_read_only_directory(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        err = fails(1, "export", "-f", "ttl", "-o", ro / "x.ttl")
        assert "cannot write" in err, err
        assert _listing(ro) == []
    finally:
        ro.chmod(stat.S_IRWXU)


def test_export_failure_mid_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the old file is intact and no temporary file is left."""
    import legkg.store.files

    out = tmp_path / "x.ttl"
    out.write_bytes(b"old content\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(legkg.store.files.os, "replace", broken_replace)
    err = fails(1, "export", "-f", "ttl", "-o", out)
    assert "cannot write" in err and "unchanged" in err, err
    assert out.read_bytes() == b"old content\n"
    assert _listing(tmp_path) == ["x.ttl"]


def test_export_atomically_replaces_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "x.ttl"
    out.write_bytes(b"old content\n")
    reader = tmp_path / "reader-link"
    os.link(out, reader)  # a reader holding the old file keeps seeing the old content
    code, stdout, err = run("export", "-f", "ttl", "-o", out)
    assert code == 0, err
    assert reader.read_bytes() == b"old content\n", "export wrote into the existing file in place"
    data = out.read_text(encoding="utf-8")
    assert "legkg:Sciatica" in data or "<https://w3id.org/legkg/Sciatica>" in data, data[:500]
    assert _listing(tmp_path) == ["reader-link", "x.ttl"]


@pytest.fixture(scope="module")
def source_shape() -> Counter[tuple[str, ...]]:
    import rdflib

    return _shape(rdflib.Graph().parse(ONTOLOGY, format="xml"))


def _shape(g: Iterable[tuple[Any, Any, Any]]) -> Counter[tuple[str, ...]]:
    """The graph's triples with every blank node written as '_' (cheap stand-in for isomorphism)."""
    from rdflib import BNode

    return Counter(tuple("_" if isinstance(n, BNode) else n.n3() for n in t) for t in g)


@pytest.fixture(scope="module")
def published_shape() -> Counter[tuple[str, ...]]:
    import rdflib

    from legkg.store.local import published_graph

    return _shape(rdflib.Graph().parse(data=published_graph(), format="nt"))


@pytest.mark.parametrize("source", [True, False], ids=["source", "published"])
@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("ttl", b"@prefix"), ("owl", b"<rdf:RDF"), ("nt", b"<https://w3id.org/legkg/Sciatica>"),
     ("jsonld", b'"@id"')],
)
def test_export_formats_parse(tmp_path: Path, fmt: str, marker: bytes, source: bool,
                              source_shape: Counter[tuple[str, ...]],
                              published_shape: Counter[tuple[str, ...]]) -> None:
    """`export --source` writes the ontology as edited; `export` the published graph, in every syntax."""
    import rdflib

    out = tmp_path / f"x.{fmt}"
    code, _, err = run("export", "-f", fmt, "-o", out, *(["--source"] if source else []))
    assert code == 0, err
    data = out.read_bytes()
    assert marker in data, data[:300]
    g = rdflib.Graph().parse(data=data, format={"ttl": "turtle", "owl": "xml", "nt": "nt",
                                                "jsonld": "json-ld"}[fmt])
    expected = source_shape if source else published_shape
    assert sum(expected.values()) == len(g), (len(g), sum(expected.values()))
    assert _shape(g) == expected, f"{fmt} export is not the same graph"
    closure = ("<https://w3id.org/legkg/HerniatedDisc>", "<https://w3id.org/legkg/isA>",
               "<https://w3id.org/legkg/Condition>")
    assert (closure in _shape(g)) != source


def test_export_to_stdout_and_stderr_is_quiet(tmp_path: Path) -> None:
    """export -f owl in a real process: the RDF on stdout, one 'wrote' line and no warnings."""
    env = dict(os.environ)
    env.pop("LEGKG_ONTOLOGY", None)
    out = tmp_path / "x.owl"
    proc = subprocess.run([sys.executable, "-m", "legkg", "export", "-f", "owl", "-o", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [f"wrote {out} (owl, {out.stat().st_size} bytes)"], proc.stderr
    proc = subprocess.run([sys.executable, "-m", "legkg", "export", "-f", "nt", "-o", "-"],
                          capture_output=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
    assert b"<https://w3id.org/legkg/Sciatica> <http://www.w3.org/2000/01/rdf-schema#label>" in proc.stdout


def test_exported_file_has_ordinary_permissions(tmp_path: Path) -> None:
    """A new export is readable like any file the user creates (mode 0666 minus the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    out = tmp_path / "x.ttl"
    code, _, err = run("export", "-f", "ttl", "-o", out)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask, oct(out.stat().st_mode)


# --- the source is never changed ---------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_source_ontology_unchanged_by_queries(tmp_path: Path) -> None:
    before = _digest(ONTOLOGY)
    mtime = ONTOLOGY.stat().st_mtime_ns
    for args in [("conditions", "--anatomy", "hip"), ("describe", "sciatica"),
                 ("query", "run", "red-flags"), ("sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
                 ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
                 ("export", "-f", "owl", "-o", tmp_path / "x.owl")]:
        run(*args)
    assert _digest(ONTOLOGY) == before
    assert ONTOLOGY.stat().st_mtime_ns == mtime


def test_copied_ontology_unchanged_and_nothing_written_beside_it(tmp_path: Path) -> None:
    copy = tmp_path / "copy.owl"
    shutil.copy(ONTOLOGY, copy)
    before = _digest(copy)
    code, _, err = run("--ontology", copy, "conditions", "--symptom", "tingling")
    assert code == 0, err
    run("--ontology", copy, "sparql", "DELETE WHERE { ?s ?p ?o }")
    assert _digest(copy) == before
    assert _listing(tmp_path) == ["copy.owl"]


def test_no_arguments_shows_help_on_stderr() -> None:
    code, out, err = run()
    assert code == 2 and out == "" and "Usage:" in err, (code, out, err)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "owl"])
def test_export_can_be_queried_again(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"legkg.{fmt}"
    code, _, err = run("export", "-f", fmt, "-o", out)
    assert code == 0, err
    code, stdout, err = run("--ontology", out, "conditions", "--anatomy", "sciatic nerve", "--symptom",
                            "numbness", "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert [(r["id"], r["label"], r["article_category"]) for r in rows] == [
        ("legkg:PiriformisSyndrome", "piriformis syndrome", "nerve-related or spinal cause"),
        ("legkg:Sciatica", "sciatica", "nerve-related or spinal cause")], stdout
    assert all(r["modality"] and r["source"] for r in rows), stdout  # each row cites the fact that matched


@pytest.mark.parametrize("value", ["a" * 5000, "sciat\x00ica"])
def test_oversized_or_binary_term(value: str) -> None:
    err = fails(1, "describe", value)
    assert "unknown term" in err and len(err) < 300, err
