"""Unit tests against the fixture ontology tests/data/tiny.ttl, through the CLI and the library."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import (
    T_ACHE,
    T_COND_A,
    T_JOINT,
    T_NERVE,
    T_PINCH,
    T_SPROCKET,
    T_SQUEEZE,
    TINY,
    labels,
    run,
    run_json,
)

from legkg.answers.lookup import describe, find_conditions, list_terms
from legkg.cli.writers import WRITERS, write_describe_table
from legkg.core.errors import AmbiguousTerm, Misuse, UnknownTerm
from legkg.store.local import LocalBackend, open_backend
from legkg.store.terms import TermIndex, normalise

A, B, C = "test condition A", "test condition B", "test condition C"


@pytest.fixture(scope="module")
def backend() -> LocalBackend:
    return open_backend(TINY)


@pytest.fixture(scope="module")
def index(backend: LocalBackend) -> TermIndex:
    return TermIndex.load(backend)


def tiny_conditions(*args: str) -> set[str]:
    rows = run_json("--ontology", TINY, "conditions", *args, "--format", "json")
    return labels(rows)


# --- filters through the CLI: part-of, subclass, inheritance -------------------------------

@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--anatomy", "widget nerve"), {A, C}),
        (("--anatomy", "widget joint"), {A, C}),  # widget nerve is part of the widget joint
        (("--anatomy", "gadget region"), {A, C}),  # ... which is part of the gadget region
        (("--anatomy", "sprocket"), {B}),
        (("--symptom", "test ache"), {A, B, C}),  # sharp test ache is a test ache
        (("--symptom", "sharp test ache"), {A, C}),
        (("--mechanism", "squeeze"), {B}),  # pinch is a squeeze
        (("--mechanism", "pinch"), {B}),
        (("--category", "test category"), {A, B, C}),
        (("--category", "test condition A"), {C}),
        (("--anatomy", "gadget region", "--symptom", "test ache"), {A, C}),
        (("--anatomy", "sprocket", "--mechanism", "squeeze"), {B}),
        (("--anatomy", "sprocket", "--anatomy", "widget nerve"), set()),  # filters intersect
        (("--symptom", "sharp test ache", "--mechanism", "pinch"), set()),
    ],
)
def test_conditions_follow_part_of_and_subclass(args: tuple[str, ...], expected: set[str]) -> None:
    assert tiny_conditions(*args) == expected


def test_conditions_without_filters_lists_every_condition_and_nothing_else() -> None:
    found = tiny_conditions()
    assert {A, B, C} <= found, found
    assert not found & {"widget nerve", "test ache", "squeeze", "sprocket"}, found


def test_ontology_from_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_ONTOLOGY", str(TINY))
    rows = run_json("conditions", "--anatomy", "sprocket", "--format", "json")
    assert [(r["id"], r["label"]) for r in rows] == [("legkg:TestConditionB", B)], rows


def test_terms_by_kind_on_fixture() -> None:
    rows = run_json("--ontology", TINY, "terms", "--kind", "anatomy", "--format", "json")
    assert labels(rows) == {"anatomical entity", "gadget region", "widget joint", "widget nerve",
                            "sprocket"}, rows
    assert {r["kind"] for r in rows} == {"anatomy"}, rows


def test_terms_search_matches_synonyms() -> None:
    rows = run_json("--ontology", TINY, "terms", "gizmo", "--format", "json")
    assert [r["id"] for r in rows] == ["legkg:WidgetNerve"], rows


# --- term resolution in the library ---------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("widget nerve", T_NERVE),  # label
        ("Widget Nerve", T_NERVE),  # label, case-insensitively
        ("  widget   nerve ", T_NERVE),  # spacing
        ("widget-nerve", T_NERVE),  # hyphen for space
        ("gizmo cord", T_NERVE),  # synonym written "Gizmo Cord"
        ("GIZMO CORD", T_NERVE),
        ("legkg:WidgetNerve", T_NERVE),  # CURIE
        ("https://w3id.org/legkg/WidgetNerve", T_NERVE),  # full IRI
        ("<https://w3id.org/legkg/WidgetNerve>", T_NERVE),  # IRI in angle brackets
        ("widget nerves", T_NERVE),  # plural
        ("widget joints", T_JOINT),
        ("sprockets", T_SPROCKET),
        ("test aches", T_ACHE),
        ("squeezes", T_SQUEEZE),
        ("cog wheels", T_SPROCKET),  # plural synonym as written
        ("cog wheel", T_SPROCKET),  # ... and in the singular
        ("test condition a", T_COND_A),
    ],
)
def test_resolve(index: TermIndex, text: str, iri: str) -> None:
    assert index.resolve(text).iri == iri


def test_resolve_plural_ending_in_es(index: TermIndex) -> None:
    """'pinches' is the plural of 'pinch' (the -es plural after ch/sh/s/x/z)."""
    assert index.resolve("pinches").iri == T_PINCH


def test_ambiguous_synonym_names_both_candidates(index: TermIndex) -> None:
    with pytest.raises(AmbiguousTerm) as err:
        index.resolve("widget")
    msg = str(err.value)
    assert "legkg:WidgetNerve" in msg and "legkg:TestConditionA" in msg, msg


@pytest.mark.parametrize(("kind", "iri"), [("anatomy", T_NERVE), ("condition", T_COND_A)])
def test_kind_restriction_removes_ambiguity(index: TermIndex, kind: str, iri: str) -> None:
    assert index.resolve("widget", kinds={kind}).iri == iri


def test_ambiguity_through_cli() -> None:
    code, out, err = run("--ontology", TINY, "describe", "widget")
    assert code == 1, (code, out, err)
    assert err.startswith("Error: ") and "ambiguous" in err, err
    assert "legkg:WidgetNerve" in err and "legkg:TestConditionA" in err, err
    assert tiny_conditions("--anatomy", "widget") == {A, C}
    assert tiny_conditions("--category", "widget") == {C}


def test_unknown_term_suggests_close_labels(index: TermIndex) -> None:
    with pytest.raises(UnknownTerm) as err:
        index.resolve("widget nerv")
    assert "did you mean 'widget nerve'" in str(err.value), str(err.value)


def test_suggestions_respect_kind(index: TermIndex) -> None:
    with pytest.raises(UnknownTerm) as err:
        index.resolve("test condition", kinds={"condition"})
    msg = str(err.value)
    assert "did you mean" in msg and "test condition A" in msg, msg
    assert "test ache" not in msg, msg


def test_unknown_term_without_close_match_points_to_terms(index: TermIndex) -> None:
    with pytest.raises(UnknownTerm) as err:
        index.resolve("zzzzqqq", kinds={"symptom"})
    assert "legkg terms --kind symptom" in str(err.value), str(err.value)


@pytest.mark.parametrize("text", ["legkg:NoSuchThing", "<https://w3id.org/legkg/NoSuchThing>"])
def test_unknown_iri(index: TermIndex, text: str) -> None:
    with pytest.raises(UnknownTerm) as err:
        index.resolve(text)
    assert "https://w3id.org/legkg/NoSuchThing" in str(err.value), str(err.value)


def test_unknown_prefix(index: TermIndex) -> None:
    with pytest.raises(UnknownTerm) as err:
        index.resolve("nope:WidgetNerve")
    assert "unknown prefix 'nope'" in str(err.value), str(err.value)


def test_wrong_kind(index: TermIndex) -> None:
    with pytest.raises(UnknownTerm) as err:
        index.resolve("sprocket", kinds={"symptom"}, role="symptom")
    assert "'sprocket' is an anatomy (sprocket), not a symptom term" in str(err.value), str(err.value)
    with pytest.raises(UnknownTerm):
        index.resolve("legkg:Sprocket", kinds={"condition"})


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_term_is_misuse(index: TermIndex, text: str) -> None:
    with pytest.raises(Misuse):
        index.resolve(text)


def test_normalise() -> None:
    assert normalise("Bone-on-Bone  Friction") == "bone on bone friction"
    assert normalise("Can’t lift") == "can't lift"


# --- library functions -------------------------------------------------------------------------

def test_find_conditions_library(backend: LocalBackend) -> None:
    rows = find_conditions(backend, anatomy=["gadget region"], symptom=["test ache"])
    assert [r["id"] for r in rows] == ["legkg:TestConditionA", "legkg:TestConditionC"], rows


def test_list_terms_library(backend: LocalBackend) -> None:
    rows = list_terms(backend, "test", "condition")
    assert labels(rows) == {"test category", A, B, C}, rows


def test_describe_shows_relations_and_inheritance(backend: LocalBackend) -> None:
    rows = describe(backend, "test condition A")
    facts = {(r["field"], r["direction"], r["value"]) for r in rows}
    assert ("affects", "out", "widget nerve") in facts, rows
    assert ("has symptom", "out", "sharp test ache") in facts, rows
    assert ("has subtype", "in", C) in facts, rows
    assert ("definition", "", "A made-up condition of the widget nerve.") in facts, rows
    assert {r["id"] for r in rows} == {"legkg:TestConditionA"}, rows
    rows_c = describe(backend, "legkg:TestConditionC")
    assert ("is a", "out", A) in {(r["field"], r["direction"], r["value"]) for r in rows_c}, rows_c


def test_describe_table_writer(backend: LocalBackend) -> None:
    out = io.StringIO()
    write_describe_table(describe(backend, "widget nerve"), out)
    text = out.getvalue()
    assert text.splitlines()[0] == "widget nerve (legkg:WidgetNerve)", text
    assert "part of" in text and "widget joint (legkg:WidgetJoint)" in text, text


# --- writers -------------------------------------------------------------------------------------

ROWS = [
    {"id": "legkg:X", "label": 'a, "quoted" label', "extra": None},
    {"id": "legkg:Y", "label": "tab\there", "extra": 3},
]
COLUMNS = ["id", "label", "extra"]


def write(fmt: str) -> str:
    out = io.StringIO()
    WRITERS[fmt](ROWS, COLUMNS, out)
    return out.getvalue()


def test_writer_registry() -> None:
    assert set(WRITERS) == {"table", "json", "csv", "tsv"}


def test_csv_writer_quotes_and_round_trips() -> None:
    text = write("csv")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [COLUMNS, ["legkg:X", 'a, "quoted" label', ""], ["legkg:Y", "tab here", "3"]], text


def test_tsv_writer() -> None:
    text = write("tsv")
    parsed = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert parsed == [COLUMNS, ["legkg:X", 'a, "quoted" label', ""], ["legkg:Y", "tab here", "3"]], text
    assert all(line.count("\t") == 2 for line in text.splitlines()), text


def test_json_writer() -> None:
    text = write("json")
    assert json.loads(text) == [
        {"id": "legkg:X", "label": 'a, "quoted" label', "extra": None},
        {"id": "legkg:Y", "label": "tab\there", "extra": 3},
    ], text


def test_json_writer_empty() -> None:
    out = io.StringIO()
    WRITERS["json"]([], COLUMNS, out)
    assert json.loads(out.getvalue()) == []


def test_table_writer() -> None:
    lines = write("table").splitlines()
    assert lines[0].split() == COLUMNS, lines
    assert set(lines[1].replace(" ", "")) == {"-"}, lines
    assert lines[2].startswith("legkg:X  ") and 'a, "quoted" label' in lines[2], lines
    assert lines[3].split() == ["legkg:Y", "tab", "here", "3"], lines
    assert lines[-1] == "(2 rows)", lines
    # columns are aligned: the label column starts at the same offset on every line
    offset = lines[0].index("label")
    assert lines[2][offset:].startswith("a, ") and lines[3][offset:].startswith("tab"), lines


def test_table_writer_one_row() -> None:
    out = io.StringIO()
    WRITERS["table"](ROWS[:1], COLUMNS, out)
    assert out.getvalue().splitlines()[-1] == "(1 row)", out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_cli_formats_agree(fmt: str) -> None:
    code, out, err = run("--ontology", TINY, "conditions", "--anatomy", "gadget region", "-f", fmt)
    assert code == 0, err
    if fmt == "json":
        found = {(r["id"], r["label"]) for r in json.loads(out)}
    elif fmt in ("csv", "tsv"):
        reader = csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t")
        assert reader.fieldnames == ["id", "label", "article_category", "modality", "source"], out
        found = {(r["id"], r["label"]) for r in reader}
    else:
        lines = out.splitlines()
        assert lines[-1] == "(2 rows)", out
        found = {(line[:22].strip(), line[22:40].strip()) for line in lines[2:-1]}
    assert found == {("legkg:TestConditionA", A), ("legkg:TestConditionC", C)}, out


def test_fixture_file_untouched() -> None:
    before = TINY.read_bytes()
    run("--ontology", TINY, "conditions", "--anatomy", "gadget region")
    assert TINY.read_bytes() == before


# --- sparql on the fixture -------------------------------------------------------------------

def test_sparql_sees_derived_relation_edges() -> None:
    """Restrictions become direct edges (queries/internal/relation-graph.ru)."""
    code, out, err = run("--ontology", TINY, "sparql",
                         "SELECT ?o WHERE { legkg:TestConditionA legkg:affects ?o }", "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["o", "https://w3id.org/legkg/WidgetNerve"], out


def test_sparql_table_select() -> None:
    code, out, err = run("--ontology", TINY, "sparql",
                         "SELECT ?c WHERE { ?c rdfs:subClassOf legkg:TestCategory } ORDER BY ?c")
    assert code == 0, err
    assert out.splitlines()[2:] == ["legkg:TestConditionA", "legkg:TestConditionB", "(2 rows)"], out


@pytest.mark.parametrize(("query", "answer"), [
    ("ASK { legkg:TestConditionC rdfs:subClassOf legkg:TestConditionA }", "yes"),
    ("ASK { legkg:TestConditionA rdfs:subClassOf legkg:TestConditionC }", "no"),
])
def test_sparql_ask(query: str, answer: str) -> None:
    code, out, err = run("--ontology", TINY, "sparql", query)
    assert code == 0, err
    assert out.splitlines()[-2:] == [answer, "(1 row)"], out


def test_sparql_construct_as_ntriples() -> None:
    code, out, err = run("--ontology", TINY, "sparql",
                         "CONSTRUCT { ?c legkg:affects ?a } WHERE { ?c legkg:affects ?a }", "-f", "nt")
    assert code == 0, err
    assert sorted(out.splitlines()) == [
        "<https://w3id.org/legkg/TestConditionA> <https://w3id.org/legkg/affects> "
        "<https://w3id.org/legkg/WidgetNerve> .",
        "<https://w3id.org/legkg/TestConditionB> <https://w3id.org/legkg/affects> "
        "<https://w3id.org/legkg/Sprocket> .",
    ], out


def test_sparql_from_file(tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text("# count the conditions\nSELECT (COUNT(?c) AS ?n) WHERE { ?c rdfs:subClassOf+ legkg:Condition }\n",
                 encoding="utf-8")
    code, out, err = run("--ontology", TINY, "sparql", "--file", q, "-f", "json")
    assert code == 0, err
    [binding] = json.loads(out)["results"]["bindings"]
    assert int(binding["n"]["value"]) == 4, out  # test category and conditions A, B, C


# --- the derived-graph cache -----------------------------------------------------------------

def test_cache_written_under_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(cache))
    assert tiny_conditions("--anatomy", "sprocket") == {B}
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert any(p.suffix == ".nt" for p in files), files
    assert not [p for p in files if p.name.endswith(".tmp")], files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]


def test_corrupt_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(cache))
    tiny_conditions("--anatomy", "sprocket")
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files
    for f in files:
        f.write_text("<not n-triples, not json\n", encoding="utf-8")
    assert tiny_conditions("--anatomy", "gadget region") == {A, C}
    assert tiny_conditions("--anatomy", "widget") == {A, C}


def test_truncated_cache_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache cut off at a line boundary is still valid N-Triples, but incomplete."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(cache))
    tiny_conditions()
    for f in cache.rglob("*.nt"):
        lines = f.read_bytes().splitlines(keepends=True)
        f.write_bytes(b"".join(lines[: len(lines) // 3]))
    assert tiny_conditions("--anatomy", "gadget region") == {A, C}
    assert tiny_conditions("--symptom", "test ache") == {A, B, C}


def test_unwritable_cache_only_costs_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("LEGKG_CACHE_DIR", str(blocker / "cache"))
    assert tiny_conditions("--anatomy", "gadget region") == {A, C}


def test_changed_ontology_is_not_answered_from_stale_cache(tmp_path: Path) -> None:
    onto = tmp_path / "tiny.ttl"
    onto.write_bytes(TINY.read_bytes())
    assert labels(run_json("--ontology", onto, "conditions", "-a", "sprocket", "-f", "json")) == {B}
    onto.write_text(TINY.read_text(encoding="utf-8").replace(
        "owl:someValuesFrom legkg:Sprocket", "owl:someValuesFrom legkg:WidgetJoint"), encoding="utf-8")
    assert run_json("--ontology", onto, "conditions", "-a", "sprocket", "-f", "json") == []
