"""Hostile input, hostile servers: SERVICE, memory, entity bombs, endless files, big or slow answers.

Every server here listens on 127.0.0.1 and every test is bounded in time.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from legkg.store.remote import RemoteBackend, RemoteError
from legkg.store.sparqltext import service_targets
from tests.conftest import ONTOLOGY, run
from tests.reliability.hostile import HostileServer


@pytest.fixture
def hostile():
    with HostileServer() as server:
        yield server


def test_service_guard_sees_through_an_escaped_hash(hostile: HostileServer) -> None:
    query = ("SELECT * WHERE {{ BIND(legkg:x\\# AS ?z) SERVICE <{}> {{ ?s ?p ?o }} }}".format(hostile.url("/canary/x")))
    code, out, err = run("sparql", query, "-f", "csv")
    assert code == 2 and "--allow-service" in err, out + err
    assert hostile.requests == [] and "CANARY" not in out


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) }',
    "SELECT ?x WHERE { BIND(<urn:SERVICE> AS ?x) } # SERVICE <http://127.0.0.1:9/>",
])
def test_the_word_service_in_a_string_or_comment_is_harmless(query: str) -> None:
    code, out, err = run("sparql", query, "-f", "csv")
    assert code == 0 and out.startswith("x"), err


@pytest.mark.parametrize("query,expected", [
    ("SELECT * { service silent <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { SERVICE ?where { ?s ?p ?o } }", [None]),
    ("PREFIX e: <http://e.org/> SELECT * { SERVICE e:x { ?s ?p ?o } }", ["http://e.org/x"]),
    ("SELECT * { \\u0053ERVICE <http://b/> { ?s ?p ?o } }", ["http://b/"]),
    ("SELECT * { FILTER(?a<?b)SERVICE<http://d/>{} }", ["http://d/"]),
    ('ASK { ?s ?p """SERVICE <http://c/>""" }', []),
])
def test_service_targets(query: str, expected: list) -> None:
    assert service_targets(query) == expected


def test_a_query_over_its_memory_limit_is_stopped_and_says_so() -> None:
    start = time.monotonic()
    code, out, err = run("sparql", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l",
                         "--memory", "200", "--timeout", "60", "-f", "csv")
    assert code == 1 and "200 MiB" in err and "memory" in err, err
    assert time.monotonic() - start < 50


@pytest.mark.parametrize("value", ["inf", "nan", "1e309", "-1", "0"])
def test_infinite_or_nan_timeouts_are_misuse(value: str) -> None:
    for args in (("--timeout", value, "terms"), ("sparql", "--timeout", value, "ASK {}"),
                 ("reason", "--timeout", value)):
        code, _, err = run(*args)
        assert code == 2 and "internal error" not in err, (args, err)


def test_bad_reason_timeout_in_the_environment_is_misuse(monkeypatch: pytest.MonkeyPatch) -> None:
    from legkg.core.errors import Misuse
    from legkg.reasoning.build import _env_seconds

    monkeypatch.setenv("LEGKG_REASON_TIMEOUT", "abc")
    with pytest.raises(Misuse):
        _env_seconds("LEGKG_REASON_TIMEOUT", 300.0)


def _laughs(tmp_path: Path, use: bool) -> Path:
    text = ONTOLOGY.read_text(encoding="utf-8")
    at = text.index("<rdf:RDF")
    decl = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
    body = text[:at] + f"<!DOCTYPE rdf:RDF [{decl}]>\n" + text[at:]
    if use:
        body = body.replace("</rdf:RDF>", '<rdf:Description rdf:about="urn:x"><rdfs:comment>&lol4;</rdfs:comment>'
                            "</rdf:Description></rdf:RDF>")
    path = tmp_path / f"laughs-{use}.owl"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("use", [False, True])
def test_entity_bomb_is_refused_quickly(tmp_path: Path, use: bool) -> None:
    bomb = _laughs(tmp_path, use)
    for args in (("describe", "sciatica"), ("validate",), ("export", "-o", "-"), ("sparql", "ASK {}")):
        start = time.monotonic()
        code, _, err = run("--ontology", bomb, *args)
        assert code == 1 and "entity" in err and str(bomb) in err, (args, err)
        assert time.monotonic() - start < 20


def test_deeply_nested_files_are_refused_quickly(tmp_path: Path) -> None:
    xml = tmp_path / "deep.owl"
    xml.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   'xmlns:e="urn:e#">\n' + "<rdf:Description><e:p>" * 25000 + "</e:p></rdf:Description>" * 25000
                   + "\n</rdf:RDF>\n")
    ttl = tmp_path / "deep.ttl"
    ttl.write_text("<urn:a> <urn:b> " + "[ <urn:p> " * 50000 + "]" * 50000 + " .\n")
    for path in (xml, ttl):
        start = time.monotonic()
        code, _, err = run("--ontology", path, "conditions")
        assert code == 1 and "nested" in err and f"{path}:" in err, err
        assert time.monotonic() - start < 20


