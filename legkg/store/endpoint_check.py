"""What a SPARQL server supports, and whether it holds the current published graph.

Probes only read, except one empty update (``INSERT DATA {}``, which changes nothing).
The published graph's version triples (``legkg:graph``: the ontology's version, a content
key and the triple count) are compared with the embedded store's.

Example:
    >>> rows = check_endpoint(RemoteBackend("http://127.0.0.1:3030/ds/query"))  # doctest: +SKIP
    >>> rows[0]  # doctest: +SKIP
    {'check': 'query', 'result': 'ok', 'detail': 'http://127.0.0.1:3030/ds/query'}
"""

from __future__ import annotations

import urllib.parse
import urllib.request

from legkg.store.local import PUBLISHED_GRAPH, load_store
from legkg.store.remote import RemoteBackend, RemoteError

_VERSION = (f"SELECT ?version ?key ?triples WHERE {{ <{PUBLISHED_GRAPH}> "
            "<http://www.w3.org/2002/07/owl#versionInfo> ?version ; <http://purl.org/dc/terms/identifier> ?key ; "
            "<http://rdfs.org/ns/void#triples> ?triples }")


def _row(check: str, result: str, detail: str = "") -> dict[str, str]:
    return {"check": check, "result": result, "detail": detail}


def _formats(remote: RemoteBackend) -> str:
    got = []
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                   "text/tab-separated-values"):
        try:
            _, ctype = remote._send("SELECT * WHERE { } LIMIT 1", accept)  # ASK in csv crashes Comunica 4.5
        except RemoteError:
            continue
        if ctype == accept.split(";")[0]:
            got.append(accept.split("/")[1].replace("sparql-results+", ""))
    return ", ".join(got) or "none as asked"


def published_version(remote: RemoteBackend) -> str:
    """Compare the server's copy of the published graph with the embedded store's; one sentence."""
    here = {k: r[k].value for r in load_store().query(_VERSION) for k in ("version", "key", "triples")}
    expected = f"legkg {here['version']} with {int(here['triples']):,} triples"
    rows = remote.select(_VERSION)
    held = remote.count()
    if not rows:
        return f"no legkg version triples (the default graph holds {held:,} triples); expected {expected}; " \
               f"load the file 'legkg export' writes, or run legkg push"
    there = {k: rows[0][k].value for k in ("version", "key", "triples")}
    if there == here and held == int(here["triples"]):
        return f"current: {expected}"
    return f"server holds legkg {there['version']} with {held:,} triples; expected {expected}"


def check_endpoint(remote: RemoteBackend) -> list[dict[str, str]]:
    """Probe query, result formats, property paths, update, Graph Store Protocol and the published graph."""
    rows = []
    try:
        remote.results("ASK { }")
        rows.append(_row("query", "ok", remote.service.query))
    except RemoteError as e:
        return [_row("query", "failed", str(e))]
    rows.append(_row("result formats", "ok", _formats(remote)))
    try:
        remote.results("ASK { ?s <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?s }")
        rows.append(_row("property paths", "ok", "legkg's canned queries do not need them"))
    except RemoteError as e:
        rows.append(_row("property paths", "failed", f"{e} (legkg's canned queries do not need them)"))
    if remote.service.update:
        try:
            body = urllib.parse.urlencode({"update": "INSERT DATA { }"}).encode()
            remote.client.send(urllib.request.Request(remote.service.update, data=body, method="POST", headers={
                "Content-Type": "application/x-www-form-urlencoded"}))
            rows.append(_row("update", "ok", remote.service.update))
        except RemoteError as e:
            rows.append(_row("update", "refused", str(e)))
    if remote.service.data:
        probe = remote.service.data + ("&" if "?" in remote.service.data else "?") + \
            "graph=" + urllib.parse.quote("urn:legkg:endpoint-check:absent", safe="")
        try:
            remote.client.send(urllib.request.Request(probe, method="GET", headers={
                "Accept": "application/n-triples"}))
            rows.append(_row("graph store", "ok", remote.service.data))
        except RemoteError as e:
            ok = e.status == 404  # the service is there; the probed graph is not
            rows.append(_row("graph store", "ok" if ok else "not offered", remote.service.data if ok else str(e)))
    try:
        rows.append(_row("published graph", "ok" if "current" in (v := published_version(remote)) else "stale", v))
    except RemoteError as e:
        rows.append(_row("published graph", "failed", str(e)))
    return rows
