"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store.

Queries run in worker processes, so one over its time limit is stopped by
ending its worker (and a fresh one takes its place); answers are cut to a row
limit; updates are refused with 403. It binds to loopback unless told otherwise.

Example:
    server = SparqlServer(host="127.0.0.1", port=0)
    server.start()            # serves http://127.0.0.1:<server.port>/sparql
    server.stop()
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "jsonld"}
GRAPH_MEDIA = {"ttl": "text/turtle; charset=utf-8", "nt": "application/n-triples", "xml": "application/rdf+xml",
               "jsonld": "application/ld+json"}
MAX_BODY = 1 << 20


def _worker(conn, ontology: str | None) -> None:
    """Run queries sent over ``conn`` against a store of our own until told to stop."""
    from legkg.store.local import load_store

    store = load_store(Path(ontology) if ontology else None)
    while True:
        message = conn.recv()
        if message is None:
            return
        conn.send(_execute(store, *message))


def _execute(store, query: str, results_fmt: str, graph_fmt: str, row_limit: int) -> tuple[int, str, bytes, str]:
    """Run one query; return HTTP status, media type, body and a truncation note ('' if none)."""
    import pyoxigraph as ox

    from legkg.core.prefixes import PREFIXES
    from legkg.store.results import MEDIA, serialise, serialise_boolean

    try:
        result = store.query(query, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return 200, MEDIA[results_fmt], serialise_boolean(bool(result), results_fmt), ""
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == row_limit:
                    return 200, MEDIA[results_fmt], serialise(names, rows, results_fmt), f"rows cut to {row_limit}"
                rows.append([solution[n] for n in names])
            return 200, MEDIA[results_fmt], serialise(names, rows, results_fmt), ""
        triples = []
        note = ""
        for triple in result:
            if len(triples) == row_limit:
                note = f"triples cut to {row_limit}"
                break
            triples.append(triple)
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
               "jsonld": ox.RdfFormat.JSON_LD}[graph_fmt]
        return 200, GRAPH_MEDIA[graph_fmt], ox.serialize(triples, format=fmt, prefixes=PREFIXES), note
    except SyntaxError as e:
        return 400, "text/plain; charset=utf-8", f"invalid SPARQL query: {' '.join(str(e).split())}\n".encode(), ""
    except (OSError, ValueError, RuntimeError) as e:
        return 500, "text/plain; charset=utf-8", f"query failed: {' '.join(str(e).split())}\n".encode(), ""


class _Worker:
    def __init__(self, ctx, ontology: str | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, ontology), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)


class SparqlServer:
    """The endpoint: an HTTP server plus a pool of query workers."""

    def __init__(self, host: str = "127.0.0.1", port: int = 3030, ontology: Path | None = None,
                 timeout: float = 10.0, row_limit: int = 10000, workers: int = 2) -> None:
        self.timeout, self.row_limit = timeout, row_limit
        self._ctx = mp.get_context("spawn")
        self._ontology = str(ontology) if ontology else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        for _ in range(max(1, workers)):
            self._add_worker()
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self._thread: threading.Thread | None = None
        from legkg.publish import web

        web.configure(ontology, self.run_query)  # pages; their raw queries run on this server's workers

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/sparql"

    def _add_worker(self) -> None:
        w = _Worker(self._ctx, self._ontology)
        self._all.append(w)
        self._idle.put(w)

    def run_query(self, query: str, results_fmt: str, graph_fmt: str) -> tuple[int, str, bytes, str]:
        """Run a query on an idle worker, ending the worker if it runs past the time limit."""
        try:  # wait for a free worker longer than one query may run, so a slow query delays others, not fails them
            worker = self._idle.get(timeout=self.timeout * 3 + 10)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", b"all query workers are busy; try again\n", ""
        worker.conn.send((query, results_fmt, graph_fmt, self.row_limit))
        if worker.conn.poll(self.timeout):
            try:
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
            except EOFError:
                pass
        worker.process.kill()
        worker.process.join(1)
        self._all.remove(worker)
        self._add_worker()
        return 503, "text/plain; charset=utf-8", f"query stopped: over the {self.timeout:g} s limit\n".encode(), ""

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and end the workers."""
        self.httpd.shutdown()
        self.httpd.server_close()
        for w in list(self._all):
            w.stop()


def _negotiate(accept: str, wanted: str | None) -> tuple[str, str]:
    """Pick the results and graph formats from a ``format`` parameter or the Accept header."""
    if wanted:
        return (wanted if wanted in ("json", "xml", "csv", "tsv") else "json",
                wanted if wanted in GRAPH_MEDIA else "ttl")
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.strip().lower()))
    ranked.sort()
    results = next((RESULT_TYPES[m] for _, _, m in ranked if m in RESULT_TYPES), "json")
    graph = next((GRAPH_TYPES[m] for _, _, m in ranked if m in GRAPH_TYPES), "ttl")
    return results, graph


def _handler(server: SparqlServer):
    class Handler(BaseHTTPRequestHandler):
        server_version = "legkg-serve"

        def log_message(self, *args) -> None:  # quiet: no line per request
            pass

        def _reply(self, status: int, media: str, body: bytes, note: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            if note:
                self.send_header("X-Legkg-Warning", note)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _text(self, status: int, message: str) -> None:
            self._reply(status, "text/plain; charset=utf-8", (message + "\n").encode())

        def _answer(self, params: dict[str, list[str]], query: str | None) -> None:
            if "update" in params:
                return self._text(403, "updates are refused: this endpoint is read-only")
            if not query:
                return self._text(400, "missing 'query' parameter")
            results, graph = _negotiate(self.headers.get("Accept", ""), (params.get("format") or [None])[0])
            self._reply(*server.run_query(query, results, graph))

        def do_GET(self) -> None:  # noqa: N802 - the http.server naming
            url = urlsplit(self.path)
            params = parse_qs(url.query)
            if url.path not in ("/sparql", "/query") and not (url.path == "/" and "query" in params):
                return self._page(url.path, url.query)
            self._answer(params, (params.get("query") or [None])[0])

        do_HEAD = do_GET  # noqa: N815

        def _page(self, path: str, query: str) -> None:
            from legkg.publish import web

            answer = web.handle(self.command, path, query, self.headers)
            if answer is None:
                return self._text(404, "not found: pages start at /, SPARQL queries go to /sparql")
            status, headers, body = answer
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path not in ("/sparql", "/query", "/"):
                return self._text(404, "not found: send queries to /sparql")
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self._text(400, "bad Content-Length")
            if length > MAX_BODY:
                return self._text(413, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                return self._text(403, "updates are refused: this endpoint is read-only")
            if media == "application/sparql-query":
                return self._answer(parse_qs(url.query), body)
            params = parse_qs(body)
            self._answer(params, (params.get("query") or [None])[0])

        def do_PUT(self) -> None:  # noqa: N802
            self._text(405, "read-only endpoint: PUT is refused")

        do_DELETE = do_PATCH = do_PUT  # noqa: N815

    return Handler
