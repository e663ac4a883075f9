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

import base64
import email.utils
import http.client
import json
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from legkg import __version__
from legkg.core.errors import LegkgError, Misuse, QueryFailed
from legkg.core.prefixes import sparql_prologue
from legkg.store.local import Row, Term, _format_error, with_values
from legkg.store.remote_results import GRAPH_ACCEPT, RESULTS_ACCEPT, parse_graph, parse_results
from legkg.store.sparqltext import query_kind, strip_comments

PASSWORD_ENV = "LEGKG_ENDPOINT_PASSWORD"
TOKEN_ENV = "LEGKG_ENDPOINT_TOKEN"
AUTH_SCHEMES = ("basic", "digest", "bearer")
USER_AGENT = f"legkg/{__version__} (python-urllib)"
RETRY_STATUS = (429, 502, 503, 504)
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for a longer pause gets an error instead
REFUSED_GSP = (400, 403, 404, 405, 415, 501)  # Graph Store Protocol refused: fall back to SPARQL Update

class RemoteError(LegkgError):
    """A request to a SPARQL server failed; ``status`` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


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


def _snippet(body: bytes, limit: int = 160) -> str:
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Client:
    """HTTP with a timeout, basic, digest or bearer auth, bounded retries and one-line errors.

    Secrets come only from the environment: the password from ``$LEGKG_ENDPOINT_PASSWORD``,
    the bearer token from ``$LEGKG_ENDPOINT_TOKEN``.
    """

    def __init__(self, user: str | None, password: str | None, timeout: float, user_agent: str,
                 retries: int, backoff: float, auth: str = "basic") -> None:
        if auth not in AUTH_SCHEMES:
            raise Misuse(f"unknown --auth {auth!r}; use basic, digest or bearer")
        self.auth, self.opener = None, urllib.request.build_opener()
        self.digest: _Digest | None = None
        if auth == "bearer":
            token = os.environ.get(TOKEN_ENV)
            if not token:
                raise Misuse(f"--auth bearer needs the token in the environment variable {TOKEN_ENV}")
            self.auth = f"Bearer {token}"
        elif user is not None:
            if password is None:
                password = os.environ.get(PASSWORD_ENV)
                if password is None:
                    raise Misuse(f"--user {user} needs the password in the environment variable {PASSWORD_ENV}")
            if auth == "digest":
                self.digest = _Digest(user, password)
            else:
                token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                self.auth = f"Basic {token}"
        self.user, self.timeout, self.user_agent = user, timeout, user_agent
        self.retries, self.backoff = max(0, retries), backoff

    def send(self, request: urllib.request.Request) -> tuple[bytes, str]:
        """Send a request; return the body and its media type, or raise RemoteError."""
        request.add_header("User-Agent", self.user_agent)
        if self.auth:  # unredirected: credentials never follow a redirect to another host
            request.add_unredirected_header("Authorization", self.auth)
        url = request.full_url.split("?")[0]
        if self.digest is not None:  # answer the server's challenge up front: a body is sent once only
            challenge = self.digest.challenge(request.full_url, self)
            if challenge is not None:
                request.add_unredirected_header("Authorization", self.digest.authorization(request, challenge))
        for attempt in range(self.retries + 1):
            try:
                with self.opener.open(request, timeout=self.timeout) as resp:
                    return resp.read(), resp.headers.get_content_type()
            except urllib.error.HTTPError as e:
                body = _read_quietly(e)
                if e.code in RETRY_STATUS:
                    wait = self._wait(e, attempt)
                    if isinstance(wait, float):
                        time.sleep(wait)
                        continue
                    raise RemoteError(f"the SPARQL server at {url} is busy (HTTP {e.code}); {wait}", e.code) from None
                raise self._http_error(url, e.code, e.reason, body, e.headers.get_content_type()) from None
            except (OSError, http.client.HTTPException, ValueError) as e:
                raise self._network_error(url, e) from None
        raise AssertionError("unreachable")

    def _wait(self, e: urllib.error.HTTPError, attempt: int) -> float | str:
        """Seconds to wait before the next attempt, or why not to retry."""
        if attempt >= self.retries:
            return f"gave up after {attempt + 1} attempt{'s' if attempt else ''}; try again later"
        after = (e.headers.get("Retry-After") or "").strip()
        if not after:
            return float(self.backoff * 2 ** attempt)
        if after.isdigit():
            seconds = float(after)
        else:
            try:
                seconds = email.utils.parsedate_to_datetime(after).timestamp() - time.time()
            except (TypeError, ValueError):
                return float(self.backoff * 2 ** attempt)
        if seconds > MAX_RETRY_AFTER:
            return f"it asks to retry after {seconds:.0f} s; try again later"
        return max(0.0, seconds)

    def _http_error(self, url: str, code: int, reason: str, body: bytes, ctype: str) -> RemoteError:
        text = _snippet(body)
        detail = f": {text}" if text else ""
        if code in (401, 403):
            hint = (f"check --user and ${PASSWORD_ENV}" if self.user
                    else f"give --user NAME and set ${PASSWORD_ENV}")
            word = "refused the credentials" if code == 401 and self.user else "refused access"
            return RemoteError(f"the SPARQL server at {url} {word} (HTTP {code}); {hint}", code)
        if code == 400:
            return RemoteError(f"the SPARQL server at {url} rejected the request (HTTP 400){detail}", code)
        if code == 404:
            return RemoteError(f"no SPARQL service at {url} (HTTP 404); check the endpoint URL", code)
        if code >= 500:
            return RemoteError(f"the SPARQL server at {url} failed (HTTP {code} {reason}){detail}", code)
        return RemoteError(f"the SPARQL server at {url} answered HTTP {code} {reason}{detail}", code)

    def _network_error(self, url: str, e: Exception) -> RemoteError:
        reason = e.reason if isinstance(e, urllib.error.URLError) else e
        host = urllib.parse.urlsplit(url).netloc
        if isinstance(reason, ConnectionRefusedError):
            return RemoteError(f"cannot connect to {host}: connection refused; is the SPARQL server running?")
        if isinstance(reason, socket.gaierror):
            return RemoteError(f"cannot find the host {urllib.parse.urlsplit(url).hostname!r}: "
                               f"{reason.strerror or 'name not known'}; check the endpoint URL")
        if isinstance(reason, TimeoutError):
            return RemoteError(f"no answer from {url} within {self.timeout:g} s; try a larger --timeout")
        if isinstance(reason, http.client.IncompleteRead):
            return RemoteError(f"truncated answer from {url}: got {len(reason.partial)} bytes, "
                               f"{reason.expected} more were announced")
        if isinstance(reason, http.client.RemoteDisconnected):
            return RemoteError(f"the SPARQL server at {url} closed the connection without answering")
        if isinstance(reason, ssl.SSLError):
            return RemoteError(f"TLS failure with {host}: {reason.reason or reason}")
        if isinstance(reason, ConnectionError):
            return RemoteError(f"the connection to {host} failed: {reason.strerror or type(reason).__name__}")
        text = " ".join(str(reason).split()) or type(reason).__name__
        return RemoteError(f"cannot reach {url}: {text}")


class _Digest(urllib.request.AbstractDigestAuthHandler):
    """HTTP digest auth computed before sending, from a challenge fetched once per URL (by GET, without body)."""

    def __init__(self, user: str, password: str) -> None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        super().__init__(passwords)
        self.user, self.password, self.challenges = user, password, {}

    def challenge(self, url: str, client: _Client) -> dict | None:
        """The digest challenge of ``url``'s service, or None where it asks for no credentials."""
        key = url.split("?")[0]
        if key not in self.challenges:
            request = urllib.request.Request(url, method="GET", headers={"User-Agent": client.user_agent})
            try:
                with urllib.request.urlopen(request, timeout=client.timeout):
                    self.challenges[key] = None
                    return None
            except urllib.error.HTTPError as e:
                header = e.headers.get("WWW-Authenticate", "")
                if e.code != 401:
                    self.challenges[key] = None  # it answers the real request as it will
                    return None
                if not header.lower().startswith("digest"):
                    raise RemoteError(f"{key} offers no digest auth (HTTP 401); try --auth basic", 401) from None
            except (OSError, http.client.HTTPException) as e:
                raise client._network_error(key, e) from None
            chal = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(header[7:])))
            self.passwd.add_password(chal.get("realm"), key, self.user, self.password)
            self.challenges[key] = chal
        return self.challenges[key]

    def authorization(self, request: urllib.request.Request, challenge: dict) -> str:
        value = self.get_authorization(request, challenge)
        if not value:
            raise RemoteError(f"cannot answer the digest challenge of {request.full_url.split('?')[0]}")
        return f"Digest {value}"


def _read_quietly(e: urllib.error.HTTPError) -> bytes:
    try:
        return e.read(65536)
    except (OSError, http.client.HTTPException):
        return b""


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
                 update_url: str | None = None, store_url: str | None = None, auth: str = "basic") -> None:
        if timeout <= 0:
            raise Misuse("the timeout must be a positive number of seconds")
        self.service = service_urls(url, server, update_url, store_url)
        self.server = server
        self.label = self.service.query
        self.client = _Client(user, password, timeout, user_agent, retries, backoff, auth)

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
