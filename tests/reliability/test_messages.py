"""One-line errors with the right exit code where an internal error used to show, and clean stops.

Example of what each test guards: `legkg query run <128 KB name>` is misuse (exit 2), not
"internal error: OSError".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TINY, run
from tests.reliability.hostile import HostileServer

LEGKG = str(Path(sys.executable).parent / "legkg")


@pytest.mark.parametrize("args", [("query", "run"), ("query", "show"), ("link", "query")])
def test_over_long_query_name_is_misuse(args: tuple[str, ...]) -> None:
    code, _, err = run(*args, "a" * 131072)
    assert code == 2 and "internal error" not in err and len(err) < 400, err[:400]


def test_closed_stdout_is_a_one_line_error() -> None:
    result = subprocess.run([LEGKG, "conditions"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            timeout=60, preexec_fn=lambda: os.close(1))
    assert result.returncode == 1 and "standard output is closed" in result.stderr, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_remote_answer_with_other_variables_is_explained() -> None:

    with HostileServer() as server:  # the canary answers ?s where the term index asks for ?entity
        code, _, err = run("--endpoint", server.url("/canary/ds"), "conditions", "-a", "hip")
    assert code == 1 and "?entity" in err and "internal error" not in err, err


@pytest.mark.parametrize("args,named", [
    (("graph", "sciatica", "-f", "svg", "-o", "{d}/x.png"), "png"),
    (("export", "-f", "ttl", "-o", "{d}/x.owl"), "owl"),
])
def test_extension_and_format_disagreeing_is_misuse(tmp_path: Path, args: tuple[str, ...], named: str) -> None:
    code, _, err = run(*(a.format(d=tmp_path) for a in args))
    assert code == 2 and named in err and "--format" in err, err
    assert list(tmp_path.iterdir()) == []


def test_extension_decides_the_format(tmp_path: Path) -> None:
    code, _, err = run("export", "-o", tmp_path / "x.nt")
    assert code == 0, err
    lines = [line for line in (tmp_path / "x.nt").read_text().splitlines() if line.strip()]
    assert lines and all(line.startswith(("<", "_:")) and line.endswith(" .") for line in lines), lines[:3]
    code, _, err = run("graph", "sciatica", "-o", tmp_path / "x.mmd")
    assert code == 0 and (tmp_path / "x.mmd").read_text().lstrip().startswith(("graph", "flowchart")), err


def _java_processes() -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if b"java" in f.read().split(b"\0")[0]:
                        found.add(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.reasoner
def test_sigterm_during_reasoning_leaves_no_java(tmp_path: Path) -> None:
    from legkg.reasoning.jvm import find_java

    if find_java(8) is None:
        pytest.skip("no Java runtime: HermiT cannot start, so there is no JVM to leave behind")
    source = tmp_path / "edited.ttl"
    source.write_text(TINY.read_text() + "\n# edited\n")
    before = _java_processes()
    env = dict(os.environ, LEGKG_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen([LEGKG, "--ontology", str(source), "build"], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (_java_processes() - before) and proc.poll() is None:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the reasoner finished before a JVM was seen")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    time.sleep(0.5)
    assert proc.returncode == 143 and "terminated" in err, err
    assert not (_java_processes() - before), "a JVM was left running"


def test_reasoner_tests_skip_with_a_reason_without_java(monkeypatch: pytest.MonkeyPatch) -> None:
    import conftest

    class Item:
        def __init__(self, marked: bool) -> None:
            self.marked, self.added = marked, []

        def get_closest_marker(self, name: str):
            return object() if self.marked and name == "reasoner" else None

        def add_marker(self, marker) -> None:
            self.added.append(marker)

    monkeypatch.setattr("legkg.reasoning.jvm.find_java", lambda minimum=8: None)
    items = [Item(True), Item(False)]
    conftest.pytest_collection_modifyitems(None, items)
    assert [len(i.added) for i in items] == [1, 0]
    assert "no Java runtime" in items[0].added[0].kwargs["reason"]
