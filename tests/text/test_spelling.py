"""Spell checking with the system's Hunspell dictionaries, on real French sentences."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from audit.config import SpellingConfig, loads
from audit.context import Context
from audit.rule import Finding, Limit, Score
from audit.rules.spelling import Spelling, spelling_score
from audit.text.spelling import (
    SYSTEM_DIRS,
    Dictionary,
    Kind,
    SpellChecker,
    debian_package,
    find_dictionary,
    open_hunspell,
    snippet,
)
from spiders.items import PageItem, TextBlock
from tests.rules.harness import SITE, make_page, run_rule

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

if not (find_dictionary("fr", SYSTEM_DIRS) and find_dictionary("en", SYSTEM_DIRS)):
    pytest.skip("needs Debian's hunspell-fr and hunspell-en-us", allow_module_level=True)


@pytest.fixture(scope="module")
def checker() -> SpellChecker:
    return SpellChecker()


def misspelt(checker: SpellChecker, paragraphs: Sequence[str], lang: str = "fr") -> set[str]:
    return {h.word for h in checker.check(paragraphs, lang).misspellings}


# --- French, both ways ----------------------------------------------------------------


def test_known_french_mistakes_are_flagged(checker: SpellChecker) -> None:
    r = checker.check(["Demain, ils amenera leurs clients vers les medias sociaux.",
                       "Community management : 6 pilliers d’une politique indispensable."], "fr")
    assert {h.word for h in r.misspellings} == {"amenera", "medias", "pilliers"}
    assert r.errors == 3 and r.lang == "fr"
    assert not r.proper_nouns


@pytest.mark.parametrize("sentence", [
    "L’identité numérique de l’entreprise, c’est-à-dire l’image qu’il renvoie aujourd’hui, "
    "dépend de son e-réputation.",
    "L'identité numérique de l'entreprise, c'est-à-dire l'image qu'il renvoie aujourd'hui, "
    "dépend de son e-réputation.",
    "Lʼidentité numérique, cʼest-à-dire lʼimage quʼil renvoie aujourdʼhui.",  # U+02BC
    "Ce sera peut\u2011être jusqu’à la fin de l’année, lorsqu’il publiera sa newsletter.",
    "Le réfé\u00adrencement naturel de l’identite\u0301 numérique.",  # soft hyphen, NFD accent
    "Etablir une stratégie, Ecrire pour le web : Ca marche.",  # unaccented capitals
])
def test_correct_french_is_accepted(checker: SpellChecker, sentence: str) -> None:
    r = checker.check([sentence], "fr")
    assert not r.misspellings and not r.proper_nouns, r.misspellings
    assert r.words > 5


def test_english_looking_french_mistakes_are_errors_but_anglicisms_are_not(
        checker: SpellChecker) -> None:
    # known to the English dictionary, but French words once their accents are back
    for word in ("medias", "e-reputation", "reference", "telephone"):
        assert checker.classify("fr", word) is Kind.AMBIGUOUS, word
    r = checker.check(["Les medias sociaux publient, la reference reste la presse."], "fr")
    assert {h.word for h in r.misspellings} == {"medias", "reference"}  # among French words
    r = checker.check(["Le lac fonctionne en schema on read, View more presentations from "
                       "our team."], "fr", per_paragraph=False)
    assert not r.misspellings  # among English words: English
    for word in ("community", "followers", "mobile-first", "SEO-friendly", "don't"):
        assert checker.classify("fr", word) is Kind.FOREIGN, word
    for word in ("newsletter", "marketing", "e-mail", "référenceur", "webmarketing", "meta"):
        assert checker.classify("fr", word) is Kind.OK, word
    r = checker.check(["Le community manager suit ses followers sur les social media."], "fr")
    assert not r.misspellings
    assert {h.word for h in r.foreign} == {"community", "followers"}  # social is French too


def test_an_english_paragraph_on_a_french_page_is_checked_in_english(
        checker: SpellChecker) -> None:
    r = checker.check([
        "Le community management devient une fonction stratégique pour l’entreprise.",
        "There has been a lot of discussion recently on the topic of community management, "
        "and most people accept that it involves the oversight of social activity.",
    ], "fr")
    assert not r.misspellings
    assert [h.word for h in r.foreign] == ["community"]  # in the French paragraph only
    assert r.words_by_lang["en"] > 20 and r.words_by_lang["fr"] > 5
    english = ("Most companies recieve their leads from the web and from the social "
               "networks they are on.")
    r = checker.check([english], "fr")
    assert [(h.word, h.lang) for h in r.misspellings] == [("recieve", "en")]
    # per_paragraph=False: the page language for all (English words are then foreign)
    r = checker.check([english], "fr", per_paragraph=False)
    assert list(r.words_by_lang) == ["fr"] and r.foreign


def test_caps_urls_emails_numbers_and_code_are_skipped(checker: SpellChecker) -> None:
    r = checker.check(["Écrivez à CLAIRVOYANSE, contact@clairvoyanse.fr ou sur "
                       "https://www.clairvoyanse.fr/contakt avant le 12/03/2026 : devis "
                       "XZQW-42, offre web2mrkt, fichier index.htmll, compte @clairvoyanse, "
                       "#referencemnt, fonction fill_pagge, 3Dx, km²."], "fr")
    assert not r.misspellings and not r.proper_nouns, r.misspellings
    # one-letter words (à) are not counted either
    assert r.words == len(["Écrivez", "ou", "sur", "avant", "le", "devis", "offre", "fichier",
                           "compte", "fonction"])


# --- the client's words, proper nouns, cache ---------------------------------------------


def test_ignore_words_and_word_list_are_honoured(tmp_path: Path) -> None:
    (tmp_path / "mots.txt").write_text("# outils de veille\nYouseemii\nhowsociable  \n\n",
                                       encoding="utf-8")
    text = ["Wesaw et wesaw comparent youseemii et Howsociable pour l’agence."]
    plain = SpellChecker()
    assert misspelt(plain, text) == {"Wesaw", "youseemii"}
    cfg = SpellingConfig(ignore_words=["WESAW"], word_list="mots.txt")
    client = SpellChecker.from_config(cfg, lambda p: tmp_path / p)
    r = client.check(text, "fr")
    assert not r.misspellings and not r.proper_nouns
    assert client.classify("fr", "d’Youseemii") is Kind.OK  # after an elision too


def test_a_missing_word_list_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SpellChecker.from_config(SpellingConfig(word_list="absent.txt"), lambda p: tmp_path / p)


def test_capitalised_unknown_words_are_possible_proper_nouns(checker: SpellChecker) -> None:
    r = checker.check(["Pour la veille, nous utilisons Youseemii, Howsociable et LinkedIn, "
                       "puis d’Youseemii nous passons à Wesaw, que wesaw.it présente mal : "
                       "wesaw, tout en minuscules, est une faute."], "fr")
    # LinkedIn is in the built-in list of web brands
    assert [(h.word, h.count) for h in r.proper_nouns] == [("Youseemii", 2), ("Howsociable", 1)]
    assert [(h.word, h.count) for h in r.misspellings] == [("Wesaw", 2)]
    assert r.misspellings[0].context == (
        "…puis d’Youseemii nous passons à Wesaw, que wesaw.it présente mal :…")


class Counting:
    """A Hunspell that counts what is asked of it."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.spells: Counter[str] = Counter()
        self.suggests = 0

    def spell(self, word: str) -> bool:
        self.spells[word] += 1
        return self.inner.spell(word)  # type: ignore[attr-defined, no-any-return]

    def suggest(self, word: str) -> Sequence[str]:
        self.suggests += 1
        return self.inner.suggest(word)  # type: ignore[attr-defined, no-any-return]


