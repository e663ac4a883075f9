"""Run the command examples in README.md and docs/*.md, and check or rewrite their output.

An example is a fenced ``console`` block: each line starting with ``$ legkg`` is a command,
and the lines after it, up to the next command or the end of the block, are what it prints
(stdout, then stderr). Commands run in-process against the bundled ontology.

Example:
    python docs/examples.py            # rewrite every block's output from a fresh run
    python docs/examples.py --check    # exit 1 when any block differs (the tests do this)
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


@dataclass
class Example:
    """One command in a console block, with the output the document shows."""

    path: Path
    line: int
    command: str
    expected: str


def documents() -> list[Path]:
    """README.md and every Markdown file in docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def examples(path: Path) -> list[Example]:
    """The command examples of one document, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for m in BLOCK.finditer(text):
        first = text.count("\n", 0, m.start(1)) + 1
        current: Example | None = None
        for i, line in enumerate(m.group(1).splitlines()):
            if line.startswith("$ "):
                current = Example(path, first + i, line[2:], "")
                found.append(current)
            elif current is None:
                raise ValueError(f"{path.name}:{first + i}: a console block must start with a '$ ' command")
            else:
                current.expected += line + "\n"
    return found


def run(command: str) -> tuple[int, str]:
    """Run ``legkg ...`` in-process; return its exit code and what it printed (stdout, then stderr)."""
    from click.testing import CliRunner

    from legkg.cli.main import cli

    args = shlex.split(command)
    if not args or args[0] != "legkg":
        raise ValueError(f"only legkg commands can be examples, not {command!r}")
    here = os.getcwd()
    os.chdir(ROOT)  # paths in examples are relative to the repository
    try:
        result = CliRunner().invoke(cli, args[1:], prog_name="legkg", color=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout + result.stderr


def render(path: Path) -> str:
    """The document with every console block's output replaced by a fresh run's."""
    text = path.read_text(encoding="utf-8")

    def block(m: re.Match) -> str:
        lines = []
        for line in m.group(1).splitlines():
            if line.startswith("$ "):
                lines.append(line + "\n" + run(line[2:])[1])
        return "```console\n" + "".join(lines) + "```\n"

    return BLOCK.sub(block, text)


def main() -> None:
    stale = []
    for path in documents():
        new = render(path)
        if new != path.read_text(encoding="utf-8"):
            stale.append(path.relative_to(ROOT))
            if "--check" not in sys.argv:
                path.write_text(new, encoding="utf-8")
    if stale and "--check" in sys.argv:
        raise SystemExit(f"stale examples in {', '.join(map(str, stale))}: run python docs/examples.py")
    for path in stale:
        print(f"rewrote {path}")


if __name__ == "__main__":
    main()
