from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageData, PageRule, Score, Severity
from audit.text.keywords import STOP_TERMS, count_phrase, keyword_service, phrase_terms
from audit.text.tokens import term, terms, words
from audit.typedyaml import at_least, between, checked
from spiders.extract import count_words
from spiders.items import PageItem
from spiders.visibility import (
    CHROME,
    DECEPTIVE_TECHNIQUES,
    DECORATIVE,
    IMAGE_REPLACEMENT,
    MENU,
    SKIP_LINK,
    SR_ONLY,
    split_link_hidden,
    technique_of,
)

# The techniques' names in French (the CSS itself is quoted as written).
_TECHNIQUE_FR = {
    "hidden attribute": "attribut hidden", "closed <details>": "<details> fermé",
    "closed <dialog>": "<dialog> fermé", "tiny font": "police minuscule",
    "off-screen": "hors écran", "clipped": "découpé",
    "zero-size box": "boîte de taille nulle",
    "colour = background": "couleur = fond", "transparent text": "texte transparent",
    "1px image": "image de 1 px",
}


def _fr(reason: str) -> str:
    """A TextBlock.hidden / Link.hidden reason in French: technique and wording."""
    technique = technique_of(reason)
    out = _TECHNIQUE_FR.get(technique, technique) + reason[len(technique):]
    return (out.replace(" on #", " sur #").replace(", contrast ", ", contraste ")
            .replace(" — background: default white", " — fond : blanc par défaut")
            .replace(" — background: ", " — fond : "))


# Hidden text of these patterns is short by nature: long or stuffed, it is abuse.
_SHORT_PATTERNS = frozenset({SR_ONLY, SKIP_LINK, DECORATIVE, IMAGE_REPLACEMENT})


