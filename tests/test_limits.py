"""`legkg sparql` stops a query over its time limit and cuts an answer over its row limit, saying so."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from click.testing import CliRunner

from legkg.cli.main import cli

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _run(*args: str):
    return CliRunner().invoke(cli, ["sparql", *args])


def test_slow_query_is_stopped_with_a_clear_message() -> None:
    start = time.monotonic()
    result = _run(SLOW, "--timeout", "1")
    assert time.monotonic() - start < 15
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: query stopped after 1 s (--timeout); narrow it or allow more time\n"
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml", "table"])
def test_select_answer_is_cut_with_a_warning(fmt: str) -> None:
    result = _run("SELECT ?s WHERE { ?s ?p ?o }", "--limit", "7", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == "warning: the answer was cut to 7 rows (--limit)\n", result.stderr
    out = result.stdout
    if fmt == "json":
        assert len(json.loads(out)["results"]["bindings"]) == 7
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(out)))) == 8
    elif fmt == "tsv":
        assert len(out.strip().splitlines()) == 8
    elif fmt == "xml":
        assert out.count("<result>") == 7
    else:
        assert out.rstrip().endswith("(7 rows)"), out


def test_graph_answer_is_cut() -> None:
    result = _run("CONSTRUCT WHERE { ?s legkg:affects ?o }", "--limit", "3", "--format", "nt")
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 3, result.output
    assert "cut to 3 rows" in result.stderr


def test_small_answer_is_not_cut() -> None:
    result = _run("SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 2


def test_service_clause_needs_permission() -> None:
    result = _run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 2 and "--allow-service" in result.stderr, result.output
