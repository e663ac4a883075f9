"""Publishing the graph: export, release, validation, pictures, the read-only SPARQL server and web pages.

May import ``legkg.answers``, ``legkg.vocab``, ``legkg.reasoning``, ``legkg.store`` and ``legkg.core``.
"""
