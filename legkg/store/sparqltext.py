"""Reading SPARQL text without a parser: comments and the query form.

Example:
    >>> query_kind("PREFIX x: <urn:x#>\n# DROP\nCONSTRUCT WHERE { ?s ?p ?o }")
    'graph'
"""

from __future__ import annotations

import re

from legkg.core.errors import QueryFailed

_TOKENS = re.compile(  # long strings, strings, IRIs, comments
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*')
_KIND = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*([A-Za-z]+)", re.IGNORECASE)
_KINDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def strip_comments(query: str) -> str:
    r"""The query without its comments (``#`` outside IRIs and strings).

    Example:
        >>> strip_comments('# move\nASK { <urn:a#b> ?p "#" } # done')
        '\nASK { <urn:a#b> ?p "#" } '
    """
    return _TOKENS.sub(lambda m: "" if m.group().startswith("#") else m.group(), query)


def query_kind(query: str) -> str:
    r"""The kind of a query: 'select', 'ask' or 'graph' (CONSTRUCT, DESCRIBE); others are refused.

    Example:
        >>> query_kind("PREFIX x: <urn:x#>\n# DROP\nCONSTRUCT WHERE { ?s ?p ?o }")
        'graph'
    """
    m = _KIND.match(strip_comments(query))
    word = m.group(1).upper() if m else "?"
    if word not in _KINDS:
        raise QueryFailed(f"invalid SPARQL: expected SELECT, ASK, CONSTRUCT or DESCRIBE, not {word[:20]!r}")
    return _KINDS[word]
