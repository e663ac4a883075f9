"""The console script's entry: answer from the term index without Click, or start parsing the store,
then load Click and run the command.

Shell completion of terms and ``legkg terms`` need only the cached term index, and Click takes
longer to import than reading it: :mod:`legkg.cli.fast` answers the command lines it fully
understands before Click is loaded, and hands anything else on. A query command spends most of
its start-up importing Click and parsing the cached store. Read before Click is loaded, the
command line says whether the command will query the bundled ontology's embedded store; if so
that store is parsed on a second thread meanwhile (:mod:`legkg.store.preload`). Anything else
(another ontology, an endpoint, help, completion) starts nothing, and a guess that misses only
costs the parse.

Example:
    python -m legkg conditions --anatomy "sciatic nerve"
"""

from __future__ import annotations

import os
import sys

from legkg.cli.args import reads_only, wants_store

TYPE_CHECKING = False  # typing is not imported: terms and completion stay light
if TYPE_CHECKING:
    from typing import NoReturn


def main() -> int | None:
    """Run ``legkg``: answered without Click when it can be, else parsing the store meanwhile if a query needs it."""
    args = sys.argv[1:]
    if "_LEGKG_COMPLETE" in os.environ or args[:1] == ["terms"]:
        from legkg.cli.fast import answer

        code = answer(args, os.environ)
        if code is not None:
            return code
    preload = None
    if wants_store(args, os.environ):
        from legkg.store.preload import Preload

        preload = Preload()
    from legkg.cli.main import main as run

    if preload is None and not reads_only(args, os.environ):
        run(None)
        return None
    try:
        run(preload)
        code: object = 0
    except SystemExit as e:
        code = e.code
    finally:
        if preload is not None:
            preload.wait()  # the thread ends before the process does
    leave(code)


def leave(code: object) -> NoReturn:
    """End a command that only read (a store or a server): flush its output and exit at once.

    The interpreter's own teardown (freeing every module and object, about 20 ms of a 130 ms
    command) has nothing to close here: the embedded store is in memory, the linked store is
    open read-only (a copy of the ontology into it is flushed before the query), the parse
    thread has ended, query workers have been waited for, and caches are written whole before
    they are renamed. The exit code is the one ``sys.exit`` would give.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # the reader went away: as a broken pipe in the command
        status = status or 1
    import contextlib  # loaded with Click already

    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)
