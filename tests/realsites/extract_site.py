#!/usr/bin/env python3
"""Breadth-first extraction of a built static site from a git tree.

Reads files straight from a git object database (``git cat-file``), so the
extraction can be re-run from a pinned commit:

    python extract_site.py --git-dir /work/.mirror/o+n/repo --rev <sha|branch> \
        --subpath site/ --out /work/corpus-staging/name --max-pages 50 \
        --repo o/n --branch gh-pages --generator "MkDocs" --language fr

HTML files are written byte-identical to the blob in the tree.  Besides the
pages it keeps local stylesheets (<link rel=stylesheet> and CSS @import, as
well as @import in inline <style>), robots.txt, sitemap.xml and a small
favicon.  No JavaScript, images, fonts, search indexes or other binaries.

Requires Python 3.11 and lxml.
"""
from __future__ import annotations

import argparse
import json
import posixpath
import re
import subprocess
import sys
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

HTML_EXT = (".html", ".htm")
DEFAULT_LISTING_RE = (r"(^|/)(tags?|categor(y|ies)|authors?|archives?|page)(/|$)"
                      r"|(^|/)genindex\.html$|(^|/)search\.html$|(^|/)py-modindex\.html$")
CSS_IMPORT_RE = re.compile(
    r"""@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)['"]?\s*\)?""", re.I)


class GitTree:
    def __init__(self, git_dir: str, rev: str, subpath: str):
        self.git_dir = git_dir
        self.commit = self._git("rev-parse", rev + "^{commit}").decode().strip()
        self.subpath = subpath.strip("/")
        prefix = self.subpath + "/" if self.subpath else ""
        out = self._git("ls-tree", "-r", "-z", "-l", self.commit, "--", prefix or ".")
        self.files: dict[str, int] = {}     # site-relative path -> size
        self.blobs: dict[str, str] = {}
        self.missing: list[str] = []
        for rec in out.split(b"\0"):
            if not rec:
                continue
            meta, path = rec.split(b"\t", 1)
            _mode, typ, sha, size = meta.split()
            if typ != b"blob":
                continue
            p = path.decode("utf-8", "surrogateescape")
            if prefix and not p.startswith(prefix):
                continue
            rel = p[len(prefix):]
            if not size.isdigit():      # blob absent from the snapshot ("BAD")
                self.missing.append(rel)
                continue
            self.files[rel] = int(size)
            self.blobs[rel] = sha.decode()

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", self.git_dir, *args],
                              check=True, capture_output=True).stdout

    def read(self, rel: str) -> bytes:
        return self._git("cat-file", "blob", self.blobs[rel])

    def exists(self, rel: str) -> bool:
        return rel in self.files


