"""Language codes as the report names them: « en anglais » / "in English"."""

from __future__ import annotations

from audit.rule import Msg

_NAMES = {
    "fr": ("français", "French"), "en": ("anglais", "English"), "de": ("allemand", "German"),
    "es": ("espagnol", "Spanish"), "it": ("italien", "Italian"), "nl": ("néerlandais", "Dutch"),
    "pt": ("portugais", "Portuguese"), "ca": ("catalan", "Catalan"),
    "br": ("breton", "Breton"), "eu": ("basque", "Basque"), "ar": ("arabe", "Arabic"),
    "zh": ("chinois", "Chinese"), "ja": ("japonais", "Japanese"), "ru": ("russe", "Russian"),
    "pl": ("polonais", "Polish"), "sv": ("suédois", "Swedish"), "da": ("danois", "Danish"),
}


def language_name(code: str) -> Msg:
    """The language's name (« anglais » / "English"); an unknown code is quoted as is."""
    fr, en = _NAMES.get(code, (f"« {code} »", f"'{code}'"))
    return Msg(fr, en)


def in_language(code: str) -> Msg:
    """« en anglais » / "in English": the words after « paragraphes » / "paragraphs"."""
    name = language_name(code)
    return Msg(f"en {name.fr}", f"in {name.en}")
