"""The query pages: each canned query as a form with its answer, and a SPARQL editor for anything else.

Canned queries bind their parameters as RDF terms (never pasted into the text);
the editor's queries run through the read-only endpoint's workers when served,
so its time and row limits hold.

Example:
    >>> from legkg.publish.web.app import Site
    >>> status, headers, body = Site().handle("GET", "/queries/red-flags.csv", "", {})
    >>> status, headers["Content-Type"]
    (200, 'text/csv; charset=utf-8')
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse
from legkg.core.prefixes import LEGKG, curie
from legkg.publish.web.common import HTML, RESULT_FORMATS, Pages, Response
from legkg.store.canned import bind_params, select_columns
from legkg.store.queries import CannedQuery, load_query, query_names
from legkg.store.results import MEDIA, serialise

EDITOR_TIMEOUT = 10.0
EDITOR_ROWS = 1000


def canned_response(site: Pages, name: str, params: dict[str, list[str]]) -> Response | None:
    """A canned query's form page (``NAME.html``), its answer in a W3C format (``NAME.json`` ...), or
    the answer for one term (``NAME/Local.html``, written in advance for the static site)."""
    stem, _, ext = name.rpartition(".")
    stem, _, local = stem.partition("/")
    if stem not in query_names() or ext not in ("html", *RESULT_FORMATS):
        return None
    query = load_query(stem)
    if local:
        if ext != "html" or len(query.params) != 1 or site.term_href(f"legkg:{local}") is None:
            return None
        values = [(query.params[0].name, LEGKG + local)]
        return site.cached(("canned", stem, local), lambda: _canned_page(site, query, values, True, "../../"))
    values = [(p.name, params[p.name][0]) for p in query.params if params.get(p.name, [""])[0].strip()]
    complete = len(values) == len(query.params)
    if ext != "html":
        if not complete:
            return 400, {"Content-Type": "text/plain; charset=utf-8"}, \
                f"give every parameter: {', '.join(p.name for p in query.params)}\n".encode()
        columns, rows = _run(site, query, values)
        body = serialise(columns, [[r.get(c) for c in columns] for r in rows], ext)
        return 200, {"Content-Type": MEDIA[ext]}, body
    key = ("canned", stem, tuple(values))
    return site.cached(key, lambda: _canned_page(site, query, values, complete and not (site.static and values)),
                       typed=bool(values))


def answer_paths(query: CannedQuery, index) -> list[str]:
    """The addresses of a one-parameter query's answers for every term it takes (``/queries/NAME/Local.html``)."""
    if len(query.params) != 1:
        return []
    kinds = query.params[0].kinds
    return sorted(f"/queries/{query.name}/{e.iri[len(LEGKG):]}.html" for e in index.entities.values()
                  if e.kind in kinds and e.iri.startswith(LEGKG) and "/" not in e.iri[len(LEGKG):])


def _run(site: Pages, query: CannedQuery, values: list[tuple[str, str]]) -> tuple[list[str], list[dict]]:
    bindings = bind_params(site.index, query, values) if query.params else {}
    return select_columns(query.text), site.backend.select(query.text, bindings)


def _canned_page(site: Pages, query: CannedQuery, values: list[tuple[str, str]], run: bool,
                 root: str = "../") -> Response:
    status, table, error = 200, None, ""
    if run:
        try:
            columns, rows = _run(site, query, values)
            table = _table(site, columns, [[r.get(c) for c in columns] for r in rows], root)
        except LegkgError as e:
            status, error = 400, str(e)
    options = {p.name: sorted({e.label for e in site.index.entities.values() if e.kind in p.kinds},
                              key=str.casefold) for p in query.params}
    given = {name: (site.index.get(value).label if site.index.get(value) else value) for name, value in values}
    fixed = root != "../"  # an answer written in advance for one term: no downloads or share link of its own
    downloads = {fmt: f"{query.name}.{fmt}" + (f"?{urlencode(values)}" if values else "")
                 for fmt in RESULT_FORMATS} if table is not None and not fixed else {}
    answers = []
    if site.static and len(query.params) == 1 and not fixed:
        answers = [(site.index.get(LEGKG + path.rsplit("/", 1)[1][:-5]).label, path[len("/queries/"):])
                   for path in answer_paths(query, site.index)]
        answers.sort(key=lambda a: a[0].casefold())
    body = site.render("canned.html", root, title=query.title, query=query, options=options, given=given,
                       table=table, error=error, downloads=downloads, formats=RESULT_FORMATS, answers=answers,
                       share=f"{query.name}.html?{urlencode(values)}" if values and not fixed else "")
    return status, {"Content-Type": HTML}, body