def resolve(tree: GitTree, base_rel: str, href: str, hosts: set[str],
            url_prefix: str) -> str | None:
    """Map a link found in file `base_rel` to a site-relative file path."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc:
        if parts.netloc.lower() not in hosts:
            return None
        path = parts.path or "/"
    else:
        path = parts.path
        if not path:
            return None
    path = unquote(path)
    if path.startswith("/"):
        if url_prefix and (path + "/").startswith(url_prefix):
            path = path[len(url_prefix.rstrip("/")):] or "/"
        rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
        trailing = path.endswith("/")
    else:
        base_dir = posixpath.dirname(base_rel)
        joined = posixpath.join(base_dir, path)
        rel = posixpath.normpath(joined)
        trailing = path.endswith("/") or path in (".", "..") or path.endswith("/.")
    if rel in (".", ""):
        rel = ""
        trailing = True
    if rel.startswith(".."):
        return None
    candidates = []
    if trailing:
        candidates.append(posixpath.join(rel, "index.html") if rel else "index.html")
    else:
        candidates += [rel, rel + "/index.html", rel + ".html"]
    for c in candidates:
        if tree.exists(c):
            return c
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", required=True)
    ap.add_argument("--rev", required=True, help="branch, tag or commit sha")
    ap.add_argument("--subpath", default="", help="site root inside the tree")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-pages", type=int, default=50)
    ap.add_argument("--max-bytes", type=int, default=4_000_000)
    ap.add_argument("--start", default="index.html", help="home page (site-relative)")
    ap.add_argument("--host", action="append", default=[],
                    help="production host(s) whose absolute links count as internal")
    ap.add_argument("--url-prefix", default="",
                    help="URL path prefix of the site in production, e.g. /proj/")
    ap.add_argument("--out-prefix", default="",
                    help="write the site under OUT/<prefix>/ (for sites whose pages link "
                         "absolutely to /<prefix>/...; crawl then starts at /<prefix>/)")
    ap.add_argument("--listing-re", default=DEFAULT_LISTING_RE,
                    help="regex of listing/archive pages to de-prioritise")
    ap.add_argument("--max-listing", type=int, default=6,
                    help="max number of listing pages kept")
    ap.add_argument("--exclude-re", default=None, help="regex of pages never taken")
    ap.add_argument("--reserve-bytes", type=int, default=300_000,
                    help="part of --max-bytes kept for stylesheets and extras")
    ap.add_argument("--max-page-bytes", type=int, default=1_000_000,
                    help="never take a single page larger than this")
    ap.add_argument("--favicon-max", type=int, default=40_000)
    # metadata for SOURCE.yaml
    ap.add_argument("--repo", default="")
    ap.add_argument("--branch", default="")
    ap.add_argument("--generator", default="")
    ap.add_argument("--language", default="")
    ap.add_argument("--description", default="")
    ap.add_argument("--license", default="")
    ap.add_argument("--production-url", default="")
    ap.add_argument("--note", action="append", default=[])
    a = ap.parse_args(argv)

    tree = GitTree(a.git_dir, a.rev, a.subpath)
    hosts = {h.lower() for h in a.host}
    url_prefix = a.url_prefix
    if url_prefix and not url_prefix.endswith("/"):
        url_prefix += "/"
    listing_re = re.compile(a.listing_re) if a.listing_re else None
    exclude_re = re.compile(a.exclude_re) if a.exclude_re else None
    if not tree.exists(a.start):
        sys.exit(f"start page {a.start!r} not in tree")

    pages: list[str] = []
    listing_count = 0
    seen = {a.start}
    queue = deque([a.start])
    deferred: list[str] = []          # listing pages beyond the cap
    css: set[str] = set()
    icons: set[str] = set()
    home_icons: list[str] = []
    home_meta = {}

    def links_of(rel: str, data: bytes):
        try:
            doc = lxml.html.fromstring(data)
        except Exception:
            return [], [], [], None
        b = doc.find(".//base[@href]")
        basehref = b.get("href") if b is not None else None
        out_a, out_css, out_icon, _inline_imports = [], [], [], []
        for el in doc.iter("a", "area"):
            h = el.get("href")
            if h:
                out_a.append(h)
        for el in doc.iter("link"):
            relattr = (el.get("rel") or "").lower().split()
            h = el.get("href")
            if not h:
                continue
            if "stylesheet" in relattr:
                out_css.append(h)
            if "icon" in relattr:
                out_icon.append(h)
        for el in doc.iter("style"):
            for m in CSS_IMPORT_RE.finditer(el.text or ""):
                out_css.append(m.group(1))
        return out_a, out_css, out_icon, (doc, basehref)

    def res(base_rel, href, basehref):
        if basehref:
            # resolve href against <base href>, then against the page
            if urlsplit(href).scheme or href.startswith("/"):
                return resolve(tree, base_rel, href, hosts, url_prefix)
            bparts = urlsplit(basehref)
            if bparts.netloc and bparts.netloc.lower() not in hosts:
                return None
            bpath = bparts.path or "/"
            if bpath.startswith("/"):
                folder = bpath if bpath.endswith("/") else posixpath.dirname(bpath)
                return resolve(tree, base_rel, posixpath.join(folder, href), hosts,
                               url_prefix)
            base_rel = posixpath.join(posixpath.dirname(base_rel),
                                      bpath + ("x" if bpath.endswith("/") else ""))
        return resolve(tree, base_rel, href, hosts, url_prefix)

    budget = a.max_bytes - a.reserve_bytes
    used = 0
    skipped_for_size: list[str] = []
    while queue and len(pages) < a.max_pages:
        rel = queue.popleft()
        is_listing = bool(listing_re and listing_re.search(rel)) and rel != a.start
        if is_listing and listing_count >= a.max_listing:
            deferred.append(rel)
            continue
        size = tree.files[rel]
        if rel != a.start and (used + size > budget or size > a.max_page_bytes):
            # too big for the remaining budget: skip it (its links are not followed)
            skipped_for_size.append(rel)
            continue
        data = tree.read(rel)
        pages.append(rel)
        used += size
        if is_listing:
            listing_count += 1
        hrefs, css_hrefs, icon_hrefs, docinfo = links_of(rel, data)
        basehref = docinfo[1] if docinfo else None
        if rel == a.start and docinfo:
            doc = docinfo[0]
            g = doc.find(".//meta[@name='generator']")
            home_meta["meta_generator"] = g.get("content") if g is not None else None
            c = doc.find(".//link[@rel='canonical']")
            home_meta["canonical"] = c.get("href") if c is not None else None
            o = doc.find(".//meta[@property='og:url']")
            home_meta["og_url"] = o.get("content") if o is not None else None
            h = doc.find(".//html") if doc.tag != "html" else doc
            home_meta["html_lang"] = doc.getroottree().getroot().get("lang")
        for h in css_hrefs:
            t = res(rel, h, basehref)
            if t and t.endswith(".css"):
                css.add(t)
        if rel == a.start:
            for h in icon_hrefs:
                t = res(rel, h, basehref)
                if t and tree.files.get(t, 10**9) <= a.favicon_max:
                    home_icons.append(t)
        for h in hrefs:
            t = res(rel, h, basehref)
            if not t or t in seen or not t.endswith(HTML_EXT):
                continue
            if exclude_re and exclude_re.search(t):
                continue
            seen.add(t)
            queue.append(t)

    # CSS @import closure
    todo = list(css)
    while todo:
        c = todo.pop()
        text = tree.read(c).decode("utf-8", "replace")
        for m in CSS_IMPORT_RE.finditer(text):
            t = resolve(tree, c, m.group(1), hosts, url_prefix)
            if t and t.endswith(".css") and t not in css:
                css.add(t)
                todo.append(t)

    extras = set()
    for name in ("robots.txt", "sitemap.xml"):
        if tree.exists(name):
            extras.add(name)
    # one small favicon: /favicon.ico if present, else the home page's first <link rel=icon>
    if tree.exists("favicon.ico") and tree.files["favicon.ico"] <= a.favicon_max:
        icons.add("favicon.ico")
    elif home_icons:
        icons.add(home_icons[0])

    # size cap: drop the largest non-home pages first
    def total(ps):
        return sum(tree.files[p] for p in ps) + sum(tree.files[p] for p in css | extras | icons)
    dropped = []
    while total(pages) > a.max_bytes and len(pages) > 1:
        biggest = max((p for p in pages if p != a.start), key=lambda p: tree.files[p])
        pages.remove(biggest)
        dropped.append(biggest)

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    prefix = a.out_prefix.strip("/")
    for rel in pages + sorted(css) + sorted(extras) + sorted(icons):
        orel = posixpath.join(prefix, rel) if prefix else rel
        dest = out / orel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(tree.read(rel))
        written.append(orel)

    info = {
        "repo": a.repo,
        "branch": a.branch or a.rev,
        "commit": tree.commit,
        "subpath": a.subpath or "/",
        "generator": a.generator or (home_meta.get("meta_generator") or ""),
        "meta_generator": home_meta.get("meta_generator"),
        "language": a.language or (home_meta.get("html_lang") or ""),
        "html_lang": home_meta.get("html_lang"),
        "description": a.description,
        "license": a.license,
        "production_url": (a.production_url or home_meta.get("canonical")
                           or home_meta.get("og_url") or ""),
        "home_canonical": home_meta.get("canonical"),
        "home_og_url": home_meta.get("og_url"),
        "extraction": {
            "script": "extract_site.py",
            "args": {"rev": a.rev, "subpath": a.subpath, "max_pages": a.max_pages,
                     "max_bytes": a.max_bytes, "host": a.host, "url_prefix": a.url_prefix,
                     "out_prefix": a.out_prefix, "start": a.start,
                     "listing_re": a.listing_re, "max_listing": a.max_listing,
                     "exclude_re": a.exclude_re,
                     "reserve_bytes": a.reserve_bytes, "max_page_bytes": a.max_page_bytes},
            "html_pages": len(pages),
            "listing_pages": [p for p in pages if listing_re and listing_re.search(p)],
            "skipped_for_size": skipped_for_size,
            "dropped_for_size": dropped,
            "bytes": total(pages),
        },
        "notes": a.note,
        "paths": written,
    }
    (out / "SOURCE.yaml").write_text(to_yaml(info) + "\n", encoding="utf-8")
    print(f"{out}: {len(pages)} pages, {len(css)} css, {len(extras)+len(icons)} extras, "
          f"{total(pages)} bytes; commit {tree.commit}")
    return 0


def to_yaml(obj, indent=0) -> str:
    """Tiny YAML emitter (strings JSON-quoted, which is valid YAML)."""
    pad = "  " * indent
    lines = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {scalar(v)}")
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}-")
                lines.append(to_yaml(v, indent + 1))
            else:
                lines.append(f"{pad}- {scalar(v)}")
    return "\n".join(lines)


def scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, dict)):
        return "[]" if isinstance(v, list) else "{}"
    return json.dumps(str(v), ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())
