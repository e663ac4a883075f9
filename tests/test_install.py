"""Build a wheel, install it into a scratch directory and ask the design question from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import QUERIES, REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(out.glob("legkg-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_declares_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        [entry_points] = [n for n in z.namelist() if n.endswith(".dist-info/entry_points.txt")]
        text = z.read(entry_points).decode("utf-8")
    lines = [line.replace(" ", "") for line in text.splitlines()]
    assert "[console_scripts]" in lines, text
    assert "legkg=legkg.cli.start:main" in lines, text


def test_wheel_contains_ontology_and_queries(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    assert "legkg/data/legkg-edit.owl" in names, sorted(names)
    shipped = {n.rsplit("/", 1)[1] for n in names
               if n.startswith("legkg/data/queries/") and n.endswith(".rq") and n.count("/") == 3}
    assert shipped == {p.name for p in QUERIES.glob("*.rq")}, sorted(shipped)
    internal = {n for n in names if n.startswith("legkg/data/queries/internal/")}
    assert "legkg/data/queries/internal/relation-graph.ru" in internal, sorted(internal)
    assert "legkg/__main__.py" in names and "legkg/cli/main.py" in names, sorted(names)
    assert not any(n.startswith("tests/") for n in names), sorted(names)


def test_installed_wheel_answers(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (site / "legkg" / "data" / "legkg-edit.owl").is_file()
    env = dict(os.environ, PYTHONPATH=str(site), LEGKG_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("LEGKG_ONTOLOGY", None)
    cmd = [sys.executable, "-m", "legkg", "conditions", "--anatomy", "sciatic nerve", "--symptom",
           "numbness", "--format", "json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert {(r["id"], r["label"]) for r in rows} == {("legkg:Sciatica", "sciatica"),
                                                     ("legkg:PiriformisSyndrome", "piriformis syndrome")}, rows
    # the installed copy, not the source checkout, answered
    where = subprocess.run([sys.executable, "-c", "import legkg, legkg.core.resources as r; "
                            "print(legkg.__file__); print(r.ontology_path())"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    module, onto = where.stdout.split("\n")[:2]
    assert Path(module).is_relative_to(site) and Path(onto).is_relative_to(site), where.stdout
    # canned queries ship too
    proc = subprocess.run([sys.executable, "-m", "legkg", "query", "run", "red-flags", "-f", "json"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert {"groin numbness", "loss of bowel or bladder control"} <= {r["label"] for r in json.loads(proc.stdout)}


def test_installed_wheel_writes_the_web_pages(wheel: Path, tmp_path: Path) -> None:
    """Templates and assets ship in the package: the installed copy writes the static site."""
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for name in ("legkg/publish/web/templates/term.html", "legkg/publish/web/assets/style.css",
                 "legkg/publish/web/assets/search.js", "legkg/data/queries/internal/term-mappings.rq"):
        assert name in names, name
    site = tmp_path / "site-packages"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    env = dict(os.environ, PYTHONPATH=str(site), LEGKG_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("LEGKG_ONTOLOGY", None)
    proc = subprocess.run([sys.executable, "-m", "legkg", "site", "-o", "pages"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "pages" / "legkg" / "Tingling.html").read_text(encoding="utf-8")
    assert "<h1>tingling</h1>" in page and "pins and needles" in page
    assert (tmp_path / "pages" / "assets" / "style.css").is_file()
