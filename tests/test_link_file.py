"""``legkg link FILE --name NAME``: any RDF vocabulary linked from a file, then crossed by queries.

The vocabularies are generated here: a SNOMED CT-shaped extract (every SNOMED CT code of
legkg's SSSOM mappings, with a made-up label and a parent, plus filler codes), written as
N-Triples, gzipped N-Triples, Turtle and RDF/XML by pyoxigraph's serialisers. Each test
runs ``legkg`` as a process over a persistent store in its own LEGKG_CACHE_DIR.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from legkg.vocab.mappings import curie_to_iri, load_mappings, select

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCT = "http://snomed.info/id/"
ROOT = SCT + "900000001"
FILLER = 500


def snomed_codes() -> dict[str, str]:
    """legkg term -> SNOMED CT code IRI, from the SSSOM file."""
    return {m.subject_id: curie_to_iri(m.object_id) for m in select(load_mappings(), "SNOMEDCT")}


def vocabulary() -> ox.Store:
    """The generated extract: each code a class with a label and a parent, under one labelled root."""
    store = ox.Store()
    label, sub, a = ox.NamedNode(RDFS + "label"), ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    klass = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    codes = sorted(set(snomed_codes().values())) + [f"{SCT}8{i:05d}" for i in range(FILLER)]
    for code in codes:
        c = ox.NamedNode(code)
        store.extend([ox.Quad(c, a, klass), ox.Quad(c, label, ox.Literal(f"finding {code[len(SCT):]}")),
                      ox.Quad(c, sub, ox.NamedNode(ROOT))])
    store.add(ox.Quad(ox.NamedNode(ROOT), label, ox.Literal("test root")))
    return store


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("vocab")
    store = vocabulary()
    out = {"nt": folder / "sct.nt", "ttl": folder / "sct.ttl", "xml": folder / "sct.owl"}
    for fmt, path in (("N_TRIPLES", out["nt"]), ("TURTLE", out["ttl"]), ("RDF_XML", out["xml"])):
        store.dump(output=str(path), format=getattr(ox.RdfFormat, fmt), from_graph=ox.DefaultGraph())
    out["gz"] = folder / "sct.nt.gz"
    out["gz"].write_bytes(gzip.compress(out["nt"].read_bytes()))
    return out


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "LEGKG_ONTOLOGY"}
    e["LEGKG_CACHE_DIR"] = str(tmp_path / "cache")
    return e


def legkg(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legkg", *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=300)


def rows(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def count(env: dict[str, str], name: str) -> int:
    proc = legkg(env, "--with", name, "sparql", "--format", "json",
                 f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <https://w3id.org/legkg/graph/{name}> {{ ?s ?p ?o }} }}")
    assert proc.returncode == 0, proc.stderr
    return int(json.loads(proc.stdout)["results"]["bindings"][0]["n"]["value"])


def test_every_format_gives_the_same_graph(files: dict[str, Path], env: dict[str, str]) -> None:
    expected = len(vocabulary())
    for fmt, path in files.items():
        proc = legkg(env, "link", path, "--name", f"sct-{fmt}")
        assert proc.returncode == 0, proc.stderr
        assert f"sct-{fmt}: {expected:,} triples" in proc.stdout and "(loaded)" in proc.stdout, proc.stdout
        assert proc.stderr == "", "no progress when stderr is not a terminal"
        assert count(env, f"sct-{fmt}") == expected
    listed = rows(legkg(env, "link", "list", "--format", "json"))
    assert {(r["name"], r["triples"], r["state"]) for r in listed} == {
        (f"sct-{fmt}", expected, "linked") for fmt in files}
    assert {r["source"] for r in listed} == {str(p.resolve()) for p in files.values()}


def test_link_once_then_current_and_force_reloads(files: dict[str, Path], env: dict[str, str]) -> None:
    assert legkg(env, "link", files["nt"], "--name", "sct").returncode == 0
    again = legkg(env, "link", "file", files["nt"], "--name", "sct")  # the long form is the same command
    assert again.returncode == 0 and "(current, not reloaded)" in again.stdout, again.stdout + again.stderr
    again = legkg(env, "link", "--name", "sct", files["nt"])  # options first
    assert again.returncode == 0 and "(current, not reloaded)" in again.stdout, again.stdout + again.stderr
    forced = legkg(env, "link", files["nt"], "--name", "sct", "--force")
    assert forced.returncode == 0 and "(loaded)" in forced.stdout, forced.stderr
    assert count(env, "sct") == len(vocabulary())


def test_cross_query_joins_the_vocabulary_with_the_mappings(files: dict[str, Path], env: dict[str, str]) -> None:
    assert legkg(env, "link", files["gz"], "--name", "sct").returncode == 0
    found = rows(legkg(env, "--with", "sct", "link", "query", "linked-codes", "--format", "json"))
    got = {(r["id"], r["code"]) for r in found}
    assert got == set(snomed_codes().items())
    sciatica = next(r for r in found if r["id"] == "legkg:Sciatica")
    assert sciatica["code_label"] == "finding " + snomed_codes()["legkg:Sciatica"][len(SCT):]
    assert sciatica["parent_label"] == "test root"
    # the ontology's facts and the vocabulary in one SPARQL query: codes of conditions affecting the sciatic nerve
    proc = legkg(env, "--with", "sct", "sparql", "--format", "json",
                 "SELECT ?c ?l WHERE { ?c legkg:affects legkg:SciaticNerve ; skos:exactMatch|skos:closeMatch ?s . "
                 "?s rdfs:label ?l ; rdfs:subClassOf ?root . ?root rdfs:label 'test root' }")
    assert proc.returncode == 0, proc.stderr
    labels = {b["c"]["value"].rsplit("/", 1)[1] for b in json.loads(proc.stdout)["results"]["bindings"]}
    assert {"Sciatica", "PiriformisSyndrome"} <= labels, proc.stdout
    # without --with the vocabulary is not seen
    plain = legkg(env, "sparql", "--format", "json", f"ASK {{ <{ROOT}> rdfs:label ?l }}")
    assert json.loads(plain.stdout)["boolean"] is False


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.nt", b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> oops .\n", "bad.nt:2: not valid RDF"),
    ("bad.ttl", b"@prefix a: <http://a/> .\na:x a:y a:z .\na:x a:y \"open .\n", "bad.ttl:3: not valid RDF"),
    ("bad.owl", b"<html><body>not RDF</body></html>\n", "bad.owl: not valid RDF"),
    ("empty.nt", b"", "empty.nt is empty"),
    ("comment.ttl", b"# nothing here\n", "comment.ttl holds no triples"),
    ("cut.nt.gz", gzip.compress(b"<http://a> <http://b> <http://c> .\n" * 5000)[:300], "cannot read"),
])
def test_a_bad_file_is_one_line_and_links_nothing(tmp_path: Path, env: dict[str, str], name: str, content: bytes,
                                                   message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    proc = legkg(env, "link", path, "--name", "bad")
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    refused = legkg(env, "--with", "bad", "terms", "numb")
    assert refused.returncode == 1 and "bad is not linked yet" in refused.stderr, refused.stderr


@pytest.mark.parametrize(("args", "code", "message"), [
    (["link", "missing.nt", "--name", "x"], 1, "missing.nt: no such file"),
    (["link", "sct.nt", "--name", "Bad Name"], 2, "bad vocabulary name 'Bad Name'"),
    (["link", "sct.nt", "--name", "hpo"], 2, "'legkg link hpo' loads the bundled one"),
    (["link", "sct.data", "--name", "x"], 2, "give --format (nt, nq, ttl, trig, xml)"),
    (["link", "sct.nt"], 2, "Missing option '--name'"),
    (["--with", "Nope!", "terms", "numb"], 2, "bad vocabulary name 'Nope!'"),
])
def test_misuse_and_missing_files(files: dict[str, Path], env: dict[str, str], args: list[str], code: int,
                                  message: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "legkg", *args], env=env, capture_output=True, text=True,
                          cwd=files["nt"].parent, timeout=120)
    assert proc.returncode == code and message in proc.stderr, proc.stderr


def test_format_option_overrides_the_extension(files: dict[str, Path], tmp_path: Path, env: dict[str, str]) -> None:
    renamed = tmp_path / "sct.data"
    renamed.write_bytes(files["ttl"].read_bytes())
    proc = legkg(env, "link", renamed, "--name", "sct", "--format", "ttl")
    assert proc.returncode == 0, proc.stderr
    assert count(env, "sct") == len(vocabulary())


KILL_HARNESS = """
import sys
from pathlib import Path
from legkg.vocab import linkfile
def tick(read, total, triples):
    if 0 < read < total:  # the loader is part-way through the file
        print("read", read, total, flush=True)
