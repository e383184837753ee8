"""LanguageTool through ``language-tool-python``: the consultant's server, an installed
LanguageTool, or (explicit opt-in) the public API.

Never a download: language-tool-python fetches ~250 MB of LanguageTool whenever it
starts a local server for a version it does not find under ``LTP_PATH``. So a local
install is used only once :func:`find_home` has found an unpacked
``LanguageTool-X.Y`` folder with its server jar, Java is on the PATH, and the
library itself agrees that this version is installed (its own download test).

Failures: the library raises its LanguageToolError, requests' errors (an OSError),
a KeyError on an unexpected answer, and at start-up JavaError, ModuleNotFoundError
(no Java), SystemError (old Java) or even SystemExit (unreadable ``java -version``).
Each becomes an :class:`EngineError`; the service then falls back for the rest of
the run. Requests time out after the client config's ``timeout`` (the library's
own default is 300 s).

The public API is limited to 20 requests and 75 KB of text per minute and 20 KB per
request (https://dev.languagetool.org/public-http-api): paragraphs are packed into
requests of at most 20 KB (UTF-8), longer ones cut at sentence ends, and a
:class:`RateLimiter` waits before a request that would exceed a per-minute limit.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import shutil
import time
import zipfile
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from audit.text.grammar_base import EngineError, Issue

log = logging.getLogger(__name__)

Mode = Literal["server", "local", "public"]
NAMES: dict[Mode, str] = {"server": "LanguageTool (server)", "local": "LanguageTool (local)",
                          "public": "LanguageTool (public API)"}
PUBLIC_API_URL = "https://api.languagetool.org/"
# LanguageTool codes for the page languages that need a variant to get every rule.
LT_CODES = {"en": "en-US", "de": "de-DE", "pt": "pt-PT"}
SEPARATOR = "\n\n"  # between the paragraphs packed into one request
_MAX_SUGGESTIONS = 3
# The folder names language-tool-python counts as installed versions (others it downloads).
_VERSION_DIR = re.compile(r"LanguageTool-(\d+\.\d+|\d{8})")
_JARS = ("languagetool-server.jar", "languagetool.jar")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Limits:
    request_bytes: int  # UTF-8 bytes of text per request
    requests_per_minute: int | None = None
    bytes_per_minute: int | None = None


PUBLIC_LIMITS = Limits(request_bytes=20_000, requests_per_minute=20, bytes_per_minute=75_000)
# Own servers have no limits; packing paragraphs still saves round trips.
OWN_LIMITS = Limits(request_bytes=60_000)


class RateLimiter:
    """At most ``requests`` requests and ``text_bytes`` bytes of text in any window of
    ``period`` seconds: :meth:`acquire` waits (``sleep``) until the next one fits.
    ``clock`` and ``sleep`` are injectable so that tests need not wait."""

    def __init__(self, requests: int, text_bytes: int | None = None, period: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.requests = requests
        self.text_bytes = text_bytes
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[tuple[float, int]] = deque()  # (time, bytes) inside the window
        self.waited = 0.0  # seconds spent waiting, in total

    def acquire(self, size: int = 0) -> float:
        """Wait until a request of ``size`` bytes fits, record it; the seconds waited."""
        waited = 0.0
        while True:
            now = self._clock()
            while self._sent and self._sent[0][0] <= now - self.period:
                self._sent.popleft()
            used = sum(b for _, b in self._sent)
            if len(self._sent) < self.requests and (
                    self.text_bytes is None or not self._sent or used + size <= self.text_bytes):
                self._sent.append((now, size))
                self.waited += waited
                return waited
            delay = max(self._sent[0][0] + self.period - now, 0.01)
            if not waited:
                log.info("LanguageTool rate limit: waiting %.0f s", delay)
            self._sleep(delay)
            waited += delay


@dataclass(frozen=True)
class Piece:
    paragraph: int  # index of the text it comes from
    offset: int  # where it starts in that text
    text: str


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, max_bytes: int) -> list[tuple[int, str]]:
    """``text`` in (offset, piece) parts of at most ``max_bytes`` UTF-8 bytes, cut after
    a sentence's end when one fits, else after a space, else anywhere."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        rest = text[start:]
        if _utf8(rest) <= max_bytes:
            pieces.append((start, rest))
            break
        # Characters that fit: a truncated encoding, decoded without its broken tail.
        window = rest.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        space = window.rfind(" ")
        cut = ends[-1] if ends else (space + 1 if space > 0 else len(window))
        cut = max(cut, 1)
        pieces.append((start, rest[:cut]))
        start += cut
    return pieces


