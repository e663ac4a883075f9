"""Property-based and hostile-input tests: every term and parameter path fails cleanly, never differently.

Random strings go through term resolution, every canned query's parameters and
the CLI's filters; each either names a real entity or is refused with a
LegkgError, and never changes which query runs.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legkg.cli.main import cli
from legkg.core.errors import LegkgError
from legkg.store.canned import run_canned
from legkg.store.local import open_backend
from legkg.store.queries import all_queries
from legkg.store.terms import TermIndex, normalise

BACKEND = open_backend()
INDEX = TermIndex.load(BACKEND)
NAMES = {normalise(n) for e in INDEX.entities.values() for n in (e.label, *e.synonyms)}
HOSTILE = ["", " ", "\t\n", "x" * 1_000_000, "\x00", "sciatica\x00", '"', "'", "{", "}", "} UNION {",
           'x" } UNION { ?s ?p ?o', "# comment", "?s", "<http://a b>", "<https://w3id.org/legkg/Sciatica> }",
           "http://example.org/a>b", "nope:Thing", "legkg:", "legkg:Nope", "42", "3.14", "-1", "\udcff\udcfe",
           "DROP ALL", "SELECT * WHERE { ?s ?p ?o }", "\\u0000", "legkg:Sciatica legkg:Stroke"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from(HOSTILE)


@FUZZ
@given(text)
def test_resolution_names_a_real_entity_or_refuses(value: str) -> None:
    try:
        entity = INDEX.resolve(value)
    except LegkgError as e:
        assert "\n" not in str(e) and len(str(e)) < 600, str(e)
        return
    assert entity.iri in INDEX.entities
    key = normalise(value)
    assert key in NAMES or value.strip().startswith(("<", "http", "legkg:")) or any(
        key.rstrip("s") == n.rstrip("s") for n in NAMES), (value, entity)


PARAMETERISED = [q for q in all_queries() if q.params]


@FUZZ
@given(st.sampled_from(PARAMETERISED), text)
def test_canned_parameters_are_bound_or_refused(query, value: str) -> None:
    values = [(p.name, value) for p in query.params]
    try:
        _, rows = run_canned(BACKEND, query.name, values, INDEX)
    except LegkgError:
        return
    for p in query.params:  # it ran, so the value named an entity of the parameter's kind
        assert INDEX.resolve(value, set(p.kinds)).kind in p.kinds
    assert isinstance(rows, list)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("option", ["--anatomy", "--symptom", "--mechanism", "--category"])
def test_hostile_filter_values(option: str, value: str) -> None:
    result = CliRunner().invoke(cli, ["conditions", option, value, "--format", "json"])
    assert result.exit_code in (1, 2), result.output
    assert result.stdout == "", result.stdout  # an error, never extra rows
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_canned_parameter(value: str) -> None:
    for q in PARAMETERISED:
        args = ["query", "run", q.name]
        for p in q.params:
            args += ["-p", p.name, value]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code in (1, 2) and result.stdout == "", (q.name, result.output)
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("args", [
    ["describe", "\x00"], ["describe", "x" * 1_000_000], ["terms", "\udcff"], ["sparql", "\x00"],
    ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT -1"], ["ask", "\x00"], ["triage", "-s", "42"],
    ["graph", "<http://a b>", "-o", "-"], ["query", "run", "../../etc/passwd"], ["query", "show", "red-flags/.."],
    ["conditions", "--format", "yaml"], ["export", "-f", "ttl"], ["sparql", "--file", "/nonexistent.rq"],
])
def test_other_entry_points_fail_cleanly(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (1, 2), result.output
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_a_real_term_still_answers_after_hostile_ones() -> None:
    result = CliRunner().invoke(cli, ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness",
                                      "--format", "json"])
    assert {r["label"] for r in json.loads(result.stdout)} == {"sciatica", "piriformis syndrome"}
