"""Grammar: real Grammalecte on real French, the real language-tool-python client
against a stand-in LanguageTool server, the cache, limits and fallbacks.

A LanguageTool server cannot run here (it needs Java and a ~250 MB download, never
fetched by tests): the LanguageTool path is tested through the real
language-tool-python client talking HTTP to :mod:`tests.text.lt_server`, a small
server on 127.0.0.1 answering ``/v2/languages`` and ``/v2/check`` in LanguageTool's
JSON format. Set ``SEO_AUDIT_LT_SERVER=http://host:8081`` to also run the live test
against a real LanguageTool.
"""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.text.grammar import (
    GrammarService,
    GrammarSettings,
    prose_paragraphs,
    snippet,
)
from audit.text.grammar_base import EngineError, Issue
from audit.text.grammar_grammalecte import (
    GrammalecteChecker,
    GrammalecteEngine,
    locate,
    split_balanced,
)
from audit.text.grammar_languagetool import (
    PUBLIC_LIMITS,
    LanguageToolEngine,
    RateLimiter,
    find_home,
    plan_requests,
    split_text,
)
from audit.text.grammar_scope import Lexicon, falsely_accused, reframed, reframed_by_lexicon
from spiders.items import TextBlock
from tests.rules.harness import SITE, make_page, run_rule
from tests.text.lt_server import FakeLanguageTool, closed_port_url

needs_grammalecte = pytest.mark.skipif(
    locate() is None and "grammalecte" not in sys.modules,
    reason="Grammalecte not installed (Debian package python3-grammalecte)")


@pytest.fixture(scope="module")
def grammalecte() -> GrammalecteChecker:
    return GrammalecteChecker()


def found(checker: GrammalecteChecker, text: str) -> list[tuple[str, str]]:
    return [(text[i.start:i.end].strip(), i.rule) for i in checker.check(text)]


# -- Grammalecte ------------------------------------------------------------------

@needs_grammalecte
@pytest.mark.parametrize(("sentence", "wrong", "rule"), [
    ("Il faut se inscrire avant lundi.", "se", "eleu_élisions_manquantes"),
    ("Les enfant sont partis en vacances.", "enfant", "gn_les_1m"),
    ("Ils mange des pommes tous les midis.", "mange", "conj_ils"),
    ("Nous suivons de près les réseaux social de nos clients.", "social", "gn_les_2m"),
    ("Nous avons manger au restaurant hier soir.", "manger", "ppas_avoir"),
    ("Les offres que nous avons proposé sont claires.", "proposé",
     "ppas_det_plur_COD_que_avoir"),
    ("Le résultat est là : les clients est contents.", "est", "conj_les_nom"),
])
def test_grammalecte_flags_real_errors(grammalecte: GrammalecteChecker, sentence: str,
                                       wrong: str, rule: str) -> None:
    # Exactly one issue each: « Ils mange » is flagged on the verb and on the subject by
    # one rule, « les clients est contents » on the verb and the adjective by two rules.
    assert found(grammalecte, sentence) == [(wrong, rule)]


@needs_grammalecte
@pytest.mark.parametrize("sentence", [
    "Le community manager anime l’identité numérique de la marque, c’est-à-dire sa "
    "présence en ligne.",
    "Il faut s’inscrire avant lundi.",
    "Les enfants sont partis en vacances.",
    "Nous suivons de près les réseaux sociaux de nos clients.",
    "Les offres que nous avons proposées sont claires.",
    "Quelle est la différence entre le SEO et le SEA ? Voici la réponse : tout dépend.",
    "Le capital social est de 10 000 euros.",
])
def test_grammalecte_passes_correct_french(grammalecte: GrammalecteChecker,
                                           sentence: str) -> None:
    assert found(grammalecte, sentence) == []


@needs_grammalecte
def test_typography_is_off_by_default_and_on_when_asked() -> None:
    text = "Vous connaissez le community management ? Voici l'essentiel : trois règles."
    assert GrammalecteChecker(typography=False).check(text) == []
    on = GrammalecteChecker(typography=True).check(text)
    families = {i.family for i in on}
    assert {"nbsp", "apos"} <= families, on  # « ? », « : » and the straight apostrophe
    assert [text[i.start:i.end] for i in on if i.family == "nbsp"] == [" ?", " :"]