def test_each_word_reaches_hunspell_once_per_run() -> None:
    engines: dict[str, Counting] = {}

    def opener(d: Dictionary) -> Counting:
        engines[d.lang] = Counting(open_hunspell(d))
        return engines[d.lang]

    checker = SpellChecker(open_dictionary=opener)
    page = ["L’identité de la marque, l’identité de ses pilliers et ses pilliers encore.",
            "La marque et ses pilliers."]
    first = checker.check(page, "fr")
    lookups = checker.lookups
    assert lookups and max(engines["fr"].spells.values()) == 1
    again = checker.check(page, "fr")  # the next page of the site: all from the cache
    assert checker.lookups == lookups and max(engines["fr"].spells.values()) == 1
    assert again.misspellings == first.misspellings and again.misspellings[0].count == 3
    assert checker.known("fr", "identité") and engines["fr"].spells["identité"] == 1
    assert checker.known("fr", "identité") and engines["fr"].spells["identité"] == 1
    assert all(e.suggests == 0 for e in engines.values())  # suggestions were not asked for
    assert checker.suggest("fr", "pilliers", 2) == ["piliers", "milliers"]
    checker.suggest("fr", "pilliers", 2)
    assert engines["fr"].suggests == 1


# --- missing dictionaries ------------------------------------------------------------------