def plan_requests(texts: Sequence[str], max_bytes: int) -> list[list[Piece]]:
    """Pack texts (cut when too long) into requests of at most ``max_bytes`` bytes once
    joined with :data:`SEPARATOR`, in order."""
    batches: list[list[Piece]] = []
    current: list[Piece] = []
    size = 0
    for i, text in enumerate(texts):
        for offset, piece in split_text(text, max_bytes):
            extra = _utf8(piece) + (len(SEPARATOR) if current else 0)
            if current and size + extra > max_bytes:
                batches.append(current)
                current, size = [], 0
                extra = _utf8(piece)
            current.append(Piece(i, offset, piece))
            size += extra
    if current:
        batches.append(current)
    return batches


def find_home(path: str | Path) -> tuple[Path, str] | None:
    """(the folder to give as ``LTP_PATH``, the version) when ``path`` is, or directly
    holds, an unpacked LanguageTool whose server jar is there; the newest if several."""
    path = Path(path).expanduser()
    if _VERSION_DIR.fullmatch(path.name):
        candidates = [path]
    elif path.is_dir():
        candidates = sorted((p for p in path.iterdir() if _VERSION_DIR.fullmatch(p.name)),
                            key=lambda p: [int(x) for x in p.name.split("-")[1].split(".")],
                            reverse=True)
    else:
        candidates = []
    for folder in candidates:
        m = _VERSION_DIR.fullmatch(folder.name)
        if m and any((folder / jar).is_file() and zipfile.is_zipfile(folder / jar)
                     for jar in _JARS):
            return folder.parent, m.group(1)
    return None


def _attr(match: Any, name: str, older_name: str, default: Any) -> Any:
    """A Match attribute: snake_case since language-tool-python 3, camelCase before."""
    try:
        return getattr(match, name)
    except AttributeError:
        return getattr(match, older_name, default)


def _client_class(timeout: float) -> type[Any]:
    from language_tool_python import LanguageTool

    class Client(LanguageTool):  # type: ignore[misc]
        _TIMEOUT = timeout  # every request, the start-up /languages one included

        def _start_server_on_free_port(self) -> None:
            # One attempt: the library retries a failing start on each of ~900 ports.
            self._start_local_server()

    return Client


