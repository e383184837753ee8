"""What every grammar engine shares: an issue, the engine interface, its failure.

Kept apart from :mod:`audit.text.grammar` so that the engine modules and the
Grammalecte worker processes import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Issue:
    """One grammar problem in one paragraph (offsets into that paragraph's text)."""

    start: int
    end: int
    rule: str  # the engine's rule id, readable: "conj_ils", "FR_AGREEMENT"...
    message: str  # the engine's explanation, in the paragraph's language
    suggestions: tuple[str, ...] = ()
    family: str = ""  # Grammalecte option (gn, conj...) or LanguageTool category (GRAMMAR...)
    message_en: str = ""  # the message in English when this tool wrote it (else: message)


class EngineError(Exception):
    """The engine could not check: not installed, server down, timeout, bad answer.
    The service then stops using it for the rest of the run and falls back."""


class Engine(Protocol):
    name: str  # shown in reports: "Grammalecte", "LanguageTool (server)"...
    languages: frozenset[str] | None  # the languages it would check; None: any it knows
    failure: str | None  # why it stopped working this run; None while it works

    def supports(self, lang: str) -> bool:
        """Whether it checks ``lang`` (may open the engine; raises EngineError)."""
        ...

    def check(self, texts: list[str], lang: str) -> list[list[Issue]]:
        """Issues of each text, in order (raises EngineError)."""
        ...

    def close(self) -> None: ...


__all__ = ["Engine", "EngineError", "Issue"]
