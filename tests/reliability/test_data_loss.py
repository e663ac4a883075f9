"""Nothing lost, nothing wrong: releases, atomic writes, caches, linked store and bad ontologies.

Each test reproduces a way data was lost or answers went wrong, and fails without its fix.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from legkg.publish import release as rel
from legkg.store import files
from legkg.store.terms import TermIndex
from tests.conftest import ONTOLOGY, run

RELEASE_FILES = {"legkg.owl", "legkg.ttl", "legkg-inferred.owl", "catalog-v001.xml"}


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> None:
    """Release content without the reasoner, so the write path is tested alone."""
    monkeypatch.setattr(rel, "render_release", lambda *a, **k: {n: f"new {n}\n".encode() for n in rel.FILES})


def test_release_keeps_unrelated_files_and_refuses_a_foreign_folder(tmp_path: Path, fake_render: None) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "thesis.txt").write_text("precious")
    (tmp_path / "photos" / "a.jpg").write_text("x")
    code, _, err = run("release", "--date", "2026-01-01", "-o", tmp_path)
    assert code == 2, err
    assert "holds other files" in err and "--force" in err, err
    assert (tmp_path / "thesis.txt").read_text() == "precious"
    code, out, err = run("release", "--date", "2026-01-01", "-o", tmp_path, "--force")
    assert code == 0, err
    assert (tmp_path / "thesis.txt").read_text() == "precious"
    assert (tmp_path / "photos" / "a.jpg").read_text() == "x"
    assert {p.name for p in tmp_path.iterdir()} >= RELEASE_FILES


def test_release_into_the_current_folder_is_not_a_rename(tmp_path: Path, fake_render: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("release", "--date", "2026-01-01", "-o", ".")
    assert code == 0, err
    assert {p.name for p in tmp_path.iterdir()} == RELEASE_FILES


def test_release_killed_after_commit_is_finished_by_the_next_run(tmp_path: Path) -> None:
    target = tmp_path / "release"
    target.mkdir()
    for n in rel.FILES:
        (target / n).write_text("old")
    staging = target / rel.STAGING
    staging.mkdir()
    for n in rel.FILES:
        (staging / n).write_text("new")
    (staging / rel.COMMITTED).touch()
    (staging / "legkg.owl").replace(target / "legkg.owl")  # killed after moving one file
    rel.recover_release(target)
    assert {p.name: p.read_text() for p in target.iterdir()} == {n: "new" for n in rel.FILES}


def test_release_killed_before_commit_is_rolled_back(tmp_path: Path) -> None:
    target = tmp_path / "release"
    target.mkdir()
    for n in rel.FILES:
        (target / n).write_text("old")
    (target / rel.STAGING).mkdir()
    (target / rel.STAGING / "legkg.owl").write_text("half")
    rel.recover_release(target)
    assert {p.name: p.read_text() for p in target.iterdir()} == {n: "old" for n in rel.FILES}


def test_release_left_between_folder_swaps_is_restored(tmp_path: Path) -> None:
    new, old = tmp_path / ".release.new-abc", tmp_path / ".release.old-abc"
    new.mkdir()
    old.mkdir()
    for n in rel.FILES:
        (new / n).write_text("new")
        (old / n).write_text("old")
    rel.recover_release(tmp_path / "release")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]
    assert (tmp_path / "release" / "legkg.owl").read_text() == "new"


def test_release_into_an_unwritable_folder_is_one_line(tmp_path: Path, fake_render: None) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o500)
    try:
        code, _, err = run("release", "--date", "2026-01-01", "-o", target)
    finally:
        target.chmod(0o700)
    assert code == 1 and "cannot write the release" in err and "internal error" not in err, err


def test_empty_release_date_is_refused(tmp_path: Path) -> None:
    code, _, err = run("release", "--date", "", "-o", tmp_path / "r")
    assert code == 2 and "YYYY-MM-DD" in err, err


def test_write_to_a_fifo_goes_through_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"print(len(open({str(fifo)!r}, 'rb').read()))"],
                              stdout=subprocess.PIPE, text=True)
    files.atomic_write(fifo, b"x" * 1000)
    assert reader.communicate(timeout=20)[0].strip() == "1000"
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a FIFO, not replaced by a regular file


def test_write_to_dev_null_keeps_the_device(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    files.atomic_write(link, b"data")  # through a link, as /dev/stdout is one
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name != "null"]


def test_atomic_write_keeps_the_mode_and_replaces_the_links_target(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    files.atomic_write(link, b"new")
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_stale_temporaries_of_dead_writers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".x.nt.tmp-{dead.pid}-abcd1234"
    stale.write_bytes(b"partial")
    files.atomic_write(tmp_path / "x.nt", b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.nt"]


def test_export_to_stdout_with_dash() -> None:
    code, out, err = run("export", "-f", "nt", "-o", "-")
    assert code == 0 and "<https://w3id.org/legkg/Sciatica>" in out, err


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_output_is_misuse(bad: str) -> None:
    code, _, err = run("export", "-f", "nt", "-o", bad)
    assert code == 2 and "Device or resource busy" not in err, err


def test_output_naming_a_folder_is_refused(tmp_path: Path) -> None:
    code, _, err = run("export", "-f", "nt", "-o", f"{tmp_path}/new/")
    assert code == 2, err
    assert not (tmp_path / "new").exists()


def _cache_entries(cache: Path, suffix: str) -> list[Path]:
    return [p for p in cache.iterdir() if p.name.endswith(suffix) and not p.name.startswith("inferred")]


def test_corrupt_cache_with_its_end_marker_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path))
    args = ("conditions", "-a", "sciatic nerve", "-s", "numbness", "--format", "json")
    code, good, err = run(*args)
    assert code == 0 and "legkg:Sciatica" in good, err
    [nt] = _cache_entries(tmp_path, ".nt")
    data = nt.read_bytes()
    marker = data.rfind(b"# legkg: end of derived store")
    nt.write_bytes(data[:marker].replace(b"SciaticNerve>", b"SciaticNervf>") + data[marker:])
    assert run(*args)[1] == good
    assert run(*args)[1] == good


def test_terms_cache_holding_an_empty_list_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path))
    assert run("conditions", "-a", "sciatic nerve")[0] == 0
    [terms] = _cache_entries(tmp_path, ".marshal")
    terms.write_text("[]")
    code, out, err = run("conditions", "-a", "sciatic nerve", "--format", "json")
    assert code == 0 and "legkg:Sciatica" in out, err
    assert TermIndex.cached(terms.name.split(".terms.")[0]).entities


def test_empty_ontology_is_an_error_with_position(tmp_path: Path) -> None:
    empty = tmp_path / "e.owl"
    empty.write_bytes(b"")
    for args in (("validate",), ("conditions",), ("export", "-o", "-")):
        code, out, err = run("--ontology", empty, *args)
        assert code == 1 and f"{empty}:1:1:" in err and "empty" in err, (args, err)


def test_truncated_ontology_is_an_error_with_position(tmp_path: Path) -> None:
    cut = tmp_path / "cut.owl"
    cut.write_bytes(ONTOLOGY.read_bytes()[:5000])
    for args in (("validate",), ("conditions",), ("export", "-o", "-"), ("release", "-o", tmp_path / "r")):
        code, _, err = run("--ontology", cut, *args)
        assert code == 1 and f"{cut}:" in err and "not valid RDF/XML" in err, (args, err)


def test_rdf_xml_without_statements_is_an_error(tmp_path: Path) -> None:
    bare = tmp_path / "bare.owl"
    bare.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    code, _, err = run("--ontology", bare, "validate")
    assert code == 1 and "no RDF statements" in err, err


@pytest.mark.slow
def test_linked_store_survives_an_interrupted_reload_and_serves_concurrent_readers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from legkg.vocab.linked import link_hpo

    monkeypatch.setenv("LEGKG_CACHE_DIR", str(tmp_path))
    whole = link_hpo()["terms"]

    def killed(message: str) -> None:
        if message.startswith("  50000/"):
            raise KeyboardInterrupt  # as a kill after the first chunk
    with pytest.raises(KeyboardInterrupt):
        link_hpo(force=True, progress=killed)
    assert link_hpo()["terms"] == whole  # reloaded, not "already linked" with a part

    other = tmp_path / "copy.owl"
    other.write_bytes(ONTOLOGY.read_bytes().replace(b"</rdf:RDF>", b"<!-- edited -->\n</rdf:RDF>"))
    legkg = str(Path(sys.executable).parent / "legkg")
    env = dict(os.environ, LEGKG_CACHE_DIR=str(tmp_path))
    procs = [subprocess.Popen([legkg, "--ontology", str(other), "link", "query", "hpo-nervous-system-conditions",
                               "-f", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(4)]
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(code == 0 and json.loads(out) for out, err, code in outcomes), outcomes
