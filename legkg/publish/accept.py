"""Reading an HTTP Accept header: the media types a client asks for, best first.

Example:
    >>> ranked_media("text/turtle;q=0.5, text/html")
    [(1.0, 'text/html'), (0.5, 'text/turtle')]
"""

from __future__ import annotations


def ranked_media(accept: str) -> list[tuple[float, str]]:
    """(quality, media type) pairs from an Accept header, highest quality first, ties in header order."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.strip().lower()))
    return [(-negq, media) for negq, _, media in sorted(ranked)]
