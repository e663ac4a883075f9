"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store.

Queries run in worker processes (:mod:`legkg.publish.workers`): one over its
time or memory limit is stopped by ending its worker, and cheap queries never
wait behind heavy ones. Answers are cut to a row limit; updates, and SERVICE
clauses to hosts the operator has not allowed, are refused with 403. GET and
HEAD requests for other paths go to ``legkg.publish.web.handle`` when that
module exists. It speaks HTTP/1.1 and keeps each client's connection open between
requests (closing it after a request whose body it did not read). It binds to loopback
unless told otherwise.

Example:
    server = SparqlServer(host="127.0.0.1", port=0)
    server.start()            # serves http://127.0.0.1:<server.port>/sparql
    server.stop()
"""

from __future__ import annotations

import email.utils
import functools
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from legkg.publish.accept import ranked_media
from legkg.publish.workers import GRAPH_MEDIA

RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "jsonld"}
MAX_BODY = 1 << 20
ENDPOINT_PATH = "/sparql"
ENDPOINT_PATHS = ("/sparql", "/query", "/")
CLOSE = {"Connection": "close"}  # for a request whose body is left unread: the connection cannot go on
READ_SECONDS = 30.0  # a client must send its whole request within this time


class _HTTPServer(ThreadingHTTPServer):
    """Threads per connection, a long listen queue, and no tracebacks when a client goes away."""

    daemon_threads = True
    request_queue_size = 1024  # connections the kernel holds while all threads are busy

    def handle_error(self, request, client_address) -> None:
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, OSError)):
            return  # the client hung up or stalled: nothing to report
        sys.stderr.write(f"warning: request from {client_address[0]} failed: {type(error).__name__}: "
                         f"{' '.join(str(error).split())[:200]}\n")


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class SparqlServer:
    """The endpoint: an HTTP server plus the query workers (:class:`legkg.publish.workers.WorkerPool`)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 3030, ontology: Path | None = None,
                 timeout: float = 10.0, row_limit: int = 10000, workers: int = 3, memory: int = 256 << 20,
                 allow_service_hosts: Iterable[str] = (), heavy_workers: int = 1) -> None:
        from legkg.publish.workers import WorkerPool

        self.timeout, self.row_limit, self.memory = timeout, row_limit, memory
        self.allow_service_hosts = {h.lower().strip("[]") for h in allow_service_hosts}
        self.pool = WorkerPool(ontology, quick=workers, heavy=heavy_workers, timeout=timeout, memory=memory)
        try:
            self.httpd = (_HTTPServer6 if ":" in host else _HTTPServer)((host, port), _handler(self))
        except BaseException:
            self.pool.stop()
            raise
        self.host, self.port = self.httpd.server_address[:2]
        self._thread: threading.Thread | None = None
        if _has_web():
            from legkg.publish import web

            web.configure(ontology, self.run_query)  # pages; their raw queries run on this server's workers

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{ENDPOINT_PATH}"

    def refused_service(self, query: str) -> str | None:
        """Why a query's SERVICE clauses are refused, or None when every target host is allowed."""
        from legkg.core.prefixes import PREFIXES
        from legkg.store.sparqltext import service_targets

        if "service" not in query.lower() and "\\u" not in query.lower():
            return None  # no SERVICE keyword can hide in this text
        for target in service_targets(query, PREFIXES):
            parts = urlsplit(target or "")
            try:
                port = parts.port
            except ValueError:
                port = None
            host = (parts.hostname or "").lower()
            if target is None or parts.scheme not in ("http", "https") or not host:
                return "SERVICE with a variable or a non-http IRI is refused by this endpoint"
            if host not in self.allow_service_hosts and f"{host}:{port}" not in self.allow_service_hosts:
                return (f"SERVICE <{target}> is refused: this endpoint calls no other server unless its operator "
                        "allows the host (legkg serve --allow-service-host HOST)")
        return None

    def run_query(self, query: str, results_fmt: str, graph_fmt: str) -> tuple[int, str, bytes, str]:
        """Run a query under the time, memory and row limits."""
        return self.pool.run(query, results_fmt, graph_fmt, self.row_limit)

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and end the workers."""
        if self._thread is not None:
            self.httpd.shutdown()
        self.httpd.server_close()
        self.pool.stop()


def _negotiate(accept: str, wanted: str | None) -> tuple[str, str]:
    """Pick the results and graph formats from a ``format`` parameter or the Accept header."""
    if wanted:
        return (wanted if wanted in ("json", "xml", "csv", "tsv") else "json",
                wanted if wanted in GRAPH_MEDIA else "ttl")
    ranked = ranked_media(accept)
    results = next((RESULT_TYPES[m] for _, m in ranked if m in RESULT_TYPES), "json")
    graph = next((GRAPH_TYPES[m] for _, m in ranked if m in GRAPH_TYPES), "ttl")
    return results, graph


Page = tuple[int, dict[str, str], bytes]


def web_page(method: str, path: str, query: str, headers: Mapping[str, str]) -> Page | None:
    """Hand a request outside the SPARQL endpoint to ``legkg.publish.web.handle``, when that module exists.

    The hook returns (status, headers, body), or None for "no such page" (404).
    """
    import importlib

    if not _has_web():
        return None
    return importlib.import_module("legkg.publish.web").handle(method, path, query, headers)


def _handler(server: SparqlServer):
    class Handler(BaseHTTPRequestHandler):
        server_version = "legkg-serve"
        protocol_version = "HTTP/1.1"  # connections are kept open between requests
        timeout = READ_SECONDS  # a client that stalls mid-request, or stays idle this long, is dropped
        disable_nagle_algorithm = True  # small answers go out at once
        wbufsize = 1 << 16  # headers and body leave in one write (flushed after each request)

        def log_message(self, *args) -> None:  # quiet: no line per request
            pass

        def date_time_string(self, timestamp: float | None = None) -> str:
            return _http_date(int(time.time() if timestamp is None else timestamp))

        def _reply(self, status: int, media: str, body: bytes, note: str = "", extra: Mapping[str, str] = ()) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            if note:
                self.send_header("X-Legkg-Warning", note)
            for k, v in dict(extra).items():
                self.send_header(k, v)
            sent_body = self.headers.get("Content-Length", "0").strip() not in ("", "0") \
                or "Transfer-Encoding" in self.headers
            if self.command != "POST" and sent_body and "Connection" not in extra:
                self.send_header("Connection", "close")  # its body is left unread: the connection cannot go on
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _text(self, status: int, message: str, extra: Mapping[str, str] = ()) -> None:
            self._reply(status, "text/plain; charset=utf-8", (message + "\n").encode(), extra=extra)

        def _answer(self, params: dict[str, list[str]], query: str | None) -> None:
            if "update" in params:
                return self._text(403, "updates are refused: this endpoint is read-only")
            if not query:
                return self._text(400, "missing 'query' parameter")
            refused = server.refused_service(query)
            if refused:
                return self._text(403, refused)
            results, graph = _negotiate(self.headers.get("Accept", ""), (params.get("format") or [None])[0])
            self._reply(*server.run_query(query, results, graph))

        def do_GET(self) -> None:  # noqa: N802 - the http.server naming
            url = urlsplit(self.path)
            if url.path not in ENDPOINT_PATHS or (url.path == "/" and "query" not in parse_qs(url.query)
                                                  and _has_web()):
                page = web_page(self.command, url.path, url.query, dict(self.headers.items()))
                if page is None:
                    return self._text(404, f"not found: send queries to {ENDPOINT_PATH}")
                status, headers, body = page
                media = headers.get("Content-Type", "text/html; charset=utf-8")
                return self._reply(status, media, body,
                                   extra={k: v for k, v in headers.items() if k.lower() != "content-type"})
            params = parse_qs(url.query)
            self._answer(params, (params.get("query") or [None])[0])

        do_HEAD = do_GET  # noqa: N815 - the same answer, without its body (see _reply)

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path not in ENDPOINT_PATHS:
                return self._text(404, f"not found: send queries to {ENDPOINT_PATH}", extra=CLOSE)
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._text(411, "send the body with a Content-Length", extra=CLOSE)
            text = self.headers.get("Content-Length", "0").strip()
            if not text.isdigit():  # also refuses -1 and other signs
                return self._text(400, "bad Content-Length", extra=CLOSE)
            length = int(text)
            if length > MAX_BODY:
                return self._text(413, f"request body over {MAX_BODY} bytes", extra=CLOSE)
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                return self._text(403, "updates are refused: this endpoint is read-only")
            if media == "application/sparql-query":
                return self._answer(parse_qs(url.query), body)
            params = parse_qs(body)
            self._answer(params, (params.get("query") or [None])[0])

        def _refuse(self) -> None:
            self._text(405, f"read-only endpoint: {self.command} is refused; use GET, HEAD or POST",
                       extra={"Allow": "GET, HEAD, POST"})

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse  # noqa: N815

    return Handler


@functools.lru_cache(maxsize=4)
def _http_date(second: int) -> str:
    """The Date header for a second (made once per second, not once per answer)."""
    return email.utils.formatdate(second, usegmt=True)


def _has_web() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("legkg.publish.web") is not None
    except (ImportError, ValueError):
        return False
