"""Separate virtualenvs for tools that do not install cleanly beside legkg (kgx, oaklib).

kgx pulls in neo4j, duckdb, pyarrow, mypy, sphinx and tox and pins its own linkml; oaklib
pulls in about 160 packages. The tests that run them create a virtualenv per tool set under
``.venv-tools/`` (or ``$LEGKG_TOOL_VENVS``), keyed by the pinned requirements, once.

Example:
    venv = tool_venv("kgx", "kgx==2.6.0")
    subprocess.run([venv / "bin" / "kgx", "--help"])
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KGX = ("kgx==2.6.0", "bmt==1.5.0", "biolink-model==4.4.6")
OAK = ("oaklib==0.7.4", "pronto==2.7.4", "py-horned-owl==2.0.0")


def tool_venv(name: str, *requirements: str) -> Path:
    """A virtualenv with the requirements installed, made on first use (minutes) and reused after."""
    root = Path(os.environ.get("LEGKG_TOOL_VENVS", REPO / ".venv-tools"))
    key = hashlib.sha256(" ".join(sorted(requirements)).encode()).hexdigest()[:10]
    venv = root / f"{name}-{key}"
    if (venv / ".ready").exists():
        return venv
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".ready").exists():
            base = getattr(sys, "_base_executable", sys.executable)
            subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            subprocess.run([*pip, *requirements], check=True, timeout=1800)
            (venv / ".ready").touch()
    return venv
