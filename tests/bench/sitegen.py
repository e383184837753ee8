"""A synthetic French site for the benchmark: N pages that look like a real site's.

30–80 KB of HTML a page, 500–1,500 words of French prose (paragraphs of the bundled demo
site and, when present, ../shared/corpus, shuffled per page), 100+ links a page
(a mega-menu, the article's links, related articles, a footer), a shared stylesheet,
images with and without alt, JSON-LD and tracking snippets, 2 % exact duplicates of
another page's article, an XML sitemap and robots.txt. Deterministic for a seed.
Pages are built in memory (bytes) and served by :class:`SyntheticServer`.
"""

from __future__ import annotations

import random
import threading
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from spiders.encoding import decode_html

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
SECTIONS = ("conseils", "guides", "actualites", "produits", "services", "ateliers",
            "recettes", "region", "entreprise", "equipe")
CSS = """/* Boulangerie du Marché — feuille commune */
body { font-family: system-ui, sans-serif; color: #222; background: #fff; margin: 0 }
.entete { background: #f6efe6; padding: 1rem } .entete nav ul { display: flex; gap: 1rem }
.menu .sous-menu { display: none } .menu li:hover .sous-menu { display: block }
.article { max-width: 46rem; margin: 0 auto } .article img { max-width: 100% }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap }
.pied { background: #3b2a1a; color: #fff; padding: 2rem } .pied a { color: #f6efe6 }
.carte { border: 1px solid #ddd; border-radius: 6px; padding: 1rem }
""" + "".join(f".bloc-{i} {{ margin: {i % 7}px; padding: {i % 5}px }}\n" for i in range(400))


# What real pages carry besides their text: critical CSS inlined, an SVG icon sprite,
# a JavaScript state blob (about 20 KB together).
_INLINE_CSS = "<style>" + "".join(
    f".c-{i}{{display:flex;gap:{i % 9}px;color:#{(i * 2654435761) % 0xFFFFFF:06x}}}"
    for i in range(150)) + "</style>"
_SPRITE = '<svg xmlns="http://www.w3.org/2000/svg" style="display:none">' + "".join(
    f'<symbol id="icone-{k}" viewBox="0 0 24 24"><path d="' + " ".join(
        f"M{(k * 7 + j) % 24} {(k * 3 + j * 5) % 24}l{j % 5} {j % 7}" for j in range(40))
    + '"/></symbol>' for k in range(20)) + "</svg>"
_STATE = "<script>window.__ETAT__=" + "[" + ",".join(
    f'{{"id":{k},"nom":"Produit {k}","prix":{k * 1.5:.2f},"stock":{k % 13},'
    f'"categorie":"{SECTIONS[k % 10]}"}}' for k in range(80)) + "];</script>"


@lru_cache(maxsize=1)
def paragraphs() -> tuple[str, ...]:
    """French paragraphs of at least 12 words: the demo site's, and the shared corpus."""
    out: list[str] = []
    for path in sorted((ROOT / "audit" / "demo" / "site").rglob("*.html")):
        # Read as the crawl reads it: /mentions-legales.html is windows-1252 (a demo defect).
        tree = lxml_html.fromstring(decode_html("text/html; charset=utf-8", path.read_bytes())[1])
        for p in tree.iter("p", "li"):
            text = " ".join(p.text_content().split())
            if len(text.split()) >= 12:
                out.append(text)
    if SHARED_CORPUS.is_dir():
        for path in sorted(SHARED_CORPUS.glob("*.txt")):
            out += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                    if len(line.split()) >= 12]
    return tuple(dict.fromkeys(out))


