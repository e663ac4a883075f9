"""The Python API for scripts and notebooks: ``legkg.open()`` and the ``KnowledgeGraph`` it returns.

Its methods mirror the commands (``conditions``, ``describe``, ``ancestors`` ...) and return
plain rows. It sits above ``legkg.answers``, ``legkg.publish`` and ``legkg.vocab`` and below
``legkg.cli``; it never imports click.

Example:
    >>> import legkg
    >>> kg = legkg.open()
    >>> [r["label"] for r in kg.conditions(anatomy="sciatic nerve", symptom="numbness")]
    ['piriformis syndrome', 'sciatica']
"""

from legkg.api.graph import KnowledgeGraph, Rows, open

__all__ = ["KnowledgeGraph", "Rows", "open"]
