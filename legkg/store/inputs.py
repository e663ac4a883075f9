"""Checks on RDF input before a parser sees it: entity expansion, nesting depth, long tokens, emptiness.

Parsers can be made to spend gigabytes or minutes on a small hostile file (entity
"billion laughs", 50,000 nested elements). These checks are linear in the file's
size and refuse such input with file, line and column.

Example:
    >>> check_rdf(b"<rdf:RDF/>", Path("x.owl"))
    Traceback (most recent call last):
    legkg.core.errors.LegkgError: x.owl:1:1: the ontology holds no RDF statements
"""

from __future__ import annotations

import re
from pathlib import Path

from legkg.core.errors import LegkgError

MAX_DEPTH = 200  # nested elements (RDF/XML) or brackets (Turtle); real ontologies stay under 20
MAX_ENTITY = 1 << 20  # characters one entity may expand to
MAX_TOKEN = 8 << 20  # characters in one Turtle token (the parser's buffer stops at 16 MiB)


def check_rdf(data: bytes, path: Path) -> None:
    """Refuse empty input, entity bombs, deep nesting and over-long tokens (LegkgError, exit 1)."""
    if not data.strip():
        raise LegkgError(f"{path}:1:1: the ontology is empty")
    suffix = path.suffix.lower()
    if suffix in (".owl", ".rdf", ".xml"):
        _check_xml(data, path)
    elif suffix in (".ttl", ".nt"):
        _check_turtle(data, path)


def _check_xml(data: bytes, path: Path) -> None:
    import xml.parsers.expat

    entities: dict[str, str] = {}
    depth = [0]
    parser = xml.parsers.expat.ParserCreate()
    seen = [0]

    def entity(name, is_param, value, base, system_id, public_id, notation):
        if value is not None:
            entities[name] = value

    def start(name, attrs):
        depth[0] += 1
        seen[0] += 1
        if depth[0] > MAX_DEPTH:
            raise LegkgError(f"{path}:{parser.CurrentLineNumber}:{parser.CurrentColumnNumber + 1}: "
                             f"elements nested over {MAX_DEPTH} deep; refused")

    def end(name):
        depth[0] -= 1

    def doctype_end():
        _check_entities(entities, path, parser.CurrentLineNumber)

    parser.EntityDeclHandler = entity
    parser.EndDoctypeDeclHandler = doctype_end
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise LegkgError(f"{path}:{e.lineno}:{e.offset + 1}: not valid RDF/XML: "
                         f"{xml.parsers.expat.ErrorString(e.code)}") from None
    if seen[0] <= 1:
        raise LegkgError(f"{path}:1:1: the ontology holds no RDF statements")


def _check_entities(entities: dict[str, str], path: Path, line: int) -> None:
    """Refuse entities that expand to more than MAX_ENTITY characters (counted, never expanded)."""
    ref = re.compile(r"&([\w.:-]+);")
    sizes: dict[str, int] = {}

    def size(name: str, stack: tuple[str, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in stack:
            raise LegkgError(f"{path}:{line}:1: entity {name!r} refers to itself; refused")
        value = entities.get(name, "")
        total = len(ref.sub("", value))
        for m in ref.finditer(value):
            total += size(m.group(1), stack + (name,)) if m.group(1) in entities else len(m.group())
            if total > MAX_ENTITY:
                break
        sizes[name] = total
        return total

    for name in entities:
        if size(name, ()) > MAX_ENTITY:
            raise LegkgError(f"{path}:{line}:1: entity {name!r} expands to over {MAX_ENTITY >> 20} MiB "
                             "(an entity bomb); refused")


_TTL_SKIP = re.compile(  # long strings, strings, IRIs, comments
    rb'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*')
_TOKEN = re.compile(rb"[^\s\[\](){};,.]{%d,}" % (1 << 16))


def _check_turtle(data: bytes, path: Path) -> None:
    long = _TOKEN.search(data)
    if long and long.end() - long.start() > MAX_TOKEN:
        raise LegkgError(f"{_where(data, long.start(), path)}: a token of over {MAX_TOKEN >> 20} MiB; refused")
    depth, deepest = 0, 0
    position = 0
    for m in _TTL_SKIP.finditer(data):
        if m.end() - m.start() > MAX_TOKEN:
            raise LegkgError(f"{_where(data, m.start(), path)}: a literal or IRI of over {MAX_TOKEN >> 20} MiB; "
                             "refused")
        depth, deepest, at = _brackets(data, position, m.start(), depth, deepest)
        if at is not None:
            raise LegkgError(f"{_where(data, at, path)}: brackets nested over {MAX_DEPTH} deep; refused")
        position = m.end()
    depth, deepest, at = _brackets(data, position, len(data), depth, deepest)
    if at is not None:
        raise LegkgError(f"{_where(data, at, path)}: brackets nested over {MAX_DEPTH} deep; refused")


def _brackets(data: bytes, start: int, end: int, depth: int, deepest: int) -> tuple[int, int, int | None]:
    chunk = data[start:end]
    if not chunk.strip(b" \t\r\n.;,") or (b"[" not in chunk and b"(" not in chunk and depth == 0):
        return depth, deepest, None
    for i, byte in enumerate(chunk):
        if byte in (0x5B, 0x28):  # [ (
            depth += 1
            if depth > MAX_DEPTH:
                return depth, depth, start + i
        elif byte in (0x5D, 0x29):  # ] )
            depth = max(0, depth - 1)
    return depth, max(deepest, depth), None


def _where(data: bytes, offset: int, path: Path) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"{path}:{line}:{column}"