@needs_grammalecte
def test_grammalecte_loads_without_the_system_site_packages() -> None:
    GrammalecteChecker()
    assert not any(p.rstrip("/").endswith("dist-packages") for p in sys.path
                   if p.startswith("/usr/lib/python3"))
    assert "grammalecte.fr.gc_engine" in sys.modules


def test_a_missing_grammalecte_is_an_engine_failure(tmp_path: Path) -> None:
    engine = GrammalecteEngine(tmp_path)
    with pytest.raises(EngineError, match="no Grammalecte package"):
        engine.supports("fr")
    service = GrammarService(engines=[engine])
    result = service.check([("Il faut se inscrire avant lundi.", "fr")])
    assert result.unchecked == {"fr": 1}
    assert result.engines == [] and "Grammalecte" in result.fallbacks


@needs_grammalecte
def test_helper_processes_give_the_same_answers(grammalecte: GrammalecteChecker) -> None:
    texts = [
        "Il faut se inscrire avant lundi pour participer à l’atelier du samedi.",
        "Les enfant sont partis en vacances avec leurs grands-parents.",
        "Nous suivons de près les réseaux social de nos clients depuis dix ans.",
        "Le community manager anime l’identité numérique de la marque.",
        "Les offres que nous avons proposé sont claires et sans engagement.",
        "Ils mange des pommes tous les midis, assis sur un banc du parc.",
    ]
    engine = GrammalecteEngine(workers=2, parallel_min_words=1)
    try:
        shared = engine.check(texts)
        assert engine.parallel_pages == 1
    finally:
        engine.close()
    assert shared == [grammalecte.check(t) for t in texts]


def test_split_balanced_shares_the_work() -> None:
    texts = ["x" * n for n in (50, 40, 30, 20, 10, 5)]
    groups = split_balanced(texts, 2)
    sizes = sorted(sum(len(texts[i]) for i in g) for g in groups)
    assert sizes == [75, 80] and sorted(i for g in groups for i in g) == list(range(6))
    assert split_balanced(["a"], 3) == [[0]]


# -- paragraphs, cache ----------------------------------------------------------------

def test_prose_paragraphs_keep_sentences_only() -> None:
    blocks = [
        TextBlock("a", "Accueil", "nav"),
        TextBlock("li", "Nos services de référencement naturel", "nav"),
        TextBlock("h1", "Audit de site", "main"),
        TextBlock("p", "NOUVEAU : LES OFFRES DE RENTRÉE SONT LÀ", "main"),
        TextBlock("pre", "for page in pages: check(page) and report it", "main"),
        TextBlock("p", "Nous   analysons votre site\n en trois étapes.", "main"),
        TextBlock("p", "Nous analysons votre site en trois étapes.", "aside"),
        TextBlock("p", "Agence Clairvoyance, agence de marketing digital à Lyon.", "footer"),
    ]
    assert prose_paragraphs(blocks, min_words=4, skip_regions=["nav"]) == [
        "Nous analysons votre site en trois étapes.",
        "Agence Clairvoyance, agence de marketing digital à Lyon."]


def test_snippet_brackets_the_error() -> None:
    text = "Le résultat est là : les clients est contents, et le samedi nous vendons tout."
    start = text.index("est contents")
    assert snippet(text, start, start + 4, around=20) == \
        "…là : les clients [est] contents, et le…"


@needs_grammalecte
def test_each_distinct_paragraph_is_checked_once_per_run() -> None:
    footer = "Agence Clairvoyance, votre partenaire pour le référencement naturel à Lyon."
    service = GrammarService(GrammarSettings(workers=1))
    try:
        first = service.check([("Il faut se inscrire avant lundi.", "fr"), (footer, "fr")])
        assert service.stats.hits == 0 and service.stats.paragraphs == 2
        second = service.check([("Les enfant sont partis.", "fr"), (footer, "fr"),
                                (footer, "fr")])
        assert service.stats.hits == 2  # the footer, twice on the second page
        assert service.stats.words_checked == service.stats.words - 2 * len(footer.split())
        again = service.check([("Il faut se inscrire avant lundi.", "fr")])
        assert again.issues == first.issues[:1] and service.stats.hit_rate == 0.5
        assert [i.rule for _, i in second.issues] == ["gn_les_1m"]
    finally:
        service.close()


