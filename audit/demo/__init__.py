"""The bundled demo: a small French agency site with planted defects (see site/DEFECTS.md),
and a small competitor site (competitor/) that copied one of its articles."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.demo.server import SiteServer

COMPETITOR_HOST = "127.0.0.2"


def demo_site_root() -> Path:
    return Path(str(resources.files("audit") / "demo" / "site"))


def demo_googlebot_root() -> Path:
    """Pages the demo server gives Googlebot instead of the site's (cloaking, DEFECTS.md)."""
    return Path(str(resources.files("audit") / "demo" / "googlebot"))


def demo_competitor_root() -> Path:
    return Path(str(resources.files("audit") / "demo" / "competitor"))


def competitor_server(client_origin: str = "") -> SiteServer:
    """The competitor site's server (not started): on 127.0.0.2, another site than the
    demo's 127.0.0.1; on 127.0.0.1 (another port) where 127.0.0.2 cannot be bound.
    ``client_origin`` fills ``{{client}}`` in its pages that link to the demo site."""
    from audit.demo.server import SiteServer

    replacements = {"{{client}}": client_origin}
    try:
        return SiteServer(demo_competitor_root(), host=COMPETITOR_HOST,
                          replacements=replacements)
    except OSError:  # e.g. macOS: only 127.0.0.1 is configured on lo0
        return SiteServer(demo_competitor_root(), replacements=replacements)


def demo_config_text(origin: str, out_dir: Path, lang: str = "fr",
                     competitor: str | None = None, exports: bool = False) -> str:
    """The client YAML the demo runs with (json.dumps quotes are valid YAML).

    ``competitor``: origin of the competitor site; without it the demo compares with
    no external page. ``exports``: the social exports were written next to the config
    (:func:`write_demo_exports`); without them no post activity is measured."""
    template = (Path(__file__).parent / "demo.yaml").read_text(encoding="utf-8")
    drop = [m for m, keep in (("{{competitor}}", competitor), ("{{exports}}", exports))
            if not keep]
    template = "\n".join(line for line in template.splitlines()
                         if not any(m in line and not line.lstrip().startswith("#")
                                    for m in drop)) + "\n"
    return (template.replace("{{origin}}", origin)
            .replace("{{competitor}}", competitor or "")
            .replace("{{exports}}", "")
            .replace("{{out}}", json.dumps(str(out_dir)))
            .replace("{{lang}}", lang))


def write_demo_exports(folder: Path, today: date, origin: str) -> None:
    """The files a consultant gets from the client's accounts, next to the config:

    - the social analytics exports, dated from ``today`` so that the demo tells the same
      story any day: LinkedIn (UTF-8, comma, French dates) posts every week; Instagram
      (Meta's UTF-16 tab export) stopped 75 days ago;
    - the Google Ads keyword report (exports/google-ads-mots-cles.tsv), written as Google
      Ads exports it with a French interface: UTF-16, tabs, title lines, ``1 234,56``."""
    report = (Path(__file__).parent / "exports" / "google-ads-mots-cles.tsv").read_text(
        encoding="utf-8").replace("{{origin}}", origin)
    (folder / "google-ads-mots-cles.csv").write_bytes(report.encode("utf-16"))
    linkedin = ["Date de publication,Titre du post,Impressions,Clics"]
    for n, days in enumerate(range(3, 90, 7)):
        day = today - timedelta(days=days)
        linkedin.append(f"{day:%d/%m/%Y},Conseil SEO n°{n + 1},{900 + 37 * n},{25 + n}")
    (folder / "linkedin-publications.csv").write_text("\n".join(linkedin) + "\n",
                                                      encoding="utf-8")
    instagram = ["Heure de publication\tType de publication\tJ’aime"]
    for n, days in enumerate(range(75, 200, 12)):
        day = today - timedelta(days=days)
        instagram.append(f"{day:%d/%m/%Y} 18:30\tImage\t{40 + 3 * n}")
    (folder / "instagram-publications.csv").write_bytes(
        ("\n".join(instagram) + "\n").encode("utf-16"))