@pytest.mark.parametrize("text", ["x" * (17 << 20), "xx " * (6 << 20)])
def test_over_long_turtle_token_is_named(tmp_path: Path, text: str) -> None:
    path = tmp_path / "token.ttl"
    path.write_text('<urn:a> <urn:b> "' + text + '" .\n')
    code, _, err = run("--ontology", path, "conditions")
    assert code == 1 and f"{path}:1:17:" in err and "out of memory" not in err, err


def test_endless_ontology_and_query_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_MAX_INPUT_MB", "4")
    zero = tmp_path / "zero.owl"
    zero.symlink_to("/dev/zero")
    code, _, err = run("--ontology", zero, "conditions")
    assert code == 1 and "over 4 MiB" in err, err
    code, _, err = run("sparql", "--file", "/dev/zero")
    assert code == 1 and "over 16 MiB" in err, err


def test_fifos_without_a_writer_do_not_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGKG_READ_SECONDS", "1")
    fifo = tmp_path / "fifo.owl"
    os.mkfifo(fifo)
    for args in (("--ontology", fifo, "conditions"), ("sparql", "--file", fifo)):
        start = time.monotonic()
        code, _, err = run(*args)
        assert code == 1 and str(fifo) in err, err
        assert time.monotonic() - start < 10


def test_query_file_with_bom_and_invalid_utf8(tmp_path: Path) -> None:
    bom = tmp_path / "bom.rq"
    bom.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }")
    code, out, err = run("sparql", "--file", bom, "-f", "json")
    assert code == 0 and '"boolean"' in out, err
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"ASK { ?s ?p \"\xff\" }")
    code, _, err = run("sparql", "--file", bad)
    assert code == 1 and "not UTF-8" in err and "internal error" not in err, err


def test_answer_announced_over_the_cap_is_refused_at_once(hostile: HostileServer) -> None:
    start = time.monotonic()
    code, _, err = run("--endpoint", hostile.url("/huge/ds"), "--timeout", "20", "sparql", "ASK {}", "-f", "json")
    assert code == 1 and "MiB" in err and "limit" in err, err
    assert time.monotonic() - start < 10


def test_answer_streamed_past_the_cap_is_cut_off(hostile: HostileServer) -> None:
    backend = RemoteBackend(hostile.url("/endless/ds"), timeout=20, max_bytes=2 << 20)
    start = time.monotonic()
    with pytest.raises(RemoteError, match="over the 2 MiB limit"):
        backend.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert time.monotonic() - start < 10


def test_timeout_covers_the_whole_request(hostile: HostileServer) -> None:
    start = time.monotonic()
    code, _, err = run("--endpoint", hostile.url("/drip/ds"), "--timeout", "2", "conditions", "-a", "hip")
    assert code == 1 and "2 s" in err, err
    assert time.monotonic() - start < 8


@pytest.mark.parametrize("kind", ["redirect", "redirectport"])
def test_redirect_to_another_host_or_port_is_refused(hostile: HostileServer, kind: str) -> None:
    code, out, err = run("--endpoint", hostile.url(f"/{kind}/ds"), "sparql", "SELECT * WHERE {?s ?p ?o}",
                         "-f", "json")
    assert code == 1 and "redirected" in err and "--follow-redirects" in err, out + err
    assert "CANARY" not in out
    assert [r for r in hostile.requests if not r.startswith(f"/{kind}")] == []


def test_terminal_escapes_from_a_server_are_shown_escaped(hostile: HostileServer) -> None:
    code, out, err = run("--endpoint", hostile.url("/escapes/ds"), "terms")
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\\x1b]0;PWNED-TITLE" in out, out


def test_control_characters_in_an_error_path_are_escaped(tmp_path: Path) -> None:
    code, _, err = run("--ontology", tmp_path / "x\x1b[2Jy.owl", "conditions")
    assert code == 1 and "\x1b" not in err and "\\x1b[2J" in err, err


@pytest.mark.parametrize("args", [
    ("--endpoint", "", "terms"),
    ("--endpoint", "http://[::1/ds", "terms"),
    ("push", "http://[::1/ds"),
    ("--endpoint", "http://127.0.0.1:99999/ds", "terms"),
    ("conditions", "-x", ""),
    ("mappings", "-v", ""),
    ("sparql", "--file", ""),
])
def test_empty_or_malformed_values_are_misuse(args: tuple[str, ...]) -> None:
    code, _, err = run(*args)
    assert code == 2 and "internal error" not in err, err


def test_nothing_listens_after_the_hostile_tests() -> None:
    assert threading.active_count() < 50
