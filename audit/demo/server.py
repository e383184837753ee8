"""A small static web server for the demo site and the test fixtures.

It serves a folder on 127.0.0.1 (a free port by default) with two extras that a
plain static server lacks and an audit needs to show:

- ``_redirects`` (Netlify's format): ``FROM TO STATUS`` per line. 3xx answers a
  redirect; any other status serves the file TO with that status (a 500 page).
- ``{{origin}}`` in any text file is replaced by the server's origin, so sitemaps,
  robots.txt and canonical tags can carry absolute URLs whatever the port.
- A folder asked without its final slash is redirected (301) to it, as static hosts do.
- ``_headers`` (Netlify's format): a path line, then indented ``Name: value`` lines sent
  with that path's answers (an ``X-Robots-Tag``, a canonical ``Link:`` header); a header
  named twice is sent twice. ``{{origin}}`` is replaced in the values too.

Files whose name starts with ``_`` or ends with ``.md`` are not served.

``bot_root`` (tests of the cloaking check): a second folder whose files are served instead
to user agents naming Googlebot, as a cloaking site does.

``tls=True`` also serves the folder over https on a second port (``https_origin``), with
a self-signed certificate made at start-up: ``{{https_origin}}`` in a text file names it
(the http origin when ``tls`` is off), so that a page can be reached over https — the
``https`` rule's mixed content — while the rest of the site stays on http. Scrapy does
not verify certificates.

``_delays`` (``PATH SECONDS`` per line) makes the server wait before answering those
paths: a slow first byte for the crawl tests, without slowing the other pages.
"""

from __future__ import annotations

import mimetypes
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TEXT_TYPES = ("text/", "application/xml", "application/json", "image/svg+xml",
              "application/javascript")


@dataclass
class Route:
    target: str
    status: int


def read_redirects(root: Path) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    path = root / "_redirects"
    if not path.exists():
        return routes
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[2].isdigit():
            raise ValueError(f"{path}:{number}: expected 'FROM TO STATUS', got {line!r}")
        routes[parts[0]] = Route(parts[1], int(parts[2]))
    return routes


def read_headers(root: Path) -> dict[str, list[tuple[str, str]]]:
    headers: dict[str, list[tuple[str, str]]] = {}
    path = root / "_headers"
    if not path.exists():
        return headers
    current: list[tuple[str, str]] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = headers.setdefault(line.strip(), [])
            continue
        name, colon, value = line.strip().partition(":")
        if current is None or not colon:
            raise ValueError(f"{path}:{number}: expected a path, then 'Name: value' lines")
        current.append((name.strip(), value.strip()))
    return headers


def read_delays(root: Path) -> dict[str, float]:
    delays: dict[str, float] = {}
    path = root / "_delays"
    if not path.exists():
        return delays
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        try:
            delays[parts[0]] = float(parts[1])
        except (IndexError, ValueError):
            raise ValueError(f"{path}:{number}: expected 'PATH SECONDS', got {line!r}") from None
    return delays


