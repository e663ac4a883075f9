"""The command line read before Click: endpoint options moved before the command, whether the
command will query the embedded store (so :mod:`legkg.cli.start` can start parsing it), and
whether it only reads (so it may end without the interpreter's teardown).

Example:
    >>> hoist_endpoint_options(["terms", "numb", "--endpoint", "http://h/sparql"])
    ['--endpoint', 'http://h/sparql', 'terms', 'numb']
    >>> wants_store(["conditions", "--anatomy", "hip"], {})
    True
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported: the start-up path stays light
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Group options that take a value (legkg --timeout 5 conditions ...).
VALUED = ("--ontology", "--endpoint", "--user", "--server", "--update-url", "--store-url", "--auth", "--timeout",
          "--user-agent", "--with")
# Commands that query the embedded store (for query, only its run subcommand).
STORE_COMMANDS = ("conditions", "describe", "sparql", "ask", "triage", "ancestors", "descendants", "paths", "tree")
# Given anywhere, these mean another store, no store, or no command run at all.
OTHER_STORE = ("--ontology", "--endpoint", "--with", "--asserted", "-h", "--help", "--version")
OTHER_STORE_ENV = ("LEGKG_ONTOLOGY", "LEGKG_ENDPOINT", "LEGKG_ASSERTED", "_LEGKG_COMPLETE")


def wants_store(args: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether these arguments run a command over the bundled ontology's embedded store."""
    if any(name in env for name in OTHER_STORE_ENV):
        return False
    if any(a.split("=", 1)[0] in OTHER_STORE for a in args if a.startswith("-")):
        return False
    return _queries_store(_command_words(args))


# Besides the store commands, these only read (the linked store): they may end without the teardown.
READ_ONLY = (["link", "query"], ["link", "list"])


def reads_only(args: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether these arguments run a command that only reads (the embedded or linked store, a server).

    Example:
        >>> reads_only(["--with", "mondo", "link", "query", "linked-codes"], {})
        True
        >>> reads_only(["link", "mondo.owl", "--name", "mondo"], {})
        False
    """
    if "_LEGKG_COMPLETE" in env:
        return False
    words = _command_words(args)
    return _queries_store(words) or words[:2] in READ_ONLY


def _queries_store(words: list[str]) -> bool:
    return bool(words) and (words[0] in STORE_COMMANDS or words[:2] == ["query", "run"])


def _command_words(args: Sequence[str]) -> list[str]:
    """The command's name and the next word (a subcommand or an argument), past the group's options."""
    words: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = not words  # a group option's value; after the command, options are the command's own
        elif not arg.startswith("-"):
            words.append(arg)
            if len(words) == 2:
                break
    return words


# Options of the legkg group that may also follow the command name (legkg terms numb --endpoint URL).
ENDPOINT_OPTIONS = ("--endpoint", "--user", "--server", "--update-url", "--store-url", "--auth")


def hoist_endpoint_options(args: list[str]) -> list[str]:
    """Move endpoint options given after the command name to before it.

    Example:
        >>> hoist_endpoint_options(["terms", "numb", "--endpoint", "http://h/sparql"])
        ['--endpoint', 'http://h/sparql', 'terms', 'numb']
    """
    front, rest, i = [], [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.split("=", 1)[0]
        if rest and name in ENDPOINT_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front += args[i:i + 2]
                i += 1
        else:
            if not rest and not arg.startswith("-") and (not front or front[-1] not in VALUED):
                rest.append(arg)  # the command name
            elif rest:
                rest.append(arg)
            else:
                front.append(arg)
        i += 1
    return front + rest