def _ctx(checker: SpellChecker, yaml_extra: str = "") -> Context:
    cfg = loads(f"client: Test\nsite: {{start_urls: ['{SITE}']}}\n{yaml_extra}")
    ctx = Context(cfg)
    ctx.services["spelling"] = checker
    return ctx


def _page(lang: str, *texts: str) -> PageItem:
    return PageItem(url=SITE, status=200, is_html=True, lang=lang, title=texts[0],
                    text_blocks=[TextBlock("p", t) for t in texts[1:]])


def _outcomes(page: PageItem, ctx: Context) -> list:
    rule = Spelling()
    return [*rule.collect(page, ctx), *rule.finish(ctx)]


def test_no_dictionary_gives_a_limit_and_no_score() -> None:
    checker = SpellChecker(system_dirs=False)
    assert not checker.available("fr")
    assert checker.check(["Une phrase en français."], "fr").unchecked == {"fr": 1}
    page = _page("de", "Suchmaschinenoptimierung für kleine Unternehmen",
                 "Wir helfen Ihnen, in den Suchergebnissen besser gefunden zu werden.")
    outcomes = _outcomes(page, _ctx(SpellChecker()))
    assert [o for o in outcomes if isinstance(o, Finding)] == []
    [limit] = [o for o in outcomes if isinstance(o, Limit)]
    assert limit.key == "no-dictionary:de" and limit.url == SITE
    assert "hunspell-de-de" in limit.message.fr and "(texte en allemand)" in limit.message.fr
    assert "(text in German)" in limit.message.en
    assert [o for o in outcomes if isinstance(o, Score)] == [Score(SITE, None)]


def test_a_paragraph_without_dictionary_is_skipped_and_named(tmp_path: Path) -> None:
    fr = find_dictionary("fr", SYSTEM_DIRS)
    assert fr is not None
    for ext in ("aff", "dic"):  # a folder with the French dictionary only
        (tmp_path / f"fr_FR.{ext}").symlink_to(fr.folder / f"{fr.name}.{ext}")
    checker = SpellChecker([tmp_path], system_dirs=False)
    page = _page("fr", "La gestion des communautés, une fonction stratégique",
                 "There has been a lot of discussion recently on the topic of community "
                 "management and of its place in the organization.")
    outcomes = _outcomes(page, _ctx(checker))
    assert [o for o in outcomes if isinstance(o, Finding)] == []
    [limit] = [o for o in outcomes if isinstance(o, Limit)]
    assert limit.key == "no-dictionary:en" and "hunspell-en-us" in limit.message.en
    assert [o.value for o in outcomes if isinstance(o, Score)] == [100.0]
    assert checker.describe() == "Hunspell fr_FR"


def test_the_engine_that_ran_is_noted_for_the_summary(tmp_path: Path) -> None:
    pages = [make_page({"html": "<html lang='fr'><head><title>Le métier de community "
                        "manager</title></head><body><p>There has been a lot of discussion "
                        "recently on the topic of community management.</p></body></html>"})]
    run_rule("spelling", pages, tmp_path)
    notes = json.loads((tmp_path / "run" / "check.json").read_text(encoding="utf-8"))["notes"]
    # English in both its spellings (Makefile: hunspell-en-us and hunspell-en-gb).
    assert {"fr": "Orthographe vérifiée avec Hunspell fr_FR, en_US + en_GB.",
            "en": "Spelling checked with Hunspell fr_FR, en_US + en_GB."} in notes


def test_dictionaries_are_found_by_language(tmp_path: Path) -> None:
    fr = find_dictionary("fr", SYSTEM_DIRS)
    assert fr is not None and fr.name in ("fr_FR", "fr")
    assert find_dictionary("de", [tmp_path]) is None
    assert find_dictionary("../etc/passwd", SYSTEM_DIRS) is None
    assert debian_package("fr") == "hunspell-fr" and debian_package("en") == "hunspell-en-us"
    assert debian_package("de") == "hunspell-de-de"


# --- findings, suggestions, score ----------------------------------------------------------


