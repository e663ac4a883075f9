"""The console script parses the store on a second thread only for commands that query it, and only
hands it to a command asking for the same content; answers never depend on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SCIATICA, TINY
from pyoxigraph import NamedNode

from legkg.cli.args import wants_store
from legkg.store.local import open_backend
from legkg.store.preload import Preload
from legkg.store.source import Source

CONDITIONS = ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "--format", "json"]


@pytest.mark.parametrize("args", [
    CONDITIONS,
    ["describe", "sciatica"],
    ["query", "run", "red-flags"],
    ["--timeout", "5", "sparql", "--timeout", "5", "ASK { ?s ?p ?o }"],
    ["ask", "what makes spinal stenosis worse?"],
    ["ancestors", "sciatica", "-p", "part of"],
    ["triage", "-s", "numbness"],
])
def test_store_commands_start_the_parse(args: list[str]) -> None:
    assert wants_store(args, {})


@pytest.mark.parametrize(("args", "env"), [
    (["terms", "numb"], {}),  # the term index only
    (["query", "list"], {}),
    (["query", "show", "red-flags"], {}),
    (["export", "-o", "x.nt"], {}),
    (["--ontology", "my.owl", "conditions"], {}),
    (["conditions", "--ontology=my.owl"], {}),
    (["conditions", "--endpoint", "http://127.0.0.1:3030/ds"], {}),
    (["--with", "hpo", "conditions"], {}),
    (["--asserted", "conditions"], {}),
    (["conditions", "--help"], {}),
    (["--version"], {}),
    ([], {}),
    (["conditions"], {"LEGKG_ONTOLOGY": "my.owl"}),
    (["conditions"], {"LEGKG_ENDPOINT": "http://127.0.0.1:3030/ds"}),
    (["describe", "numb"], {"_LEGKG_COMPLETE": "bash_complete"}),
    (["--user", "conditions", "terms"], {}),  # 'conditions' is the --user value; the command is terms
])
def test_other_commands_start_nothing(args: list[str], env: dict[str, str]) -> None:
    assert not wants_store(args, env)


def test_preloaded_store_is_handed_only_to_the_same_content() -> None:
    key = Source().key
    open_backend().store  # noqa: B018 - the cache exists, as after any first query
    assert Preload().take("another-key") is None
    preload = Preload()
    store = preload.take(key)
    assert store is not None and len(store) == len(open_backend().store)
    assert preload.take(key) is None  # handed over once
    backend = open_backend(preloaded=Preload().take)
    rows = backend.select("SELECT ?l WHERE { ?c rdfs:label ?l }", {"c": NamedNode(SCIATICA)})
    assert [r["l"].value for r in rows] == ["sciatica"]


def _legkg(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The console script's code path (legkg.cli.start), as a fresh process."""
    return subprocess.run([sys.executable, "-m", "legkg", *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **env))


def _ids(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return [r["id"] for r in json.loads(done.stdout)]


def test_console_script_answers_from_a_corrupt_cache_and_rebuilds_it(tmp_path: Path) -> None:
    env = {"LEGKG_CACHE_DIR": str(tmp_path)}
    assert _ids(_legkg(CONDITIONS, env)) == ["legkg:PiriformisSyndrome", "legkg:Sciatica"]
    [nt] = [p for p in tmp_path.iterdir() if p.suffix == ".nt" and not p.name.startswith("inferred")]
    data = nt.read_bytes()
    nt.write_bytes(data.replace(b"SciaticNerve>", b"SciaticNervf>", 1))  # its checksum no longer matches
    assert _ids(_legkg(CONDITIONS, env)) == ["legkg:PiriformisSyndrome", "legkg:Sciatica"]
    rebuilt = nt.read_bytes()
    assert b"SciaticNervf>" not in rebuilt and b"\n# legkg: end of derived store check=" in rebuilt


def test_console_script_answers_over_another_ontology_given_by_environment(tmp_path: Path) -> None:
    env = {"LEGKG_CACHE_DIR": os.environ["LEGKG_CACHE_DIR"]}
    args = ["conditions", "--anatomy", "sprocket", "--format", "json"]
    assert _ids(_legkg(args, dict(env, LEGKG_ONTOLOGY=str(TINY)))) == ["legkg:TestConditionB"]
    done = _legkg(args, env)  # the bundled ontology has no sprocket
    assert done.returncode == 1 and "sprocket" in done.stderr, done.stderr


def _console(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legkg", *args], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=120)


def test_a_read_only_query_ends_with_its_whole_output_and_exit_code() -> None:
    """Such a command exits at once (legkg.cli.start.leave): nothing it printed is lost, codes are kept."""
    rows = json.loads(_console("sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "-f", "json").stdout)
    assert len(rows["results"]["bindings"]) > 5000  # far more than one pipe buffer, all flushed
    unknown = _console("conditions", "--anatomy", "elbow")
    assert unknown.returncode == 1 and unknown.stderr.startswith("Error: ") and unknown.stdout == ""
    misuse = _console("conditions", "--no-such-option")
    assert misuse.returncode == 2 and "No such option" in misuse.stderr
    answered = _console(*CONDITIONS)
    assert (answered.returncode, sorted(r["label"] for r in json.loads(answered.stdout))) == (
        0, ["piriformis syndrome", "sciatica"])


def test_a_read_only_query_into_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "legkg", "sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "-f",
                             "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and err == "", err  # the reader chose to stop: no error, no traceback


@pytest.mark.parametrize(("args", "env", "expected"), [
    (CONDITIONS, {}, True),
    (["--with", "mondo", "link", "query", "linked-codes"], {}, True),
    (["--endpoint", "http://127.0.0.1:1/sparql", "triage", "--symptom", "numbness"], {}, True),
    (["--ontology", "my.owl", "query", "run", "red-flags"], {}, True),
    (["link", "list"], {}, True),
    (["link", "mondo.owl", "--name", "mondo"], {}, False),
    (["link", "remove", "mondo"], {}, False),
    (["release", "--out", "dist"], {}, False),
    (["query", "list"], {}, False),
    (["describe", "sciatica"], {"_LEGKG_COMPLETE": "bash_complete"}, False),
])
def test_only_reading_commands_end_without_teardown(args: list[str], env: dict[str, str], expected: bool) -> None:
    from legkg.cli.args import reads_only

    assert reads_only(args, env) is expected
