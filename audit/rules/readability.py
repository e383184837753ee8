from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Limit, Msg, Outcome, PageData, PageRule, Score, Severity
from audit.text.content import prose_blocks
from audit.text.lang_names import in_language
from audit.text.readability import measure
from audit.text.tokens import block_text, words
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


class Readability(PageRule):
    """The page's content reads easily: short sentences, plain words (Flesch reading ease).

    **Why it matters**: "be clear and precise" — readers leave pages that are hard to
    read, and engines measure that (pogo-sticking, dwell time); plain sentences also
    answer search queries more directly, which is what featured snippets quote.

    **Bad**: « Dans l’optique d’une optimisation systématique de la visibilité
    organique, il convient de procéder préalablement à une analyse exhaustive de
    l’ensemble des paramètres conditionnant le positionnement. » (one 25-word sentence
    of long words: ease ≈ 10, very difficult).

    **Good**: « Avant d’agir, nous analysons votre site. Nous cherchons ce qui freine
    son classement. Puis nous corrigeons. » (ease ≈ 80, easy).

    French pages use Kandel & Moles' French Flesch formula, English pages Flesch's
    (textstat's constants); the text is the prose of the page's content blocks (not
    navigation, header, footer; not code: ``<pre>`` listings and inline ``<code>``,
    ``<kbd>``… are left out), each block ending a sentence. Pages under ``min_words``
    words of prose are not scored — a tutorial that is mostly listings gets no score
    rather than a bad one. A language without a formula is a limit of the audit (one
    line in the Summary's notes with the number of pages), never a finding. Score: 100
    at ``target`` ease or above, falling linearly to 0 at ``floor``.
    """

    id = "readability"
    category = "seo"
    weight = 1.0
    title = Msg("Texte lisible", "Readable text")
    description = Msg(
        "Mesure la lisibilité du contenu (indice de Flesch, formule française de Kandel et "
        "Moles) : phrases courtes, mots simples.",
        "Measures how easy the content is to read (Flesch reading ease): short sentences, "
        "plain words.")
    why = Msg(
        "Les lecteurs quittent les pages difficiles à lire, et les moteurs le mesurent ; des "
        "phrases simples répondent aussi plus directement aux questions des internautes, ce "
        "que citent les extraits optimisés de Google.",
        "Readers leave pages that are hard to read, and engines measure that; plain sentences "
        "also answer searchers' questions more directly, which is what featured snippets "
        "quote.")
    fix = Msg(
        "Coupez les phrases longues (une idée par phrase, moins de 25 mots en moyenne) et "
        "préférez les mots courants et concrets aux tournures longues et abstraites.",
        "Split long sentences (one idea per sentence, under 25 words on average) and prefer "
        "common, concrete words to long, abstract phrasing.")
    codes = {
        "difficult": Code(Severity.WARNING, Msg("Texte difficile à lire", "Text hard to read")),
        "long-sentences": Code(Severity.NOTICE, Msg("Phrases trop longues",
                                                    "Sentences too long")),
    }
    columns = {
        "readability": Msg("Lisibilité (Flesch)", "Readability (Flesch)"),
        "readability_label": Msg("Niveau de lecture", "Reading level"),
        "words_per_sentence": Msg("Mots par phrase", "Words per sentence"),
    }

    @dataclass(frozen=True)
    class Options:
        min_words: int = checked(at_least(1), default=100)  # less running text: not scored
        target: float = 60.0  # "standard" ease: full score from here up
        floor: float = 20.0  # score 0 at or below this ease
        difficult_below: float = 40.0  # a warning under this ease
        max_words_per_sentence: float = checked(at_least(5), default=25.0)

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        text = block_text(running_text(page))
        lang = ctx.page_language(page)
        r = measure(text, lang)
        if r is None:
            if text:
                where = in_language(lang)
                yield Limit(f"no-formula:{lang}", Msg(
                    f"Lisibilité non mesurée sur {{pages}} (pages {where.fr}) : pas de "
                    "formule de lisibilité pour cette langue.",
                    f"Readability not measured on {{pages}} (pages {where.en}): no "
                    "readability formula for that language."), page.url)
            yield Score(page.url, None)
            return
        if r.words < self.options.min_words:
            yield Score(page.url, None)  # too short to judge: no score either way
            return
        o = self.options
        # Flesch's formula goes below 0 (and above 100) on extreme text; a reader knows
        # the 0–100 scale: shown clamped, the label says how hard.
        ease = round(min(max(r.ease, 0.0), 100.0), 1)
        wps = round(r.words_per_sentence, 1)
        yield PageData(page.url, "readability", ease)
        yield PageData(page.url, "readability_label", Msg(r.label("fr"), r.label("en")))
        yield PageData(page.url, "words_per_sentence", wps)
        span = max(o.target - o.floor, 1e-9)
        yield Score(page.url, max(0.0, min(100.0, (r.ease - o.floor) / span * 100)))
        evidence = r.longest  # the sentence to rewrite first
        if r.ease < o.difficult_below:
            yield self.finding(page.url, "difficult", Msg(
                "Texte difficile à lire (indice de Flesch {e} sur 100, « {lf} ») : "
                "raccourcissez les phrases et préférez des mots simples.",
                "Text hard to read (Flesch reading ease {e} out of 100, '{le}'): shorten "
                "sentences, prefer plain words."
            ).format(e=ease, lf=r.label("fr"), le=r.label("en")), evidence=evidence)
        if r.words_per_sentence > o.max_words_per_sentence:
            yield self.finding(page.url, "long-sentences", Msg(
                "Phrases longues : {w} mots par phrase en moyenne (au plus {m} conseillé).",
                "Long sentences: {w} words per sentence on average (at most {m} advised)."
            ).format(w=wps, m=o.max_words_per_sentence), evidence=evidence)


# A block this short without a sentence's final punctuation is a fragment (a list item's
# note, a table cell, a menu of chapters), not a sentence a reader reads.
FRAGMENT_WORDS = 8


def running_text(page: PageItem) -> list[str]:
    """The page's running text: its prose blocks (no code, no navigation) that are
    sentences — headings are titles, and a list item, term or cell of fewer than
    ``FRAGMENT_WORDS`` words without final punctuation is a note, not a sentence
    (« very simple scheme », « sparse matrix »). Flesch measures sentences; on a table
    of contents or a page of terse bullet notes it measures nothing."""
    out = []
    for block, text in prose_blocks(page):
        if block.tag in _HEADINGS:
            continue
        if text.rstrip()[-1:] not in _FINAL and len(words(text)) < FRAGMENT_WORDS:
            continue
        out.append(text)
    return out


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_FINAL = frozenset(".!?…:;")
