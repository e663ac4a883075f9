"""Write legkg/cli/fastspec.py, the Click commands' parameters as :mod:`legkg.cli.fast` reads them.

The fast path answers shell completion and ``legkg terms`` without loading Click, so it needs the
parameters of the commands involved (names, options, values taken, choices, defaults, which ones
complete with terms) without building the Click tree. They are derived from that tree here; a test
fails when the written module is stale.

Example:
    python -m legkg.cli.fastgen
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

TARGET = Path(__file__).with_name("fastspec.py")
HEADER = '''# ruff: noqa: E501
"""The parameters of the commands answered without Click (see legkg.cli.fast), read from the Click tree.

Written by ``python -m legkg.cli.fastgen``; do not edit (a test fails when it is stale). Each
parameter: (name, is an option, option names, values taken, is a flag, multiple, choices,
default, envvar, required, term kinds completed (None: not completed with terms; (): all kinds)).
The help option is named "help".
"""
'''


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        found.append(((*path, name), cmd))
        if isinstance(cmd, click.Group):
            found += _commands(cmd, (*path, name))
    return found


def _param(param: click.Parameter, ctx: click.Context) -> tuple:
    if param is ctx.command.get_help_option(ctx):
        return ("help", True, tuple(param.opts), 1, True, False, None, False, None, False, None)
    kinds = getattr(getattr(param, "_custom_shell_complete", None), "term_kinds", None)
    option = isinstance(param, click.Option)
    flag = option and (param.is_flag or param.count)
    choices = tuple(param.type.choices) if isinstance(param.type, click.Choice) else None
    default = param.get_default(ctx, call=False)
    if not isinstance(default, (str, int, float, type(None))):  # no default (None to the command) or another value
        default = None if "UNSET" in repr(default) and not param.multiple else "<other>"
    envvar = param.envvar if isinstance(param.envvar, (str, type(None))) else tuple(param.envvar)
    opts = tuple(param.opts) + (tuple(param.secondary_opts) if option else ())
    if option and param.secondary_opts:
        flag = True  # an --x/--no-x switch: never understood by the fast path
    return (param.name, option, opts if option else (), param.nargs, bool(flag), bool(param.multiple),
            choices, default, envvar, bool(param.required), kinds)


def render() -> str:
    """The text of legkg/cli/fastspec.py for the commands as they are now."""
    from legkg.cli.main import cli

    root = click.Context(cli, info_name="legkg", **cli.context_settings)
    envvars = sorted({p.envvar for p in cli.params if isinstance(p.envvar, str)}
                     | {v for p in cli.params if isinstance(p.envvar, (list, tuple)) for v in p.envvar})
    spec: dict[tuple[str, ...], tuple] = {}
    for path, cmd in _commands(cli):
        ctx = click.Context(cmd, parent=root, info_name=path[-1], **cmd.context_settings)
        params = tuple(_param(p, ctx) for p in cmd.get_params(ctx))
        settings = (cmd.allow_interspersed_args, cmd.ignore_unknown_options, cmd.allow_extra_args, cmd.chain
                    if isinstance(cmd, click.Group) else False)
        plain = settings == (True, False, False, False) and not isinstance(cmd, click.Group)
        if plain and (path == ("terms",) or any(p[-1] is not None for p in params)):
            spec[path] = params
    lines = [HEADER, "# Environment variables the legkg group reads: when one is set, Click answers.",
             f"GROUP_ENVVARS = {tuple(envvars)!r}", "",
             "# Commands parsed without Click: every command with a parameter completed with terms, and terms.",
             "COMMANDS = {"]
    for path, params in sorted(spec.items()):
        lines.append(f"    {path!r}: (")
        lines += [f"        {p!r}," for p in params]
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stderr.write(f"wrote {TARGET}\n")
