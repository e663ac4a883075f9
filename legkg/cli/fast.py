"""Answers given before Click is loaded: shell completion of terms, and ``legkg terms WORD``.

Both need only the term index cached beside the store, yet Click alone takes longer to import than
reading it. :func:`answer` handles just the command lines it understands in full: a completion
request (Click's protocol, for bash, zsh and fish) whose word being completed is a term-valued
argument or option, and ``legkg terms [TEXT] [--kind K] [--format F]``. For anything else (help,
unknown or repeated options, other commands, options or environment variables of the legkg group,
a term index not cached or inferences not built) it returns None and Click runs as usual, so what
is printed never depends on which path answered. The commands' parameters come from
:mod:`legkg.cli.fastspec`, written from the Click tree by :mod:`legkg.cli.fastgen`.

Example:
    >>> quote_for_shell("sciatic nerve", "sciat", "bash")
    "'sciatic nerve'"
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing is not imported: the start-up path stays light
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

COMPLETE_VAR = "_LEGKG_COMPLETE"  # Click's name for prog "legkg"
SHELLS = ("bash", "zsh", "fish")
TERMS_PARAMS = {"text", "kind", "fmt", "help"}  # what the fast path knows of `legkg terms`


def quote_for_shell(label: str, incomplete: str, shell: str) -> str:
    """What completion inserts: bash inserts a match as typed, so a multi-word label is quoted there
    (zsh and fish quote matches themselves); a word the user started with a quote is left alone.

    Example:
        >>> quote_for_shell("sciatic nerve", "sciat", "bash")
        "'sciatic nerve'"
    """
    import shlex

    if shell != "bash" or incomplete[:1] in ("'", '"'):
        return label
    return shlex.quote(label)


def term_completions(index, kinds: Sequence[str], incomplete: str, shell: str) -> list[tuple[str, str]]:
    """The completions of a term-valued parameter: (value inserted, kind) for each label matching.

    Example:
        >>> from legkg.store.terms import embedded_index
        >>> term_completions(embedded_index(), ["condition"], "trochan", "bash")
        [("'trochanteric bursitis'", 'condition')]
    """
    text = incomplete.lstrip("'\"") or None
    rows = [r for kind in (kinds or (None,)) for r in index.rows(text, kind)]
    return [(quote_for_shell(r["label"], incomplete, shell), r["kind"]) for r in rows]


def answer(args: list[str], env: Mapping[str, str]) -> int | None:
    """Answer the command line without Click and return the exit code, or None when Click must answer."""
    from legkg.cli import fastspec

    if sys.stdout is None or any(name in env for name in fastspec.GROUP_ENVVARS):
        return None
    try:
        for arg in args:
            arg.encode("utf-8")
        if COMPLETE_VAR in env:
            job = None if args else _completion(env, fastspec.COMMANDS)
        else:
            job = _terms(args[1:], fastspec.COMMANDS.get(("terms",)), env) if args[:1] == ["terms"] else None
    except Exception:  # noqa: BLE001 - whatever is not understood here, Click answers (and reports)
        return None
    if job is None:
        return None
    return _run(job)


def _run(job) -> int:
    """Write the answer as the Click commands would, with the same one-line errors."""
    try:
        job()
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as e:  # noqa: BLE001 - as legkg.cli.main: one line, never a traceback
        return _fail(f"internal error: {type(e).__name__}: {' '.join(str(e).split())}", 1)
    return 0


def _fail(message: str, code: int) -> int:
    from legkg.cli.writers import printable

    sys.stderr.write(f"Error: {printable(' '.join(message.split()))}\n")
    sys.stderr.flush()
    return code


def _index(quiet: bool):
    """The bundled ontology's cached term index, or None when it is not cached or a warning is due."""
    import warnings

    from legkg.store.terms import embedded_index

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        index = embedded_index(quiet=quiet, build=False)
    return None if caught else index


def _parse(params: Sequence[tuple], words: Sequence[str], open_end: bool = False
           ) -> tuple[dict[str, list[str]], list[str]] | None:
    """Options (name -> values) and positional words, parsed as Click would; None for what is not plain.

    With ``open_end``, the last word may be an option still waiting for its value (being completed).
    """
    options = {opt: p for p in params if p[1] for opt in p[2]}
    values: dict[str, list[str]] = {}
    positional: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--" or word == "-":
            return None
        if word.startswith("-"):
            name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
            param = options.get(name)
            if param is None or param[4] or param[3] != 1:
                return None  # unknown, a flag (help), or more than one value
            if not eq:
                i += 1
                if i == len(words) and open_end:
                    break
                if i == len(words) or words[i].startswith("-"):
                    return None
                value = words[i]
            values.setdefault(param[0], []).append(value)
        else:
            positional.append(word)
        i += 1
    arguments = [p for p in params if not p[1]]
    if len(positional) > len(arguments) or any(p[3] != 1 for p in arguments):
        return None
    return values, positional