@needs_grammalecte
def test_ignore_rules_by_id_or_family() -> None:
    service = GrammarService(GrammarSettings(ignore_rules=frozenset({"conj", "gn_les_1m"})))
    result = service.check([("Ils mange. Les enfant sont partis. Il faut se inscrire.", "fr")])
    assert [i.rule for _, i in result.issues] == ["eleu_élisions_manquantes"]


# -- LanguageTool: request plan and rate limit ----------------------------------------

def test_split_text_cuts_at_sentence_ends_within_the_limit() -> None:
    sentence = "Le référencement naturel demande du temps et de la méthode. "
    text = sentence * 500  # ~31 KB of UTF-8
    pieces = split_text(text, 20_000)
    assert len(pieces) == 2
    assert all(len(p.encode()) <= 20_000 for _, p in pieces)
    assert pieces[0][1].endswith(". ") and "".join(p for _, p in pieces) == text
    assert [o for o, _ in pieces] == [0, len(pieces[0][1])]
    assert split_text("é" * 30, 10) == [(0, "é" * 5), (5, "é" * 5), (10, "é" * 5),
                                         (15, "é" * 5), (20, "é" * 5), (25, "é" * 5)]


def test_plan_requests_packs_paragraphs_up_to_the_limit() -> None:
    texts = ["Une phrase courte." * 50, "Une autre." * 300, "Fin."]
    batches = plan_requests(texts, 4_000)
    for batch in batches:
        assert len("\n\n".join(p.text for p in batch).encode()) <= 4_000
    rebuilt: dict[int, str] = {}
    for batch in batches:
        for p in batch:
            assert texts[p.paragraph][p.offset:p.offset + len(p.text)] == p.text
            rebuilt[p.paragraph] = rebuilt.get(p.paragraph, "") + p.text
    assert [rebuilt[i] for i in range(3)] == texts


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_allows_20_requests_per_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, None, 60.0, clock=clock, sleep=clock.sleep)
    for _ in range(20):
        assert limiter.acquire() == 0
        clock.now += 0.5
    assert limiter.acquire() == pytest.approx(50.0)  # the first one leaves the window at +60
    assert clock.now == pytest.approx(1060.0)
    clock.now += 100
    assert limiter.acquire() == 0


def test_rate_limiter_caps_bytes_per_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 75_000, 60.0, clock=clock, sleep=clock.sleep)
    assert limiter.acquire(30_000) == 0
    clock.now += 10
    assert limiter.acquire(30_000) == 0
    clock.now += 10
    assert limiter.acquire(30_000) == pytest.approx(40.0)  # waits for the first to expire
    assert limiter.waited == pytest.approx(40.0)


# -- LanguageTool through the real client ---------------------------------------------

def lt_config(url: str, timeout: int = 5) -> dict[str, Any]:
    return {"languagetool": {"server_url": url, "timeout": timeout}}


ENGLISH = ("<html lang='en'><body><main><p>This are the three steps of our audit. "
           "We read every page of the site and check its links.</p></main></body></html>")
FRENCH = ("<html lang='fr'><body><main><p>Pour participer à l’atelier, il faut se inscrire "
          "avant lundi auprès de notre équipe.</p></main></body></html>")


def test_languagetool_server_findings_come_from_its_answer(tmp_path: Path) -> None:
    with FakeLanguageTool() as lt:
        out = run_rule("grammar", [make_page({"html": ENGLISH})], tmp_path,
                       config=lt_config(lt.url))
    assert [f.code for f in out.findings] == ["grammar-error"]
    assert "THIS_NNS_VB" in out.findings[0].evidence
    assert "« [This are] the three steps" in out.findings[0].evidence
    assert "LanguageTool (server)" in out.findings[0].message.en
    assert out.data[SITE] == {"grammar_errors": 1,
                                   "grammar_engine": "LanguageTool (server)"}
    assert "/v2/languages" in lt.paths and len(lt.checks) == 1
    sent = lt.checks[0]
    assert sent["language"] == "en-US"
    assert {"TYPOS", "TYPOGRAPHY"} <= set(sent["disabledCategories"].split(","))


