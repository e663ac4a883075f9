"""The pages: routing a request to a page or an RDF description, rendering templates, caching answers.

Every link a page holds is relative, so the same pages work under ``legkg serve``
and as files written by ``legkg site``. A term lives at the path of its IRI
(``https://w3id.org/legkg/Sciatica`` -> ``/legkg/Sciatica``) and answers in HTML,
Turtle, RDF/XML, JSON-LD or N-Triples by extension or Accept header.

Example:
    >>> site = Site()
    >>> status, headers, body = site.handle("GET", "/legkg/Sciatica.ttl", "", {})
    >>> status, headers["Content-Type"]
    (200, 'text/turtle; charset=utf-8')
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

from legkg.core.errors import AmbiguousTerm, LegkgError
from legkg.core.prefixes import LEGKG, curie
from legkg.publish.web.common import ASSETS, HTML, ONTOLOGY_NAME, RESULT_FORMATS, Response, Runner
from legkg.publish.web.linked import RDF_FORMATS, SourceGraph, negotiate

PAGES_KEPT = 20_000  # the site's own pages (about 2,000), several times over
ANSWERS_KEPT = 512  # answers to what readers typed: the most recent ones, so memory stays bounded


class Site:
    """The pages of one ontology; ``handle`` answers a request, ``render_path`` gives a page for ``legkg site``."""

    def __init__(self, ontology: Path | None = None, runner: Runner | None = None, static: bool = False,
                 release: Path | None = None) -> None:
        from legkg.core.resources import ontology_path

        self.ontology = Path(ontology) if ontology else None
        self.runner = runner
        self.static = static
        source = self.ontology or ontology_path()
        if release is None and self.ontology is None:
            from legkg.publish.release import release_dir

            candidate = release_dir() / "legkg.owl"
            release = candidate if candidate.is_file() else None
        self.release_file = release
        self._source_path = release or source
        self._lock = threading.Lock()
        self._cache: dict[tuple, Response] = {}
        self._answers: OrderedDict[tuple, Response] = OrderedDict()
        self._ready = False

    def _load(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            import jinja2

            from legkg.store.local import open_backend
            from legkg.store.terms import TermIndex

            self.backend = open_backend(self.ontology)
            self.index = TermIndex.load(self.backend)
            self.source = SourceGraph(self._source_path)
            self.env = jinja2.Environment(loader=jinja2.PackageLoader("legkg.publish.web", "templates"),
                                          autoescape=True, trim_blocks=True, lstrip_blocks=True)
            self.env.globals.update(static=self.static, term_href=self.term_href, curie=curie)
            self.env.filters["urlencode_query"] = lambda d: urlencode(d, doseq=True)
            self._ready = True

    def paths(self) -> list[str]:
        """Every address of the static site, e.g. ``/legkg/Sciatica.html`` (query forms without their answers)."""
        from legkg.store.queries import all_queries

        self._load()
        paths = ["/index.html", "/terms.html", "/search.html", "/query.html", "/assets/terms.js"]
        paths += [f"/assets/{name}" for name in ASSETS]
        paths += [f"/legkg/{ONTOLOGY_NAME}.{fmt}" for fmt in ("html", *RDF_FORMATS)]
        for e in self.index.entities.values():
            if e.iri.startswith(LEGKG) and "/" not in e.iri[len(LEGKG):]:
                paths += [f"/legkg/{e.iri[len(LEGKG):]}.{fmt}" for fmt in ("html", *RDF_FORMATS)]
        from legkg.publish.web.queries import answer_paths

        for q in all_queries():
            paths.append(f"/queries/{q.name}.html")
            paths += answer_paths(q, self.index)
            if not q.params:
                paths += [f"/queries/{q.name}.{fmt}" for fmt in RESULT_FORMATS]
        return sorted(set(paths))

    def warm(self, threads: int = 2) -> threading.Thread:
        """Render every page in the background, so that readers find them made; return the thread.

        The threads are daemons: a server stopping never waits for the pages still to make.
        """
        lock = threading.Lock()

        def render(paths) -> None:
            while True:
                with lock:
                    path = next(paths, None)
                if path is None:
                    return
                self.handle("GET", path, "", {})

        def run() -> None:
            paths = iter(self.paths())
            helpers = [threading.Thread(target=render, args=(paths,), name="legkg-pages-warm", daemon=True)
                       for _ in range(threads - 1)]
            for helper in helpers:
                helper.start()
            render(paths)
            for helper in helpers:
                helper.join()

        thread = threading.Thread(target=run, name="legkg-pages-warm", daemon=True)
        thread.start()
        return thread

    # ---- addresses -------------------------------------------------------------------------------
    def term_href(self, value_id: str | None, root: str = "../") -> str | None:
        """The relative address of a term's page from a page ``root`` below the site's root."""
        if not value_id:
            return None
        iri = value_id if value_id.startswith("http") else LEGKG + value_id.split(":", 1)[1] \
            if value_id.startswith("legkg:") else None
        if iri is None or not iri.startswith(LEGKG) or self.index.get(iri) is None:
            return None
        return f"{root}legkg/{quote(iri[len(LEGKG):])}.html"

    # ---- requests --------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str]) -> Response | None:
        """Answer a GET or HEAD for a page, an asset or an RDF description; None when there is no such page."""
        if method not in ("GET", "HEAD"):
            return None
        self._load()
        accept = next((v for k, v in headers.items() if k.lower() == "accept"), "")
        params = {k: v for k, v in parse_qs(query, keep_blank_values=False).items()}
        try:
            return self._route(path, params, accept)
        except LegkgError as e:
            root = "../" * max(0, path.count("/") - 1)
            return 400, {"Content-Type": HTML}, self.render("error.html", root, title="Cannot answer", message=str(e))

    def _route(self, path: str, params: dict[str, list[str]], accept: str) -> Response | None:
        if path in ("/", "/index.html"):
            return self.cached(("index",), lambda: self._html(self.render("index.html", "", **self._landing())))
        if path.startswith("/assets/"):
            return self._asset(path[len("/assets/"):])
        if path == "/terms.html":
            return self.cached(("terms",), lambda: self._html(self.render("terms.html", "", **self._terms())))
        if path == "/search.html":
            return self._search((params.get("q") or [""])[0])
        if path == "/query.html":
            return self._query_page(params)
        if path.startswith("/queries/"):
            from legkg.publish.web.queries import canned_response

            return canned_response(self, path[len("/queries/"):], params)
        if path.startswith("/legkg/"):
            return self._term(path[len("/legkg/"):], accept)
        return None

    def cached(self, key: tuple, make: Callable[[], Response], typed: bool = False) -> Response:
        """The answer kept for ``key``, made once (pages never change while the ontology is loaded).

        ``typed`` answers (to values readers typed) are kept among the most recent few only.
        """
        store = self._answers if typed else self._cache
        hit = store.get(key)
        if hit is None:
            hit = make()
            with self._lock:
                store[key] = hit
                if typed and len(store) > ANSWERS_KEPT:
                    store.popitem(last=False)
                elif not typed and len(store) > PAGES_KEPT:
                    store.pop(key)
        return hit

    def _html(self, body: bytes, status: int = 200) -> Response:
        return status, {"Content-Type": HTML}, body

    def render(self, template: str, root: str, **values) -> bytes:
        return self.env.get_template(template).render(root=root, **values).encode("utf-8")

    def _asset(self, name: str) -> Response | None:
        if name == "terms.js":
            return self.cached(("terms.js",), lambda: (200, {"Content-Type": ASSETS["search.js"]},
                                                        self.search_index()))
        if name not in ASSETS:
            return None
        from importlib.resources import files

        data = files("legkg.publish.web").joinpath("assets", name).read_bytes()
        return 200, {"Content-Type": ASSETS[name], "Cache-Control": "max-age=3600"}, data

    # ---- terms -----------------------------------------------------------------------------------
    def _term(self, name: str, accept: str) -> Response | None:
        stem, dot, ext = name.rpartition(".")
        stem, ext = (stem, "." + ext) if dot and "." + ext.lower() in (".html", ".ttl", ".owl", ".rdf", ".jsonld",
                                                                       ".nt") else (name, "")
        fmt = negotiate(ext, accept)
        if stem == ONTOLOGY_NAME and ext == ".owl":  # the ontology IRI itself: RDF/XML unless a browser asks
            fmt = negotiate("", accept)
            fmt, ext = ("html" if fmt == "html" and "html" in accept else "owl"), ""
        if stem == ONTOLOGY_NAME:
            if fmt is None:
                return 406, {"Content-Type": "text/plain; charset=utf-8"}, b"not acceptable: ask for text/html, " \
                    b"text/turtle, application/rdf+xml, application/ld+json or application/n-triples\n"
            return self.cached(("ontology", fmt, ext), lambda: self._ontology(fmt, ext))
        iri = LEGKG + stem
        if self.index.get(iri) is None or "/" in stem:
            return None
        if fmt is None:
            return 406, {"Content-Type": "text/plain; charset=utf-8"}, b"not acceptable\n"
        response = self.cached(("term", stem, fmt), lambda: self._term_response(iri, fmt))
        if ext:
            return response
        status, headers, body = response
        return status, dict(headers, Vary="Accept", **{"Content-Location": f"{quote(stem)}.{fmt}"}), body

    def _term_response(self, iri: str, fmt: str) -> Response:
        if fmt != "html":
            return 200, {"Content-Type": RDF_FORMATS[fmt][1]}, self.source.term(iri, fmt)
        from legkg.publish.web.content import term_content

        page = term_content(self.backend, iri, self.index)
        return self._html(self.render("term.html", "../", page=page, picture=self.picture(iri),
                                     title=page["label"], formats=list(RDF_FORMATS)))

    def _ontology(self, fmt: str, ext: str) -> Response:
        if fmt != "html":
            headers = {"Content-Type": RDF_FORMATS[fmt][1]}
            if not ext:
                headers.update(Vary="Accept")
            return 200, headers, self.source.whole(fmt)
        import pyoxigraph as ox

        from legkg.core.prefixes import PREFIXES

        about = {}
        for q in self.source.store.quads_for_pattern(ox.NamedNode(LEGKG + "legkg.owl"), None, None):
            if isinstance(q.object, ox.Literal):
                about.setdefault(curie(q.predicate.value), []).append(q.object.value)
            else:
                about.setdefault(curie(q.predicate.value), []).append(curie(q.object.value))
        counts = {}
        for e in self.index.entities.values():
            counts[e.kind] = counts.get(e.kind, 0) + 1
        return self._html(self.render("ontology.html", "../", title="The legkg ontology", about=about,
                                     counts=sorted(counts.items()), formats=list(RDF_FORMATS),
                                     prefixes=PREFIXES))

    def picture(self, iri: str) -> str | None:
        """The term's neighbourhood as inline SVG with linked nodes, or None when Graphviz is missing."""
        import re

        from legkg.publish.pictures import draw, neighbourhood

        try:
            svg = draw(neighbourhood(self.backend, iri, 1, max_nodes=40), "svg",
                       href=lambda e: self.term_href(e.id))
        except LegkgError:
            return None
        text = svg.decode("utf-8")
        text = text[text.index("<svg"):]
        text = text.replace("<svg ", '<svg role="group" aria-label="neighbourhood picture" ', 1)
        return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)

    # ---- landing, lists and search ---------------------------------------------------------------
    def _landing(self) -> dict:
        from legkg.publish.web.content import landing_content
        from legkg.store.queries import all_queries

        return dict(landing_content(self.backend), queries=all_queries(), title="Why can't I lift my leg?")

    def _terms(self) -> dict:
        kinds: dict[str, list] = {}
        for e in sorted(self.index.entities.values(), key=lambda e: e.label.casefold()):
            if e.iri.startswith(LEGKG):
                kinds.setdefault(e.kind, []).append(e)
        return {"kinds": sorted(kinds.items()), "title": "All terms"}

    def search_index(self) -> bytes:
        """Labels, synonyms and codes of every term, as a script the search box reads (works from files too)."""
        from legkg.publish.web.content import term_codes

        items = []
        for e in sorted(self.index.entities.values(), key=lambda e: e.label.casefold()):
            href = self.term_href(e.id, root="")
            if href:
                codes = [c["code"] for c in term_codes(self.backend, e.iri)]
                items.append({"l": e.label, "k": e.kind, "id": e.id, "s": list(e.synonyms), "c": codes, "h": href})
        return b"window.LEGKG_TERMS = " + json.dumps(items, ensure_ascii=False).encode("utf-8") + b";\n"

    def _search(self, text: str) -> Response:
        text = text.strip()
        hits, message = [], ""
        if text:
            try:
                entity = self.index.resolve(text)
                href = self.term_href(entity.id, root="")
                if href:
                    return 303, {"Location": href, "Content-Type": HTML}, b""
            except AmbiguousTerm as e:
                message = str(e)
            except LegkgError:
                pass
            hits = [e for e in self.index.search(text) if self.term_href(e.id, root="")]
            if not hits and not message:
                try:
                    self.index.resolve(text)
                except LegkgError as e:
                    message = str(e)
        return self._html(self.render("search.html", "", title=f"Search: {text}" if text else "Search", q=text,
                                     hits=hits, message=message))

    def _query_page(self, params: dict[str, list[str]]) -> Response:
        from legkg.publish.web.queries import sparql_page

        return sparql_page(self, params)