def _reads_env(params: Sequence[tuple], env: Mapping[str, str]) -> bool:
    """Whether a parameter takes its value from an environment variable that is set."""
    names = [n for p in params if p[8] for n in ((p[8],) if isinstance(p[8], str) else p[8])]
    return any(n in env for n in names)


def _terms(words: list[str], params: Sequence[tuple] | None, env: Mapping[str, str]):
    """The job answering ``legkg terms ...``, or None."""
    if params is None or {p[0] for p in params} != TERMS_PARAMS or _reads_env(params, env):
        return None
    parsed = _parse(params, words)
    if parsed is None:
        return None
    values, positional = parsed
    chosen: dict[str, str | None] = {}
    for p in params:
        given = values.get(p[0], [])
        if len(given) > 1 or (given and p[6] is not None and given[0] not in p[6]) or (p[9] and not given):
            return None  # repeated, not one of the choices or missing: Click says so
        chosen[p[0]] = given[0] if given else p[7]
    text = positional[0] if positional else None
    fmt, kind = chosen["fmt"], chosen["kind"]
    if fmt == "table" and sys.stdout.isatty():
        return None  # drawn with rich by Click
    index = _index(quiet=False)
    if index is None:
        return None
    from legkg.cli.writers import WRITERS
    from legkg.store.terms import ROW_COLUMNS

    rows = index.rows(text, kind)
    return lambda: WRITERS[fmt](rows, list(ROW_COLUMNS), sys.stdout)


def split_arg_string(string: str) -> list[str]:
    """Split a command line as Click's completion does: as shlex, keeping an unclosed last word."""
    import shlex

    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)
    return out


def _completion_args(shell: str, env: Mapping[str, str]) -> tuple[list[str], str]:
    """The complete words before the one being completed, and that word, as Click's shell classes read them."""
    cwords = split_arg_string(env["COMP_WORDS"])
    if shell == "fish":
        incomplete = env["COMP_CWORD"]
        if incomplete:
            incomplete = split_arg_string(incomplete)[0]
        args = cwords[1:]
        if incomplete and args and args[-1] == incomplete:
            args.pop()
        return args, incomplete
    cword = int(env["COMP_CWORD"])
    if cword < 1:
        raise ValueError("COMP_CWORD before the command")
    return cwords[1:cword], cwords[cword] if cword < len(cwords) else ""


def _completion(env: Mapping[str, str], commands: Mapping[tuple[str, ...], Sequence[tuple]]):
    """The job answering a completion request whose word completes with terms, or None."""
    shell, _, instruction = env[COMPLETE_VAR].partition("_")
    if shell not in SHELLS or instruction != "complete":
        return None
    env["COMP_WORDS"].encode("utf-8")
    env["COMP_CWORD"].encode("utf-8")
    args, incomplete = _completion_args(shell, env)
    path = next((p for p in commands if tuple(args[:len(p)]) == p), None)
    if path is None or "--" in args:
        return None
    params = commands[path]
    if _reads_env(params, env):
        return None
    parsed = _parse(params, args[len(path):], open_end=True)
    if parsed is None:
        return None
    positional = parsed[1]
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        args.append(name)
    if incomplete.startswith("-"):
        return None  # option names: Click completes them
    param = _resolve(params, args, len(positional))
    if param is None or param[10] is None:
        return None
    index = _index(quiet=True)
    if index is None:
        return None
    found = term_completions(index, param[10], incomplete, shell)
    text = "\n".join(_format(shell, value, kind) for value, kind in found) + "\n"
    return lambda: _write_bytes(text.encode())


def _resolve(params: Sequence[tuple], args: list[str], given: int) -> tuple | None:
    """The parameter whose value is being completed, found as Click finds it."""
    for p in params:  # an option whose value is missing: the last word(s) name it
        if not p[1] or p[4]:
            continue
        for n, arg in enumerate(reversed(args)):
            if n + 1 > p[3]:
                break
            if arg.startswith("-"):
                if arg in p[2]:
                    return p
                break
    arguments = [p for p in params if not p[1]]
    return arguments[given] if given < len(arguments) else None  # the first argument still without a value


def _format(shell: str, value: str, kind: str) -> str:
    """One completion as Click's BashComplete, ZshComplete and FishComplete write it (type 'plain')."""
    if shell == "bash":
        return f"plain,{value}"
    if shell == "zsh":
        help_ = kind or "_"
        return f"plain\n{value.replace(':', chr(92) + ':') if help_ != '_' else value}\n{help_}"
    if kind:
        return f"plain,{value}\t{kind.replace(chr(10), chr(92) + 'n').replace(chr(9), ' ')}"
    return f"plain,{value}"


def _write_bytes(data: bytes) -> None:
    out = sys.stdout
    out.flush()
    out.buffer.write(data)
    out.buffer.flush()

