"""Running the DL reasoners on the JVM: finding Java, HermiT and Pellet runs, and reading their output.

Each run gets a time limit; the JVM (and its process group) is killed when it runs over.

Example:
    >>> find_java(8) is None or find_java(8).endswith("java")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError
from legkg.core.prefixes import PREFIXES

OWL = PREFIXES["owl"]


class ReasonerUnavailable(LegkgError):
    """No Java runtime fit for the chosen reasoner."""


# --- the source, read once ---------------------------------------------------------------------


_JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "-Xmx1500M"]

def _java_major(java: str) -> int:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        return 0
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def find_java(minimum: int = 8) -> str | None:
    """A Java runtime of at least this major version: $LEGKG_JAVA, $JAVA_HOME, PATH, /usr/lib/jvm.

    Example:
        >>> find_java(8) is None or find_java(8).endswith("java")
        True
    """
    candidates = [os.environ.get("LEGKG_JAVA")]
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    candidates.append(shutil.which("java"))
    candidates += sorted(glob.glob("/usr/lib/jvm/*/bin/java"), reverse=True)
    seen = set()
    for c in candidates:
        if not c or c in seen or not os.access(c, os.X_OK):
            continue
        seen.add(c)
        if minimum <= 8 or _java_major(c) >= minimum:
            return c
    return None


def _classpath(name: str) -> str:
    from legkg.core.errors import require

    reasoning = require("owlready2.reasoning", f"the {name} reasoner")
    return reasoning._HERMIT_CLASSPATH if name == "hermit" else reasoning._PELLET_CLASSPATH


def _kill(proc: subprocess.Popen) -> None:
    """Kill a JVM we started, with its process group, and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _run_java(command: list[str], timeout: float, what: str) -> tuple[int, str, str]:
    """Run a JVM; on timeout kill its whole process group and raise a one-line error."""
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise ReasonerUnavailable(f"cannot start Java for {what}: {e.strerror or e}") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise LegkgError(f"{what} did not finish within {timeout:g} s; the JVM was stopped "
                         "(raise --timeout, or try --reasoner rl)") from None
    except BaseException:  # interrupted: never leave a JVM behind
        _kill(proc)
        raise
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


# --- writing the reasoner's input --------------------------------------------------------------

def _write_input(store: ox.Store, extra: list[str], folder: Path) -> Path:
    """Write the ontology (plus extra N-Triples) for the JVM, loaded and saved through owlready2."""
    from legkg.core.errors import require

    owlready2 = require("owlready2", "reasoning with HermiT or Pellet")
    raw = folder / "input-raw.nt"
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    imports = f"<{OWL}imports>".encode()
    data = b"\n".join(line for line in data.split(b"\n") if imports not in line)  # reason offline, on this file
    raw.write_bytes(data + b"\n" + ("\n".join(extra) + "\n").encode("utf-8"))
    world = owlready2.World()
    try:
        world.get_ontology(raw.as_uri()).load()
    except Exception as e:  # owlready2 raises many kinds of errors on bad input
        raise LegkgError(f"owlready2 cannot load the ontology: {' '.join(str(e).split())[:200]}") from None
    out = folder / "input.nt"
    world.save(str(out), format="ntriples")
    world.close()
    return out


# --- parsing the reasoners' answers ------------------------------------------------------------

_TOKEN = re.compile(r"<([^>]+)>|owl:(\w+)")
_LINE = re.compile(r"^(SubClassOf|EquivalentClasses|Type|ClassAssertion)\( (.*) \)\s*$", re.MULTILINE)
_PROPS = re.compile(r"^<([^>]+)> \(known instances:\s*(.*?)\s*\|\s*possible instances:", re.MULTILINE)
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")


def _tokens(text: str) -> list[str]:
    return [m.group(1) or OWL + m.group(2) for m in _TOKEN.finditer(text)]


@dataclass
class _Raw:
    """A reasoner's raw answer: direct parents, equivalences, types and property values."""

    consistent: bool = True
    parents: dict[str, set[str]] = field(default_factory=dict)
    equivalent: list[list[str]] = field(default_factory=list)
    types: dict[str, set[str]] = field(default_factory=dict)
    values: set[tuple[str, str, str]] = field(default_factory=set)


def _parse_hermit(out: str) -> _Raw:
    raw = _Raw()
    for kind, body in _LINE.findall(out):
        toks = _tokens(body)
        if kind == "SubClassOf" and len(toks) == 2:
            raw.parents.setdefault(toks[0], set()).add(toks[1])
        elif kind == "EquivalentClasses":
            raw.equivalent.append(toks)
        elif kind in ("Type", "ClassAssertion") and len(toks) == 2:
            a, b = toks if kind == "Type" else toks[::-1]
            raw.types.setdefault(a, set()).add(b)
    for prop, known in _PROPS.findall(out):
        for a, b in _PAIR.findall(known):
            raw.values.add((a, prop, b))
    return raw


def _parse_pellet(out: str) -> _Raw:
    raw = _Raw()
    stack: list[tuple[int, list[str]]] = []
    for line in out.splitlines():
        if not line.strip() or line.startswith("PROPINST:"):
            if line.startswith("PROPINST:"):
                parts = line.split()[1:]
                if len(parts) == 3:
                    raw.values.add((parts[0], parts[1], parts[2]))
            continue
        stripped = line.lstrip()
        depth = len(line) - len(stripped)
        head, _, inds = stripped.partition(" - ")
        names = [n.strip() for n in head.split(" = ")]
        if not all(re.match(r"^[a-z][\w+.-]*:", n) for n in names):
            continue
        if len(names) > 1:
            raw.equivalent.append(names)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            for n in names:
                raw.parents.setdefault(n, set()).update(stack[-1][1])
        stack.append((depth, names))
        if inds:
            for i in inds.strip()[1:-1].split(", "):
                if "Anonymous" not in i:
                    raw.types.setdefault(i.strip(), set()).update(names)
    return raw


# --- running a DL reasoner ---------------------------------------------------------------------

def _run_dl(reasoner: str, store: ox.Store, extra: list[str], timeout: float) -> _Raw:
    java = find_java(25 if reasoner == "pellet" else 8)
    if java is None:
        need = "Java 25 or later (set LEGKG_JAVA to its java)" if reasoner == "pellet" else "Java (java on PATH)"
        raise ReasonerUnavailable(f"{reasoner} needs {need}; none was found (try --reasoner rl)")
    with tempfile.TemporaryDirectory(prefix="legkg-reason-") as tmp:
        path = _write_input(store, extra, Path(tmp))
        if reasoner == "hermit":
            cmd = [java, *_JVM_FLAGS, "-cp", _classpath("hermit"), "org.semanticweb.HermiT.cli.CommandLine",
                   "-c", "-I", "-Y", path.as_uri()]
        else:
            cmd = [java, *_JVM_FLAGS, "-cp", _classpath("pellet"), "pellet.Pellet", "realize", "--loader", "Jena",
                   "--input-format", "N-Triples", "--ignore-imports", "--infer-prop-values", str(path)]
        code, out, err = _run_java(cmd, timeout, "HermiT" if reasoner == "hermit" else "Pellet")
    if code != 0:
        text = out + err
        if "Inconsistent ontology" in text or "Ontology is inconsistent" in text or "inconsistent" in text.lower():
            return _Raw(consistent=False)
        detail = " ".join(line for line in text.splitlines() if line.strip() and not line.startswith("\tat "))
        raise LegkgError(f"{reasoner} failed: {' '.join(detail.split())[:300]}")
    return _parse_hermit(out) if reasoner == "hermit" else _parse_pellet(out)


