"""`legkg release` onto a full filesystem: one line, exit 1, the last release intact, no temporaries.

Two ways to run out of room, both real: a small tmpfs mounted in a private mount namespace
(``unshare``; as root, or through a user namespace where the kernel allows one, else skipped
with the reason) that fills up with ENOSPC, and a file-size limit (RLIMIT_FSIZE, which makes
writes fail with EFBIG) that works anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LEGKG = [sys.executable, "-m", "legkg"]

# Run inside the private mount namespace: mount a 4 MiB tmpfs at DISK, make a first release there,
# fill the rest but a little, try a second release, and print what happened as JSON.
IN_NAMESPACE = r"""
import hashlib, json, os, subprocess, sys
disk, room = sys.argv[1], int(sys.argv[2])
legkg = [sys.executable, "-m", "legkg"]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk], check=True)
release = os.path.join(disk, "release")
first = subprocess.run([*legkg, "release", "--date", "2026-01-01", "-o", release], capture_output=True, text=True)
def listing(folder):
    return {name: hashlib.sha256(open(os.path.join(folder, name), "rb").read()).hexdigest()
            for name in sorted(os.listdir(folder)) if os.path.isfile(os.path.join(folder, name))} | {
            name + "/": "" for name in os.listdir(folder) if os.path.isdir(os.path.join(folder, name))}
before = listing(release) if first.returncode == 0 else {}
filler = os.path.join(disk, "filler")
with open(filler, "wb") as f:
    try:
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    except OSError:
        pass
os.truncate(filler, max(0, os.path.getsize(filler) - room))
second = subprocess.run([*legkg, "release", "--date", "2026-02-02", "-o", release], capture_output=True, text=True)
print(json.dumps({"first": [first.returncode, first.stderr], "second": [second.returncode, second.stderr],
                  "before": before, "after": listing(release), "disk": sorted(os.listdir(disk))}))
"""


def _listing(folder: Path) -> dict[str, str]:
    return {p.name + ("/" if p.is_dir() else ""): "" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())}


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LEGKG_ONTOLOGY"}
    env["LEGKG_CACHE_DIR"] = str(tmp_path / "cache")  # caches stay off the full filesystem
    return env


def _assert_refused_in_one_line(code: int, err: str, reason: str) -> None:
    error = [line for line in err.splitlines() if line.startswith("Error:")]  # after the progress lines
    assert code == 1, err
    assert len(error) == 1 and "Traceback" not in err and "internal error" not in err, err
    assert "cannot write the release" in error[0] and reason in error[0], err
    assert "the last release is unchanged" in error[0], err


def test_release_onto_a_full_tmpfs(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare command to mount a small tmpfs in a private namespace")
    disk = tmp_path / "disk"
    disk.mkdir()
    prefix = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        prefix[1:1] = ["--user", "--map-root-user"]
    probe = subprocess.run([*prefix, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a private namespace here: {probe.stderr.strip()[:200]}")
    proc = subprocess.run([*prefix, sys.executable, "-c", IN_NAMESPACE, str(disk), str(200 << 10)],
                          capture_output=True, text=True, env=_env(tmp_path), timeout=600)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen["first"][0] == 0, seen["first"][1]
    assert set(seen["before"]) == {"legkg.owl", "legkg.ttl", "legkg-inferred.owl", "catalog-v001.xml"}, seen
    _assert_refused_in_one_line(*seen["second"], "No space left on device")
    assert seen["after"] == seen["before"], seen  # the same files, byte for byte, and no staging folder
    assert seen["disk"] == ["filler", "release"], seen  # and nothing hidden beside the release


def test_release_past_the_file_size_limit(tmp_path: Path) -> None:
    release = tmp_path / "release"
    first = subprocess.run([*LEGKG, "release", "--date", "2026-01-01", "-o", str(release)], capture_output=True,
                           text=True, env=_env(tmp_path), timeout=600)
    assert first.returncode == 0, first.stderr
    before = _listing(release)

    def limit() -> None:  # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (100 << 10, resource.RLIM_INFINITY))

    second = subprocess.run([*LEGKG, "release", "--date", "2026-02-02", "-o", str(release)], capture_output=True,
                            text=True, env=_env(tmp_path), timeout=600, preexec_fn=limit)
    _assert_refused_in_one_line(second.returncode, second.stderr, "File too large")
    assert _listing(release) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["release"]  # no temporaries beside it