class SyntheticSite:
    def __init__(self, pages: int, seed: int = 1):
        self.n = pages
        self.seed = seed
        rng = random.Random(seed)
        # 2 % of the pages copy another page's article word for word.
        self.copy_of = {i: rng.randrange(1, pages) for i in rng.sample(range(1, pages),
                                                                      max(1, pages // 50))}

    def path(self, i: int) -> str:
        return "/" if i == 0 else f"/{SECTIONS[i % len(SECTIONS)]}/page-{i}.html"

    def _article(self, i: int) -> tuple[str, str, list[str]]:
        rng = random.Random(self.seed * 1_000_003 + i)
        paras = paragraphs()
        target = rng.randint(500, 1500)
        blocks, words = [], 0
        while words < target:
            text = rng.choice(paras)
            blocks.append(text)
            words += len(text.split())
        title = " ".join(rng.choice(paras).split()[:rng.randint(5, 9)]).rstrip(",.;:")
        return title, blocks[0], blocks

    def page(self, i: int) -> bytes:
        rng = random.Random(self.seed * 7919 + i)
        title, lead, blocks = self._article(self.copy_of.get(i, i))
        section = SECTIONS[i % len(SECTIONS)]
        n = self.n

        def link(j: int, text: str, cls: str = "") -> str:
            c = f' class="{cls}"' if cls else ""
            return f'<a href="{self.path(j % n)}"{c}>{escape(text)}</a>'

        menu = "".join(
            f'<li class="menu-{s}">{link(k + 1, s.capitalize())}<ul class="sous-menu">'
            + "".join(f"<li>{link(rng.randrange(n), f'{s} {m}')}</li>" for m in range(6))
            + "</ul></li>" for k, s in enumerate(SECTIONS))
        body = []
        for k, text in enumerate(blocks):
            if k and k % 4 == 0:
                body.append(f"<h2>{escape(' '.join(text.split()[:6]))}</h2>")
            words = text.split()
            cut = rng.randrange(len(words))  # a link inside most paragraphs
            anchor = " ".join(words[cut:cut + 3])
            body.append(f'<div class="bloc-{rng.randrange(400)}"><p>'
                        f"{escape(' '.join(words[:cut]))} {link(rng.randrange(n), anchor)} "
                        f"{escape(' '.join(words[cut + 3:]))}</p></div>")
            if k % 6 == 2:
                alt = f' alt="{escape(anchor)}"' if rng.random() < 0.8 else ""
                body.append(f'<figure><img src="/images/photo-{rng.randrange(200)}.jpg"{alt} '
                            'width="800" height="533" loading="lazy"></figure>')
        related = "".join(f'<li class="carte">{link(i + d, f"Article suivant {d}")}</li>'
                          for d in range(1, 9))
        related += "".join(f'<li class="carte">{link(rng.randrange(n), "À lire aussi")}</li>'
                           for _ in range(12))
        footer = "".join(f"<li>{link(rng.randrange(n), f'Plan du site {k}')}</li>"
                         for k in range(20))
        canonical = f"http://{{host}}{self.path(i)}"
        return (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{escape(title)} | Boulangerie du Marché</title>"
            f'<meta name="description" content="{escape(lead[:155])}">'
            f'<link rel="canonical" href="{canonical}">'
            '<link rel="stylesheet" href="/css/site.css">'
            f'<meta property="og:title" content="{escape(title)}">'
            '<script async src="https://www.googletagmanager.com/gtag/js?id=G-BENCH01"></script>'
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":'
            '"Bakery","name":"Boulangerie du Marché","sameAs":['
            '"https://www.instagram.com/boulangeriedumarche"]}</script>'
            f"{_INLINE_CSS}</head><body>{_SPRITE}"
            '<a class="visually-hidden" href="#contenu">Aller au contenu</a>'
            f'<header class="entete"><nav class="menu"><ul>{menu}</ul></nav></header>'
            f'<main id="contenu" class="article"><p class="fil">{link(0, "Accueil")} › '
            f"{escape(section)}</p><h1>{escape(title)}</h1>{''.join(body)}"
            f'<aside><ul class="liees">{related}</ul></aside></main>'
            f'<footer class="pied"><ul>{footer}</ul><p>Boulangerie du Marché, 3 place du '
            'Marché, 69004 Lyon · <a href="tel:+33478000000">04 78 00 00 00</a> · '
            '<a href="https://www.instagram.com/boulangeriedumarche">Instagram</a></p>'
            f"</footer>{_STATE}</body></html>").encode()

    def sitemap(self) -> bytes:
        urls = "".join(f"<url><loc>http://{{host}}{self.path(i)}</loc></url>"
                       for i in range(self.n))
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()


class SyntheticServer:
    """The site on 127.0.0.1, pages prebuilt in memory (up to 20,000), else on demand."""

    def __init__(self, site: SyntheticSite):
        self.site = site
        self.by_path = {site.path(i): i for i in range(site.n)}
        self.cache: dict[int, bytes] = {}
        if site.n <= 20_000:
            self.cache = {i: site.page(i) for i in range(site.n)}
        handler = type("Handler", (_Handler,), {"server_ref": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.host = self.origin.removeprefix("http://").encode()
        self.sitemap = site.sitemap().replace(b"{host}", self.host)
        self.requests = 0

    def body(self, path: str) -> tuple[int, str, bytes]:
        if path == "/robots.txt":
            robots = f"User-agent: *\nSitemap: {self.origin}/sitemap.xml\n"
            return 200, "text/plain", robots.encode()
        if path == "/sitemap.xml":
            return 200, "application/xml", self.sitemap
        if path == "/css/site.css":
            return 200, "text/css", CSS.encode()
        i = self.by_path.get(path)
        if i is None:
            return 404, "text/html; charset=utf-8", b"<!DOCTYPE html><title>404</title>"
        page = self.cache.get(i) or self.site.page(i)
        return 200, "text/html; charset=utf-8", page.replace(b"{host}", self.host)

    def __enter__(self) -> SyntheticServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_ref: SyntheticServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server_ref.requests += 1
        status, ctype, body = self.server_ref.body(self.path.split("?", 1)[0])
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
