"""Canned SPARQL queries: ``queries/*.rq`` files with a comment header.

A header names the query's title, description and parameters::

    # title: Conditions by anatomy
    # description: Conditions that affect a structure or any part of it.
    # param: anatomy (anatomy) the structure or region, e.g. "hip"

Example:
    >>> q = load_query("conditions-by-anatomy")
    >>> [(p.name, p.kinds) for p in q.params]
    [('anatomy', ('anatomy',))]
"""

from __future__ import annotations

import os.path
import re
from functools import cache
from typing import NamedTuple

from legkg.core.errors import Misuse
from legkg.core.resources import queries_dir, queries_folder

_PARAM = re.compile(r"^(\w+)\s+\(([\w|]+)\)\s*(.*)$")


class Param(NamedTuple):
    """A query parameter: its variable name, the kinds of term it takes, and help."""

    name: str
    kinds: tuple[str, ...]
    help: str


class CannedQuery(NamedTuple):
    """A query file and its header."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str


def parse_query(name: str, text: str) -> CannedQuery:
    """Read the comment header of a query's text."""
    fields: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if key == "param":
            m = _PARAM.match(value)
            if not m:
                raise ValueError(f"{name}.rq: bad param line {value!r}")
            params.append(Param(m.group(1), tuple(m.group(2).split("|")), m.group(3)))
        elif key in ("title", "description"):
            fields[key] = value
    missing = {"title", "description"} - set(fields)
    if missing:
        raise ValueError(f"{name}.rq: header lacks {', '.join(sorted(missing))}")
    return CannedQuery(name, fields["title"], fields["description"], tuple(params), text)


def query_names() -> list[str]:
    """Names of the canned queries, sorted."""
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


@cache
def load_query(name: str) -> CannedQuery:
    """Load one canned query by file name (without ``.rq``)."""
    path = os.path.join(queries_folder(), f"{name}.rq")
    if len(name) > 200 or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not os.path.isfile(path):
        import difflib

        close = difflib.get_close_matches(name[:200], query_names(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; see 'legkg query list'"
        shown = name if len(name) <= 60 else name[:59] + "…"
        raise Misuse(f"no canned query named {shown!r}{hint}")
    with open(path, encoding="utf-8") as f:
        return parse_query(name, f.read())


def all_queries() -> list[CannedQuery]:
    """Every canned query."""
    return [load_query(n) for n in query_names()]


@cache
def internal_query(name: str) -> str:
    """The text of a query the library itself uses (``queries/internal``)."""
    with open(os.path.join(queries_folder(), "internal", f"{name}.rq"), encoding="utf-8") as f:
        return f.read()