def test_languagetool_server_checks_french_instead_of_grammalecte(tmp_path: Path) -> None:
    with FakeLanguageTool() as lt:
        out = run_rule("grammar", [make_page({"html": FRENCH})], tmp_path,
                       config=lt_config(lt.url))
    assert [f.code for f in out.findings] == ["grammar-error"]
    assert "FR_ELISION_SE" in out.findings[0].evidence  # the server's rule, not Grammalecte's
    assert lt.checks[0]["language"] == "fr"


def test_public_api_requests_stay_within_its_limits() -> None:
    clock = FakeClock()
    paragraph = "Pour participer, il faut se inscrire avant lundi. " * 180  # ~9 KB
    long_one = "Je sais qu’ils mange des pommes à midi. " * 1300  # ~54 KB: must be cut
    texts = [paragraph] * 2 + [long_one] + [paragraph.replace("lundi", "mardi")] * 3
    with FakeLanguageTool() as lt:
        engine = LanguageToolEngine(
            "public", url=lt.url, limiter=RateLimiter(20, 75_000, 60.0, clock=clock,
                                                      sleep=clock.sleep))
        try:
            results = engine.check(texts, "fr")
        finally:
            engine.close()
    assert engine.name == "LanguageTool (public API)"
    sizes = [len(c["text"].encode()) for c in lt.checks]
    assert max(sizes) <= PUBLIC_LIMITS.request_bytes
    assert sum(sizes) > 75_000 and clock.sleeps  # more than a minute's worth: it waited
    assert len(results[0]) == 180 and len(results[2]) == 1300
    for text, issues in zip(texts, results, strict=True):
        for issue in issues:  # offsets point into the paragraph they belong to
            assert text[issue.start:issue.end] in ("se inscrire", "ils mange ")


@pytest.mark.parametrize("failure", ["http-500", "closed-port", "timeout"])
@needs_grammalecte
def test_a_failing_server_falls_back_to_grammalecte(tmp_path: Path, failure: str) -> None:
    if failure == "closed-port":
        out = run_rule("grammar", [make_page({"html": FRENCH})], tmp_path,
                       config=lt_config(closed_port_url()))
    else:
        mode = "error" if failure == "http-500" else "slow"
        with FakeLanguageTool(mode=mode, delay=3.0) as lt:
            out = run_rule("grammar", [make_page({"html": FRENCH})], tmp_path,
                           config=lt_config(lt.url, timeout=1))
    codes = sorted(f.code for f in out.findings)
    assert codes == ["grammar-error"]  # the fallback is the audit's limit, not the site's fault
    [fallback] = out.limits
    assert fallback["message"]["en"] == ("LanguageTool (server) unavailable on 1 page: grammar "
                                         "checked with Grammalecte instead.")
    assert fallback["detail"].startswith("LanguageTool (server): ")
    error = next(f for f in out.findings if f.code == "grammar-error")
    assert "eleu_élisions_manquantes" in error.evidence  # Grammalecte's rule
    assert out.data[SITE]["grammar_engine"] == "Grammalecte"


@needs_grammalecte
def test_a_failed_server_is_not_asked_again_but_every_page_says_so(tmp_path: Path) -> None:
    pages = [make_page({"url": "/a.html", "html": FRENCH}),
             make_page({"url": "/b.html", "html": FRENCH.replace("lundi", "mardi")})]
    with FakeLanguageTool(mode="error") as lt:
        out = run_rule("grammar", pages, tmp_path, config=lt_config(lt.url))
    assert lt.paths == ["/v2/languages"]  # one failed request for the whole run
    assert sorted((f.url.rsplit("/", 1)[-1], f.code) for f in out.findings) == [
        ("a.html", "grammar-error"), ("b.html", "grammar-error")]
    assert [(lim["key"], lim["pages"]) for lim in out.limits] == [
        ("engine-fallback:LanguageTool (server)", 2)]  # once for the run, both pages counted
    assert "sur 2 pages" in out.limits[0]["message"]["fr"]


