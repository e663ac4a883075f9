"""Every command example in README.md and docs/*.md prints what the document says.

Regenerate the expected output with ``python docs/examples.py`` after a deliberate change.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from conftest import REPO

_spec = importlib.util.spec_from_file_location("doc_examples", REPO / "docs" / "examples.py")
doc = importlib.util.module_from_spec(_spec)
sys.modules["doc_examples"] = doc  # its dataclass needs the module registered
_spec.loader.exec_module(doc)

EXAMPLES = [e for path in doc.documents() for e in doc.examples(path)]
REASONING = ("legkg explain", "legkg reason")  # these start a JVM


def _param(example):
    marks = [pytest.mark.reasoner] if example.command.startswith(REASONING) else []
    return pytest.param(example, marks=marks, id=f"{example.path.name}:{example.line}")


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_example_prints_what_the_document_shows(example) -> None:
    code, output = doc.run(example.command)
    assert output == example.expected, (
        f"{example.path.name}:{example.line}: $ {example.command}\n--- documented\n{example.expected}"
        f"--- printed\n{output}(regenerate with: python docs/examples.py)")
    assert (code == 0) == ("\nError:" not in "\n" + output), f"exit {code}: {output}"


def test_readme_examples_exist_for_each_user() -> None:
    commands = [e.command for e in EXAMPLES if e.path.name == "README.md"]
    for needed in ("legkg ask", "legkg conditions", "legkg terms", "legkg ancestors", "legkg tree"):
        assert any(c.startswith(needed) for c in commands), (needed, commands)


def test_no_unrun_legkg_examples_in_other_blocks() -> None:
    """A '$ legkg' line outside a console block would never be checked."""
    for path in doc.documents():
        text = doc.BLOCK.sub("", path.read_text(encoding="utf-8"))
        stray = re.findall(r"^\$ legkg .*$", text, re.MULTILINE)
        assert not stray, f"{path.name}: put these in a ```console block: {stray}"