def _table(site: Pages, columns: list[str], rows: list[list], root: str) -> dict:
    """Rows of RDF terms as cells of text with a link where the value is a term that has a page."""
    out = []
    for row in rows:
        cells = []
        for term in row:
            if term is None:
                cells.append({"text": "", "href": None})
            elif isinstance(term, ox.NamedNode):
                entity = site.index.get(term.value)
                href = site.term_href(term.value, root) if entity else None
                cells.append({"text": entity.label if entity else curie(term.value),
                              "title": curie(term.value), "href": href or (term.value if not entity else None)})
            else:
                cells.append({"text": term.value, "href": None})
        out.append(cells)
    return {"columns": columns, "rows": out}


def sparql_page(site: Pages, params: dict[str, list[str]]) -> Response:
    """The editor, the list of canned queries and, when a query is given (and served), its answer."""
    from legkg.store.queries import all_queries

    text = (params.get("query") or [""])[0]
    table, graph, error, note, status = None, None, "", "", 200
    if text.strip() and not site.static:
        try:
            table, graph, note = _run_editor(site, text)
        except LegkgError as e:
            status, error = 400, str(e)
    downloads = {fmt: "sparql?" + urlencode({"query": text, "format": fmt}) for fmt in RESULT_FORMATS} \
        if table is not None else {}
    body = site.render("query.html", "", title="Query", text=text, queries=all_queries(), table=table, graph=graph,
                      error=error, note=note, downloads=downloads, formats=RESULT_FORMATS,
                      share="query.html?" + urlencode({"query": text}) if text.strip() else "")
    return status, {"Content-Type": HTML}, body


def _run_editor(site: Pages, text: str) -> tuple[dict | None, str | None, str]:
    """Run the editor's query through the endpoint's workers (or, unserved, in a time-limited child)."""
    from legkg.store.sparqltext import query_kind

    kind = query_kind(text)  # refuses updates and anything but SELECT, ASK, CONSTRUCT and DESCRIBE
    if site.runner is not None:
        status, media, body, note = site.runner(text, "json", "ttl")
        if status != 200:
            raise Misuse(body.decode("utf-8", "replace").strip())
    else:
        from legkg.store.canned import run_sparql

        _, _, body, cut = run_sparql(site.backend, text, "ttl" if kind == "graph" else "json",
                                     timeout=EDITOR_TIMEOUT, limit=EDITOR_ROWS)
        media = "text/turtle" if kind == "graph" else "application/sparql-results+json"
        note = f"rows cut to {EDITOR_ROWS}" if cut else ""
    if not media.startswith("application/sparql-results+json") and not media.startswith("application/json"):
        return None, body.decode("utf-8", "replace"), note
    data = json.loads(body)
    if "boolean" in data:
        return {"columns": ["answer"], "rows": [[{"text": "yes" if data["boolean"] else "no", "href": None}]]}, \
            None, note
    columns = data["head"]["vars"]
    rows = [[_json_term(b.get(c)) for c in columns] for b in data["results"]["bindings"]]
    return _table(site, columns, rows, ""), None, note


def _json_term(value: dict | None):
    if value is None:
        return None
    if value["type"] == "uri":
        return ox.NamedNode(value["value"])
    if value["type"] == "bnode":
        return ox.BlankNode(value["value"])
    return ox.Literal(value["value"])