def test_an_english_page_without_languagetool_is_not_checked(tmp_path: Path) -> None:
    out = run_rule("grammar", [make_page({"html": ENGLISH})], tmp_path,
                   config=lt_config(closed_port_url()))
    assert out.findings == []  # a limit of the audit, never a finding against the site
    [limit] = out.limits
    assert limit["message"]["fr"].startswith(
        "Grammaire non vérifiée sur 1 page (paragraphes en anglais) : aucun correcteur")
    reason, paragraph = limit["detail"].split("\n")
    assert reason.startswith("LanguageTool (server): ")
    assert paragraph == "« This are the three steps of our audit. We read every page of the site "\
        "and check… »"
    assert out.data[SITE] == {}
    assert "grammar" not in out.scores[SITE]  # not checked: not scored, not a silent 100


def test_find_home_accepts_only_what_the_library_counts_as_installed(tmp_path: Path) -> None:
    assert find_home(tmp_path) is None
    assert find_home(tmp_path / "missing") is None
    snapshot = tmp_path / "LanguageTool-6.5-SNAPSHOT"  # the library would download "6.5"
    snapshot.mkdir()
    with zipfile.ZipFile(snapshot / "languagetool-server.jar", "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    assert find_home(tmp_path) is None
    release = tmp_path / "LanguageTool-6.4"
    release.mkdir()
    (release / "languagetool-server.jar").write_text("not a jar")
    assert find_home(tmp_path) is None
    (snapshot / "languagetool-server.jar").rename(release / "languagetool-server.jar")
    assert find_home(tmp_path) == (tmp_path, "6.4")
    assert find_home(release) == (tmp_path, "6.4")


def test_a_folder_without_languagetool_never_starts_a_download(tmp_path: Path) -> None:
    before = os.environ.get("LTP_PATH")
    engine = LanguageToolEngine("local", home=tmp_path)
    with pytest.raises(EngineError, match="no LanguageTool in"):
        engine.supports("fr")
    assert engine.failure and os.environ.get("LTP_PATH") == before


@pytest.mark.skipif(not os.environ.get("SEO_AUDIT_LT_SERVER"),
                    reason="set SEO_AUDIT_LT_SERVER to a LanguageTool server URL")
def test_live_languagetool_server() -> None:
    engine = LanguageToolEngine("server", url=os.environ["SEO_AUDIT_LT_SERVER"])
    try:
        en = engine.check(["This are a test of the grammar checker."], "en")
        fr = engine.check(["Les enfant sont partis en vacances."], "fr")
    finally:
        engine.close()
    assert en[0] and all(isinstance(i, Issue) for i in en[0])
    assert fr[0]


def test_an_agreement_error_on_a_determiner_names_both_words_without_a_one_sided_fix() -> None:
    from audit.text.grammar_base import Issue
    from audit.text.grammar_scope import reframed

    text = "Undertow offre une bien meilleur intégration avec le reste du code."
    at = text.index("une")
    issue = Issue(at, at + 3, "gn_une_1m", "Accord de genre erroné : « meilleur » est masculin.",
                  ("un",), "gn")
    out = reframed(text, issue)
    assert "« une » et « meilleur »" in out.message and out.suggestions == ()
    verb = text.index("offre")
    other = Issue(verb, verb + 5, "conj_xyz", "Conjugaison erronée.", ("offrent",), "conj")
    assert reframed(text, other) is other


# -- the lexicon: false accusations dropped, errors elsewhere restated ------------------

@pytest.fixture(scope="module")
def lexicon(grammalecte: GrammalecteChecker) -> Lexicon:
    from audit.text.spelling import SYSTEM_DIRS, SpellChecker, find_dictionary

    if not (find_dictionary("fr", SYSTEM_DIRS) and find_dictionary("en", SYSTEM_DIRS)):
        pytest.skip("needs Debian's hunspell-fr and hunspell-en-us")
    words = SpellChecker()
    return Lexicon(grammalecte.morph, english=lambda w: words.known("en", w),
                   french=lambda w: words.known("fr", w))


def judged(checker: GrammalecteChecker, lex: Lexicon, text: str
           ) -> list[tuple[str, tuple[str, ...], Issue]]:
    """What the rule reports of ``text``: (flagged text, suggestions, issue)."""
    out = []
    for issue in checker.check(text):
        if falsely_accused(text, issue, lex):
            continue
        issue = reframed(text, reframed_by_lexicon(text, issue, lex))
        out.append((text[issue.start:issue.end].strip(), issue.suggestions, issue))
    return out


@needs_grammalecte
@pytest.mark.parametrize("sentence", [
    # an acronym in capitals has no number (« COR »), « TU » is no pronoun
    "Le problème vient de notre cher ami, le CORS, qu’il faut configurer.",
    "On les lance comme un TU ou à l’aide du plugin Cucumber.",
    # the adjective agrees with the noun before a bare prepositional complement
    "Le rapport donne le nombre de requêtes par seconde traitées par le serveur.",
    "Les exigences en matière d’écoconception applicables aux produits sont publiées.",
    # a noun set after a noun: its own gender, or its own (plural) number
    "Jolokia propose une approche orientée agent pour la supervision.",
    "La méthode constructeur est appelée à la création de l’objet.",
    "Le produit est publié en version bêta en février.",
    "Cependant, côté points négatifs, je ne suis pas fan des colonnes.",
    # « des plus » + singular after an infinitive subject
    "Faire fonctionner le tout n’est pas des plus trivial, mais cela fonctionne.",
    # a first name given to a thing (a database: « dans Cassandra »)
    "Les données sont rangées dans Cassandra. Cassandra est optimisé pour écrire vite.",
    # English nouns the French lexicon reads as verbs
    "Il faut permettre le calcul des ranges affectés à chacun des mappers.",
    "Les scénarios sont issus de l’utilisation du recorder de JMeter.",
    "Le build passe par l’utilisation d’un profile dédié.",
    # an invariable locution, a noun used as a verb's complement, a description
    "Il y aura de nombreux tirs, tirs qui seront fonction du nombre d’utilisateurs.",
    "Les codes sources produits dans le cadre des projets sont publiés.",
    "Un simple caractère en trop peut provoquer une erreur.",
    "Fournit une visibilité des émissions de gaz à effet de serre.",
    "Quelles données sont hébergées ? (quantité de données consommées, coût associé).",
    "C’est un projet qui me challenge tous les jours.",
    "Des évènements qui se propagent de parent en parent, comme en JavaScript.",
    # two singular adjectives: a noun phrase of its own (le numérique responsable)
    "La MiNumEco et les référents numérique responsable des ministères vous saluent.",
])
def test_the_lexicon_drops_false_accusations(grammalecte: GrammalecteChecker,
                                             lexicon: Lexicon, sentence: str) -> None:
    assert grammalecte.check(sentence), "the engine no longer flags it: the case tests nothing"
    assert judged(grammalecte, lexicon, sentence) == []


@needs_grammalecte
def test_a_loanword_keeps_the_gender_its_writer_gives_it_twice(
        grammalecte: GrammalecteChecker, lexicon: Lexicon) -> None:
    page = ("La classe contient la définition de la step. Pourquoi réunir toutes les steps "
            "dans une seule classe ? Il faut lire la document officielle, puis encore la "
            "document officielle, la documentation du projet.")
    flagged = [(page[i.start:i.end], falsely_accused(page, i, lexicon, page))
               for i in grammalecte.check(page)]
    assert ("la", True) in flagged  # la step: the writer's gender, twice
    assert ("la", False) in flagged  # la document: « documentation » cut short, a slip
    once = "Il faut suivre la step suivante."
    assert any(not falsely_accused(once, i, lexicon) for i in grammalecte.check(once))


@needs_grammalecte
@pytest.mark.parametrize(("sentence", "flagged", "suggestions"), [
    ("En fait, Cassandra est été conçu pour être hautement scalable.", "est été", ()),
    ("Bien sûr, il est existe bien d’autres solutions.", "est existe", ()),
    ("Il faut un composant tiers qui peut lié le traitement des logs à une application.",
     "peut lié", ("peut lier", "peut être lié")),
    ("La différence est que les RDDs ne peuvent créés qu’au travers de transformations.",
     "peuvent créés", ("peuvent créer", "peuvent être créés")),
    ("Pour des raisons d’usage, plusieurs expérimentations on été effectuées.", "on été", ()),
    ("Aussi longtemps qu’il sont disponibles, ils reçoivent les requêtes.", "il sont", ()),
    ("Il n’y a pas de rollback lorsque l’écriture réussi sur un noeud.", "écriture réussi",
     ("réussit", "réussie")),
    ("Enfin, Cassandra fourni un schéma de données dynamique.", "Cassandra fourni",
     ("fournit", "fournie")),
    ("Ce n’est pas toujours possible (trop de log différents, systèmes hétérogènes).",
     "log différents", ()),
    ("Le projet des décomposé comme suit.", "des", ()),
    ("Les colonnes et leurs méta données peuvent être ajoutées.", "méta données",
     ("métadonnées",)),
])
def test_an_error_lying_elsewhere_is_restated(grammalecte: GrammalecteChecker,
                                              lexicon: Lexicon, sentence: str, flagged: str,
                                              suggestions: tuple[str, ...]) -> None:
    [(got, offered, issue)] = judged(grammalecte, lexicon, sentence)
    assert (got, offered) == (flagged, suggestions)
    assert issue.message_en and issue.message_en != issue.message  # both report languages


@needs_grammalecte
@pytest.mark.parametrize(("sentence", "wrong", "fix"), [
    ("Il faut se inscrire avant lundi.", "se", "s’"),
    ("Les enfant sont partis en vacances.", "enfant", "enfants"),
    ("Ils mange des pommes tous les midis.", "mange", "mangent"),
    ("Nous suivons de près les réseaux social de nos clients.", "social", "sociaux"),
    ("Le résultat est là : les clients est contents.", "est", "sont"),
    ("Il faut tirer le meilleur partie de la machine.", "partie", "parti"),
    ("Ces derniers répondent avec la donnée demandé par le client.", "demandé", "demandée"),
    ("Il s’agit des informations concernant les cookies utilisées sur ce site.", "utilisées",
     "utilisés"),
    ("On a vu dans les deux paragraphe précédent que tout allait bien.", "paragraphe",
     "paragraphes"),
    ("Lors du livereload, je me suis dis que cela pouvait être pas mal.", "dis", "dit"),
    ("On peut déjà constaté qu’il est possible de classifier les données.", "constaté",
     "constater"),
    ("Choisit votre formule avant lundi.", "Choisit", "Choisis"),
    ("Elle a fini son travail et elle est partit en vacances.", "partit", "parti"),
    ("Julie est parti en vacances avec ses amis.", "parti", "partie"),
    ("Marie Dupont est parti hier soir. Nous travaillons dans Marie.", "parti", "partie"),
    ("Ces articles sont rédigés par des experts reconnu dans leur domaine.", "reconnu",
     "reconnus"),
    ("Pour un retour exhaustif, je vous renvoi sur d’autres blogs.", "renvoi", "renvoie"),
    ("Par pitié, ne tordez pas le coup aux outils !", "coup", "cou"),
    ("Remplacez y les corrigés par les vôtres.", "Remplacez y", "Remplacez-y"),
    ("La réflexion sur l’obsolescence s’article sous trois formes.", "article", None),
])
def test_real_errors_stay_as_the_engine_says(grammalecte: GrammalecteChecker,
                                             lexicon: Lexicon, sentence: str, wrong: str,
                                             fix: str | None) -> None:
    [(got, offered, _issue)] = judged(grammalecte, lexicon, sentence)
    assert got == wrong and (offered[0] == fix if fix else not offered)


@needs_grammalecte
def test_the_service_gives_the_french_lexicon_only() -> None:
    service = GrammarService(GrammarSettings(workers=1))
    try:
        morph = service.morph("fr")
        assert morph is not None and any(":Q" in m for m in morph("insérées"))
        assert service.morph("en") is None
    finally:
        service.close()
    assert GrammarService(engines=[]).morph("fr") is None


@needs_grammalecte
def test_style_is_off_by_default_and_on_when_asked() -> None:
    text = "Découpage de projets : projet vs. modules, avec du code legacy partout."
    assert GrammalecteChecker().check(text) == []
    rules = {i.rule for i in GrammalecteChecker(style=True).check(text)}
    assert {"p_vs", "code_legacy"} <= rules
