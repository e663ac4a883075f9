"""OWL reasoning: running HermiT, Pellet or OWL 2 RL, explanations, and building inferred artefacts.

May import ``legkg.store`` and ``legkg.core``. Building the inferences after an edit is an explicit
step (``legkg build``); the store never starts a reasoner.
"""
