"""The ``legkg`` group: its options, one-line errors with exit codes, and commands loaded when used.

Example:
    legkg conditions --anatomy "sciatic nerve" --symptom numbness
"""

from __future__ import annotations

import sys
from contextlib import suppress as _suppress

import click

from legkg import __version__
from legkg.cli.args import hoist_endpoint_options
from legkg.cli.common import SERVER_KINDS, Seconds, Settings, check_url, fail
from legkg.core.errors import LegkgError, Misuse
from legkg.store.preload import Preload

TYPE_CHECKING = False  # pathlib is loaded only when --ontology is given: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path


class LegkgGroup(click.Group):
    """A group whose errors are one line on stderr with the right exit code, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = hoist_endpoint_options(list(sys.argv[1:] if args is None else args))
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                fail(f"an argument is not valid UTF-8: {arg.encode('utf-8', 'replace').decode()[:60]!r}", 1)
        _guard_process()
        try:
            rv = super().main(args, prog_name or "legkg", complete_var, standalone_mode=False,
                              **extra)
        except Terminated:
            fail("terminated", 143)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help(), err=True)
            sys.exit(2)
        except click.UsageError as e:
            path = e.ctx.command_path if e.ctx else "legkg"
            fail(f"{e.format_message()} (see '{path} --help')", 2)
        except click.ClickException as e:
            fail(e.format_message(), e.exit_code)
        except click.Abort:
            fail("aborted", 1)
        except LegkgError as e:
            fail(str(e), e.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(1)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except RecursionError:
            fail("input too deeply nested to process", 1)
        except MemoryError:
            fail("out of memory", 1)
        except Exception as e:  # last resort: still one line, never a traceback
            fail(f"internal error: {type(e).__name__}: {' '.join(str(e).split())}", 1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


class Terminated(BaseException):
    """SIGTERM arrived: unwind, so child processes (a reasoner's JVM) are ended on the way out."""


class _ClosedStream:
    """Stands in for a closed stdout: writing to it is a one-line error, not a crash."""

    def isatty(self) -> bool:
        return False

    def write(self, text) -> int:
        raise LegkgError("standard output is closed; redirect it to a file or use -o FILE")

    writelines = write

    def flush(self) -> None:
        pass

    @property
    def buffer(self) -> _ClosedStream:
        return self


def _guard_process() -> None:
    """Turn SIGTERM into an exception, and a closed stdout into a clear error."""
    try:
        import _signal as signal  # what signal.signal calls, without building the module's enums
    except ImportError:
        import signal

    def terminate(signum, frame) -> None:
        raise Terminated()

    with _suppress(ValueError):  # only the main thread may set handlers
        signal.signal(signal.SIGTERM, terminate)
    if sys.stdout is None:
        sys.stdout = _ClosedStream()  # type: ignore[assignment]


@click.group(cls=LegkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="legkg", message="%(prog)s %(version)s")
@click.option("--ontology", type=click.Path(dir_okay=False), envvar="LEGKG_ONTOLOGY",
              help="Query another ontology file instead of the bundled one (env LEGKG_ONTOLOGY).")
@click.option("--endpoint", metavar="URL", envvar="LEGKG_ENDPOINT",
              help="Query a SPARQL server instead, at this query URL used as given; with --server, a dataset "
                   "URL whose usual service URLs are filled in (env LEGKG_ENDPOINT).")
@click.option("--server", type=click.Choice(list(SERVER_KINDS)), default="generic", show_default=True,
              envvar="LEGKG_SERVER", help="Kind of server: fills in its query, update and store URLs from a "
                                           "dataset URL (env LEGKG_SERVER).")
@click.option("--update-url", metavar="URL", help="The server's SPARQL Update URL (for push).")
@click.option("--store-url", metavar="URL", help="The server's Graph Store Protocol URL (for push).")
@click.option("--user", metavar="NAME", envvar="LEGKG_ENDPOINT_USER",
              help="User for HTTP auth; the password is read from env LEGKG_ENDPOINT_PASSWORD.")
@click.option("--auth", type=click.Choice(["basic", "digest", "bearer"]), default="basic", show_default=True,
              help="HTTP auth scheme; bearer reads the token from env LEGKG_ENDPOINT_TOKEN.")
@click.option("--timeout", type=Seconds(), default=30.0, show_default=True,
              metavar="SECONDS", help="Give up on a SPARQL server that has not answered in this time.")
@click.option("--user-agent", metavar="TEXT", help="User-Agent header sent to the SPARQL server.")
@click.option("--follow-redirects", is_flag=True,
              help="Follow the SPARQL server's redirects to other hosts (refused by default).")
@click.option("--asserted", is_flag=True, envvar="LEGKG_ASSERTED",
              help="Answer over the asserted axioms alone, without the reasoner's inferences (env LEGKG_ASSERTED).")
@click.option("--with", "linked", multiple=True, metavar="NAME",
              help="Also query a vocabulary loaded by 'legkg link' (hpo, icd10cm, or a NAME given to "
                   "'legkg link FILE --name NAME'), as graph legkg:graph/NAME.")
@click.pass_context
def cli(ctx: click.Context, ontology: Path | None, endpoint: str | None, user: str | None, timeout: float,
        user_agent: str | None, follow_redirects: bool = False, asserted: bool = False,
        linked: tuple[str, ...] = (), server: str = "generic", update_url: str | None = None,
        store_url: str | None = None, auth: str = "basic") -> None:
    """Ask questions of the leg-lift knowledge graph.

    legkg models the article "Why Can't I Lift My Leg? Common Causes Explained"
    as an OWL ontology and answers questions over it. It informs; it does not
    diagnose.

    \b
    Example:
      legkg conditions --anatomy "sciatic nerve" --symptom numbness
    """
    if ontology is not None:
        from pathlib import Path

        ontology = Path(ontology)
    for name, value in (("--endpoint", endpoint), ("--ontology", ontology and str(ontology)), ("--user", user)):
        if value is not None and not value.strip():
            raise Misuse(f"{name} is empty; give a value or leave the option out")
    if endpoint:
        check_url(endpoint, "--endpoint")
    preload = ctx.obj if isinstance(ctx.obj, Preload) else None  # started by legkg.cli.start before Click loaded
    ctx.obj = Settings(ontology=ontology, endpoint=endpoint, user=user, timeout=timeout, user_agent=user_agent,
                       server=server, update_url=update_url, store_url=store_url, auth=auth, asserted=asserted,
                       linked=tuple(dict.fromkeys(linked)), follow_redirects=follow_redirects, preload=preload)


# Commands in other modules are imported only when used, so a query does not pay for them.
LAZY_COMMANDS = {
    "conditions": "legkg.cli.query:conditions",
    "describe": "legkg.cli.query:describe",
    "terms": "legkg.cli.query:terms",
    "query": "legkg.cli.query:query",
    "sparql": "legkg.cli.query:sparql",
    "ancestors": "legkg.cli.navigate:ancestors",
    "descendants": "legkg.cli.navigate:descendants",
    "paths": "legkg.cli.navigate:paths",
    "tree": "legkg.cli.navigate:tree",
    "export": "legkg.cli.export:export",
    "push": "legkg.cli.remote:push",
    "endpoint": "legkg.cli.remote:endpoint",
    "ask": "legkg.cli.ask:ask",
    "triage": "legkg.cli.ask:triage",
    "graph": "legkg.cli.ask:graph",
    "serve": "legkg.cli.serve:serve",
    "site": "legkg.cli.site:site",
    "validate": "legkg.cli.release:validate",
    "release": "legkg.cli.release:release",
    "mappings": "legkg.cli.release:mappings",
    "link": "legkg.cli.release:link",
    "reason": "legkg.cli.reason:reason",
    "build": "legkg.cli.reason:build",
    "explain": "legkg.cli.reason:explain",
}
LAZY_SUBCOMMANDS = {"link": ["legkg.cli.icd10cm:link_icd10cm", "legkg.cli.linkfile:link_file",
                             "legkg.cli.linkfile:link_list", "legkg.cli.linkfile:link_remove"]}


def _load(target: str) -> click.Command:
    import importlib

    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _short_options_first(command: click.Command) -> click.Command:
    """Let the command's parser try ``-f`` as a short option without first building a "no such option" error.

    Click matches every option as a long one first; for ``-f`` that fails, and the error it builds
    and then discards imports difflib to suggest close names. Raised without suggestions, the
    discarded error costs nothing; what is parsed, and every error shown, stays Click's.
    """
    make = command.make_parser

    def make_parser(ctx: click.Context):
        parser = make(ctx)
        match_long = getattr(parser, "_match_long_opt", None)
        long_opts, prefixes = getattr(parser, "_long_opt", None), getattr(parser, "_opt_prefixes", None)
        if match_long is None or long_opts is None or prefixes is None:
            return parser

        def match(opt: str, explicit_value, state) -> None:
            if opt not in long_opts and opt[:2] not in prefixes:  # Click drops this error and tries short options
                raise click.NoSuchOption(opt, ctx=ctx)
            return match_long(opt, explicit_value, state)

        parser._match_long_opt = match
        return parser

    command.make_parser = make_parser  # type: ignore[method-assign]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _short_options_first(sub)
    return command


def _lazy_list(self: click.Group, ctx: click.Context) -> list[str]:
    return sorted(set(click.Group.list_commands(self, ctx)) | set(LAZY_COMMANDS))


def _lazy_get(self: click.Group, ctx: click.Context, name: str) -> click.Command | None:
    command = click.Group.get_command(self, ctx, name)
    if command is None and name in LAZY_COMMANDS:
        command = _load(LAZY_COMMANDS[name])
        for sub in LAZY_SUBCOMMANDS.get(name, []):
            extra = _load(sub)
            if isinstance(command, click.Group) and extra.name not in command.commands:
                command.add_command(extra)
        self.add_command(_short_options_first(command), name)
    return command


LegkgGroup.list_commands = _lazy_list
LegkgGroup.get_command = _lazy_get
_short_options_first(cli)


def main(preload: Preload | None = None) -> None:
    """Run the command line; ``preload`` is the store being parsed meanwhile, if any (see legkg.cli.start)."""
    cli.main(prog_name="legkg", obj=preload)
