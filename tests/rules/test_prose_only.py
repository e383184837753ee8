"""Readability, keyword density and the detected focus read prose, never code listings or
inline code (audit.text.content.prose_blocks)."""

from __future__ import annotations

from pathlib import Path

from tests.rules.harness import SITE, make_page, run_rule

PROSE = (
    "<p>Un tableau croisé résume vos données en quelques clics. Vous choisissez les lignes, "
    "les colonnes et la valeur à calculer. Le tableau croisé se met à jour quand les données "
    "changent. Nous montrons ici comment le construire pas à pas, avec un exemple tiré "
    "d’une enquête sur les ménages. Chaque étape est courte. Vous pouvez refaire l’exercice "
    "avec vos propres fichiers. À la fin, vous saurez filtrer, trier et présenter les "
    "résultats à vos collègues. Les erreurs les plus fréquentes sont expliquées. Gardez ce "
    "guide sous la main : il vous fera gagner du temps chaque semaine, sur chaque projet, "
    "et vos collègues vous remercieront de tableaux clairs, justes et faciles à relire.</p>")
LISTING = ("<pre>" + "\n".join(
    f"df_{i} = pd.pivot_table(menages, index='region_{i}', columns='annee', "
    f"values='revenu', aggfunc='mean')  # couleur #fffe0{i}ebbec" for i in range(40))
    + "</pre>")
INLINE = ("<p>Appelez <code>pd.pivot_table(menages, index='region')</code> puis "
          "<code>df.reset_index()</code> pour aplatir le résultat.</p>")
INLINE_PROSE = "<p>Appelez puis pour aplatir le résultat.</p>"


def _page(url: str, body: str) -> object:
    return make_page({"url": url, "html": (
        "<html lang='fr'><head><title>Tableau croisé : le guide</title></head><body><main>"
        f"<h1>Construire un tableau croisé</h1>{body}</main></body></html>")})


def test_readability_ignores_listings_and_inline_code(tmp_path: Path) -> None:
    out = run_rule("readability", [_page("/prose.html", PROSE + INLINE_PROSE),
                                   _page("/code.html", PROSE + LISTING + INLINE)], tmp_path)
    prose, code = out.data[SITE + "prose.html"], out.data[SITE + "code.html"]
    assert prose["readability"] == code["readability"]
    assert prose["words_per_sentence"] == code["words_per_sentence"]
    assert out.scores[SITE + "prose.html"]["readability"] == \
        out.scores[SITE + "code.html"]["readability"]


def test_a_page_mostly_code_is_not_scored_rather_than_badly(tmp_path: Path) -> None:
    short = "<p>Voici le script complet de l’exemple, à copier tel quel.</p>"
    out = run_rule("readability", [_page("/", short + LISTING + INLINE)], tmp_path)
    assert "readability" not in out.scores[SITE]  # 20 words of prose: too short to judge
    assert out.findings == []


def test_keyword_density_counts_prose_words_only(tmp_path: Path) -> None:
    config = {"keywords": {"/*": "tableau croisé"}}
    out = run_rule("keyword-focus", [_page("/prose.html", PROSE + INLINE_PROSE),
                                     _page("/code.html", PROSE + LISTING + INLINE)],
                   tmp_path, config=config)
    prose, code = out.data[SITE + "prose.html"], out.data[SITE + "code.html"]
    assert prose["keyword_density"] == code["keyword_density"] > 1.0
    assert not {f.code for f in out.findings} & {"weak-focus", "stuffing"}


def test_the_detected_focus_is_a_word_as_written_never_code(tmp_path: Path) -> None:
    team = make_page({"url": "/equipe.html", "html": (
        "<html lang='fr'><head><title>Notre équipe</title></head><body><main>"
        "<h1>L’équipe</h1><p>Notre équipe compte douze personnes. Chaque équipe suit ses "
        "clients de près ; les équipes se retrouvent le lundi.</p>"
        "<p style='color:#fffe0e'>Couleurs : #fffe0ebbec, #ebbec0 et fffe-ebbec-12ab.</p>"
        + LISTING + "</main></body></html>")})
    other = _page("/guide.html", PROSE)
    out = run_rule("keyword-focus", [team, other], tmp_path)
    detected = out.data[SITE + "equipe.html"]["focus_keyword"]
    assert detected["fr"].startswith("équipe"), detected
    for f in out.findings:
        for text in (f.message.fr, f.message.en):
            assert "fffe" not in text and "ebbec" not in text and "pivot" not in text
            assert "equip" not in text.replace("équipe", "")
