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

from legkg.cli.args import wants_store


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

    try:
        run(preload)
    finally:
        if preload is not None:
            preload.wait()  # the thread ends before the interpreter does
    return None
