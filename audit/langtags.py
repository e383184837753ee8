"""Language tags as hreflang and ``<html lang>`` write them: valid or not, and why.

hreflang (Google Search Central, « Tell Google about localized versions of your page »,
developers.google.com/search/docs/specialty/international/localized-versions): an ISO 639-1
language, optionally a script (ISO 15924, ``zh-Hant``) and an ISO 3166-1 alpha-2 region
(``fr-BE``), or ``x-default``; case does not matter (``fr-fr`` is ``fr-FR``). A region alone
is not supported. ``<html lang>`` takes any BCP 47 tag (RFC 5646), so a three-letter
ISO 639-2/3 language is valid there.
"""

from __future__ import annotations

import re

# ISO 639-1 (the 183 current two-letter codes, with the withdrawn ones browsers still
# map: iw, in, ji, mo, sh).
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy
hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg
li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or
os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta
te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
iw in ji mo sh
""".split())  # noqa: SIM905 (a table as people read it)

# ISO 3166-1 alpha-2 (the 249 officially assigned codes).
ISO_3166_1 = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
ZW
""".split())  # noqa: SIM905 (a table as people read it)

# Frequent mistakes and what was meant.
_REGION_FIXES = {"UK": "GB", "EN": "GB", "EU": None, "LA": None}
_THREE_LETTERS = {"fra": "fr", "fre": "fr", "eng": "en", "deu": "de", "ger": "de", "spa": "es",
                  "ita": "it", "nld": "nl", "dut": "nl", "por": "pt", "cat": "ca", "eus": "eu",
                  "baq": "eu", "bre": "br", "oci": "oc", "cos": "co", "ara": "ar", "zho": "zh",
                  "chi": "zh", "jpn": "ja", "rus": "ru", "pol": "pl"}
_WORDS = {"french": "fr", "francais": "fr", "français": "fr", "english": "en",
          "anglais": "en", "german": "de", "deutsch": "de", "spanish": "es", "espanol": "es",
          "español": "es", "italian": "it", "italiano": "it"}
_SUBTAG = re.compile(r"^[A-Za-z0-9]{1,8}$")


def hreflang_problem(value: str) -> tuple[str, str]:
    """("", "") for a valid hreflang value; else (what is wrong, the likely fix or "")."""
    raw = value.strip()
    if raw.lower() == "x-default":
        return "", ""
    if not raw:
        return "empty", ""
    if "_" in raw:
        fixed = raw.replace("_", "-")
        return "underscore", fixed if not hreflang_problem(fixed)[0] else ""
    parts = raw.split("-")
    lang = parts[0].lower()
    if lang in _WORDS:
        return "language-name", _WORDS[lang]
    if lang in _THREE_LETTERS:
        rest = "-".join(parts[1:])
        fixed = _THREE_LETTERS[lang] + (f"-{rest}" if rest else "")
        return "three-letters", fixed if not hreflang_problem(fixed)[0] else ""
    if lang not in ISO_639_1:
        if lang.upper() in ISO_3166_1 and len(parts) == 1:
            return "region-only", ""
        return "unknown-language", ""
    rest = parts[1:]
    if rest and len(rest[0]) == 4 and rest[0].isalpha():  # a script: zh-Hant, sr-Latn
        rest = rest[1:]
    if not rest:
        return "", ""
    if len(rest) > 1:
        return "too-many-parts", ""
    region = rest[0].upper()
    if region in ISO_3166_1:
        return "", ""
    if region in _REGION_FIXES:
        fix = _REGION_FIXES[region]
        return "unknown-region", f"{lang}-{fix}" if fix else ""
    return "unknown-region", ""


def lang_problem(value: str) -> str:
    """"" for a valid ``<html lang>`` (BCP 47: a known two-letter language or any
    three-letter one, then subtags of 1–8 letters or digits); else what is wrong."""
    raw = value.strip()
    if "_" in raw:
        return "underscore"
    parts = raw.split("-")
    lang = parts[0].lower()
    if lang in _WORDS:
        return "language-name"
    if not (lang in ISO_639_1 or (len(lang) == 3 and lang.isalpha())):
        return "unknown-language"
    if not all(_SUBTAG.match(p) for p in parts[1:]):
        return "bad-subtag"
    for p in parts[1:]:
        if len(p) == 2 and p.isalpha():
            return "" if p.upper() in ISO_3166_1 else "unknown-region"
    return ""


def primary(value: str) -> str:
    """The language of a tag, lower case: ``fr-FR`` → ``fr``, ``fr_FR`` → ``fr``."""
    return re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()


__all__ = ["ISO_639_1", "ISO_3166_1", "hreflang_problem", "lang_problem", "primary"]
