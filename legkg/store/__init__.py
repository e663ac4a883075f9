"""Where answers come from: the backend contract, the embedded store, the remote endpoint.

Holds the embedded pyoxigraph store and its caches (``local``), the remote SPARQL backend
(``remote``), the term index (``terms``), canned query files (``queries``), running canned and raw
queries (``canned``), query limits (``limits``), W3C result formats (``results``) and how derived
inferences are found (``artefacts``). May import ``legkg.core`` only; never a reasoner.
"""
