"""The ``legkg`` command line: thin Click commands over the library, one module per command group.

The only package that imports click. ``start.main`` is the entry point; ``main`` builds the group;
the other modules are loaded only when their command runs.
"""

from legkg.cli.start import main

__all__ = ["main"]
