"""The bad-input corpus: hostile values for every option of the reading commands.

Each value must give exit 0, 1 or 2, at most one line on stderr when it fails, never a
traceback, never "internal error", and never a raw terminal escape.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from legkg.cli.main import cli
from tests.conftest import run

VALUES = ["", " ", "\x1b[2J\x1b]0;x\x07", "a" * 5000, "inf", "nan", "-1", "0", "{ } UNION", "../../etc/passwd"]
COMMANDS = [("conditions",), ("describe",), ("terms",), ("query", "run"), ("query", "show"), ("sparql",),
            ("export",), ("ask",), ("triage",), ("graph",), ("mappings",)]
BASE = {("query", "run"): ["red-flags"], ("describe",): ["sciatica"], ("graph",): ["sciatica"],
        ("ask",): ["what causes numbness"], ("sparql",): ["ASK {}"]}


def _command(path: tuple[str, ...]) -> click.Command:
    ctx = click.Context(cli)
    command: click.Command = cli
    for name in path:
        command = command.get_command(ctx, name)  # type: ignore[union-attr]
    return command


def _cases() -> list[tuple[tuple[str, ...], str]]:
    cases = []
    for path in COMMANDS:
        for param in _command(path).params:
            if isinstance(param, click.Option) and not param.is_flag and param.name != "help":
                cases.append((path, param.opts[0]))
            elif isinstance(param, click.Argument):
                cases.append((path, ""))
    return cases


@pytest.mark.parametrize("path,option", _cases(), ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_hostile_values(path: tuple[str, ...], option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEGKG_READ_SECONDS", "1")
    for value in VALUES:
        base = [] if option == "" else list(BASE.get(path, []))
        args = [*path, *base, *([option, value] if option else [value])]
        if path in (("export",), ("graph",)) and option not in ("-o", "--output"):
            args += ["-o", "-"]
        code, out, err = run(*args)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code in (0, 1, 2), (args, code, err)
        assert "internal error" not in err and "Traceback" not in err, (args, err)
        assert "\x1b" not in err and "\x1b" not in out, (args, err)
        if code:
            assert len([line for line in lines if line.startswith("Error:")]) == 1, (args, err)
