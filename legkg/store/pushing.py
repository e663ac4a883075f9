"""Push the published graph to a SPARQL server: Graph Store Protocol where offered, else SPARQL Update.

Big graphs go in chunks; the triples around one blank node always travel together, so
blank nodes keep their identity. After the last chunk a COUNT in the target graph only
verifies the push; on any failure after the first write the target graph is dropped
again, so a failed push leaves nothing half-written behind.

Example:
    >>> push(RemoteBackend("http://127.0.0.1:7878", server="oxigraph"), load_store())  # doctest: +SKIP
    (7988, 'graph store protocol')
"""

from __future__ import annotations

import contextlib
import urllib.parse
import urllib.request
from collections.abc import Iterable

import pyoxigraph as ox

from legkg.core.errors import Misuse
from legkg.store.remote import REFUSED_GSP, RemoteBackend, RemoteError

CHUNK = 50_000  # triples per request


def _chunks(triples: list[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Split triples into chunks of about ``size``, keeping each blank-node cluster in one chunk."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def find(b: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(b, b) != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for t in triples:
        if isinstance(t.subject, ox.BlankNode) and isinstance(t.object, ox.BlankNode):
            parent[find(t.subject)] = find(t.object)
    groups: dict[object, list[ox.Triple]] = {}
    plain: list[ox.Triple] = []
    for t in triples:
        node = t.subject if isinstance(t.subject, ox.BlankNode) else t.object
        if isinstance(node, ox.BlankNode):
            groups.setdefault(find(node), []).append(t)
        else:
            plain.append(t)
    out: list[list[ox.Triple]] = [[]]
    for group in [*groups.values(), *([t] for t in plain)]:
        if out[-1] and len(out[-1]) + len(group) > size:
            out.append([])
        out[-1].extend(group)
    return out


def _nt(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)


def _with_param(url: str, param: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = f"{parts.query}&{param}" if parts.query else param
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _gsp(remote: RemoteBackend, chunks: list[list[ox.Triple]], graph: str | None, wrote: list[bool]) -> None:
    target = _with_param(remote.service.data or "",
                         "graph=" + urllib.parse.quote(graph, safe="") if graph else "default")
    for i, chunk in enumerate(chunks):  # PUT replaces the graph, POST adds the later chunks
        request = urllib.request.Request(target, data=_nt(chunk), method="PUT" if i == 0 else "POST",
                                         headers={"Content-Type": "application/n-triples"})
        remote.client.send(request)
        wrote[0] = True


def _update(remote: RemoteBackend, text: str) -> None:
    body = urllib.parse.urlencode({"update": text}).encode("utf-8")
    request = urllib.request.Request(remote.service.update or remote.service.query, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    remote.client.send(request)


def _by_update(remote: RemoteBackend, chunks: list[list[ox.Triple]], graph: str | None, wrote: list[bool]) -> None:
    _update(remote, f"DROP SILENT GRAPH <{graph}>" if graph else "DROP SILENT DEFAULT")
    wrote[0] = True
    for chunk in chunks:
        data = _nt(chunk).decode("utf-8")
        # a template, not INSERT DATA: some servers (Virtuoso) refuse blank nodes in data; a template's are fresh
        _update(remote, f"INSERT {{ GRAPH <{graph}> {{\n{data}}} }} WHERE {{}}" if graph
                else f"INSERT {{\n{data}}} WHERE {{}}")


def push(remote: RemoteBackend, store: ox.Store, graph: str | None = None, gsp: bool = True,
         chunk: int = CHUNK) -> tuple[int, str]:
    """Replace a graph on the server with the store's default graph; verify the count; return it and the method."""
    if graph is not None:
        try:
            graph = ox.NamedNode(graph).value
        except ValueError:
            raise Misuse(f"--graph must be an absolute IRI, not {graph!r}") from None
    elif remote.server == "virtuoso":
        raise Misuse("Virtuoso's default graph is the union of all its graphs: push with --graph IRI, "
                     "then query URL/sparql?default-graph-uri=IRI")
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    chunks, wrote = _chunks(triples, max(1, chunk)), [False]
    method, refused = "", None
    try:
        if gsp and remote.service.data:
            try:
                _gsp(remote, chunks, graph, wrote)
                method = "graph store protocol"
            except RemoteError as e:
                if wrote[0] or (e.status is not None and e.status not in REFUSED_GSP):
                    raise
                refused = e  # refused, or the connection closed on an unknown path: try SPARQL Update
        if not method:
            try:
                _by_update(remote, chunks, graph, wrote)
            except RemoteError as e:
                if refused is None:
                    raise
                why = f"HTTP {refused.status}" if refused.status else "connection closed"
                raise RemoteError(f"the server refused the Graph Store Protocol ({why}) and SPARQL Update: {e}",
                                  e.status) from None
            method = "sparql update"
        _verify(remote, graph, len(triples))
    except RemoteError:
        if wrote[0]:
            _clean_up(remote, graph, method)
        raise
    return len(triples), method


def _clean_up(remote: RemoteBackend, graph: str | None, method: str) -> None:
    """Remove what a failed push wrote: by the protocol that wrote it (GSP DELETE or DROP), quietly."""
    with contextlib.suppress(RemoteError):
        if method == "graph store protocol":
            target = _with_param(remote.service.data or "",
                                 "graph=" + urllib.parse.quote(graph, safe="") if graph else "default")
            remote.client.send(urllib.request.Request(target, method="DELETE"))
        else:
            _update(remote, f"DROP SILENT GRAPH <{graph}>" if graph else "DROP SILENT DEFAULT")


def _verify(remote: RemoteBackend, graph: str | None, sent: int) -> None:
    held = remote.count(graph)
    if held == sent:
        return
    name = f"<{graph}>" if graph else "the default graph"
    hint = ""
    if graph is None and held > sent:
        with contextlib.suppress(RemoteError):
            if remote.results("ASK { GRAPH ?g { ?s ?p ?o } }")[2] is True:
                hint = ("; its default graph seems to be the union of its named graphs: push with --graph IRI "
                        "and query that graph")
    raise RemoteError(f"push not verified: sent {sent} triples but {name} at {remote.label} holds {held}{hint}")
