"""Every command documents itself (--help with an Example) and appears in the CLI reference, docs/cli.md."""

from __future__ import annotations

import re

import click
import pytest
from conftest import REPO, run

from legkg.cli.main import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command below a group, including those loaded only when used."""
    found: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        found.append((*path, name))
        if isinstance(cmd, click.Group):
            found += _commands(cmd, (*path, name))
    return found


COMMANDS = _commands(cli)


def test_expected_commands_exist() -> None:
    assert {("conditions",), ("describe",), ("terms",), ("query",), ("query", "list"),
            ("query", "run"), ("query", "show"), ("sparql",), ("export",)} <= set(COMMANDS), COMMANDS


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "legkg")
def test_help_has_example(path: tuple[str, ...]) -> None:
    code, out, err = run(*path, "--help")
    assert code == 0, err
    assert f"Usage: legkg {' '.join(path)}".rstrip() in out, out
    assert re.search(r"^\s*Examples?:", out, re.MULTILINE), f"no Example section:\n{out}"
    examples = out[re.search(r"^\s*Examples?:", out, re.MULTILINE).end():]
    assert re.search(rf"legkg {re.escape(' '.join(path))}", examples), f"example does not run it:\n{out}"


def test_short_help_flag() -> None:
    code, out, _ = run("-h")
    assert code == 0 and "Usage: legkg" in out, out


def test_version() -> None:
    from legkg import __version__

    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"legkg {__version__}", out


CLI_DOC = REPO / "docs" / "cli.md"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_command_in_reference(path: tuple[str, ...]) -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    assert f"### `legkg {' '.join(path)}`" in text, f"docs/cli.md has no section for 'legkg {' '.join(path)}'"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_reference_usage_matches_help(path: tuple[str, ...]) -> None:
    """The CLI reference shows each command's real usage line."""
    code, out, err = run(*path, "--help")
    assert code == 0, err
    usage = out.splitlines()[0]
    text = CLI_DOC.read_text(encoding="utf-8")
    assert usage in text.splitlines(), f"docs/cli.md lacks the line {usage!r}"

