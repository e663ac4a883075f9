"""Completion of terms and ``legkg terms`` answered before Click loads print exactly what Click prints.

Every case runs twice as a fresh process: through the console script's entry (which may answer
without Click) and through Click alone; stdout, stderr and the exit code must be the same bytes.
Cases the fast path is meant to answer must also be answered without importing Click.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, TINY

from legkg.cli import fastgen

# The console script's path; at exit, whether Click was imported is written to $FAST_PROBE.
ENTRY = """
import atexit, os, sys
atexit.register(lambda: open(os.environ["FAST_PROBE"], "w").write(str("click" in sys.modules)))
sys.argv[0] = "legkg"
from legkg.cli.start import main
sys.exit(main())
"""
# Click alone, as the entry runs it when the fast path hands on.
CLICK = """
import sys
sys.argv[0] = "legkg"
from legkg.cli.main import main
main()
"""


@pytest.fixture(scope="module", autouse=True)
def _index_cached() -> None:
    """The store and term index cached, as after any first query."""
    from legkg.store.terms import embedded_index

    embedded_index()


def _both(args: list[str], env: dict[str, str], tmp_path: Path) -> tuple[bool, subprocess.CompletedProcess]:
    """Run both ways; assert identical output; return whether the entry answered without Click."""
    probe = tmp_path / "probe"
    full = dict(os.environ, FAST_PROBE=str(probe), **env)
    fast = subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True, timeout=120, env=full)
    click = subprocess.run([sys.executable, "-c", CLICK, *args], capture_output=True, timeout=120, env=full)
    assert (fast.stdout, fast.stderr, fast.returncode) == (click.stdout, click.stderr, click.returncode)
    return probe.read_text() == "False", fast


def _complete(shell: str, words: str, cword: str | int) -> dict[str, str]:
    return {"_LEGKG_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}


TERMS_ANSWERED = [
    ["terms", "numb", "-f", "json"],
    ["terms", "numb"],
    ["terms", "--kind", "symptom", "-f", "csv"],
    ["terms", "-k", "anatomy", "sciatic", "--format=tsv"],
    ["terms", "--kind=condition", "spinal"],
    ["terms", "pins and needles", "--format", "json"],
    ["terms", "zzzz"],
    ["terms", ""],
    ["terms"],
]
TERMS_HANDED_ON = [
    ["terms", "-k", "bogus"],
    ["terms", "--help"],
    ["terms", "-h"],
    ["terms", "numb", "extra"],
    ["terms", "-f"],
    ["terms", "numb", "--asserted"],
    ["terms", "numb", "-k", "symptom", "-k", "anatomy"],
    ["terms", "--", "numb"],
    ["terms", "-kpain"],
    ["--asserted", "terms", "numb"],
]


@pytest.mark.parametrize("args", TERMS_ANSWERED, ids=" ".join)
def test_terms_answered_without_click(args: list[str], tmp_path: Path) -> None:
    answered, done = _both(args, {}, tmp_path)
    assert answered and done.returncode == 0


@pytest.mark.parametrize("args", TERMS_HANDED_ON, ids=" ".join)
def test_terms_click_answers_what_is_not_plain(args: list[str], tmp_path: Path) -> None:
    answered, _ = _both(args, {}, tmp_path)
    assert not answered


def test_terms_over_another_ontology_by_environment(tmp_path: Path) -> None:
    answered, done = _both(["terms", "sprocket", "-f", "csv"], {"LEGKG_ONTOLOGY": str(TINY)}, tmp_path)
    assert not answered and b"sprocket" in done.stdout


def test_terms_with_a_missing_index_are_built_by_click(tmp_path: Path) -> None:
    answered, done = _both(["terms", "numb", "-f", "csv"], {"LEGKG_CACHE_DIR": str(tmp_path / "empty")}, tmp_path)
    assert not answered and b"legkg:Numbness,numbness" in done.stdout


COMPLETIONS_ANSWERED = [
    ("bash", "legkg describe numb", 2),
    ("bash", "legkg describe trochan", 2),  # multi-word terms come quoted
    ("bash", "legkg describe 'sciatic n", 2),
    ("bash", 'legkg describe "pins', 2),
    ("bash", "legkg describe ", 2),  # every term
    ("bash", "legkg describe", 2),
    ("bash", "legkg describe zzzz", 2),
    ("bash", "legkg conditions -a sci", 3),
    ("bash", "legkg conditions --anatomy=sci", 2),
    ("bash", "legkg conditions --symptom pins", 3),
    ("bash", "legkg conditions -f json -c nerve", 5),
    ("bash", "legkg conditions -a 'sciatic nerve' -s numb", 5),
    ("bash", "legkg paths sciatica ", 3),
    ("bash", "legkg paths sciatica -f json hip", 5),
    ("bash", "legkg triage -t ", 3),
    ("bash", "legkg tree lumbar", 2),
    ("bash", "legkg ancestors numb extra", 2),  # the cursor inside the line
    ("zsh", "legkg describe numb", 2),
    ("zsh", "legkg describe trochan", 2),
    ("zsh", "legkg conditions -a 'sciatic n", 3),
    ("zsh", "legkg graph piri", 2),
    ("fish", "legkg describe numb", "numb"),
    ("fish", "legkg describe trochan", "trochan"),
    ("fish", "legkg describe 'sciatic n", "'sciatic n"),
    ("fish", "legkg conditions -s pins", "pins"),
    ("fish", "legkg descendants ", ""),
    ("fish", "legkg conditions -a", ""),
]
COMPLETIONS_HANDED_ON = [
    ("bash", "legkg describe -", 2),  # option names
    ("bash", "legkg describe numb -f ", 4),  # a choice
    ("bash", "legkg ancestors -p ", 3),  # relations are not completed with terms
    ("bash", "legkg terms nu", 2),
    ("bash", "legkg desc", 1),
    ("bash", "legkg paths sciatica hip ", 4),  # no argument left
    ("bash", "legkg --asserted describe numb", 3),
    ("bash", "legkg describe -- numb", 3),
    ("bash", "legkg query run ", 3),
    ("bash", "legkg describe numb", "x"),
    ("zsh", "legkg conditions --xref ", 3),
    ("fish", "legkg conditions -a", "-"),
    ("powershell", "legkg describe numb", 2),
]


@pytest.mark.parametrize(("shell", "words", "cword"), COMPLETIONS_ANSWERED, ids=lambda v: str(v))
def test_completion_answered_without_click(shell: str, words: str, cword: str | int, tmp_path: Path) -> None:
    answered, done = _both([], _complete(shell, words, cword), tmp_path)
    assert answered and done.returncode == 0


@pytest.mark.parametrize(("shell", "words", "cword"), COMPLETIONS_HANDED_ON, ids=lambda v: str(v))
def test_completion_click_answers_the_rest(shell: str, words: str, cword: str | int, tmp_path: Path) -> None:
    answered, _ = _both([], _complete(shell, words, cword), tmp_path)
    assert not answered


def test_completion_of_multi_word_terms_is_quoted_for_bash(tmp_path: Path) -> None:
    """What the article names in several words is inserted as one word (written from the article)."""
    answered, done = _both([], _complete("bash", "legkg describe trochan", 2), tmp_path)
    assert answered and "plain,'trochanteric bursitis'" in done.stdout.decode().splitlines()


def test_completion_over_another_ontology_by_environment(tmp_path: Path) -> None:
    env = dict(_complete("bash", "legkg conditions -a sprock", 3), LEGKG_ONTOLOGY=str(TINY))
    answered, done = _both([], env, tmp_path)
    assert not answered and b"sprocket" in done.stdout


def test_spec_is_current() -> None:
    """legkg/cli/fastspec.py is what the Click commands say now (regenerate: python -m legkg.cli.fastgen)."""
    assert (REPO / "legkg" / "cli" / "fastspec.py").read_text(encoding="utf-8") == fastgen.render()


def test_spec_names_every_term_completed_parameter() -> None:
    from legkg.cli import fastspec

    completed = {path: [p[0] for p in params if p[10] is not None] for path, params in fastspec.COMMANDS.items()}
    assert completed[("describe",)] == ["term"]
    assert completed[("conditions",)] == ["anatomy", "symptom", "mechanism", "category"]
    assert completed[("paths",)] == ["start", "end"]
    assert ("terms",) in completed and ("query", "run") not in completed


def test_cached_term_index_holds_the_name_tables_it_would_compute() -> None:
    """The index read from its cache finds names exactly as one built from the same entities."""
    from legkg.store.source import Source
    from legkg.store.terms import TermIndex

    cached = TermIndex.cached(Source().key)
    fresh = TermIndex(list(cached.entities.values()))
    assert cached._cached_tables is not None and fresh._cached_tables is None
    tables = (cached._name_tables(), fresh._name_tables())
    as_iris = [[list({k: [(e.iri, lab) for e, lab in b] for k, b in t.items()}.items()) for t in pair]
               for pair in tables]
    assert as_iris[0] == as_iris[1] and len(as_iris[0][0]) > 100
    assert cached.resolve("pins and needles", kinds={"symptom"}).label == "tingling"


@pytest.mark.parametrize("env", [{"LEGKG_CACHE_DIR": "/tmp/c"}, {"LEGKG_CACHE_DIR": "rel/c/"}, {"XDG_CACHE_HOME": "/x"},
                                 {"XDG_CACHE_HOME": ""}, {}])
def test_cache_files_named_without_pathlib_are_the_cache_folders(env: dict[str, str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up path names cache files as plain strings; they are the files in cache_dir()."""
    from legkg.store.files import cache_dir, cache_file

    for name in ("LEGKG_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Path(cache_file("k.nt")) == cache_dir() / "k.nt"


def test_bundled_files_named_without_pathlib_are_the_bundled_files() -> None:
    from legkg.core.resources import ontology_file, ontology_path, queries_dir, queries_folder

    assert Path(ontology_file()) == ontology_path() and ontology_path().is_file()
    assert Path(queries_folder()) == queries_dir() and (queries_dir() / "red-flags.rq").is_file()