class LanguageToolEngine:
    """Grammar (and style) for every language LanguageTool knows; spelling off (the
    ``spelling`` rule's job), typography off unless asked."""

    def __init__(self, mode: Mode, *, url: str | None = None, home: str | Path | None = None,
                 timeout: float = 30.0, typography: bool = False, limits: Limits | None = None,
                 limiter: RateLimiter | None = None) -> None:
        self.mode = mode
        self.name = NAMES[mode]
        self.languages: frozenset[str] | None = None  # whatever the server knows
        self.url = url or (PUBLIC_API_URL if mode == "public" else None)
        self.home = home
        self.timeout = timeout
        self.typography = typography
        self.limits = limits or (PUBLIC_LIMITS if mode == "public" else OWN_LIMITS)
        if limiter is None and self.limits.requests_per_minute:
            limiter = RateLimiter(self.limits.requests_per_minute, self.limits.bytes_per_minute)
        self.limiter = limiter
        self.failure: str | None = None
        self.requests = 0  # /check requests sent (for tests and measurements)
        self._clients: dict[str, Any] = {}  # lang -> client, None when unsupported
        self._version: str | None = None

    # -- clients --------------------------------------------------------------------

    def _fail(self, exc: BaseException) -> EngineError:
        self.failure = f"{type(exc).__name__}: {exc}"[:300]
        return EngineError(self.failure)

    def _throttle(self, size: int) -> None:
        if self.limiter is not None:
            self.limiter.acquire(size)

    def _prepare_home(self) -> None:
        if self.home is None:
            raise EngineError("languagetool.home is not set")
        found = find_home(self.home)
        if found is None:
            raise EngineError(f"no LanguageTool in {self.home} (a LanguageTool-X.Y folder "
                              f"with languagetool-server.jar)")
        if shutil.which("java") is None:
            raise EngineError("Java is not installed (LanguageTool needs Java 17 or later)")
        folder, version = found
        # Stays set: the library reads it again whenever it restarts its server, and
        # without it would look in ~/.cache, find nothing, and download.
        os.environ["LTP_PATH"] = str(folder)
        from language_tool_python.download_lt import LocalLanguageTool
        wanted = LocalLanguageTool.from_version_name(version)
        if wanted not in LocalLanguageTool.get_installed_versions():
            raise EngineError(f"language-tool-python does not see LanguageTool {version} "
                              f"in {folder}")
        self._version = version

    def _remote(self) -> str | None:
        """The server to ask: configured, public, or the local one once started."""
        if self.url:
            return self.url
        for client in self._clients.values():
            if client is not None:
                return str(client.url).removesuffix("v2/")
        return None

    def _client(self, lang: str) -> Any:
        """The client for ``lang``; None when the server does not know the language."""
        if lang in self._clients:
            return self._clients[lang]
        if self.failure:
            raise EngineError(self.failure)
        code = LT_CODES.get(lang, lang)
        try:
            cls = _client_class(self.timeout)
            remote = self._remote()
            self._throttle(0)  # the client asks the server for its languages
            if remote is None:  # local mode: this first client starts the server
                self._prepare_home()
                client = cls(code, language_tool_download_version=self._version)
            else:
                client = cls(code, remote_server=remote)
        except EngineError as exc:
            self.failure = str(exc)
            raise
        except ValueError as exc:
            if "unsupported language" in str(exc):
                self._clients[lang] = None
                return None
            raise self._fail(exc) from exc
        except (Exception, SystemExit) as exc:  # see the module docstring
            raise self._fail(exc) from exc
        categories = set(client.disabled_categories)
        if not self.typography:
            categories.add("TYPOGRAPHY")
        client.disabled_categories = categories
        client.disable_spellchecking()
        self._clients[lang] = client
        return client

    # -- Engine ---------------------------------------------------------------------

    def supports(self, lang: str) -> bool:
        return self._client(lang) is not None

    def check(self, texts: list[str], lang: str) -> list[list[Issue]]:
        from language_tool_python.exceptions import LanguageToolError

        client = self._client(lang)
        if client is None:
            raise EngineError(f"{self.name} does not support {lang}")
        results: list[list[Issue]] = [[] for _ in texts]
        for batch in plan_requests(texts, self.limits.request_bytes):
            body = SEPARATOR.join(p.text for p in batch)
            starts: list[int] = []
            at = 0
            for p in batch:
                starts.append(at)
                at += len(p.text) + len(SEPARATOR)
            self._throttle(_utf8(body))
            self.requests += 1
            try:
                matches = client.check(body)
            except (LanguageToolError, OSError, ValueError, KeyError, TypeError) as exc:
                raise self._fail(exc) from exc
            for m in matches:
                if not self._wanted(m):
                    continue
                offset = int(_attr(m, "offset", "offset", 0))
                k = max(bisect.bisect_right(starts, offset) - 1, 0)
                piece = batch[k]
                local = min(offset - starts[k], len(piece.text))
                end = min(local + int(_attr(m, "error_length", "errorLength", 0)),
                          len(piece.text))
                results[piece.paragraph].append(Issue(
                    piece.offset + local, piece.offset + end,
                    str(_attr(m, "rule_id", "ruleId", "")), str(_attr(m, "message", "message", "")),
                    tuple(str(r) for r in (_attr(m, "replacements", "replacements", None)
                                           or ())[:_MAX_SUGGESTIONS]),
                    str(_attr(m, "category", "category", ""))))
        return results

    def _wanted(self, m: Any) -> bool:
        category = str(_attr(m, "category", "category", ""))
        issue_type = str(_attr(m, "rule_issue_type", "ruleIssueType", ""))
        if category == "TYPOS" or issue_type == "misspelling":
            return False  # spelling: the spelling rule's job, even if the server ignored us
        return self.typography or not (
            category == "TYPOGRAPHY" or issue_type in ("typographical", "whitespace"))

    def close(self) -> None:
        for client in self._clients.values():
            if client is not None:
                try:
                    client.close()
                except Exception:  # closing must not hide the run's outcome
                    log.warning("closing %s failed", self.name, exc_info=True)
        self._clients.clear()


def from_settings(server_url: str | None, home: str | Path | None, public_api: bool,
                  timeout: float, typography: bool) -> LanguageToolEngine | None:
    """The LanguageTool the client config asks for, first of: its server, its installed
    LanguageTool, the public API; None when it asks for none."""
    if server_url:
        return LanguageToolEngine("server", url=server_url, timeout=timeout,
                                  typography=typography)
    if home:
        return LanguageToolEngine("local", home=home, timeout=timeout, typography=typography)
    if public_api:
        return LanguageToolEngine("public", timeout=timeout, typography=typography)
    return None


__all__ = ["NAMES", "OWN_LIMITS", "PUBLIC_API_URL", "PUBLIC_LIMITS", "LanguageToolEngine",
           "Limits", "Piece", "RateLimiter", "find_home", "from_settings", "plan_requests",
           "split_text"]
