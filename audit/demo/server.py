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
"""

from __future__ import annotations

import mimetypes
import threading
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


class SiteServer:
    """``with SiteServer(folder) as server: server.origin`` → 'http://127.0.0.1:PORT'."""

    def __init__(self, root: str | Path, host: str = "127.0.0.1", port: int = 0,
                 replacements: dict[str, str] | None = None,
                 bot_root: str | Path | None = None):
        self.root = Path(root).resolve()
        self.bot_root = Path(bot_root).resolve() if bot_root else None
        self.replacements = dict(replacements or {})  # more {{placeholders}} (tests)
        self.routes = read_redirects(self.root)
        self.headers = read_headers(self.root)
        self.requests: list[str] = []  # paths asked, in order (tests count refetches)
        handler = type("Handler", (_Handler,), {"site": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SiteServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

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
