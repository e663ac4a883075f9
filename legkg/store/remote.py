"""A backend over a remote SPARQL 1.1 server, and pushing the ontology to one.

Queries are built with SPARQLWrapper (SPARQL 1.1 Protocol, POST form-encoded) and
sent with urllib, with a timeout, bounded retries on 429/502/503/504 and one-line
errors. Rows come back as pyoxigraph terms, exactly like the embedded store's.

URLs: a URL whose last path segment is ``query`` or ``sparql`` is the query
endpoint itself; ``update`` and ``data`` name those services; anything else is a
Fuseki-style dataset base (``http://127.0.0.1:3030/ds``) whose services are
``/query``, ``/update`` and ``/data`` below it.

Example:
    >>> service_urls("http://127.0.0.1:3030/ds").query
    'http://127.0.0.1:3030/ds/query'
    >>> b = RemoteBackend("http://127.0.0.1:3030/ds")  # doctest: +SKIP
    >>> b.select("SELECT ?l WHERE { legkg:Sciatica rdfs:label ?l }")[0]["l"].value  # doctest: +SKIP
    'sciatica'
"""

from __future__ import annotations

import base64
import contextlib
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
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from legkg import __version__
from legkg.core.errors import LegkgError, Misuse, QueryFailed
from legkg.core.prefixes import sparql_prologue
from legkg.store.local import Row, Term, _format_error, with_values
from legkg.store.sparqltext import query_kind, strip_comments

PASSWORD_ENV = "LEGKG_ENDPOINT_PASSWORD"
USER_AGENT = f"legkg/{__version__} (python-urllib; SPARQLWrapper)"
RETRY_STATUS = (429, 502, 503, 504)
MAX_RESPONSE = int(os.environ.get("LEGKG_MAX_RESPONSE_MB", "256")) << 20  # bytes of one answer
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for a longer pause gets an error instead
REFUSED_GSP = (400, 403, 404, 405, 415, 501)  # Graph Store Protocol refused: fall back to SPARQL Update

_ACCEPT = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
_ACCEPT_GRAPH = {
    "ttl": "text/turtle", "nt": "application/n-triples", "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
_GRAPHS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}


class RemoteError(LegkgError):
    """A request to a SPARQL server failed; ``status`` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Service:
    """The SPARQL services of one dataset: query, update and graph store (GSP) URLs."""

    query: str
    update: str
    data: str


def service_urls(url: str) -> Service:
    """Derive the query, update and data URLs from an endpoint or dataset base URL.

    Example:
        >>> service_urls("https://example.org/sparql").update
        'https://example.org/update'
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Misuse(f"the endpoint must be an http(s) URL such as http://127.0.0.1:3030/ds, not {url!r}")
    if parts.username or parts.password:
        raise Misuse(f"give the user with --user and the password in ${PASSWORD_ENV}, not in the URL")
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, head, "", ""))
    given = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    if last in ("query", "sparql"):
        return Service(given, f"{base}/update", f"{base}/data")
    if last == "update":
        return Service(f"{base}/query", given, f"{base}/data")
    if last == "data":
        return Service(f"{base}/query", f"{base}/update", given)
    root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return Service(f"{root}/query", f"{root}/update", f"{root}/data")


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


