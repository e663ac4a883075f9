"""Real SPARQL servers for the tests, each started on 127.0.0.1 on a free port.

Five independent implementations: Apache Jena Fuseki (Maven Central), Oxigraph server and
rdflib-endpoint (PyPI), Virtuoso 7 (Debian) and Comunica (npm). ``.ci/install-servers.sh``
installs them into the tools cache (``$LEGKG_TOOLS_DIR`` or ``~/.cache/legkg-tools``); a
launcher runs it when its server is missing. Each launcher is a context manager that yields
the running server and stops it on exit. When a server cannot be installed or started, the
tests skip with the reason, except in CI (``CI=true``), where they fail.

Example:
    with running_oxigraph(tmp_path) as server:
        run("push", server.url)
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FUSEKI_VERSION = "5.6.0"
VIRTUOSO_PASSWORD = "dba"  # a fresh database's administrator password; the database lives in tmp_path


@dataclass(frozen=True)
class Server:
    """A running server: the URL to give legkg, and how the tests load it."""

    name: str
    url: str
    version: str


def unavailable(reason: str) -> None:
    """Skip the test with ``reason``, or fail it in CI, where every server must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"server unavailable in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tools_dir() -> Path:
    return Path(os.environ.get("LEGKG_TOOLS_DIR") or Path.home() / ".cache" / "legkg-tools")


@functools.cache
def installed(part: str) -> dict[str, str]:
    """Run ``.ci/install-servers.sh PART`` (a no-op once installed); return server name -> program path."""
    out = subprocess.run([str(REPO / ".ci" / "install-servers.sh"), part], capture_output=True, text=True,
                         timeout=1200, env={**os.environ, "FUSEKI_VERSION": FUSEKI_VERSION})
    if out.returncode != 0:
        unavailable(f"install-servers.sh {part} failed: {out.stderr.strip()[-600:]}")
    return dict(line.split("\t", 1) for line in out.stdout.splitlines() if "\t" in line)


def _die_with_parent() -> None:
    """In the child: ask Linux to stop it if pytest dies, so no server outlives a killed run."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answers, if only to say no
    except OSError:
        return False


@contextlib.contextmanager
def process(name: str, argv: list[str], home: Path, ready_url: str, wait: float = 120,
            env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Start a server process logging to ``home/NAME.log``; wait until ``ready_url`` answers; stop it on exit."""
    log_path = home / f"{name}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, cwd=home, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent, env={**os.environ, **(env or {})},
                                start_new_session=True)
        try:
            deadline = time.monotonic() + wait
            while not _answers(ready_url):
                if proc.poll() is not None:
                    unavailable(f"{name} exited with {proc.returncode}: {log_path.read_text()[-1500:]}")
                if time.monotonic() > deadline:
                    unavailable(f"{name} did not answer at {ready_url} within {wait:g} s")
                time.sleep(0.2)
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # the server's own group: Comunica forks workers
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


def fuseki_jar() -> Path:
    """The Fuseki server jar, fetched with .ci/fetch-fuseki.sh if it is not cached yet."""
    jar = tools_dir() / f"jena-fuseki-server-{FUSEKI_VERSION}.jar"
    if not jar.is_file():
        if not shutil.which("mvn"):
            unavailable("Fuseki is not cached and Maven (mvn) is not installed to fetch it")
        jar = Path(installed("fuseki")["fuseki"])
    return jar


@contextlib.contextmanager
def running_fuseki(home: Path, *options: str) -> Iterator[str]:
    """Run Fuseki with an empty in-memory, updatable dataset; yield the dataset URL."""
    if not shutil.which("java"):
        unavailable("java is not installed")
    jar, port = fuseki_jar(), free_port()
    argv = ["java", "-Xmx512m", "-jar", str(jar), "--mem", "--update", "--localhost", *options,
            "--port", str(port), "/ds"]
    with process("fuseki", argv, home, f"http://127.0.0.1:{port}/", env={"FUSEKI_BASE": str(home / "run")}):
        yield f"http://127.0.0.1:{port}/ds"


@contextlib.contextmanager
def running_oxigraph(home: Path) -> Iterator[Server]:
    """Run Oxigraph server in memory; its query and update services answer at the root URL."""
    program, port = installed("python")["oxigraph"], free_port()
    version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout.split()[-1]
    with process("oxigraph", [program, "serve", "--bind", f"127.0.0.1:{port}"], home,
                 f"http://127.0.0.1:{port}/"):
        yield Server("oxigraph", f"http://127.0.0.1:{port}", version)


@contextlib.contextmanager
def running_rdflib_endpoint(home: Path, data: Path) -> Iterator[Server]:
    """Serve an RDF file with rdflib-endpoint; it answers SPARQL at its root URL only."""
    program, port = installed("python")["rdflib-endpoint"], free_port()
    with process("rdflib-endpoint", [program, "serve", "--host", "127.0.0.1", "--port", str(port), str(data)],
                 home, f"http://127.0.0.1:{port}/"):
        yield Server("rdflib-endpoint", f"http://127.0.0.1:{port}/", "0.6.3")


@contextlib.contextmanager
def running_comunica(home: Path, data: Path) -> Iterator[Server]:
    """Run Comunica's SPARQL endpoint over an RDF file held in an indexed in-memory store.

    ``.ci/comunica-endpoint.js`` gives ``@comunica/query-sparql`` the file as an N3 store (its
    ``rdfjs`` source type), whose exact pattern counts let the engine plan its joins.
    """
    program, port = installed("comunica")["comunica"], free_port()
    node = shutil.which("node")
    if not node:
        unavailable("node is not installed")
    modules = Path(program).parent.parent
    package = modules / "@comunica" / "query-sparql" / "package.json"
    version = json.loads(package.read_text())["version"]
    argv = [node, str(REPO / ".ci" / "comunica-endpoint.js"), str(data), str(port), "120"]
    with process("comunica", argv, home, f"http://127.0.0.1:{port}/sparql", wait=180,
                 env={"NODE_PATH": str(modules)}):
        yield Server("comunica", f"http://127.0.0.1:{port}/sparql", version)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {home}/virtuoso.db
ErrorLogFile = {home}/virtuoso-db.log
LockFile = {home}/virtuoso.lck
TransactionFile = {home}/virtuoso.trx
xa_persistent_file = {home}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {home}/virtuoso-temp.db
TransactionFile = {home}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {home}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {home}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextlib.contextmanager
def running_virtuoso(home: Path) -> Iterator[Server]:
    """Run Virtuoso 7 with a fresh database in ``home``; yield its base URL (``/sparql`` below it)."""
    program = installed("virtuoso")["virtuoso"]
    http_port, sql_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(home=home, http_port=http_port, sql_port=sql_port))
    version = subprocess.run([program, "-?"], capture_output=True, text=True)
    words = (version.stdout + version.stderr).split()
    number = next((w for w in words if w[:1].isdigit() and w.count(".") >= 2), "7")
    with process("virtuoso", [program, "+foreground", "+configfile", str(ini)], home,
                 f"http://127.0.0.1:{http_port}/sparql", wait=120):
        yield Server("virtuoso", f"http://127.0.0.1:{http_port}", number)

