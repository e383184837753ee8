"""A stand-in LanguageTool server for tests: stdlib ``http.server`` in a thread on
127.0.0.1, speaking enough of LanguageTool's HTTP API v2 for the real
language-tool-python client (``GET /v2/languages``, ``POST /v2/check``).

A real LanguageTool needs Java and ~250 MB of download, so it cannot run here. This
one answers in LanguageTool's JSON format; its "grammar" is a list of
:class:`Trigger` phrases, each occurrence in the text becoming one match (offsets in
UTF-16 units, as LanguageTool counts them). It honours ``disabledCategories`` like
the real server, records every request, and can answer HTTP 500 (``mode="error"``)
or answer late (``mode="slow"``).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

Mode = Literal["ok", "error", "slow"]


@dataclass(frozen=True)
class Trigger:
    phrase: str
    rule: str
    message: str
    replacement: str = ""
    category: str = "GRAMMAR"
    issue_type: str = "grammar"


DEFAULT_TRIGGERS = (
    Trigger("This are", "THIS_NNS_VB", "Did you mean “These are” or “This is”?", "This is"),
    Trigger("se inscrire", "FR_ELISION_SE", "Élision manquante : « s’inscrire ».",
            "s’inscrire"),
    Trigger("ils mange ", "FR_ACCORD_ILS", "Accord avec « ils » : « mangent ».", "ils mangent "),
    Trigger("recieve", "MORFOLOGIK_RULE_EN_US", "Possible spelling mistake found.", "receive",
            category="TYPOS", issue_type="misspelling"),
    Trigger(" ?", "FRENCH_WHITESPACE", "Espace insécable avant « ? ».", "\u00a0?",
            category="TYPOGRAPHY", issue_type="whitespace"),
)

LANGUAGES = [
    {"name": "French", "code": "fr", "longCode": "fr"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English", "code": "en", "longCode": "en"},
]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def matches_for(text: str, triggers: tuple[Trigger, ...],
                disabled: set[str]) -> list[dict[str, Any]]:
    """LanguageTool's ``matches`` for ``text``: one per trigger occurrence."""
    out = []
    for t in triggers:
        if t.category in disabled:
            continue
        start = text.find(t.phrase)
        while start >= 0:
            end = start + len(t.phrase)
            ctx_start = max(0, start - 20)
            out.append({
                "message": t.message, "shortMessage": "",
                "replacements": [{"value": t.replacement}] if t.replacement else [],
                "offset": _utf16(text[:start]), "length": _utf16(t.phrase),
                "context": {"text": text[ctx_start:end + 20], "offset": start - ctx_start,
                            "length": len(t.phrase)},
                "sentence": text[ctx_start:end + 20],
                "type": {"typeName": "Other"},
                "rule": {"id": t.rule, "description": t.message, "issueType": t.issue_type,
                         "category": {"id": t.category, "name": t.category.title()}},
                "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
            })
            start = text.find(t.phrase, end)
    return sorted(out, key=lambda m: m["offset"])


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout test) leaves a broken pipe: expected


@dataclass
class FakeLanguageTool:
    """``with FakeLanguageTool() as lt: ... lt.url ...``; ``lt.checks`` holds the form
    fields of every /v2/check request, ``lt.paths`` every path asked for."""

    triggers: tuple[Trigger, ...] = DEFAULT_TRIGGERS
    mode: Mode = "ok"
    delay: float = 3.0  # seconds, in "slow" mode
    checks: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _answer(self, path: str, form: dict[str, str]) -> None:
                owner.paths.append(path)
                if owner.mode == "slow":
                    time.sleep(owner.delay)
                if owner.mode == "error":
                    self._send(500, b"Internal Server Error", "text/plain")
                elif path == "/v2/languages":
                    self._send(200, json.dumps(LANGUAGES).encode())
                elif path == "/v2/check":
                    owner.checks.append(form)
                    disabled = set(filter(None, form.get("disabledCategories", "").split(",")))
                    body = {"software": {"name": "LanguageTool", "version": "6.4-fake",
                                         "apiVersion": 1},
                            "language": {"name": form.get("language", ""),
                                         "code": form.get("language", "")},
                            "matches": matches_for(form.get("text", ""), owner.triggers,
                                                   disabled)}
                    self._send(200, json.dumps(body, ensure_ascii=False).encode())
                else:
                    self._send(404, b"not found", "text/plain")

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                form = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                self._answer(parts.path, form)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                self._answer(urlsplit(self.path).path, form)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeLanguageTool:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
