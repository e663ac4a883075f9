"""ROBOT's report (the OBO quality checks) finds no ERROR and no WARN in the release files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None or shutil.which("mvn") is None, reason="needs Java and Maven")
def test_release_passes_robot_report() -> None:
    done = subprocess.run(["bash", str(ROOT / ".ci" / "robot-report.sh")], capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("robot-report:")]
    assert len(lines) == 2 and all("ERROR: 0 WARN: 0" in line for line in lines), done.stdout
