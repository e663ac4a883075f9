"""Answers for people: look-ups (conditions, describe, terms), plain-English questions, triage.

May import ``legkg.reasoning``, ``legkg.store`` and ``legkg.core``; no clinical wording lives here,
it comes from the ontology.
"""