linkfile.link_file(Path(sys.argv[1]), "big", tick=tick)
"""


@pytest.mark.parametrize("then", ["link", "remove"])
def test_a_load_killed_part_way_is_never_linked_and_the_next_run_finishes(tmp_path: Path, env: dict[str, str],
                                                                          then: str) -> None:
    path = tmp_path / "big.nt"
    with path.open("w", encoding="utf-8") as out:
        for i in range(150_000):
            out.write(f"<{SCT}7{i}> <{RDFS}label> \"finding 7{i}\" .\n")
    proc = subprocess.Popen([sys.executable, "-c", KILL_HARNESS, str(path)], env=env, stdout=subprocess.PIPE,
                            text=True)
    first = proc.stdout.readline()
    assert first.startswith("read"), first
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, read, total = first.split()
    assert 0 < int(read) < int(total)
    refused = legkg(env, "--with", "big", "terms", "numb")
    assert refused.returncode == 1 and "big is not linked yet" in refused.stderr, refused.stderr
    listed = rows(legkg(env, "link", "list", "--format", "json"))
    assert [(r["name"], r["state"].split(":")[0]) for r in listed] == [("big", "incomplete")]
    if then == "remove":  # the partial graph goes, and nothing is listed
        removed = legkg(env, "link", "remove", "big")
        assert removed.returncode == 0 and removed.stdout.startswith("removed big: "), removed.stderr
        assert rows(legkg(env, "link", "list", "--format", "json")) == []
    again = legkg(env, "link", path, "--name", "big")
    assert again.returncode == 0 and "(loaded)" in again.stdout, again.stderr  # not "current": it reloads
    assert count(env, "big") == 150_000
    assert [r["state"] for r in rows(legkg(env, "link", "list", "--format", "json"))] == ["linked"]


def test_progress_line_on_a_terminal_only(files: dict[str, Path], env: dict[str, str]) -> None:
    import pty

    def on_terminal(*args: str) -> str:
        out = bytearray()
        pid, fd = pty.fork()
        if pid == 0:  # the child: legkg with its stdout and stderr on the terminal
            os.execve(sys.executable, [sys.executable, "-m", "legkg", *args], env)
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.waitpid(pid, 0)
        return out.decode("utf-8", "replace")

    shown = on_terminal("link", str(files["nt"]), "--name", "sct")
    assert "\r" in shown and "100%" in shown and "linked sct:" in shown, shown
    quiet = on_terminal("link", str(files["nt"]), "--name", "sct2", "--quiet")
    assert "%" not in quiet and "sct2: " in quiet, quiet


def test_python_api_links_and_lists(files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import legkg

    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "api-cache"))
    info = legkg.open().link(files["ttl"], "sct")
    assert (info["graph"], info["triples"], info["loaded"]) == ("https://w3id.org/legkg/graph/sct", len(vocabulary()),
                                                               True)
    kg = legkg.open(linked=["sct"])
    assert [(r["name"], r["state"]) for r in kg.linked()] == [("sct", "linked")]
    found = kg.sparql("SELECT ?l WHERE { legkg:Sciatica skos:exactMatch|skos:closeMatch ?c . ?c rdfs:label ?l }")
    assert [r["l"] for r in found] == ["finding " + snomed_codes()["legkg:Sciatica"][len(SCT):]]
    from legkg.core.errors import Misuse

    with pytest.raises(Misuse, match="bad vocabulary name"):
        kg.link(files["ttl"], "No")


def test_reloading_a_big_graph_rebuilds_the_store_and_keeps_the_others(files: dict[str, Path], tmp_path: Path,
                                                                       env: dict[str, str]) -> None:
    """Above 20,000 triples a graph is removed by copying the rest of the store, not triple by triple."""
    path = tmp_path / "big.nt"
    path.write_text("".join(f"<{SCT}7{i}> <{RDFS}label> \"finding 7{i}\" .\n" for i in range(30_000)),
                    encoding="utf-8")
    assert legkg(env, "link", files["nt"], "--name", "sct").returncode == 0
    assert legkg(env, "link", path, "--name", "big").returncode == 0
    again = legkg(env, "link", path, "--name", "big", "--force")
    assert again.returncode == 0 and "(loaded)" in again.stdout, again.stderr
    assert (count(env, "big"), count(env, "sct")) == (30_000, len(vocabulary()))
    left = {p.name for p in Path(env["LEGKG_CACHE_DIR"]).glob("linked-store.*")}
    assert left == {"linked-store.lock"}, "the old and the rebuilt folders are gone"
    found = rows(legkg(env, "--with", "sct", "--with", "big", "link", "query", "linked-codes", "--format", "json"))
    assert {(r["id"], r["code"]) for r in found} == set(snomed_codes().items())


@pytest.mark.parametrize("size", [500, 30_000])
def test_a_failed_reload_keeps_the_previous_copy_linked(tmp_path: Path, env: dict[str, str], size: int) -> None:
    """A reload from a bad file ends with one line and the copy that was linked before, small or big."""
    good = tmp_path / "codes.nt"
    good.write_text("".join(f"<{SCT}7{i}> <{RDFS}label> \"finding 7{i}\" .\n" for i in range(size)),
                    encoding="utf-8")
    assert legkg(env, "link", good, "--name", "codes").returncode == 0
    bad = tmp_path / "codes-new.nt"
    bad.write_text("".join(f"<{SCT}8{i}> <{RDFS}label> \"finding 8{i}\" .\n" for i in range(size)) + "<broken\n",
                   encoding="utf-8")
    failed = legkg(env, "link", bad, "--name", "codes", "--force")
    assert failed.returncode == 1, failed.stderr
    assert failed.stderr.strip().splitlines()[-1].startswith(f"Error: {bad}:{size + 1}: not valid RDF")
    assert count(env, "codes") == size
    labels = rows(legkg(env, "--with", "codes", "sparql", "--format", "json",
                        f"SELECT ?l WHERE {{ <{SCT}70> <{RDFS}label> ?l }}"))["results"]["bindings"]
    assert [b["l"]["value"] for b in labels] == ["finding 70"]
    listed = rows(legkg(env, "link", "list", "--format", "json"))
    assert [(r["name"], r["triples"], r["state"], r["source"]) for r in listed] == [
        ("codes", size, "linked", str(good.resolve()))]
    current = legkg(env, "link", good, "--name", "codes")
    assert current.returncode == 0 and "(loaded)" not in current.stdout, "the previous copy is current again"
    left = {p.name for p in Path(env["LEGKG_CACHE_DIR"]).glob("linked-store.*")}
    assert left == {"linked-store.lock"}


def test_a_blank_node_is_one_node_in_its_file_and_apart_from_another_files(tmp_path: Path,
                                                                           env: dict[str, str]) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.nt").write_text(f"<{SCT}7{name}> <{RDFS}seeAlso> _:b1 .\n"
                                             f"<{SCT}8{name}> <{RDFS}seeAlso> _:b1 .\n"
                                             f'_:b1 <{RDFS}label> "note of {name}" .\n', encoding="utf-8")
        assert legkg(env, "link", tmp_path / f"{name}.nt", "--name", name).returncode == 0
    found = rows(legkg(env, "--with", "one", "--with", "two", "sparql", "--format", "json",
                       f"SELECT ?s ?l WHERE {{ ?s <{RDFS}seeAlso> ?b . ?b <{RDFS}label> ?l }}"))
    pairs = sorted((b["s"]["value"][len(SCT):], b["l"]["value"]) for b in found["results"]["bindings"])
    assert pairs == [("7one", "note of one"), ("7two", "note of two"), ("8one", "note of one"),
                     ("8two", "note of two")]


def test_remove_takes_out_one_vocabulary_and_keeps_the_others(files: dict[str, Path], tmp_path: Path,
                                                              env: dict[str, str]) -> None:
    big = tmp_path / "big.nt"
    big.write_text("".join(f"<{SCT}7{i}> <{RDFS}label> \"finding 7{i}\" .\n" for i in range(30_000)),
                   encoding="utf-8")
    for path, name in ((files["nt"], "sct"), (big, "big"), (files["ttl"], "small")):
        assert legkg(env, "link", path, "--name", name).returncode == 0
    removed = legkg(env, "link", "remove", "small", "big")  # a small graph in place, a big one by a rebuild
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines() == [
        f"removed small: {len(vocabulary()):,} triples (<https://w3id.org/legkg/graph/small>)",
        "removed big: 30,000 triples (<https://w3id.org/legkg/graph/big>)"]
    assert [r["name"] for r in rows(legkg(env, "link", "list", "--format", "json"))] == ["sct"]
    assert count(env, "sct") == len(vocabulary())
    gone = legkg(env, "--with", "big", "terms", "numb")
    assert gone.returncode == 1 and "big is not linked yet" in gone.stderr
    again = legkg(env, "link", "remove", "big")
    assert (again.returncode, again.stderr.strip()) == (1, "Error: big is not linked (linked: sct)")
    taken = legkg(env, "link", "remove", "ontology")
    assert taken.returncode == 2 and "not a vocabulary" in taken.stderr
    assert legkg(env, "link", big, "--name", "big").returncode == 0  # links again afresh
    assert count(env, "big") == 30_000
    left = {p.name for p in Path(env["LEGKG_CACHE_DIR"]).glob("linked-store.*")}
    assert left == {"linked-store.lock"}


@pytest.mark.parametrize("compact_above, compacted", [(0, True), (None, False)])
def test_only_a_big_load_is_compacted(files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      compact_above: int | None, compacted: bool) -> None:
    """A file above the threshold is compacted before its triples are counted; a small one is left as loaded."""
    from legkg.vocab import linkfile

    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    if compact_above is not None:
        monkeypatch.setattr(linkfile, "COMPACT_ABOVE", compact_above)
    said: list[str] = []
    info = linkfile.link_file(files["nt"], "sct", say=said.append)
    assert (info["triples"], info["loaded"]) == (len(vocabulary()), True)
    assert ("compacting the store ..." in said) is compacted, said
    assert [(r["name"], r["triples"], r["state"]) for r in linkfile.linked_list()] == [
        ("sct", len(vocabulary()), "linked")]


@pytest.mark.parametrize("small_store", [None, 0])
def test_triples_are_counted_once_however_the_store_is_counted(files: dict[str, Path], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               small_store: int | None) -> None:
    """A repeated line and a second spelling of one triple count once, beside another vocabulary, whether the
    store is small enough to count every quad (the default here) or the new graph is counted by itself (0)."""
    from legkg.vocab import linkfile

    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path / "cache"))
    if small_store is not None:
        monkeypatch.setattr(linkfile, "SMALL_STORE", small_store)
    assert linkfile.link_file(files["nt"], "sct")["triples"] == len(vocabulary())
    path = tmp_path / "repeats.nt"
    path.write_text(f'<{SCT}1> <{RDFS}label> "one" .\n'
                    f'<{SCT}1> <{RDFS}label> "one" .\n'  # the same line again
                    f'<{SCT}1>  <{RDFS}label>  "one"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
                    f'<{SCT}2> <{RDFS}label> "two" .\n', encoding="utf-8")
    assert linkfile.link_file(path, "repeats")["triples"] == 2
    assert [(r["name"], r["triples"]) for r in linkfile.linked_list()] == [("repeats", 2), ("sct", len(vocabulary()))]
