"""The README is short, starts with the two commands, and links the docs; the CLI reference is current."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def test_cli_reference_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "cli_reference.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block, first_block
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci, ci


def test_readme_is_short() -> None:
    assert len(README.read_bytes()) < 15_000, len(README.read_bytes())


def test_readme_has_a_quick_start_for_each_reader() -> None:
    headings = re.findall(r"^## (.*)$", README.read_text(encoding="utf-8"), re.MULTILINE)
    for reader in ("health-content editors", "clinical informaticians", "ontology engineers"):
        assert any(reader in h for h in headings), headings


def test_readme_and_docs_links_resolve() -> None:
    for doc in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#]+?)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"


def test_make_run_ends_by_saying_how_to_call_legkg() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert ".installed" not in run.splitlines()[0], "make run must not install the test extras"
    assert "--quiet" not in makefile.split("\nrun:", 1)[0], "installs must show progress"
    assert "$(BIN)/legkg" in run.splitlines()[-1] and "activate" in run.splitlines()[-1], run
