"""legkg: a knowledge graph of why a person may be unable to lift a leg.

``legkg.open()`` returns a :class:`~legkg.api.KnowledgeGraph` whose methods mirror the commands
(see docs/python.md). It is imported on first use, so ``legkg --help`` stays fast.

Example:
    >>> import legkg
    >>> kg = legkg.open()
    >>> sorted(r["label"] for r in kg.conditions(anatomy="sciatic nerve", symptom="numbness"))
    ['piriformis syndrome', 'sciatica']
"""

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "Rows", "open", "__version__"]


def __getattr__(name: str):
    if name in ("open", "KnowledgeGraph", "Rows"):
        # Loaded on first use only: every layer reads __version__ from here, and none of them may
        # depend on the API above it.
        from importlib import import_module

        return getattr(import_module("legkg.api"), name)
    raise AttributeError(f"module 'legkg' has no attribute {name!r}")
