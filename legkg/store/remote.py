"""A backend over a remote SPARQL 1.1 server.

Queries go by the SPARQL 1.1 Protocol (POST, form-encoded) with urllib, with a timeout,
bounded retries on 429/502/503/504 and one-line errors. Answers are read in any W3C
results format or RDF syntax the server sends (:mod:`legkg.remote_results`); rows come
back as pyoxigraph terms, exactly like the embedded store's.

URLs: the query URL is used exactly as given (query string included). ``server`` names
the kind of server, whose usual update and Graph Store URLs are then derived from a
dataset URL (:data:`PRESETS`); ``update_url`` and ``store_url`` name them outright.

Example:
    >>> service_urls("http://127.0.0.1:3030/ds", "fuseki").update
    'http://127.0.0.1:3030/ds/update'
    >>> service_urls("http://127.0.0.1:8000/").query
    'http://127.0.0.1:8000/'
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from legkg.core.errors import Misuse, QueryFailed
from legkg.core.prefixes import sparql_prologue
from legkg.store.http import (  # noqa: F401 (names other modules import from here)
    AUTH_SCHEMES,
    MAX_RESPONSE,
    MAX_RETRY_AFTER,
    PASSWORD_ENV,
    REFUSED_GSP,
    RETRY_STATUS,
    TOKEN_ENV,
    USER_AGENT,
    RemoteError,
    _Client,
    _Digest,
    _read_quietly,
    _Redirects,
    _snippet,
    open_within,
    read_capped,
)
from legkg.store.local import Row, Term, _format_error, with_values
from legkg.store.remote_results import GRAPH_ACCEPT, RESULTS_ACCEPT, parse_graph, parse_results
from legkg.store.sparqltext import query_kind, strip_comments


@dataclass(frozen=True)
class Service:
    """The SPARQL services of one dataset: query, update and Graph Store Protocol URLs (None: not offered)."""

    query: str
    update: str | None
    data: str | None


# Paths below a dataset URL for each kind of server: (query, update, graph store); None: not offered.
PRESETS: dict[str, tuple[str, str | None, str | None]] = {
    "generic": ("", "", ""),
    "fuseki": ("/query", "/update", "/data"),
    "oxigraph": ("/query", "/update", "/store"),
    "virtuoso": ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth"),
    "graphdb": ("", "/statements", "/rdf-graphs/service"),
    "blazegraph": ("/sparql", "/sparql", None),
    "qlever": ("", "", None),
    "stardog": ("/query", "/update", ""),
    "neptune": ("/sparql", "/sparql", "/sparql/gsp/"),
}


def _checked(url: str, what: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Misuse(f"the {what} must be an http(s) URL such as http://127.0.0.1:3030/ds, not {url!r}")
    if parts.username or parts.password:
        raise Misuse(f"give the user with --user and the password in ${PASSWORD_ENV}, not in the URL")
    return parts


def service_urls(url: str, server: str = "generic", update_url: str | None = None,
                 store_url: str | None = None) -> Service:
    """The query, update and Graph Store URLs of a server, from its query or dataset URL.

    ``generic`` uses the URL as given for all three; a named server's paths come from
    :data:`PRESETS`, below the dataset URL (a URL already ending in the query path is
    taken as that path's dataset).

    Example:
        >>> service_urls("http://h:8890/sparql?default-graph-uri=urn%3Ag").query
        'http://h:8890/sparql?default-graph-uri=urn%3Ag'
        >>> service_urls("http://h:8890", "virtuoso").data
        'http://h:8890/sparql-graph-crud-auth'
    """
    if server not in PRESETS:
        raise Misuse(f"unknown --server {server!r}; use one of {', '.join(PRESETS)}")
    parts = _checked(url, "endpoint")
    given = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    query_path, update_path, store_path = PRESETS[server]
    if server == "generic":
        query, update, data = given, given, given
    else:
        base = parts.path.rstrip("/")
        if query_path and base.endswith(query_path):
            base = base[: -len(query_path)]

        def at(path: str | None) -> str | None:
            if path is None:
                return None
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, (base + path) or "/", parts.query, ""))

        query, update, data = at(query_path), at(update_path), at(store_path)
    for extra, what in ((update_url, "update URL"), (store_url, "store URL")):
        if extra is not None:
            _checked(extra, what)
    return Service(query or given, update_url or update, store_url or data)


_DECLARED = re.compile(r"\bPREFIX\s+([\w.-]*):", re.IGNORECASE)

def with_prologue(query: str) -> str:
    """Prepend the predeclared prefixes the query does not declare itself.

    Example:
        >>> "PREFIX legkg:" in with_prologue("SELECT * WHERE { ?s ?p ?o }")
        True
    """
    declared = set(_DECLARED.findall(strip_comments(query)))
    lines = [line for line in sparql_prologue().splitlines(keepends=True)
             if _DECLARED.match(line).group(1) not in declared]
    return "".join(lines) + query


class RemoteBackend:
    """The backend contract over a remote SPARQL endpoint.

    The password for ``user`` comes from ``$LEGKG_ENDPOINT_PASSWORD`` unless given.

    Example:
        >>> b = RemoteBackend("http://127.0.0.1:3030/ds", timeout=10)  # doctest: +SKIP
        >>> b.raw("ASK { ?s ?p ?o }", "json")[0]  # doctest: +SKIP
        'ask'
    """

    def __init__(self, url: str, user: str | None = None, password: str | None = None, timeout: float = 30,
                 user_agent: str = USER_AGENT, retries: int = 3, backoff: float = 0.5, server: str = "generic",
                 update_url: str | None = None, store_url: str | None = None, auth: str = "basic",
                 follow_redirects: bool = False, max_bytes: int = MAX_RESPONSE) -> None:
        if not 0 < timeout < float("inf"):  # also refuses nan
            raise Misuse("the timeout must be a positive, finite number of seconds")
        self.service = service_urls(url, server, update_url, store_url)
        self.server = server
        self.label = self.service.query
        self.client = _Client(user, password, timeout, user_agent, retries, backoff, auth, max_bytes,
                              follow_redirects)

    def _send(self, query: str, accept: str) -> tuple[bytes, str]:
        """POST a query (form-encoded, prefixes prepended) to the query URL; return the body and media type."""
        body = urllib.parse.urlencode({"query": with_prologue(query)}).encode("utf-8")
        request = urllib.request.Request(self.service.query, data=body, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        body, ctype = self.client.send(request)
        if ctype in ("text/html", "application/xhtml+xml"):
            raise RemoteError(f"{self.label} answered with an HTML page, not SPARQL results; "
                              f"is it a SPARQL endpoint? (give the query URL, or the dataset URL with "
                              f"--server, e.g. --server fuseki http://127.0.0.1:3030/ds)")
        return body, ctype

    def results(self, query: str) -> tuple[str, list[str], list[list[Term | None]] | bool]:
        """Run a SELECT or ASK query; return its kind, variables and rows (or the ASK answer)."""
        body, ctype = self._send(query, RESULTS_ACCEPT)
        try:
            return parse_results(body, ctype)
        except (SyntaxError, ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeDecodeError,
                ET.ParseError) as e:
            raise self._malformed("SPARQL results", body, ctype, e) from None

    def _malformed(self, what: str, body: bytes, ctype: str, e: Exception) -> RemoteError:
        text = body.decode("utf-8", "replace").rstrip()
        if isinstance(e, json.JSONDecodeError) and text.startswith("{") and (
                e.pos >= len(text) - 1 or e.msg.startswith("Unterminated string")):
            return RemoteError(f"truncated answer from {self.label}: the JSON results end early "
                               f"after {len(body)} bytes")
        return RemoteError(f"{self.label} sent malformed or truncated {what} (got {ctype}: "
                           f"{_snippet(str(e).encode() or body, 100)})")

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT query with variables bound to RDF terms; return rows of pyoxigraph terms."""
        query = with_values(query, bindings)
        if query_kind(query) != "select":
            raise QueryFailed("expected a SELECT query")
        kind, names, rows = self.results(query)
        if kind != "select":
            raise RemoteError(f"{self.label} answered a SELECT query with a boolean")
        return [{n: t for n, t in zip(names, row) if t is not None} for row in rows]

    def raw(self, query: str, result_format: str) -> tuple[str, bytes]:
        """Run any query; return its kind and the answer written in ``result_format``.

        The server is asked for SPARQL JSON or XML (or N-Triples, Turtle... for graphs);
        whatever it sends is read by content type and written again in the format asked for.
        """
        kind = query_kind(query)
        if result_format not in (_GRAPH_FORMATS if kind == "graph" else _RESULT_FORMATS):
            raise _format_error(kind, result_format)
        if kind == "graph":
            body, ctype = self._send(query, GRAPH_ACCEPT)
            try:
                triples = parse_graph(body, ctype)
            except (SyntaxError, ValueError) as e:
                raise self._malformed("RDF", body, ctype, e) from None
            from legkg.core.prefixes import PREFIXES

            fmt = _GRAPH_FORMATS[result_format]
            prefixes = PREFIXES if result_format in ("ttl", "xml") else None
            return kind, ox.serialize(triples, format=fmt, prefixes=prefixes) if triples else b""
        got, names, rows = self.results(query)
        if kind == "ask" and got == "select" and len(names) == 1 and len(rows) == 1 and rows[0][0] is not None:
            got, rows = "ask", rows[0][0].value in ("1", "true")  # Virtuoso's ASK as a one-cell table
        if got != kind:
            raise RemoteError(f"{self.label} answered a {kind.upper()} query with {got.upper()} results")
        from legkg.store.results import serialise, serialise_boolean

        if kind == "ask":
            return kind, serialise_boolean(bool(rows), result_format)
        return kind, serialise(names, rows, result_format)

    def count(self, graph: str | None = None) -> int:
        """The number of triples in a named graph, or in the default graph."""
        pattern = f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"  # NamedNode: a valid IRI
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        try:
            return int(rows[0]["n"].value)
        except (IndexError, KeyError, ValueError):
            raise RemoteError(f"{self.label} gave no triple count") from None


_RESULT_FORMATS = ("json", "xml", "csv", "tsv")
_GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
                  "jsonld": ox.RdfFormat.JSON_LD}
