"""A programmable HTTP server for hostile-input tests: routes are Python functions.

``with HostileServer({"/": page, "/slow": slow}) as srv: srv.origin``. A route takes a
:class:`Req` and returns a :class:`Reply` (status, headers, body) that can also delay,
trickle, hang until the server stops, or drop the connection mid-body. Real sockets on
127.0.0.1, so the real spider in its child process meets real faults.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Req:
    path: str  # without query
    query: dict[str, str]
    target: str  # path and query as asked
    n: int  # how many times this exact target was asked, this one included
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    hang: bool = False  # never answer (until the server stops)
    length: bool = True  # send Content-Length (else the body ends when the socket closes)
    drop_after: int | None = None  # close the socket after this many body bytes
    trickle: float = 0.0  # seconds between 1 KiB pieces of the body


Route = Callable[[Req], Reply]


def html_page(body: str, title: str = "Page", links: list[str] | None = None) -> Reply:
    anchors = "".join(f'<a href="{u}">{u}</a> ' for u in links or [])
    return Reply(body=f"<!DOCTYPE html><html lang='fr'><head><title>{title}</title></head>"
                      f"<body><p>{body}</p><p>{anchors}</p></body></html>")


class HostileServer:
    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.1",
                 default: Route | None = None):
        self.routes = dict(routes)
        self.default = default or (lambda req: Reply(404, "<title>Introuvable</title>"))
        self.requests: list[str] = []  # targets asked, in order
        self.counts: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"site": self})
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def asked(self, prefix: str) -> list[str]:
        return [t for t in self.requests if t.startswith(prefix)]

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()  # releases hanging routes
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        with self._lock:
            self.requests.append(target)
            self.counts[target] += 1
            n = self.counts[target]
        path = parts.path or "/"
        route = self.routes.get(path) or self.routes.get(path.split(";", 1)[0]) or self.default
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        return route(Req(path, query, target, n, headers))


class _Handler(BaseHTTPRequestHandler):
    site: HostileServer
    protocol_version = "HTTP/1.0"  # one request per connection: drops stay local

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        reply = self.site.answer(self.path, dict(self.headers.items()))
        if reply.delay:
            self.site.stopping.wait(reply.delay)
        if reply.hang:
            self.site.stopping.wait(120)
            return
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        try:
            self.send_response(reply.status)
            if reply.content_type is not None:
                self.send_header("Content-Type", reply.content_type)
            if reply.length:
                self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if reply.drop_after is not None:
                self.wfile.write(body[:reply.drop_after])
                self.wfile.flush()
                # RST rather than FIN: the client sees the connection lost mid-body.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                return
            if reply.trickle:
                for i in range(0, len(body), 1024):
                    self.wfile.write(body[i:i + 1024])
                    self.wfile.flush()
                    time.sleep(reply.trickle)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on this answer (size limit, timeout): expected
