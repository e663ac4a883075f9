"""Concurrent `legkg link` runs: one writer at a time, readers keep reading, a blocked writer says why.

Every run uses a linked store of its own under a temporary LEGKG_CACHE_DIR.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

LEGKG = [sys.executable, "-m", "legkg"]


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LEGKG_ONTOLOGY", "LEGKG_LINK_WAIT")}
    return env | {"LEGKG_CACHE_DIR": str(cache)} | extra


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*LEGKG, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _hpo_rows(env: dict[str, str]) -> tuple[int, str, str]:
    proc = subprocess.run([*LEGKG, "link", "query", "hpo-nervous-system-conditions", "--format", "json"],
                          env=env, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.slow
def test_a_second_icd10cm_writer_waits_while_readers_read(tmp_path: Path) -> None:
    from legkg.vocab import icd10cm

    env = _env(tmp_path / "cache")
    hpo = subprocess.run([*LEGKG, "link", "hpo"], env=env, capture_output=True, text=True, timeout=600)
    assert hpo.returncode == 0, hpo.stderr
    code, expected, err = _hpo_rows(env)
    assert code == 0 and json.loads(expected), err
    first = _start(env, "link", "icd10cm")
    progress = []
    for line in first.stderr:  # the load has begun, under the writer lock
        progress.append(line)
        if "loading it into" in line:
            break
    second = _start(env, "link", "icd10cm")
    readers = [_hpo_rows(env) for _ in range(3)]  # while the first writer loads and the second waits
    still_loading = first.poll() is None
    first_out, first_err = first.communicate(timeout=900)
    second_out, second_err = second.communicate(timeout=900)
    assert first.returncode == 0 and "(loaded)" in first_out, "".join(progress) + first_err
    assert second.returncode == 0, second_err  # it did not fail on the store's lock
    assert "(current, not reloaded)" in second_out, second_out + second_err
    if still_loading:
        assert "waiting for another 'legkg link'" in second_err, second_err
    assert all(r[:2] == (0, expected) for r in readers), readers
    concepts = sum(1 for _ in icd10cm.concepts())
    assert f"{concepts:,} concepts" in first_out and f"{concepts:,} concepts" in second_out, (first_out, second_out)
    assert _hpo_rows(env)[1] == expected


def test_a_writer_that_cannot_get_the_store_says_so_in_one_line(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with open(cache / "linked-store.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another writer at work
        started = time.monotonic()
        proc = subprocess.run([*LEGKG, "link", "icd10cm"], env=_env(cache, LEGKG_LINK_WAIT="1"),
                              capture_output=True, text=True, timeout=300)
        took = time.monotonic() - started
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert proc.returncode == 1 and len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "stayed busy for 1 s" in errors[0] and "another 'legkg link' is writing it" in errors[0], proc.stderr
    assert "waiting for another 'legkg link'" in proc.stderr and took < 60, (took, proc.stderr)
    assert not (cache / "linked-store").exists()  # nothing written without the lock


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_bad_link_wait_is_misuse(tmp_path: Path, value: str) -> None:
    proc = subprocess.run([*LEGKG, "link", "icd10cm"], env=_env(tmp_path, LEGKG_LINK_WAIT=value),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "LEGKG_LINK_WAIT" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
