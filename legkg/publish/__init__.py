"""Publishing the graph: export, release, validation, pictures and the read-only SPARQL server.

May import ``legkg.reasoning``, ``legkg.store`` and ``legkg.core``.
"""
