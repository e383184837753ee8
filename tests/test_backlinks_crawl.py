"""Backlinks and feeds end to end: the real spider fetches the referring pages and the
social feeds on a second site, the real rules judge them, the real writers report them.

The client is the bakery fixture (tests/fixtures/site, 127.0.0.1); the referring site
(tests/fixtures/referring, 127.0.0.2) holds one page per case, listed in its README.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.report.build import build_report
from audit.report.json_report import write_json
from audit.report.workbook import write_workbook
from audit.rule import Finding
from audit.runner import build_rules, read_pages, run_checks
from tests.conftest import FIXTURES, write_config

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def referring(bakery_site: SiteServer) -> Iterator[SiteServer]:
    today = date.today()
    recent = {f"{{{{recent{i}}}}}": (today - timedelta(days=days)).isoformat()
              for i, days in ((1, 4), (2, 19), (3, 47))}
    with SiteServer(FIXTURES / "referring", host="127.0.0.2",
                    replacements={"{{client}}": bakery_site.origin, **recent}) as server:
        yield server


@pytest.fixture(scope="module")
def audited(bakery_site: SiteServer, referring: SiteServer,
            tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("backlinks")
    r, c = referring.origin, bakery_site.origin
    # The consultant's exports: Search Console in French (no anchors), Ahrefs in English
    # (UTF-16, tab), and a file that is no backlinks export at all.
    (tmp / "gsc-liens.csv").write_text(
        f"Pages à l’origine du lien;Dernière exploration\n{r}/supprime.html;2026-09-14\n"
        f"{r}/prive/membres.html;2026-09-20\n", encoding="utf-8")
    (tmp / "ahrefs.csv").write_bytes(
        ("Referring page title\tReferring page URL\tTarget URL\tAnchor\tNofollow\n"
         f"Forum\t{r}/forum.html\t{c}/\tBoulangerie Martin\tfalse\n").encode("utf-16"))
    (tmp / "domaines.csv").write_text("Domaine,Liens\n127.0.0.2,9\n", encoding="utf-8")
    expected = [
        {"from": f"{r}/annuaire.html", "to": f"{c}/", "anchor": "Boulangerie Martin"},
        {"from": f"{r}/guide-du-pain.html", "to": f"{c}/blog/levain.html"},
        {"from": f"{r}/partenaires.html", "to": f"{c}/horaires.html"},
        {"from": f"{r}/article-retire.html", "to": f"{c}/"},
        f"{r}/blog-cache.html",
        f"{r}/vieille-adresse.html",
    ]
    config = write_config(tmp / "client.yaml", c + "/",
                          "backlinks:\n"
                          f"  expected: {json.dumps(expected)}\n"
                          "  imports: [gsc-liens.csv, ahrefs.csv, domaines.csv]\n"
                          "  delay: 0\n"
                          "social:\n  profiles:\n"
                          "    youtube: {url: 'https://www.youtube.com/@boulangeriemartin', "
                          f"feed: '{r}/flux-recent.xml'}}\n"
                          "    mastodon: {url: 'https://mastodon.social/@boulangeriemartin', "
                          f"feed: '{r}/flux-ancien.xml'}}\n"
                          "    bluesky: {url: 'https://bsky.app/profile/boulangerie-martin.fr', "
                          f"feed: '{r}/prive/flux.xml'}}\n")
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    before = len(referring.requests)
    pipeline.crawl(config, cfg, run_dir)
    run_checks(run_dir, cfg, [r for r in build_rules(cfg)
                              if r.id in ("backlinks", "social-activity")])
    data = build_report(run_dir, cfg)
    xlsx = write_workbook(data, tmp / "rapport.xlsx")
    report = json.loads(write_json(build_report(run_dir, cfg), tmp / "rapport.json")
                        .read_text(encoding="utf-8"))
    findings = [Finding.from_dict(json.loads(line)) for line in
                (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"findings": findings, "run_dir": run_dir, "xlsx": xlsx, "report": report,
            "requests": referring.requests[before:], "r": r, "c": c}


def _codes(audited: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in audited["findings"]:
        if f.rule != "backlinks":
            continue
        url = f.url.removeprefix(audited["r"]).replace(audited["c"] + "/", "home")
        out.setdefault(url, set()).add(f.code)
    return out


def test_each_link_gets_its_verdict(audited: dict) -> None:
    assert _codes(audited) == {
        "/guide-du-pain.html": {"nofollow"},
        "/partenaires.html": {"sponsored"},
        "/article-retire.html": {"lost"},
        "/blog-cache.html": {"hidden"},
        "/vieille-adresse.html": {"target-redirected"},  # the page moved; its link did not
        "/forum.html": {"anchor-changed"},
        "/supprime.html": {"page-gone"},
        "home": {"unreadable-import"},  # the site's: domaines.csv was not read
    }
    # robots.txt keeps /prive/ out: a limit of the audit (check.json), not a finding
    check = json.loads((audited["run_dir"] / "check.json").read_text(encoding="utf-8"))
    limits = [(lim["rule"], lim["key"], lim["pages"]) for lim in check["limits"]]
    assert ("backlinks", "not-checked:robots", 1) in limits
    unreadable = next(f for f in audited["findings"] if f.code == "unreadable-import")
    assert "domaines.csv:1" in unreadable.message.fr and "poursuivi sans lui" in \
        unreadable.message.fr
    nofollow = next(f for f in audited["findings"] if f.code == "nofollow")
    assert audited["c"] + "/blog/levain.html" in nofollow.message.en  # both URLs named
    assert nofollow.url == audited["r"] + "/guide-du-pain.html"


def test_referring_pages_fetched_politely(audited: dict) -> None:
    requests = audited["requests"]
    assert "/robots.txt" in requests and "/prive/membres.html" not in requests
    assert requests.count("/annuaire.html") == 1  # once, links never followed
    assert "/presse.html" in requests and "/" not in requests  # redirect followed, no links
    pages = {p.url.removeprefix(audited["r"]): p
             for p in read_pages(audited["run_dir"] / "backlinks.jsonl")}
    # Recorded under the URL the config named, with where it led.
    assert pages["/vieille-adresse.html"].redirect_to.endswith("/presse.html")
    assert pages["/prive/membres.html"].error == "robots.txt"
    crawl = json.loads((audited["run_dir"] / "crawl.json").read_text(encoding="utf-8"))
    # 9 referring pages, each written once (the refused one too); the redirect hop queued.
    assert crawl["external"]["backlink"] == {"queued": 10, "written": 9}
    assert any("domaines.csv:1" in e for e in crawl["backlink_import_errors"])


def test_score_counts_live_followed_links(audited: dict) -> None:
    results = (audited["run_dir"] / "page_results.jsonl").read_text().splitlines()
    site = json.loads(results[-1])["site"]
    # Followed, visible, to a live page: annuaire, forum (anchor changed), presse
    # (to a redirect): 3 of the 8 checked (membres is not checked).
    assert site["backlinks"] == pytest.approx(100 * 3 / 8, abs=0.1)


def test_report_shows_the_links(audited: dict) -> None:
    report = audited["report"]
    summary = report["summary"]["backlinks"]
    assert summary["links"] == 9 and summary["referring_domains"] == 1
    # 9 = 5 live (3 followed) + 1 hidden + 2 lost + 1 not checked.
    assert (summary["live"], summary["lost"], summary["not_checked"]) == (5, 2, 1)
    assert summary["follow_share"] == pytest.approx(3 / 5, abs=0.001)
    assert [a for a, _ in summary["anchors"]] == [
        "Boulangerie Martin", "carte de la boulangerie Martin", "cliquez ici",
        "le pain au levain de la boulangerie Martin", "les horaires de la boulangerie Martin"]
    assert len(report["backlinks"]) == 9
    home = next(p for p in report["pages"] if p["url"] == audited["c"] + "/")
    assert home["data"]["backlinks"] == 2  # annuaire and forum (the hidden one is not live)
    wb = load_workbook(audited["xlsx"])
    assert wb.sheetnames[-2:] == ["Backlinks", "Règles"]
    ws = wb["Backlinks"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Page référente", "Domaine", "Cible attendue"]
    states = {row[0].value.removeprefix(audited["r"]): row[6].value
              for row in ws.iter_rows(min_row=2)}
    assert states["/annuaire.html"] == "actif"
    assert states["/supprime.html"] == "Page référente inaccessible"
    pages_header = [c.value for c in wb["Pages"][1]]
    assert "Backlinks actifs" in pages_header
    summary_text = [c.value for row in wb["Synthèse"].iter_rows() for c in row if c.value]
    assert "Domaines référents" in summary_text and "Boulangerie Martin" in summary_text
    assert any("export ignoré" in str(v) and "domaines.csv:1" in str(v) for v in summary_text)


def test_feeds_give_the_activity(audited: dict) -> None:
    social = {(f.code, f.message.en.split()[0]) for f in audited["findings"]
              if f.rule == "social-activity"}
    # YouTube posted 4 days ago: active. Mastodon's last post is from January 2025.
    # Bluesky's feed sits under a folder robots.txt disallows: not read, said so.
    assert social == {("inactive", "mastodon"), ("too-few-active", "A"),
                      ("unreadable-feed", "bluesky")}
    few = next(f for f in audited["findings"] if f.code == "too-few-active")
    assert few.message.fr.startswith("Un seul réseau actif (sur 2 mesurés) : au moins 2")
    assert "/prive/flux.xml" not in audited["requests"]
    feeds = {json.loads(line)["network"]: json.loads(line) for line in
             (audited["run_dir"] / "feeds.jsonl").read_text(encoding="utf-8").splitlines()}
    assert feeds["youtube"]["format"] == "atom" and len(feeds["youtube"]["dates"]) == 3
    assert feeds["mastodon"]["dates"][0].startswith("2025-01-06")
    assert feeds["bluesky"]["error"] == "robots.txt"
