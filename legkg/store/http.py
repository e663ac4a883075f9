"""HTTP for the remote backend: requests with auth, retries, a whole-request deadline, a cap on
the answer's size, and redirects kept to the same host unless asked.

Example:
    >>> RETRY_STATUS
    (429, 502, 503, 504)
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import http.client
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

from legkg import __version__
from legkg.core.errors import LegkgError, Misuse

PASSWORD_ENV = "LEGKG_ENDPOINT_PASSWORD"
TOKEN_ENV = "LEGKG_ENDPOINT_TOKEN"
AUTH_SCHEMES = ("basic", "digest", "bearer")
USER_AGENT = f"legkg/{__version__} (python-urllib)"
RETRY_STATUS = (429, 502, 503, 504)
MAX_RESPONSE = int(os.environ.get("LEGKG_MAX_RESPONSE_MB", "256")) << 20  # bytes of one answer
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for a longer pause gets an error instead
REFUSED_GSP = (400, 403, 404, 405, 415, 501)  # Graph Store Protocol refused: fall back to SPARQL Update

class RemoteError(LegkgError):
    """A request to a SPARQL server failed; ``status`` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _snippet(body: bytes, limit: int = 160) -> str:
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Client:
    """HTTP with a timeout, basic, digest or bearer auth, bounded retries and one-line errors.

    Secrets come only from the environment: the password from ``$LEGKG_ENDPOINT_PASSWORD``,
    the bearer token from ``$LEGKG_ENDPOINT_TOKEN``.
    """

    def __init__(self, user: str | None, password: str | None, timeout: float, user_agent: str,
                 retries: int, backoff: float, auth: str = "basic", max_bytes: int = MAX_RESPONSE,
                 follow_redirects: bool = False) -> None:
        if auth not in AUTH_SCHEMES:
            raise Misuse(f"unknown --auth {auth!r}; use basic, digest or bearer")
        self.auth, self.opener = None, urllib.request.build_opener()
        self.digest: _Digest | None = None
        if auth == "bearer":
            token = os.environ.get(TOKEN_ENV)
            if not token:
                raise Misuse(f"--auth bearer needs the token in the environment variable {TOKEN_ENV}")
            self.auth = f"Bearer {token}"
        elif user is not None:
            if password is None:
                password = os.environ.get(PASSWORD_ENV)
                if password is None:
                    raise Misuse(f"--user {user} needs the password in the environment variable {PASSWORD_ENV}")
            if auth == "digest":
                self.digest = _Digest(user, password)
            else:
                token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                self.auth = f"Basic {token}"
        self.user, self.timeout, self.user_agent = user, timeout, user_agent
        self.retries, self.backoff = max(0, retries), backoff
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener(_Redirects(follow_redirects))

    def send(self, request: urllib.request.Request) -> tuple[bytes, str]:
        """Send a request; return the body and its media type, or raise RemoteError."""
        request.add_header("User-Agent", self.user_agent)
        if self.auth:  # unredirected: credentials never follow a redirect to another host
            request.add_unredirected_header("Authorization", self.auth)
        url = request.full_url.split("?")[0]
        if self.digest is not None:  # answer the server's challenge up front: a body is sent once only
            challenge = self.digest.challenge(request.full_url, self)
            if challenge is not None:
                request.add_unredirected_header("Authorization", self.digest.authorization(request, challenge))
        deadline = time.monotonic() + self.timeout  # for the whole request, retries included
        for attempt in range(self.retries + 1):
            try:
                with open_within(self.opener, request, deadline) as resp:
                    return read_capped(resp, deadline, self.max_bytes, url), resp.headers.get_content_type()
            except urllib.error.HTTPError as e:
                body = _read_quietly(e)
                if e.code in RETRY_STATUS:
                    wait = self._wait(e, attempt)
                    if isinstance(wait, float) and time.monotonic() + wait >= deadline:
                        wait = f"no time left within --timeout {self.timeout:g} s to retry"
                    if isinstance(wait, float):
                        time.sleep(wait)
                        continue
                    raise RemoteError(f"the SPARQL server at {url} is busy (HTTP {e.code}); {wait}", e.code) from None
                raise self._http_error(url, e.code, e.reason, body, e.headers.get_content_type()) from None
            except (OSError, http.client.HTTPException, ValueError) as e:
                raise self._network_error(url, e) from None
        raise AssertionError("unreachable")

    def _wait(self, e: urllib.error.HTTPError, attempt: int) -> float | str:
        """Seconds to wait before the next attempt, or why not to retry."""
        if attempt >= self.retries:
            return f"gave up after {attempt + 1} attempt{'s' if attempt else ''}; try again later"
        after = (e.headers.get("Retry-After") or "").strip()
        if not after:
            return float(self.backoff * 2 ** attempt)
        if after.isdigit():
            seconds = float(after)
        else:
            try:
                seconds = email.utils.parsedate_to_datetime(after).timestamp() - time.time()
            except (TypeError, ValueError):
                return float(self.backoff * 2 ** attempt)
        if seconds > MAX_RETRY_AFTER:
            return f"it asks to retry after {seconds:.0f} s; try again later"
        return max(0.0, seconds)

    def _http_error(self, url: str, code: int, reason: str, body: bytes, ctype: str) -> RemoteError:
        text = _snippet(body)
        detail = f": {text}" if text else ""
        if code in (401, 403):
            hint = (f"check --user and ${PASSWORD_ENV}" if self.user
                    else f"give --user NAME and set ${PASSWORD_ENV}")
            word = "refused the credentials" if code == 401 and self.user else "refused access"
            return RemoteError(f"the SPARQL server at {url} {word} (HTTP {code}); {hint}", code)
        if code == 400:
            return RemoteError(f"the SPARQL server at {url} rejected the request (HTTP 400){detail}", code)
        if code == 404:
            return RemoteError(f"no SPARQL service at {url} (HTTP 404); check the endpoint URL", code)
        if code >= 500:
            return RemoteError(f"the SPARQL server at {url} failed (HTTP {code} {reason}){detail}", code)
        return RemoteError(f"the SPARQL server at {url} answered HTTP {code} {reason}{detail}", code)

    def _network_error(self, url: str, e: Exception) -> RemoteError:
        reason = e.reason if isinstance(e, urllib.error.URLError) else e
        host = urllib.parse.urlsplit(url).netloc
        if isinstance(reason, ConnectionRefusedError):
            return RemoteError(f"cannot connect to {host}: connection refused; is the SPARQL server running?")
        if isinstance(reason, socket.gaierror):
            return RemoteError(f"cannot find the host {urllib.parse.urlsplit(url).hostname!r}: "
                               f"{reason.strerror or 'name not known'}; check the endpoint URL")
        if isinstance(reason, TimeoutError):
            return RemoteError(f"no answer from {url} within {self.timeout:g} s; try a larger --timeout")
        if isinstance(reason, http.client.IncompleteRead):
            return RemoteError(f"truncated answer from {url}: got {len(reason.partial)} bytes, "
                               f"{reason.expected} more were announced")
        if isinstance(reason, http.client.RemoteDisconnected):
            return RemoteError(f"the SPARQL server at {url} closed the connection without answering")
        if isinstance(reason, ssl.SSLError):
            return RemoteError(f"TLS failure with {host}: {reason.reason or reason}")
        if isinstance(reason, ConnectionError):
            return RemoteError(f"the connection to {host} failed: {reason.strerror or type(reason).__name__}")
        text = " ".join(str(reason).split()) or type(reason).__name__
        return RemoteError(f"cannot reach {url}: {text}")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port, unless told to; a query sent by POST
    is sent again by POST (urllib would turn it into a GET without the query)."""

    def __init__(self, other_hosts: bool = False) -> None:
        self.other_hosts = other_hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old = urllib.parse.urlsplit(req.full_url)
        new = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if new.scheme not in ("http", "https"):
            raise RemoteError(f"{old.netloc} redirected (HTTP {code}) to {newurl!r}, not an http(s) URL; refused")
        if not self.other_hosts and (old.scheme, old.hostname, old.port) != (new.scheme, new.hostname, new.port):
            raise RemoteError(f"the SPARQL server at {old.netloc} redirected (HTTP {code}) to another host "
                              f"({new.netloc}); refused: give that URL as --endpoint, or pass --follow-redirects",
                              code)
        headers = {k: v for k, v in req.header_items() if k.lower() not in ("content-length", "host")}
        return urllib.request.Request(new.geturl(), data=req.data, headers=headers, method=req.get_method(),
                                      origin_req_host=req.origin_req_host, unverifiable=True)


def open_within(opener: urllib.request.OpenerDirector, request: urllib.request.Request, deadline: float):
    """Open a request, giving up at ``deadline`` even if the server sends its headers a byte at a time."""
    import threading

    box: dict = {}

    def attempt() -> None:
        try:
            box["response"] = opener.open(request, timeout=max(0.05, deadline - time.monotonic()))
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = e

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise TimeoutError("the whole request took too long")
    if "error" in box:
        raise box["error"]
    return box["response"]


def read_capped(response, deadline: float, limit: int, url: str) -> bytes:
    """Read an answer's body, refusing one over ``limit`` bytes or still arriving at ``deadline``."""
    announced = response.headers.get("Content-Length", "")
    if announced.strip().isdigit() and int(announced) > limit:
        raise RemoteError(f"the answer from {url} is {int(announced) >> 20} MiB, over the {limit >> 20} MiB "
                          "limit (LEGKG_MAX_RESPONSE_MB); narrow the query")
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the answer is still arriving")
        with contextlib.suppress(AttributeError, OSError):
            response.fp.raw._sock.settimeout(left)  # each wait for data ends at the deadline too
        chunk = response.read1(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise RemoteError(f"the answer from {url} is over the {limit >> 20} MiB limit "
                              "(LEGKG_MAX_RESPONSE_MB); narrow the query")
        chunks.append(chunk)


class _Digest(urllib.request.AbstractDigestAuthHandler):
    """HTTP digest auth computed before sending, from a challenge fetched once per URL (by GET, without body)."""

    def __init__(self, user: str, password: str) -> None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        super().__init__(passwords)
        self.user, self.password, self.challenges = user, password, {}

    def challenge(self, url: str, client: _Client) -> dict | None:
        """The digest challenge of ``url``'s service, or None where it asks for no credentials."""
        key = url.split("?")[0]
        if key not in self.challenges:
            request = urllib.request.Request(url, method="GET", headers={"User-Agent": client.user_agent})
            try:
                with urllib.request.urlopen(request, timeout=client.timeout):
                    self.challenges[key] = None
                    return None
            except urllib.error.HTTPError as e:
                header = e.headers.get("WWW-Authenticate", "")
                if e.code != 401:
                    self.challenges[key] = None  # it answers the real request as it will
                    return None
                if not header.lower().startswith("digest"):
                    raise RemoteError(f"{key} offers no digest auth (HTTP 401); try --auth basic", 401) from None
            except (OSError, http.client.HTTPException) as e:
                raise client._network_error(key, e) from None
            chal = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(header[7:])))
            self.passwd.add_password(chal.get("realm"), key, self.user, self.password)
            self.challenges[key] = chal
        return self.challenges[key]

    def authorization(self, request: urllib.request.Request, challenge: dict) -> str:
        value = self.get_authorization(request, challenge)
        if not value:
            raise RemoteError(f"cannot answer the digest challenge of {request.full_url.split('?')[0]}")
        return f"Digest {value}"


def _read_quietly(e: urllib.error.HTTPError) -> bytes:
    try:
        return e.read(65536)
    except (OSError, http.client.HTTPException):
        return b""


