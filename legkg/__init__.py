"""legkg: a knowledge graph of why a person may be unable to lift a leg.

Example:
    >>> from legkg.answers.lookup import find_conditions
    >>> from legkg.store.local import open_backend
    >>> rows = find_conditions(open_backend(), anatomy=["sciatic nerve"], symptom=["numbness"])
    >>> sorted(r["label"] for r in rows)
    ['piriformis syndrome', 'sciatica']
"""

__version__ = "0.1.0"
