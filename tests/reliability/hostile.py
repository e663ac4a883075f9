"""Servers that misbehave on purpose, on 127.0.0.1, for the remote client's tests.

Example:
    with HostileServer() as server:
        url = server.url("/drip/ds")
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROW = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "literal", "value": "CANARY-ANSWER"}}]}}


class HostileServer:
    """A threaded HTTP server whose first path segment picks the misbehaviour; it records requests."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.do_GET()

            def do_GET(self) -> None:  # noqa: N802
                owner.requests.append(self.path)
                kind = self.path.strip("/").split("/")[0]
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    getattr(self, f"_{kind}", self._canary)()

            def _canary(self) -> None:
                self._json(ROW)

            def _json(self, data: dict) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _huge(self) -> None:  # announces 10 GB, streams forever
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(10 << 30))
                self.end_headers()
                self._stream()

            def _endless(self) -> None:  # no length, streams until the client goes
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self._stream()

            def _stream(self) -> None:
                self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[')
                chunk = b'{"s":{"type":"literal","value":"' + b"x" * 60000 + b'"}},'
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    self.wfile.write(chunk)

            def _drip(self) -> None:  # one byte every half second
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)

            def _redirect(self) -> None:  # to the canary on another host of the loopback network
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.2:{owner.port}/canary/ds/query")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _redirectport(self) -> None:
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{owner.other_port}/latest/meta-data/")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _escapes(self) -> None:
                self._json({"head": {"vars": ["entity", "label", "kind", "synonym"]}, "results": {"bindings": [
                    {"entity": {"type": "uri", "value": "https://w3id.org/legkg/Sciatica"},
                     "label": {"type": "literal", "value": "sciatica\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mRED"},
                     "kind": {"type": "literal", "value": "condition"}}]}})

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.other_port = s.getsockname()[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
