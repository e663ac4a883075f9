"""The layers declared in pyproject.toml hold, and the check would catch a breach or a cycle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed (pip install -e '.[test]')")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.run([str(LINT), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "legkg", tmp_path / "legkg", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_layers_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout, result.stdout


def test_a_layer_breach_is_caught(tmp_path: Path) -> None:
    """The store importing the command line breaks the layers contract."""
    tree = _copy(tmp_path)
    local = tree / "legkg" / "store" / "local.py"
    local.write_text(local.read_text(encoding="utf-8") + "\nfrom legkg.cli.common import Settings  # noqa\n",
                     encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0, result.stdout
    assert "legkg.store is not allowed to import legkg.cli" in result.stdout, result.stdout


def test_click_outside_the_command_line_is_caught(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    triage = tree / "legkg" / "answers" / "triage.py"
    triage.write_text(triage.read_text(encoding="utf-8") + "\nimport click  # noqa\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0 and "Only the command line imports click BROKEN" in result.stdout, result.stdout


def test_an_import_cycle_is_caught(tmp_path: Path) -> None:
    """Two sibling modules importing each other break the acyclic contract."""
    tree = _copy(tmp_path)
    ask = tree / "legkg" / "answers" / "mentions.py"
    ask.write_text(ask.read_text(encoding="utf-8") + "\nimport legkg.answers.ask  # noqa\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0 and "No import cycles inside a package BROKEN" in result.stdout, result.stdout