def _self_signed(host: str) -> ssl.SSLContext:
    """A server TLS context with a throw-away certificate for ``host`` (valid a week)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    try:
        names.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:  # a host name
        names.append(x509.DNSName(host))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(key, hashes.SHA256()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:  # load_cert_chain reads files only
        pem = Path(folder) / "server.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        context.load_cert_chain(pem)
    return context


class SiteServer:
    """``with SiteServer(folder) as server: server.origin`` → 'http://127.0.0.1:PORT'."""

    def __init__(self, root: str | Path, host: str = "127.0.0.1", port: int = 0,
                 replacements: dict[str, str] | None = None,
                 bot_root: str | Path | None = None, tls: bool = False):
        self.root = Path(root).resolve()
        self.bot_root = Path(bot_root).resolve() if bot_root else None
        self.replacements = dict(replacements or {})  # more {{placeholders}} (tests)
        self.routes = read_redirects(self.root)
        self.headers = read_headers(self.root)
        self.delays = read_delays(self.root)
        self.requests: list[str] = []  # paths asked, in order (tests count refetches)
        handler = type("Handler", (_Handler,), {"site": self})
        server_class = ThreadingHTTPServer
        if ":" in host:  # an IPv6 address (::1): tests of IPv6 start URLs
            server_class = type("ThreadingHTTPServer6", (ThreadingHTTPServer,),
                                {"address_family": socket.AF_INET6})
        self.httpd = server_class((host, port), handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.httpsd: ThreadingHTTPServer | None = None
        if tls:
            self.httpsd = server_class((host, 0), handler)
            self.httpsd.daemon_threads = True
            self.httpsd.socket = _self_signed(host).wrap_socket(
                self.httpsd.socket, server_side=True)
        self._threads: list[threading.Thread] = []

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def https_origin(self) -> str:
        """The https listener's origin (``tls=True``), else the http one."""
        if self.httpsd is None:
            return self.origin
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.httpsd.server_address[1]}"

    def _servers(self) -> list[ThreadingHTTPServer]:
        return [self.httpd] + ([self.httpsd] if self.httpsd is not None else [])

    def start(self) -> SiteServer:
        for httpd in self._servers():
            thread = threading.Thread(target=httpd.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for httpd in self._servers():
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def resolve(self, path: str, bot: bool = False) -> Path | None:
        """The file for a URL path, or None (outside the root, hidden, missing)."""
        root = self.root
        if bot and self.bot_root is not None:
            found = self.resolve_in(self.bot_root, path)
            if found is not None:
                return found
        return self.resolve_in(root, path)

    def is_folder(self, path: str) -> bool:
        """The path names a folder of the site (served as its index.html under path/)."""
        candidate = (self.root / unquote(path).lstrip("/")).resolve()
        return candidate.is_relative_to(self.root) and candidate.is_dir()

    @staticmethod
    def resolve_in(root: Path, path: str) -> Path | None:
        rel = unquote(path).lstrip("/")
        candidate = (root / rel).resolve()
        if not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        name = candidate.name
        if name.startswith("_") or name.endswith(".md") or not candidate.is_file():
            return None
        return candidate


class _Handler(BaseHTTPRequestHandler):
    site: SiteServer
    server_version = "demo-site/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and demo
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        path = urlsplit(self.path).path or "/"
        self.site.requests.append(path)
        self.extra = [(name, value.replace("{{origin}}", self.site.origin))
                      for name, value in self.site.headers.get(path, [])]
        delay = self.site.delays.get(path)
        if delay:
            time.sleep(delay)  # before the headers: the client's time to first byte
        route = self.site.routes.get(path)
        status = 200
        if route and 300 <= route.status < 400:
            self.send_response(route.status)
            self.send_header("Location", route.target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route:
            path, status = route.target, route.status
        elif not path.endswith("/") and self.site.is_folder(path):
            # /guide → /guide/, as static hosts (GitHub Pages, Netlify, nginx) answer: one
            # page, one address, whichever way a link is written.
            query = urlsplit(self.path).query
            self.send_response(301)
            self.send_header("Location", path + "/" + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        bot = "googlebot" in (self.headers.get("User-Agent") or "").lower()
        file = self.site.resolve(path, bot=bot)
        if file is None:
            status = 404
            body = b"<!DOCTYPE html><html lang='fr'><title>Page introuvable</title>" \
                   b"<h1>Page introuvable</h1></html>"
            ctype = "text/html; charset=utf-8"
        else:
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            body = file.read_bytes()
            if ctype.startswith(TEXT_TYPES):
                body = body.replace(b"{{origin}}", self.site.origin.encode())
                body = body.replace(b"{{https_origin}}", self.site.https_origin.encode())
                for key, value in self.site.replacements.items():
                    body = body.replace(key.encode(), value.encode())
                if ctype.startswith("text/") or ctype == "application/xml":
                    ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.extra:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
