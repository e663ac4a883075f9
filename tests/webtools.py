"""Helpers for the web tests: start `legkg serve` as a real process, fetch pages, walk links.

Example:
    with served() as base:
        status, headers, body = fetch(base + "legkg/Sciatica", accept="text/turtle")
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

LEGKG_BIN = Path(sys.executable).with_name("legkg")


@contextlib.contextmanager
def served(*args: str, env: dict | None = None) -> Iterator[str]:
    """Run `legkg serve --port 0` on 127.0.0.1 until the block ends; yield the pages' base URL."""
    proc = subprocess.Popen([str(LEGKG_BIN), "serve", "--port", "0", *args], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env={**os.environ, **(env or {})})
    try:
        said = []
        while not said or "pages at " not in said[-1]:  # warnings (such as stale inferences) may come first
            line = proc.stderr.readline()
            if not line:
                raise RuntimeError("legkg serve did not start: " + "".join(said))
            said.append(line)
        yield said[-1].split("pages at ", 1)[1].split()[0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, accept: str = "", method: str = "GET", follow: bool = True) -> tuple[int, dict, bytes]:
    """Status, headers and body of a request (errors are answers too)."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {}, method=method)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Links(HTMLParser):
    """The href and src addresses of a page, and the ids it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "action") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def page_links(html: bytes) -> Links:
    parser = Links()
    parser.feed(html.decode("utf-8"))
    return parser


def is_internal(base: str, url: str) -> bool:
    return url.startswith(base) or not urlsplit(url).scheme


def crawl_served(base: str, limit: int = 5000) -> tuple[set[str], list[tuple[str, str, int]]]:
    """Follow every internal link from the landing page; return the addresses seen and the broken links."""
    status_of: dict[str, int] = {}
    broken, queue, pages = [], [base], set()
    while queue and len(status_of) < limit:
        url = queue.pop()
        if url in pages:
            continue
        pages.add(url)
        status, headers, body = fetch(url)
        status_of[url] = status
        if status != 200 or not headers.get("Content-Type", "").startswith("text/html"):
            continue
        for link in page_links(body).links:
            target = urldefrag(urljoin(url, link))[0]
            if not target.startswith(base):
                continue
            if target not in status_of:
                status_of[target] = fetch(target, method="HEAD")[0]
            if status_of[target] != 200:
                broken.append((url, link, status_of[target]))
            elif target not in pages and target.split("?", 1)[0].endswith((".html", "/")):
                queue.append(target)
    return set(status_of), broken


def crawl_files(root: Path) -> tuple[int, list[tuple[str, str]]]:
    """Check every relative link of every HTML file under ``root``; return the count of pages and the broken links."""
    broken, parsed = [], {page.resolve(): page_links(page.read_bytes()) for page in sorted(root.rglob("*.html"))}
    for page, links in parsed.items():
        for link in links.links:
            if urlsplit(link).scheme or link.startswith("//"):
                continue
            path, _, fragment = link.partition("#")
            path = path.split("?", 1)[0]
            target = (page.parent / unquote(path)).resolve() if path else page
            if not target.is_file() or (fragment and target in parsed and fragment not in parsed[target].ids):
                broken.append((str(page.relative_to(root.resolve())), link))
    return len(parsed), broken
