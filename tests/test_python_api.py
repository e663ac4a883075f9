"""The Python API: documented examples run, every command has its method, answers match the commands."""

from __future__ import annotations

import doctest
import json
import re

import click
import pytest
from conftest import REPO, run

import legkg
from legkg.api import KnowledgeGraph, Rows
from legkg.cli.main import cli

# Commands that are not questions about the graph, and why they have no method.
NOT_METHODS = {
    "serve": "starts a long-running server",
    "push": "loads a server; use legkg.store.remote.push",
    "release": "writes release files; use legkg.publish.release.build_release",
    "endpoint": "checks a server's copy of the graph; a server administration command",
    "site": "writes a static web site; use legkg.publish.web.static.write_site",
}
# Commands whose method has another name.
RENAMED = {"query": "query"}


def test_python_md_examples_run() -> None:
    path = REPO / "docs" / "python.md"
    text = re.sub(r"^```.*$", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)  # fences end examples
    test = doctest.DocTestParser().get_doctest(text, {}, "python.md", str(path), 0)
    out: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    result = runner.run(test, out=out.append)
    assert result.attempted > 15 and result.failed == 0, "".join(out)


def test_every_command_has_a_method() -> None:
    ctx = click.Context(cli)
    missing = [name for name in cli.list_commands(ctx)
               if name not in NOT_METHODS and not callable(getattr(KnowledgeGraph, RENAMED.get(name, name), None))]
    assert not missing, f"commands without a KnowledgeGraph method: {missing}"
    for sub in ("list", "show", "run"):  # legkg query list/show/run
        assert {"list": "queries", "show": "query_text", "run": "query"}[sub] in dir(KnowledgeGraph)


def test_a_single_string_is_one_term() -> None:
    kg = legkg.open()
    assert [r["label"] for r in kg.conditions(symptom="numbness", anatomy="sciatic nerve")] == \
        ["piriformis syndrome", "sciatica"]
    from legkg.answers.lookup import find_conditions

    assert find_conditions(kg.backend, symptom="numbness")  # not read as the letters n, u, m ...


@pytest.mark.parametrize(("method", "kwargs", "command"), [
    ("conditions", {"anatomy": "hip"}, ["conditions", "--anatomy", "hip"]),
    ("ancestors", {"term": "hip flexor strain"}, ["ancestors", "hip flexor strain"]),
    ("descendants", {"term": "leg", "relation": "part of"}, ["descendants", "leg", "-p", "part of"]),
    ("terms", {"text": "numb"}, ["terms", "numb"]),
])
def test_method_and_command_agree(method: str, kwargs: dict, command: list[str]) -> None:
    rows = getattr(legkg.open(), method)(**kwargs)
    code, out, err = run(*command, "--format", "json")
    assert code == 0, err
    assert [r["id"] for r in rows] == [r["id"] for r in json.loads(out)], out


def test_rows_to_pandas_keeps_columns() -> None:
    pytest.importorskip("pandas")
    frame = legkg.open().conditions(anatomy="sciatic nerve").to_pandas()
    assert list(frame.columns) == ["id", "label", "article_category"]
    assert "legkg:Sciatica" in set(frame["id"])


def test_rows_are_plain_lists_of_dicts() -> None:
    rows = legkg.open().terms("sciatic")
    assert isinstance(rows, Rows) and isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
    assert json.loads(json.dumps(rows)) == list(rows)


def test_bad_term_raises_the_commands_message() -> None:
    from legkg.core.errors import UnknownTerm

    with pytest.raises(UnknownTerm, match="did you mean 'numbness'"):
        legkg.open().conditions(symptom="numbnes")


def test_endpoint_and_ontology_exclude_each_other() -> None:
    from legkg.core.errors import Misuse

    with pytest.raises(Misuse):
        legkg.open(ontology="x.owl", endpoint="http://127.0.0.1:1/ds")
