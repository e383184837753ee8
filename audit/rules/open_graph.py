from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from audit.context import Context
from audit.rule import Code, Limit, Msg, Outcome, Score, Severity, SiteRule
from spiders.extract import strip_fragment
from spiders.items import PageItem
from spiders.urls import OnOrigin, normalise

# What a complete share card needs; each check is worth the same share of the score.
CHECKS = ("og:title", "og:description", "og:image", "og:url", "twitter:card")


class OpenGraph(SiteRule):
    """The page carries the Open Graph and Twitter Card tags that make a good share card.

    **Why it matters** (SMO): when a page is shared on Facebook, LinkedIn, X or in a chat,
    the preview is built from ``og:*`` tags. Without them the network guesses: a random
    image or none, the navigation text as description — and people scroll past. A card
    with a title, a description and a large image gets clicked, which is the point of
    being present on social networks.

    **Bad**: no ``og:image``; ``<meta property="og:image" content="/img/logo.png">``
    (relative: networks cannot fetch it); ``og:url`` pointing at another page than the
    canonical one.

    **Good**: ``og:title``, ``og:description``, ``og:image`` as an absolute https URL
    (1200×630) that loads (the crawl fetches each one once: a 404, an HTML page or more
    than 8 MB is a ``broken-image``), ``og:url`` equal to the canonical URL, and
    ``twitter:card`` set to ``summary_large_image``. An image whose server did not answer
    the audit machine at all (DNS, refused, timeout) is not judged: a limit of the audit,
    one line in the Summary's notes, and the image left out of the page's score.

    Score: the share of the five checks passed (title, description, image, url, card), of
    those the audit could make.
    Judged once the crawl is over (a site rule keeping each page's tags): the og:images
    are fetched along the crawl, after the pages that name them.
    """

    id = "open-graph"
    category = "smo"
    weight = 1.0
    title = Msg("Balises de partage (Open Graph) complètes", "Complete share tags (Open Graph)")
    description = Msg(
        "Vérifie og:title, og:description, og:image (URL absolue, qui se charge), og:url "
        "(cohérente avec l’URL canonique) et twitter:card.",
        "Checks og:title, og:description, og:image (absolute URL that loads), og:url "
        "(consistent with the canonical URL) and twitter:card.")
    why = Msg(
        "Quand une page est partagée (Facebook, LinkedIn, X, messageries), l’aperçu est "
        "construit à partir des balises og: ; sans elles, le réseau devine (une image au "
        "hasard ou aucune, le texte du menu) et la publication passe inaperçue.",
        "When a page is shared (Facebook, LinkedIn, X, chats), the preview is built from the "
        "og: tags; without them the network guesses (a random image or none, the menu's text) "
        "and the post goes unnoticed.")
    fix = Msg(
        "Ajoutez dans le <head> og:title, og:description, og:image (URL absolue en https, "
        "1200×630, qui se charge), og:url égale à l’URL canonique, et twitter:card à "
        "summary_large_image.",
        "In the <head>, add og:title, og:description, og:image (an absolute https URL, "
        "1200×630, that loads), og:url equal to the canonical URL, and twitter:card set to "
        "summary_large_image.")
    codes = {
        "no-open-graph": Code(Severity.WARNING, Msg("Aucune balise Open Graph",
                                                    "No Open Graph tags")),
        "missing-tag": Code(Severity.WARNING, Msg("Balise Open Graph manquante",
                                                  "Open Graph tag missing")),
        "relative-image": Code(Severity.WARNING, Msg("Image de partage en URL relative",
                                                     "Share image with a relative URL")),
        "broken-image": Code(Severity.WARNING, Msg("Image de partage inaccessible",
                                                   "Share image unreachable")),
        "url-mismatch": Code(Severity.NOTICE, Msg("og:url différente de l’URL canonique",
                                                  "og:url differs from the canonical URL")),
        "no-twitter-card": Code(Severity.NOTICE, Msg("Pas de balise twitter:card",
                                                     "No twitter:card tag")),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages: list[_Tags] = []
        self._on_site: Callable[[str], str] | None = None

    def collect(self, page: PageItem, ctx: Context) -> None:
        og = page.open_graph
        self._pages.append(_Tags(page.url, bool(og), bool(og.get("og:title")),
                                 bool(og.get("og:description")), og.get("og:image", ""),
                                 og.get("og:url", ""), page.canonical,
                                 bool(page.twitter.get("twitter:card"))))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        site = ctx.config.site
        self._on_site = OnOrigin(site.aliases, site.start_urls[0])
        for tags in self._pages:
            yield from self.check(tags, ctx)

    def check(self, page: _Tags, ctx: Context) -> Iterator[Outcome]:
        passed: set[str] = set()
        unjudged: set[str] = set()  # checks the audit could not make: out of the score
        if not page.any_og:
            yield self.finding(page.url, "no-open-graph", Msg(
                "Aucune balise Open Graph : le partage sur les réseaux affichera un aperçu "
                "deviné (image au hasard ou aucune).",
                "No Open Graph tags: shares on social networks will show a guessed preview "
                "(a random image, or none)."))
        else:
            present = {"og:title": page.title, "og:description": page.description,
                       "og:image": bool(page.image)}
            missing = [t for t, there in present.items() if not there]
            if missing:
                yield self.finding(page.url, "missing-tag", Msg(
                    "Balise(s) manquante(s) : {t}.", "Missing tag(s): {t}.").format(
                        t=", ".join(missing)), evidence=", ".join(missing))
            passed |= {t for t in ("og:title", "og:description") if present[t]}
            image = page.image
            record = ctx.og_images.get(image) if image else None
            if image and _unanswered(record):
                # No answer at all (DNS, connection, timeout): the audit machine's reach,
                # not the client's image. Judged on the tags alone.
                unjudged.add("og:image")
                yield Limit("og-image-unreachable", Msg(
                    "Image de partage non vérifiée sur {pages} : son serveur n’a pas répondu "
                    "à la machine d’audit (réseau, DNS).",
                    "Share image not checked on {pages}: its server did not answer the "
                    "audit machine (network, DNS)."), page.url,
                    detail=f"{image}: {record.get('error', '')}" if record else image)
            elif image:
                problem = _image_problem(record)
                if urlsplit(image).scheme in ("http", "https") and not problem:
                    passed.add("og:image")
                elif problem:
                    yield self.finding(page.url, "broken-image", Msg(
                        "L’image de partage ne se charge pas ({p}) : les réseaux afficheront "
                        "une carte sans image.",
                        "The share image does not load ({p}): networks will show a card "
                        "without an image.").format(p=problem), evidence=image,
                        related=[image])
                else:
                    yield self.finding(page.url, "relative-image", Msg(
                        "L’image de partage n’est pas une URL absolue : les réseaux ne "
                        "pourront pas la récupérer.",
                        "The share image is not an absolute URL: networks cannot fetch it."),
                        evidence=image)
            og_url = page.og_url
            canonical = page.canonical or page.url
            if og_url and _same(og_url, canonical, self._on_site):
                passed.add("og:url")
            elif og_url:
                yield self.finding(page.url, "url-mismatch", Msg(
                    "og:url ({o}) ne correspond pas à l’URL canonique ({c}) : les partages "
                    "seront comptés sur une autre adresse.",
                    "og:url ({o}) does not match the canonical URL ({c}): shares will be "
                    "counted on another address.").format(o=og_url, c=canonical),
                    evidence=og_url)
            elif "og:title" in passed:
                passed.add("og:url")  # absent: networks fall back to the page URL itself
        if page.card:
            passed.add("twitter:card")
        elif page.any_og:
            yield self.finding(page.url, "no-twitter-card", Msg(
                "Pas de balise twitter:card : X affichera une petite carte sans grande image.",
                "No twitter:card tag: X will show a small card without a large image."))
        yield Score(page.url, 100.0 * len(passed) / (len(CHECKS) - len(unjudged)))


@dataclass(slots=True)
class _Tags:
    """What the rule keeps of a page until the end: what it judges of its share tags
    (whether each is there; the two URLs it compares or fetches)."""

    url: str
    any_og: bool  # any og:* tag at all
    title: bool
    description: bool
    image: str
    og_url: str
    canonical: str
    card: bool  # twitter:card


def _spelt(url: str, on_site: Callable[[str], str] | None) -> str:
    try:
        url = normalise(url)
    except ValueError:
        return strip_fragment(url)
    return on_site(url) if on_site is not None else url


def _unanswered(record: dict[str, Any] | None) -> bool:
    """The og:image was asked for but nothing answered (DNS, refused, timeout): no status,
    an error that is neither robots.txt nor the size limit."""
    if record is None or record.get("status") is not None:
        return False
    error = record.get("error") or ""
    return bool(error) and error != "robots.txt" and not error.startswith("too-large")


def _image_problem(record: dict[str, Any] | None) -> str:
    """Why the fetched og:image cannot make a card ("" when it loads, or was not fetched)."""
    if record is None:
        return ""
    status, error = record.get("status"), record.get("error") or ""
    if error:
        return "robots.txt" if error == "robots.txt" else (
            "> 8 MB" if error.startswith("too-large") else error[:120])
    if status is None or status >= 300:
        return f"HTTP {status}"
    ctype = (record.get("content_type") or "").split(";")[0].strip().lower()
    if ctype and not ctype.startswith("image/"):
        return f"{ctype}, not an image"
    return ""


def _same(a: str, b: str, on_site: Callable[[str], str] | None = None) -> bool:
    """Same page: scheme, host (case-insensitive) and path, trailing slash aside; spelt as
    the crawl records URLs (percent-encoded), the site's aliases (``site.aliases``: og:url
    names the production domain of a staging copy) on the audited origin."""
    pa, pb = urlsplit(_spelt(a, on_site)), urlsplit(_spelt(b, on_site))
    return (pa.scheme, (pa.hostname or "").lower(), pa.path.rstrip("/"), pa.query) == \
        (pb.scheme, (pb.hostname or "").lower(), pb.path.rstrip("/"), pb.query)
