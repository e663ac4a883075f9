"""Loading a vocabulary file in parts side by side (legkg.vocab.streams): the same graph as one stream.

The files are generated here (codes with labels and parents); the part size is lowered so that
a few hundred KiB are cut into four parts, as a big file is on a machine with four cores.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from legkg.core.errors import LegkgError
from legkg.vocab import streams

G = ox.NamedNode("https://w3id.org/legkg/graph/test")
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SUB = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def write_codes(path: Path, n: int, blank_at: int | None = None) -> None:
    """``n`` codes with a label and a parent; with ``blank_at``, code 0 and that code share one blank node."""
    lines = []
    for i in range(n):
        code = f"<http://example.org/code/{i}>"
        lines.append(f'{code} <{LABEL}> "finding {i}" .\n{code} <{SUB}> <http://example.org/code/{i // 10}> .\n')
        if blank_at is not None and i in (0, blank_at):
            lines.append(f"{code} <http://example.org/note> _:shared .\n")
    if blank_at is not None:
        lines.append('_:shared <http://example.org/text> "one note" .\n')
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def four_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "MIN_PART_BYTES", 4096)
    monkeypatch.setattr(streams.os, "cpu_count", lambda: 4)


def loaded(path: Path, fmt: str = "nt", zipped: bool = False) -> ox.Store:
    store = ox.Store()
    ticks: list[tuple[int, int, int]] = []
    streams.load_file(store, path, fmt, zipped, G, lambda *t: ticks.append(t))
    assert ticks[-1][0] == ticks[-1][1] == path.stat().st_size  # progress ends at the whole file
    return store


def test_parts_are_cut_after_a_newline_and_cover_the_file(tmp_path: Path, four_cores: None) -> None:
    path = tmp_path / "codes.nt"
    write_codes(path, 2000)
    spans = streams.plan_parts(path, "nt", zipped=False)
    assert len(spans) == 4
    data = path.read_bytes()
    assert spans[0][0] == 0 and spans[-1][1] == len(data)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end == start and data[end - 1:end] == b"\n"


def test_four_parts_give_the_graph_one_stream_gives(tmp_path: Path, four_cores: None) -> None:
    path = tmp_path / "codes.nt"
    write_codes(path, 2000)
    store = loaded(path)
    one = ox.Store()
    one.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=G)
    assert len(store) == len(one) == 4000
    assert set(store) == set(one)


@pytest.mark.parametrize("name, fmt, zipped", [("codes.nt", "nt", False), ("codes.nt.gz", "nt", True),
                                               ("codes.ttl", "ttl", False)])
def test_blank_nodes_gzip_and_turtle_go_as_one_stream(tmp_path: Path, four_cores: None, name: str, fmt: str,
                                                      zipped: bool) -> None:
    plain = tmp_path / "plain.nt"
    write_codes(plain, 2000, blank_at=1999)  # the blank node is used at both ends of the file
    path = tmp_path / name
    path.write_bytes(gzip.compress(plain.read_bytes()) if zipped else plain.read_bytes())
    assert streams.plan_parts(path, fmt, zipped) == [(0, path.stat().st_size)]
    store = loaded(path, fmt, zipped)
    note = ox.NamedNode("http://example.org/note")
    nodes = {q.object for q in store.quads_for_pattern(None, note, None, G)}
    assert len(nodes) == 1  # code 0 and code 1999 still share one note


def test_a_syntax_error_in_a_later_part_names_its_line_in_the_whole_file(tmp_path: Path, four_cores: None) -> None:
    path = tmp_path / "codes.nt"
    write_codes(path, 2000)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3500] = "<http://example.org/code/broken> <http://example.org/p> .\n"  # no object
    path.write_text("".join(lines), encoding="utf-8")
    spans = streams.plan_parts(path, "nt", zipped=False)
    assert len(spans) == 4 and spans[2][1] < sum(map(len, lines[:3500]))  # the error is in the last part
    with pytest.raises(LegkgError, match=rf"^{path}:3501: not valid RDF"):
        streams.load_file(ox.Store(), path, "nt", False, G, lambda *t: None)


def test_a_small_file_or_one_core_is_one_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "codes.nt"
    write_codes(path, 2000)
    assert streams.plan_parts(path, "nt", zipped=False) == [(0, path.stat().st_size)]  # under 16 MiB
    monkeypatch.setattr(streams, "MIN_PART_BYTES", 4096)
    assert len(streams.plan_parts(path, "nt", zipped=False, cores=1)) == 1
    assert len(streams.plan_parts(path, "nt", zipped=False, cores=64)) == streams.MAX_PARTS


def test_gzipped_n_triples_are_unzipped_and_cut(tmp_path: Path, four_cores: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain.nt"
    write_codes(plain, 4000)
    path = tmp_path / "codes.nt.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    planned: list[list[tuple[int, int]]] = []
    real = streams.plan_parts
    monkeypatch.setattr(streams, "plan_parts", lambda *a, **k: planned.append(real(*a, **k)) or planned[-1])
    scratch = tmp_path / "scratch.nt"
    store = ox.Store()
    streams.load_file(store, path, "nt", True, G, lambda *t: None, scratch=scratch)
    assert len(planned[-1]) == 4 and not scratch.exists()
    one = ox.Store()
    one.load(path=str(plain), format=ox.RdfFormat.N_TRIPLES, to_graph=G)
    assert set(store) == set(one) and len(store) == 8000
    lines = plain.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7000] = "<http://example.org/code/broken> <http://example.org/p> .\n"
    path.write_bytes(gzip.compress("".join(lines).encode()))
    with pytest.raises(LegkgError, match=rf"^{path}:7001: not valid RDF"):  # the file given, its line
        streams.load_file(ox.Store(), path, "nt", True, G, lambda *t: None, scratch=scratch)
    assert not scratch.exists()


def test_gzipped_n_triples_with_a_blank_node_are_one_stream(tmp_path: Path, four_cores: None) -> None:
    plain = tmp_path / "plain.nt"
    write_codes(plain, 4000, blank_at=3999)
    path = tmp_path / "codes.nt.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    scratch = tmp_path / "scratch.nt"
    store = ox.Store()
    streams.load_file(store, path, "nt", True, G, lambda *t: None, scratch=scratch)
    note = ox.NamedNode("http://example.org/note")
    assert len({q.object for q in store.quads_for_pattern(None, note, None, G)}) == 1
    assert not scratch.exists()