def _one_period(text: str, longest: int = 8) -> str:
    """A text that is one short label said again and again (« (opens new window) (opens
    new window) … », « Tip Tip Tip »: the labels of several links met in one block) as
    that label once; any other text unchanged."""
    parts = text.split()
    n = len(parts)
    for period in range(1, min(longest, n // 2) + 1):
        if n % period == 0 and all(parts[i] == parts[i - period] for i in range(period, n)):
            return " ".join(parts[:period])
    return text


@dataclass
class _Group:
    """The hidden text and links of a page that one rule (or attribute) hides."""

    reason: str
    context: str
    texts: list[str] = field(default_factory=list)
    internal_links: int = 0
    external_links: int = 0

    @property
    def links(self) -> int:
        return self.internal_links + self.external_links


@dataclass
class _Judgement:
    group: _Group
    words: int
    verdict: str  # "spam" | "suspicious" | "" (legitimate or too little to say)
    keyword: str  # the focus keyword or topic words found in it ("" if none)
    repeated: list[tuple[str, int]]  # (word as written, occurrences), most repeated first
    long: bool
    deceptive: bool
    bad_links: bool  # links hidden for no honest reason


class HiddenText(PageRule):
    """No text or link is hidden from visitors while left in the page for search engines.

    **Why it matters**: Google's spam policies name hidden text and links — white text
    on a white background, text behind an image or off-screen, a zero font size, links
    in a hidden block — and a page caught with them is demoted or dropped, often with
    the whole site's trust. The trick has not worked for years; when it is found it is
    usually an old SEO provider's legacy or a hacked site injecting links.

    **Bad**: ``<div class="seo-text">Plombier Paris, plombier pas cher Paris, dépannage
    plombier Paris…</div>`` with ``.seo-text { display: none }``; ``<p style="color:#fff">``
    on a white page; ``<a href="https://casino.example" style="font-size:0">casino</a>``.

    **Good**: hidden text that serves visitors and says so: screen-reader text
    (``<span class="visually-hidden">(ouvre un nouvel onglet)</span>``), skip links,
    dropdown and mobile menus, tabs, accordions and ``<details>``, carousels, cookie
    banners and modals, print-only text. They are recognised by structure, roles, ARIA
    and common class names and raise nothing unless they are stuffed with keywords.

    The crawler computes, for every text, the styles that apply (inline, ``<style>``,
    the linked stylesheets when fetched) and names the technique and the CSS rule that
    hides it (``TextBlock.hidden``). This rule judges the intent from those blocks and
    links only: hidden text with the page's focus keyword (configured, else its title and
    h1 words), with repeated words (stuffing), long, or carrying links is spam (error);
    other unexplained hidden text is a warning (short interface snippets hidden by
    display:none are not); hidden links (to other sites, or several) are an error of their
    own. Inside an honest pattern only blatant stuffing counts. Page score: 100, 50 with a
    warning, 0 with spam or hidden links. Details and thresholds: docs/hidden-text.md.
    """

    id = "hidden-text"
    category = "seo"
    weight = 3.0  # spam: a manual action can drop the page, or the site
    title = Msg("Pas de texte ni de liens cachés", "No hidden text or links")
    description = Msg(
        "Détecte le texte et les liens invisibles pour les visiteurs (display:none, même "
        "couleur que le fond, hors écran, police nulle…) et juge s’il s’agit de spam ou d’un "
        "usage légitime (menus, onglets, texte pour lecteurs d’écran…).",
        "Detects text and links visitors cannot see (display:none, same colour as the "
        "background, off-screen, zero font size…) and judges whether it is spam or an honest "
        "use (menus, tabs, screen-reader text…).")
    why = Msg(
        "Les règles anti-spam de Google visent le texte et les liens cachés (blanc sur blanc, "
        "hors écran, police nulle) : une page qui en contient est déclassée ou retirée, "
        "souvent avec la confiance de tout le site. C’est en général l’héritage d’un ancien "
        "prestataire ou un piratage.",
        "Google's spam policies name hidden text and links (white on white, off-screen, zero "
        "font size): a page caught with them is demoted or dropped, often with the whole "
        "site's trust. It is usually an old provider's legacy or a hack.")
    fix = Msg(
        "Supprimez le texte et les liens cachés signalés (ou affichez-les s’ils servent les "
        "visiteurs) et la règle CSS qui les masque ; des liens cachés vers d’autres sites que "
        "vous n’avez pas posés sont le signe d’un piratage à nettoyer.",
        "Remove the reported hidden text and links (or show them if they serve visitors) and "
        "the CSS rule hiding them; hidden links to other sites you never placed are the sign "
        "of a hack to clean up.")
    codes = {
        "hidden-spam": Code(Severity.ERROR, Msg("Texte caché bourré de mots-clés",
                                                "Hidden keyword-stuffed text")),
        "hidden-links": Code(Severity.ERROR, Msg("Liens cachés", "Hidden links")),
        "hidden-text": Code(Severity.WARNING, Msg("Texte caché sans raison apparente",
                                                  "Hidden text with no apparent reason")),
    }
    columns = {"hidden_words": Msg("Mots cachés suspects", "Suspicious hidden words")}

    @dataclass(frozen=True)
    class Options:
        long_words: int = checked(at_least(10), default=50)  # "long" hidden text
        min_words: int = checked(at_least(1), default=3)  # below: too little to warn about
        # Hidden by display:none & co. (what interfaces do), shorter than this and with no
        # other signal: no warning (form messages, labels, badges...).
        ui_min_words: int = checked(at_least(1), default=8)
        # Unexplained hidden text this long is worth a look even without a spam signal.
        suspicious_words: int = checked(at_least(1), default=20)
        stuffing_repeats: int = checked(at_least(2), default=3)
        stuffing_share: float = checked(between(0.01, 1.0), default=0.15)
        # Inside an honest pattern (tabs, accordions...), stuffing must be blatant.
        pattern_stuffing_repeats: int = checked(at_least(2), default=5)
        pattern_stuffing_share: float = checked(between(0.01, 1.0), default=0.25)
        max_listed: int = checked(at_least(1), default=5)

    def applies(self, page: PageItem) -> bool:
        return page.ok

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        groups = self._groups(page)
        if not groups:
            yield PageData(page.url, "hidden_words", 0)
            yield Score(page.url, 100.0)
            return
        keyword = keyword_service(ctx).map.lookup(page.url)
        phrase = phrase_terms(keyword) if keyword else ()
        topic = {t for text in [page.title or "", *page.h(1)] for t in terms(text)
                 if t not in STOP_TERMS and len(t) >= 3}
        judged = [self._judge(g, phrase, keyword or "", topic) for g in groups]
        spam = [j for j in judged if j.verdict == "spam"]
        suspicious = [j for j in judged if j.verdict == "suspicious"]
        bad_links = [j for j in judged if j.bad_links]
        flagged = [j for j in judged if j.verdict or j.bad_links]
        yield PageData(page.url, "hidden_words", sum(j.words for j in flagged))
        if spam:
            n = sum(j.words for j in spam)
            fr, en = self._signals(spam)
            yield self.finding(page.url, "hidden-spam", Msg(
                "{n} mot(s) cachés aux visiteurs mais lus par les moteurs : {fr}.",
                "{n} hidden word(s) visitors cannot see but search engines read: {en}."
            ).format(n=n, fr=fr, en=en), evidence=self._evidence(spam))
        if bad_links:
            total = sum(j.group.links for j in bad_links)
            external = sum(j.group.external_links for j in bad_links)
            yield self.finding(page.url, "hidden-links", Msg(
                "{n} lien(s) invisibles pour les visiteurs, dont {x} vers d’autres sites.",
                "{n} link(s) visitors cannot see, {x} of them to other sites.").format(
                    n=total, x=external), evidence=self._evidence(bad_links))
        if suspicious:
            n = sum(j.words for j in suspicious)
            yield self.finding(page.url, "hidden-text", Msg(
                "{n} mot(s) cachés sans motif reconnu (menu, onglet, accordéon, texte pour "
                "lecteur d’écran…) : à vérifier.",
                "{n} hidden word(s) with no recognised honest pattern (menu, tab, accordion, "
                "screen-reader text…): to be checked.").format(n=n),
                evidence=self._evidence(suspicious))
        score = 0.0 if spam or bad_links else 50.0 if suspicious else 100.0
        yield Score(page.url, score)

    # -- grouping and judging --------------------------------------------------------------

    @staticmethod
    def _groups(page: PageItem) -> list[_Group]:
        groups: dict[tuple[str, str], _Group] = {}
        for block in page.text_blocks:
            # A hidden <pre> is a listing (a solution, an output toggled open): program
            # text stuffs no keyword.
            if block.hidden and block.tag != "pre":
                key = (block.hidden, block.hidden_context)
                group = groups.get(key)
                if group is None:
                    groups[key] = group = _Group(block.hidden, block.hidden_context)
                group.texts.append(block.text)
        for link in page.links:
            if not link.hidden:
                continue
            reason, context = split_link_hidden(link.hidden)
            key = (reason, context)
            group = groups.get(key)
            if group is None:
                groups[key] = group = _Group(reason, context)
            if link.internal:
                group.internal_links += 1
            else:
                group.external_links += 1
        return list(groups.values())

    def _judge(self, g: _Group, phrase: tuple[str, ...], keyword: str, topic: set[str]
               ) -> _Judgement:
        o = self.options
        # One label repeated on every link or note (« (opens new window) », « Tip ») is
        # interface, not stuffing: each distinct text counts once.
        text = " ".join(dict.fromkeys(_one_period(t) for t in g.texts))
        surface = words(text)
        toks = [term(w) for w in surface]
        content = [t for t in toks if t not in STOP_TERMS and len(t) >= 3]
        counts = Counter(content)
        written: dict[str, str] = {}
        for w in surface:
            written.setdefault(term(w), w.lower())
        n_words = count_words(text)  # as PageItem.word_count counts (numbers too)
        repeated = [(written[t], c) for t, c in counts.most_common(5) if c >= o.stuffing_repeats]
        phrase_count = count_phrase(phrase, toks) if phrase else 0
        topic_found = sorted({t for t in content if t in topic})
        # The focus keyword, else two words or more of the title and h1.
        found = ""
        if phrase_count:
            found = keyword
        elif len(topic_found) >= 2:
            found = ", ".join(written[t] for t in topic_found[:4])
        share = {t: c / len(content) for t, c in counts.items()} if content else {}
        focus = set(phrase) | topic
        # The keyword's share of the hidden words: five mentions in a 25,000-word collapsed
        # document are prose, five in twenty words are stuffing.
        phrase_share = phrase_count * len(phrase) / len(toks) if toks else 0.0
        topic_stuffing = (phrase_count >= o.stuffing_repeats
                          and phrase_share >= o.stuffing_share) or any(
            c >= o.stuffing_repeats and share[t] >= o.stuffing_share and t in focus
            for t, c in counts.items())
        any_stuffing = any(c >= o.stuffing_repeats + 1 and share[t] >= 0.25
                           for t, c in counts.items())
        blatant = (phrase_count >= o.pattern_stuffing_repeats
                   and phrase_share >= o.pattern_stuffing_share) or any(
            c >= o.pattern_stuffing_repeats and share[t] >= o.pattern_stuffing_share
            and t in focus for t, c in counts.items())
        long = n_words >= o.long_words
        technique = technique_of(g.reason)
        deceptive = technique in DECEPTIVE_TECHNIQUES
        verdict = ""
        bad_links = False
        if g.context in (MENU, CHROME):
            # Menus are lists of links that repeat words (« Chaussures homme, Chaussures
            # femme »), a theme's footer or sidebar holds its credits and section links:
            # only a hidden block of links to other sites is abuse, or blatant stuffing.
            bad_links = g.external_links >= 3 and g.external_links > g.internal_links
            if g.context == CHROME and blatant:
                verdict = "spam"
        elif g.context in _SHORT_PATTERNS:
            if topic_stuffing or any_stuffing or long:
                verdict = "spam"
        elif g.context:
            if blatant:
                verdict = "spam"
        else:
            stuffing = topic_stuffing or any_stuffing
            few_links = 0 < g.internal_links < 3 and not g.external_links
            points = 2 * stuffing + bool(found) + long + deceptive + few_links
            if points >= 2 and (n_words >= o.min_words or g.links):
                verdict = "spam"
            elif (points == 1 and n_words >= (o.min_words if deceptive else o.ui_min_words)) \
                    or n_words >= o.suspicious_words:
                verdict = "suspicious"
            bad_links = g.external_links > 0 or g.internal_links >= 3
        if verdict == "spam" and g.links:
            bad_links = True
        return _Judgement(g, n_words, verdict, found, repeated, long, deceptive, bad_links)

    # -- reporting -------------------------------------------------------------------------

    @staticmethod
    def _signals(judged: list[_Judgement]) -> tuple[str, str]:
        fr: list[str] = []
        en: list[str] = []
        found = sorted({j.keyword for j in judged if j.keyword})
        if found:
            fr.append("contient « " + " », « ".join(found) + " »")
            en.append("contains '" + "', '".join(found) + "'")
        repeated: Counter[str] = Counter()
        for j in judged:
            for w, c in j.repeated:
                repeated[w] += c
        if repeated:
            listing = ", ".join(f"{w} ×{c}" for w, c in repeated.most_common(5))
            fr.append(f"mots répétés : {listing}")
            en.append(f"repeated words: {listing}")
        if any(j.long for j in judged):
            fr.append("texte long")
            en.append("long text")
        links = sum(j.group.links for j in judged)
        if links:
            fr.append(f"{links} lien(s)")
            en.append(f"{links} link(s)")
        techniques = sorted({technique_of(j.group.reason) for j in judged if j.deceptive})
        if techniques:
            fr.append("procédé trompeur (" + ", ".join(_fr(t) for t in techniques) + ")")
            en.append("deceptive technique (" + ", ".join(techniques) + ")")
        return "; ".join(fr) or "texte caché", "; ".join(en) or "hidden text"

    def _evidence(self, judged: list[_Judgement]) -> Msg:
        fr_lines: list[str] = []
        en_lines: list[str] = []
        shown = judged[: self.options.max_listed]
        for j in shown:
            g = j.group
            excerpt = " ".join(g.texts)
            if len(excerpt) > 160:
                excerpt = excerpt[:157] + "…"
            context = f" [{g.context}]" if g.context else ""
            fr = [f"{_fr(g.reason)}{context}", f"{j.words} mot(s)"]
            en = [f"{g.reason}{context}", f"{j.words} word(s)"]
            if j.repeated:
                listing = ", ".join(f"{w} ×{c}" for w, c in j.repeated)
                fr.append(f"répétés : {listing}")
                en.append(f"repeated: {listing}")
            if g.links:
                fr.append(f"{g.links} lien(s) dont {g.external_links} externe(s)")
                en.append(f"{g.links} link(s), {g.external_links} external")
            if excerpt:
                fr.append(f"« {excerpt} »")
                en.append(f"'{excerpt}'")
            fr_lines.append(" · ".join(fr))
            en_lines.append(" · ".join(en))
        more = len(judged) - len(shown)
        if more:
            fr_lines.append(f"… (+{more})")
            en_lines.append(f"… (+{more})")
        return Msg("\n".join(fr_lines), "\n".join(en_lines))
