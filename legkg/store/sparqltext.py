r"""Reading SPARQL text with a lexer of its terminals: comments, the query form, SERVICE clauses.

Example:
    >>> query_kind("PREFIX x: <urn:x#>\n# DROP\nCONSTRUCT WHERE { ?s ?p ?o }")
    'graph'
"""

from __future__ import annotations

import re

from legkg.core.errors import QueryFailed

_KIND = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*([A-Za-z]+)", re.IGNORECASE)
_KINDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def strip_comments(query: str) -> str:
    r"""The query without its comments (``#`` outside IRIs and strings).

    Example:
        >>> strip_comments('# move\nASK { <urn:a#b> ?p "#" } # done')
        '\nASK { <urn:a#b> ?p "#" } '
    """
    return "".join("" if m.lastgroup == "comment" else m.group() for m in _LEX.finditer(query))


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


# SPARQL's terminals, in the order a lexer tries them: comments, long strings, strings, IRIs,
# variables, prefixed names (with \-escapes and %-escapes in the local part), words, anything else.
_PN_CHARS = r"[\w\u00B7\u0300-\u036F\u203F-\u2040-]"
_LEX = re.compile(
    r"(?P<comment>#[^\r\n]*)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$]\w+)"
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:(?:" + _PN_CHARS + r"|[:.]|%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?#@%-])*)?)"
    r"|(?P<word>[A-Za-z_][\w]*)"
    r"|(?P<other>\s+|.)",
    re.DOTALL,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def tokens(query: str) -> list[tuple[str, str]]:
    r"""The query's tokens as (kind, text), without whitespace and comments.

    Example:
        >>> tokens('ASK { legkg:x\\# "SERVICE" }')[2:]
        [('pname', 'legkg:x\\#'), ('string', '"SERVICE"'), ('other', '}')]
    """
    return [(m.lastgroup, m.group()) for m in _LEX.finditer(query) if m.lastgroup not in ("comment",)
            and not (m.lastgroup == "other" and m.group().isspace())]


def service_targets(query: str, prefixes: dict[str, str] | None = None) -> list[str | None]:
    r"""The IRI of every SERVICE clause in a query (None where it is a variable or cannot be read).

    The query is split into SPARQL's tokens, so ``SERVICE`` inside a string, an IRI, a
    comment or a prefixed name does not count, and an escaped ``\#`` hides nothing.
    Codepoint escapes (``\u0053ERVICE``) are decoded first, as SPARQL allows.

    Example:
        >>> service_targets('SELECT * { BIND(legkg:x\\# AS ?z) SERVICE <http://h:1/x> { ?s ?p ?o } }')
        ['http://h:1/x']
        >>> service_targets('ASK { ?s ?p "SERVICE <http://h/>" }')
        []
    """
    found: list[str | None] = []
    for text in dict.fromkeys((query, _UNICODE_ESCAPE.sub(_decode, query))):
        toks = tokens(text)
        declared = dict(prefixes or {})
        for i, (kind, value) in enumerate(toks):
            if kind == "word" and value.upper() == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
                declared[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        for i, (kind, value) in enumerate(toks):
            if kind != "word" or value.upper() != "SERVICE":
                continue
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            target = toks[j] if j < len(toks) else ("other", "")
            if target[0] == "iri":
                found.append(target[1][1:-1])
            elif target[0] == "pname" and target[1].split(":", 1)[0] in declared:
                prefix, _, local = target[1].partition(":")
                found.append(declared[prefix] + re.sub(r"\\(.)", r"\1", local))
            else:
                found.append(None)
    return found


def _decode(m: re.Match) -> str:
    try:
        return chr(int(m.group(1) or m.group(2), 16))
    except ValueError:
        return m.group()
