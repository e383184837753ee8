from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageData, Score, Severity, SiteRule
from audit.text.content import prose_blocks
from audit.text.keywords import count_phrase, find_phrase, keyword_service
from audit.text.tokens import term, terms
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

# Points of the page score for a configured keyword, by where it is found.
POINTS = {"title": 30, "h1": 20, "description": 10, "url": 10, "intro": 10, "density": 20}


class KeywordFocus(SiteRule):
    """Each page is focused on one keyword, placed where readers and engines look first.

    **Why it matters**: one page, one intent: the classic advice is to focus each page on
    one keyword and put it in the title (near the start), the h1, the meta description,
    the URL and the first paragraph, then use it naturally in the text. A keyword that
    appears nowhere visible does not rank; one repeated in every sentence is keyword
    stuffing, which Google's spam policies demote.

    **Bad**: a page meant for « audit SEO » titled « Nos services » with the phrase once in
    the footer; or « audit SEO » 40 times in 600 words (6.7 %).

    **Good**: ``<title>Audit SEO à Lyon – Agence Clairvoyance</title>``,
    ``<h1>Audit SEO de votre site</h1>``, ``/services/audit-seo``, the phrase in the first
    paragraph and at 0.5–3 % of the words.

    Keywords come from ``keywords:`` (path, glob such as ``/blog/*``, or full URL →
    keyword) and ``keywords_file`` (CSV url,keyword). Matching ignores case, accents,
    elisions (l’, d’, qu’ with ' or ’) and plurals. Score for a configured keyword:
    title 30 (20 if late in the title), h1 20, description 10, URL 10, first 100 words 10,
    density (occurrences per 100 content words) in the band 20 (the home page's URL, which
    carries no words, is not judged; « Vue.js » matches the slug « vuejs »); keyword
    stuffing (above the band and at least 5 occurrences) caps the page at 30. Density and
    the first 100 words read prose only: ``<pre>`` listings and inline ``<code>``,
    ``<kbd>``… are not text.
    Pages without a configured keyword get a detected focus (TF-IDF against the rest of
    the site) in the Pages sheet and a notice when two topics compete and the page's title
    and h1 name neither (a title that names one has said what the page is about); they are
    not scored. Detected phrases are shown as the page writes them (« équipe », never the
    matching term « equipe »), and what is not a word (hex colours, hashes, tokens glued
    to digits, file names) is never a candidate.
    """

    id = "keyword-focus"
    category = "seo"
    weight = 2.0
    title = Msg("Mot-clé principal bien placé", "Focus keyword well placed")
    description = Msg(
        "Vérifie la présence du mot-clé visé dans le titre, le h1, la description, l’URL, "
        "l’introduction, et sa densité ; détecte le sujet des pages sans mot-clé configuré.",
        "Checks the target keyword in the title, h1, description, URL, introduction and its "
        "density; detects the topic of pages without a configured keyword.")
    why = Msg(
        "Un mot-clé absent des endroits visibles (titre, h1, description, URL, premier "
        "paragraphe) a peu de chances de se classer ; répété à chaque phrase, c’est du "
        "bourrage de mots-clés, que les règles anti-spam de Google déclassent.",
        "A keyword missing from the visible places (title, h1, description, URL, first "
        "paragraph) is unlikely to rank; repeated in every sentence it is keyword stuffing, "
        "which Google's spam policies demote.")
    fix = Msg(
        "Choisissez un mot-clé par page et placez-le au début du <title>, dans le h1, la meta "
        "description, l’URL et le premier paragraphe, puis naturellement dans le texte (0,5 à "
        "3 % des mots).",
        "Choose one keyword per page and put it at the start of the <title>, in the h1, the "
        "meta description, the URL and the first paragraph, then naturally in the text (0.5 to "
        "3 % of the words).")
    codes = {
        "not-in-title": Code(Severity.WARNING, Msg("Mot-clé absent du titre",
                                                   "Keyword missing from the title")),
        "title-late": Code(Severity.NOTICE, Msg("Mot-clé loin du début du titre",
                                                "Keyword late in the title")),
        "not-in-h1": Code(Severity.WARNING, Msg("Mot-clé absent du h1",
                                                "Keyword missing from the h1")),
        "not-in-description": Code(Severity.NOTICE, Msg("Mot-clé absent de la description",
                                                        "Keyword missing from the description")),
        "not-in-url": Code(Severity.NOTICE, Msg("Mot-clé absent de l’URL",
                                                "Keyword missing from the URL")),
        "not-in-intro": Code(Severity.NOTICE, Msg("Mot-clé absent de l’introduction",
                                                  "Keyword missing from the introduction")),
        "weak-focus": Code(Severity.NOTICE, Msg("Mot-clé trop rare dans le texte",
                                                "Keyword too rare in the text")),
        "stuffing": Code(Severity.WARNING, Msg("Bourrage de mots-clés", "Keyword stuffing")),
        "no-clear-focus": Code(Severity.NOTICE, Msg("Pas de sujet principal net",
                                                    "No clear focus")),
    }
    columns = {
        "focus_keyword": Msg("Mot-clé principal", "Focus keyword"),
        "keyword_density": Msg("Densité du mot-clé (%)", "Keyword density (%)"),
    }

    @dataclass(frozen=True)
    class Options:
        min_density: float = checked(at_least(0), default=0.5)  # % of content words
        max_density: float = checked(at_least(0.1), default=3.0)
        min_stuffing_occurrences: int = checked(at_least(1), default=5)
        intro_words: int = checked(at_least(10), default=100)
        title_start_words: int = checked(at_least(0), default=3)  # "near the start" of the title
        detect: bool = True  # detect the focus of pages without a configured keyword

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.unconfigured: list[str] = []

    def collect(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        facts = keyword_service(ctx).add(page)
        if facts.configured:
            yield from self._check(page, facts.configured, facts.configured_label)
        else:
            self.unconfigured.append(page.url)

    def _check(self, page: PageItem, phrase: tuple[str, ...], label: str) -> Iterator[Outcome]:
        o = self.options
        url = page.url
        yield PageData(url, "focus_keyword", label)
        found: dict[str, bool] = {}
        title_at = find_phrase(phrase, terms(page.title or ""))
        found["title"] = title_at >= 0
        found["h1"] = any(find_phrase(phrase, terms(h)) >= 0 for h in page.h(1))
        found["description"] = find_phrase(phrase, terms(page.meta_description or "")) >= 0
        path = unquote(urlsplit(url).path)
        # The site's root carries no words: the keyword cannot be in its URL (not judged).
        home = path.strip("/") in ("", "index.html", "index.htm", "index.php")
        for ch in "/-_.":
            path = path.replace(ch, " ")
        slug = terms(path)
        # « Vue.js » is written « vuejs » in a slug: the phrase's terms glued count too.
        found["url"] = home or find_phrase(phrase, slug) >= 0 or term("".join(phrase)) in slug
        blocks = prose_blocks(page)  # code (<pre> listings, inline <code>) is not text
        body = [text for _, text in blocks]
        prose = [text for b, text in blocks if not b.tag.startswith("h")]
        intro_terms = [t for text in prose for t in terms(text)][: o.intro_words]
        found["intro"] = find_phrase(phrase, intro_terms) >= 0
        body_terms = [t for text in body for t in terms(text)]
        occurrences = count_phrase(phrase, body_terms)
        # Occurrences per 100 words, as Yoast and most SEO tools count a keyphrase density.
        density = 100.0 * occurrences / len(body_terms) if body_terms else 0.0
        yield PageData(url, "keyword_density", round(density, 2))

        places = Msg(
            "titre {t}, h1 {h}, description {d}, URL {u}, introduction {i}, densité {x} %",
            "title {t}, h1 {h}, description {d}, URL {u}, introduction {i}, density {x} %")
        yes_no = {k: "✓" if v else "✗" for k, v in found.items()}
        if home:
            yes_no["url"] = "—"
        evidence = places.format(t=yes_no["title"], h=yes_no["h1"], d=yes_no["description"],
                                 u=yes_no["url"], i=yes_no["intro"], x=f"{density:.2f}")
        ev = Msg(f"« {label} » : {evidence.fr}", f"'{label}': {evidence.en}")

        if not found["title"]:
            yield self.finding(url, "not-in-title", Msg(
                "Le mot-clé « {k} » n’apparaît pas dans le titre.",
                "The keyword '{k}' is not in the title.").format(k=label), evidence=ev)
        elif title_at > o.title_start_words:
            yield self.finding(url, "title-late", Msg(
                "Le mot-clé « {k} » est loin du début du titre (mot n° {n}).",
                "The keyword '{k}' comes late in the title (word {n}).").format(
                    k=label, n=title_at + 1), evidence=page.title or "")
        for place, (fr, en) in {
            "h1": ("du titre h1", "from the h1"),
            "description": ("de la meta description", "from the meta description"),
            "url": ("de l’URL", "from the URL"),
            "intro": ("des {n} premiers mots", "from the first {n} words"),
        }.items():
            if not found[place]:
                yield self.finding(url, f"not-in-{place}", Msg(
                    "Le mot-clé « {k} » est absent " + fr + ".",
                    "The keyword '{k}' is missing " + en + ".").format(
                        k=label, n=o.intro_words), evidence=ev)
        # On a short page three mentions already exceed 3 %: that is not stuffing yet.
        stuffing = density > o.max_density and occurrences >= o.min_stuffing_occurrences
        if stuffing:
            yield self.finding(url, "stuffing", Msg(
                "Bourrage de mots-clés : « {k} » fait {x} % du texte ({n} fois ; au plus {m} %).",
                "Keyword stuffing: '{k}' makes up {x} % of the text ({n} times; at most {m} %)."
            ).format(k=label, x=f"{density:.1f}", n=occurrences, m=o.max_density), evidence=ev)
        elif density < o.min_density:
            yield self.finding(url, "weak-focus", Msg(
                "Mot-clé « {k} » trop rare : {x} % du texte (au moins {m} % conseillé).",
                "Keyword '{k}' too rare: {x} % of the text (at least {m} % advised).").format(
                    k=label, x=f"{density:.2f}", m=o.min_density), evidence=ev)

        points = sum(POINTS[k] for k in ("h1", "description", "url", "intro") if found[k])
        if found["title"]:
            points += POINTS["title"] if title_at <= o.title_start_words else 20
        if o.min_density <= density and not stuffing:
            points += POINTS["density"]
        yield Score(url, min(points, 30) if stuffing else points)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        svc = keyword_service(ctx)
        for url in self.unconfigured:
            yield Score(url, None)  # a detected focus is information, not a score
            if not self.options.detect:
                continue
            focus = svc.stats.focus(url)
            if focus is None:
                continue
            yield PageData(url, "focus_keyword", Msg(f"{focus.label} (détecté)",
                                                     f"{focus.label} (detected)"))
            facts = svc.facts[url]
            announced = any(find_phrase(p, where) >= 0 for p in (focus.phrase, focus.runner_up)
                            if p for where in (facts.title_terms, facts.h1_terms))
            # Two close phrases on a page whose title or h1 names one of them (« Sqoop et
            # Parquet ») are its topic, said by the page: no « no clear focus ».
            if not focus.clear and focus.runner_up is not None and not announced:
                other = svc.stats.label(focus.runner_up)
                yield self.finding(url, "no-clear-focus", Msg(
                    "Pas de sujet principal net : « {a} » et « {b} » se disputent la page.",
                    "No clear focus: '{a}' and '{b}' compete on this page.").format(
                        a=focus.label, b=other))
        self.unconfigured.clear()