def test_suggestions_only_when_asked_and_capped(tmp_path: Path) -> None:
    html = ("<html lang='fr'><head><title>Les six pilliers du community management"
            "</title></head><body><p>Les medias sociaux changent la donne.</p></body></html>")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = run_rule("spelling", [make_page({"html": html})], tmp_path / "a")
    assert "→" not in plain.findings[0].evidence
    asked = run_rule("spelling", [make_page({"html": html})], tmp_path / "b",
                     config={"spelling": {"suggestions": True, "max_suggestions": 1}})
    (f,) = asked.findings
    assert f.code == "misspelling" and f.severity == "warning"
    lines = f.evidence.splitlines()
    assert lines[0] == "pilliers — « Les six pilliers du community management » → piliers"
    assert lines[1].startswith("medias — ") and lines[1].endswith(" → médias")
    assert "2 probable spelling mistake(s)" in f.message.en and "pilliers, medias" in f.message.en
    assert asked.data[SITE]["spelling_errors"] == 2


def test_the_score_curve() -> None:
    assert spelling_score(0, 500) == 100
    assert spelling_score(1, 100) == 75
    assert spelling_score(2, 100) == 50
    assert spelling_score(4, 100) == 0 and spelling_score(40, 100) == 0
    assert spelling_score(1, 400) == pytest.approx(93.75)
    # a short page is judged as a 100-word page: one slip costs 25 points, not 100
    assert spelling_score(1, 12) == 75
    assert spelling_score(1, 100, penalty=10) == 90
    assert spelling_score(1, 20, min_words=20) == 0


def test_snippet_shows_a_few_words_around() -> None:
    text = "un deux trois quatre cinq six sept pilliers huit neuf dix onze douze treize"
    start = text.index("pilliers")
    assert snippet(text, start, start + 8, around=3) == "…cinq six sept pilliers huit neuf dix…"
    assert snippet("(pilliers), et", 1, 9) == "(pilliers), et"


def test_real_french_web_text(checker: SpellChecker) -> None:
    """The corpus: real articles with their genuine slips, anglicisms and an English quote."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    paragraphs = [line for path in sorted(CORPUS.glob("*.txt"))
                  for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    r = checker.check(paragraphs, "fr")
    errors = {h.word for h in r.misspellings}
    assert {"pilliers", "medias", "e-reputation", "interraction", "interressante"} <= errors
    assert not errors & {"community", "Community", "management", "e-réputation", "newsletter",
                         "aujourd’hui", "l’identité", "SMO", "SEO"}
    assert {"Youseemii", "Howsociable", "Netvibes"} <= {h.word for h in r.proper_nouns}
    assert r.words_by_lang.get("en", 0) > 100  # the quoted English article
    assert 100 * r.errors / r.words < 1.5


def test_terms_of_the_software_trade_are_words_unless_french_without_accents(
        checker: SpellChecker) -> None:
    for word in ("docstring", "docstrings", "mixins", "conda", "d’ubuntu", "Kubernetes"):
        assert checker.classify("fr", word) is Kind.OK, word
    # in some library's word list, but French words missing their accents: still suspect
    assert checker.classify("fr", "numero") is Kind.UNKNOWN
    assert checker.classify("fr", "presents") is Kind.AMBIGUOUS
    plain = SpellChecker(trade_terms=False)
    assert plain.classify("fr", "docstring") is Kind.UNKNOWN


def test_what_is_not_a_typo(checker: SpellChecker) -> None:
    # regular French derivations, a name in lower case, English compounds glued
    for word in ("générable", "hachable", "cherchable", "compostabilité", "réassignement",
                 "scénarii", "achille", "usecase", "barplot"):
        assert not checker.near_miss("fr", word), word
    for word in ("documentaion", "systéme", "developpement", "organisaton", "malgrès"):
        assert checker.near_miss("fr", word), word
    assert checker.classify("en", "numpy’s") is Kind.OK  # an English possessive
    r = checker.check(["Sqoop ne gère pas l’option –as-parquetfile avec -query."], "fr")
    assert not r.misspellings  # glued to a dash: a command-line option, not read


def test_a_fragment_is_no_sentence(checker: SpellChecker) -> None:
    r = checker.check(["gatling / jmeter / clif / java", "egens", "Update autors"], "en")
    fragment = {h.word: h.fragment for h in r.misspellings}
    assert fragment == {"gatling": True, "jmeter": True, "clif": True, "egens": True,
                        "autors": False}