def _term(value: dict, bnodes: dict[str, ox.BlankNode]) -> Term:
    """One SPARQL JSON results term as a pyoxigraph term."""
    kind, text = value.get("type"), value.get("value")
    if not isinstance(text, str):
        raise ValueError("a term without a value")
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        if text not in bnodes:
            try:
                bnodes[text] = ox.BlankNode(text)
            except ValueError:
                bnodes[text] = ox.BlankNode()
        return bnodes[text]
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(text, language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(text)
    raise ValueError(f"unknown term type {kind!r}")


def _snippet(body: bytes, limit: int = 160) -> str:
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Client:
    """HTTP with a timeout, basic auth, bounded retries and one-line errors."""

    def __init__(self, user: str | None, password: str | None, timeout: float, user_agent: str,
                 retries: int, backoff: float, max_bytes: int = MAX_RESPONSE, follow_redirects: bool = False) -> None:
        if user is not None and password is None:
            password = os.environ.get(PASSWORD_ENV)
            if password is None:
                raise Misuse(f"--user {user} needs the password in the environment variable {PASSWORD_ENV}")
        self.auth = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self.auth = f"Basic {token}"
        self.user, self.timeout, self.user_agent = user, timeout, user_agent
        self.retries, self.backoff = max(0, retries), backoff
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener(_Redirects(follow_redirects))

    def send(self, request: urllib.request.Request) -> tuple[bytes, str]:
        """Send a request; return the body and its media type, or raise RemoteError."""
        request.add_header("User-Agent", self.user_agent)
        if self.auth:  # unredirected: credentials never follow a redirect to another host
            request.add_unredirected_header("Authorization", self.auth)
        url = request.full_url.split("?")[0]
        deadline = time.monotonic() + self.timeout  # for the whole request, retries included
        for attempt in range(self.retries + 1):
            try:
                with open_within(self.opener, request, deadline) as resp:
                    return read_capped(resp, deadline, self.max_bytes, url), resp.headers.get_content_type()
            except urllib.error.HTTPError as e:
                body = _read_quietly(e)
                if e.code in RETRY_STATUS:
                    wait = self._wait(e, attempt)
                    if isinstance(wait, float) and time.monotonic() + wait >= deadline:
                        wait = f"no time left within --timeout {self.timeout:g} s to retry"
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


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port, unless told to; a query sent by POST
    is sent again by POST (urllib would turn it into a GET without the query)."""

    def __init__(self, other_hosts: bool = False) -> None:
        self.other_hosts = other_hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old = urllib.parse.urlsplit(req.full_url)
        new = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if new.scheme not in ("http", "https"):
            raise RemoteError(f"{old.netloc} redirected (HTTP {code}) to {newurl!r}, not an http(s) URL; refused")
        if not self.other_hosts and (old.scheme, old.hostname, old.port) != (new.scheme, new.hostname, new.port):
            raise RemoteError(f"the SPARQL server at {old.netloc} redirected (HTTP {code}) to another host "
                              f"({new.netloc}); refused: give that URL as --endpoint, or pass --follow-redirects",
                              code)
        headers = {k: v for k, v in req.header_items() if k.lower() not in ("content-length", "host")}
        return urllib.request.Request(new.geturl(), data=req.data, headers=headers, method=req.get_method(),
                                      origin_req_host=req.origin_req_host, unverifiable=True)


def open_within(opener: urllib.request.OpenerDirector, request: urllib.request.Request, deadline: float):
    """Open a request, giving up at ``deadline`` even if the server sends its headers a byte at a time."""
    import threading

    box: dict = {}

    def attempt() -> None:
        try:
            box["response"] = opener.open(request, timeout=max(0.05, deadline - time.monotonic()))
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = e

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise TimeoutError("the whole request took too long")
    if "error" in box:
        raise box["error"]
    return box["response"]


def read_capped(response, deadline: float, limit: int, url: str) -> bytes:
    """Read an answer's body, refusing one over ``limit`` bytes or still arriving at ``deadline``."""
    announced = response.headers.get("Content-Length", "")
    if announced.strip().isdigit() and int(announced) > limit:
        raise RemoteError(f"the answer from {url} is {int(announced) >> 20} MiB, over the {limit >> 20} MiB "
                          "limit (LEGKG_MAX_RESPONSE_MB); narrow the query")
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the answer is still arriving")
        with contextlib.suppress(AttributeError, OSError):
            response.fp.raw._sock.settimeout(left)  # each wait for data ends at the deadline too
        chunk = response.read1(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise RemoteError(f"the answer from {url} is over the {limit >> 20} MiB limit "
                              "(LEGKG_MAX_RESPONSE_MB); narrow the query")
        chunks.append(chunk)


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
                 user_agent: str = USER_AGENT, retries: int = 3, backoff: float = 0.5,
                 follow_redirects: bool = False, max_bytes: int = MAX_RESPONSE) -> None:
        if not 0 < timeout < float("inf"):  # also refuses nan
            raise Misuse("the timeout must be a positive, finite number of seconds")
        self.service = service_urls(url)
        self.label = self.service.query
        self.client = _Client(user, password, timeout, user_agent, retries, backoff, max_bytes, follow_redirects)

    def _prepare(self, query: str):
        """Build a SPARQL Protocol query with SPARQLWrapper; return its kind and the wrapper."""
        from SPARQLWrapper import POST, SPARQLWrapper

        sw = SPARQLWrapper(self.service.query, agent=self.client.user_agent)
        sw.setMethod(POST)
        sw.setOnlyConneg(True)
        kind = query_kind(query)
        sw.setQuery(with_prologue(query))
        sw.queryType = {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT"}[kind]  # its own guess can misread
        return kind, sw

    def _send(self, sw, accept: str) -> tuple[bytes, str]:
        sw.addCustomHttpHeader("Accept", accept)
        body, ctype = self.client.send(sw._createRequest())  # built by SPARQLWrapper, sent with our retries
        if ctype in ("text/html", "application/xhtml+xml"):
            raise RemoteError(f"{self.label} answered with an HTML page, not SPARQL results; "
                              f"is it a SPARQL endpoint? (for Fuseki give the dataset URL, e.g. "
                              f"http://127.0.0.1:3030/ds)")
        return body, ctype

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT query with variables bound to RDF terms; return rows of pyoxigraph terms."""
        kind, sw = self._prepare(with_values(query, bindings))
        if kind != "select":
            raise QueryFailed("expected a SELECT query")
        body, ctype = self._send(sw, _ACCEPT["json"])
        data = self._json(body, ctype)
        try:
            names = data["head"]["vars"]
            bnodes: dict[str, ox.BlankNode] = {}
            return [{n: _term(b[n], bnodes) for n in names if n in b} for b in data["results"]["bindings"]]
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise RemoteError(f"{self.label} sent malformed SPARQL JSON results ({type(e).__name__}: {e})") from None

    def raw(self, query: str, result_format: str) -> tuple[str, bytes]:
        """Run any query; return its kind and the server's W3C results or RDF in ``result_format``."""
        kind, sw = self._prepare(query)
        accept = (_ACCEPT_GRAPH if kind == "graph" else _ACCEPT).get(result_format)
        if accept is None:
            raise _format_error(kind, result_format)
        body, ctype = self._send(sw, accept)
        self._check(kind, result_format, body, ctype)
        return kind, body

    def _json(self, body: bytes, ctype: str) -> dict:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            text = body.decode("utf-8", "replace").rstrip()
            if text.startswith("{") and isinstance(e, json.JSONDecodeError) and (
                    e.pos >= len(text) - 1 or e.msg.startswith("Unterminated string")):
                raise RemoteError(f"truncated answer from {self.label}: the JSON results end early "
                                  f"after {len(body)} bytes") from None
            raise RemoteError(f"{self.label} did not answer with SPARQL JSON results "
                              f"(got {ctype}: {_snippet(body, 80)!r})") from None
        if not isinstance(data, dict) or not ("results" in data or "boolean" in data):
            raise RemoteError(f"{self.label} did not answer with SPARQL JSON results (got {ctype})")
        return data

    def _check(self, kind: str, fmt: str, body: bytes, ctype: str) -> None:
        """Make sure the answer parses in the format asked for (catches truncation and wrong content)."""
        if fmt == "json" and kind != "graph":
            self._json(body, ctype)
            return
        try:
            if kind != "graph" and fmt in _RESULTS:
                result = ox.parse_query_results(body, format=_RESULTS[fmt])
                if isinstance(result, ox.QuerySolutions):
                    list(result)
            elif kind == "graph" and fmt in _GRAPHS:
                list(ox.parse(body, format=_GRAPHS[fmt]))
            elif fmt == "jsonld":
                json.loads(body)
        except (SyntaxError, ValueError, OSError) as e:
            raise RemoteError(f"{self.label} sent a malformed or truncated {fmt} answer "
                              f"(got {ctype}): {_snippet(str(e).encode(), 120)}") from None

    def count(self, graph: str | None = None) -> int:
        """The number of triples in a named graph, or in the default graph."""
        pattern = f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"  # NamedNode: a valid IRI
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        try:
            return int(rows[0]["n"].value)
        except (IndexError, KeyError, ValueError):
            raise RemoteError(f"{self.label} gave no triple count") from None


def push(remote: RemoteBackend, store: ox.Store, graph: str | None = None, gsp: bool = True) -> tuple[int, str]:
    """Replace a graph on the server with the store's default graph; verify the count.

    Uses the Graph Store Protocol (HTTP PUT), or SPARQL Update (DROP SILENT + INSERT DATA)
    when the server refuses it or ``gsp`` is false. Returns the triple count and the method.

    Example:
        >>> push(RemoteBackend("http://127.0.0.1:3030/ds"), load_store(), "urn:x:g")  # doctest: +SKIP
        (5835, 'graph store protocol')
    """
    if graph is not None:
        try:
            graph = ox.NamedNode(graph).value
        except ValueError:
            raise Misuse(f"--graph must be an absolute IRI, not {graph!r}") from None
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    sent = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    method = "graph store protocol"
    refused: RemoteError | None = None
    if gsp:
        target = remote.service.data + ("?graph=" + urllib.parse.quote(graph, safe="") if graph else "?default")
        request = urllib.request.Request(target, data=data, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            remote.client.send(request)
        except RemoteError as e:
            if e.status not in REFUSED_GSP:
                raise
            refused = e
    if refused is not None or not gsp:
        method = "sparql update"
        where = f"GRAPH <{graph}>" if graph else "DEFAULT"
        body = f"DROP SILENT {where} ;\nINSERT DATA {{\n"
        body = body + (f"GRAPH <{graph}> {{\n" if graph else "")
        update = body.encode("utf-8") + data + (b"}\n}\n" if graph else b"}\n")
        request = urllib.request.Request(remote.service.update, data=update, method="POST",
                                         headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        try:
            remote.client.send(request)
        except RemoteError as e:
            if refused is None:
                raise
            raise RemoteError(f"the server refused the Graph Store Protocol (HTTP {refused.status}) "
                              f"and SPARQL Update: {e}", e.status) from None
    held = remote.count(graph)
    if held != sent:
        name = f"<{graph}>" if graph else "the default graph"
        raise RemoteError(f"push not verified: sent {sent} triples but {name} at {remote.label} holds {held}")
    return sent, method
