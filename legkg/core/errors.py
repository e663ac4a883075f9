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


class Misuse(LegkgError):
    """The command was called wrongly: exit code 2."""

    exit_code = 2
