"""The check stage: failure isolation, scores, link graph metrics, broken records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from audit.config import loads
from audit.rule import RULE_FAILED, Outcome
from audit.rules.broken_link import BrokenLink
from audit.rules.title import Title
from audit.runner import run_checks
from spiders.items import PageItem
from tests.rules.harness import SITE, make_page


class ExplodingTitle(Title):
    """A title rule with a bug on one page."""

    def check(self, page: PageItem, ctx) -> Iterator[Outcome]:  # type: ignore[override]
        if page.url.endswith("/boum.html"):
            raise ZeroDivisionError("division par zéro")
        yield from super().check(page, ctx)


def _run(tmp_path: Path, pages: list[PageItem], rules) -> tuple[list[dict], dict[str, dict]]:
    cfg = loads(f"client: Test\nsite: {{start_urls: ['{SITE}']}}\n")
    with open(tmp_path / "pages.jsonl", "w", encoding="utf-8") as fh:
        for p in pages:
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        fh.write('{"url": "https://www.exemple.fr/tronq')  # a crawl killed mid-line
    summary = run_checks(tmp_path, cfg, rules)
    assert summary.bad_lines == 1
    findings = [json.loads(x) for x in (tmp_path / "findings.jsonl").read_text().splitlines()]
    results = {}
    for line in (tmp_path / "page_results.jsonl").read_text().splitlines():
        row = json.loads(line)
        results[row.get("url", "site")] = row
    return findings, results


def test_a_failing_rule_becomes_one_finding_and_the_run_goes_on(tmp_path: Path) -> None:
    pages = [make_page({"url": "/", "html": "<title>Accueil</title><a href='/boum.html'>b</a>"}),
             make_page({"url": "/boum.html", "html": "<title>Boum</title>"}),
             make_page({"url": "/suite.html", "html": "<p>Pas de titre</p>"})]
    findings, results = _run(tmp_path, pages, [ExplodingTitle()])
    failed = [f for f in findings if f["code"] == RULE_FAILED]
    assert len(failed) == 1 and failed[0]["url"].endswith("/boum.html")
    assert "ZeroDivisionError" in failed[0]["message"]["en"]
    assert {(f["url"].removeprefix(SITE), f["code"]) for f in findings} == {
        ("", "too-short"), ("boum.html", RULE_FAILED), ("suite.html", "missing")}
    assert results[SITE + "boum.html"]["scores"] == {}  # a tool fault is not scored
    assert results[SITE + "suite.html"]["scores"] == {"title": 0.0}
    check = json.loads((tmp_path / "check.json").read_text())
    assert check["rule_failures"] == 1 and check["status"] == "complete"


def test_depth_and_inlinks_follow_the_link_graph(tmp_path: Path) -> None:
    pages = [
        make_page({"url": "/", "html": "<a href='/a.html'>a</a><a href='/vieux.html'>v</a>"}),
        make_page({"url": "/a.html", "html": "<a href='/b.html'>b</a><a href='/'>accueil</a>"}),
        make_page({"url": "/vieux.html", "status": 301, "redirect_to": "/c.html"}),
        make_page({"url": "/c.html", "html": "<a href='/b.html'>b</a>"}),
        make_page({"url": "/b.html", "html": "<p>b</p>"}),
        make_page({"url": "/orphelin.html", "html": "<p>seul</p>"}),
    ]
    _, results = _run(tmp_path, pages, [BrokenLink()])
    depth = {u.removeprefix(SITE): r["depth"] for u, r in results.items() if u != "site"}
    inlinks = {u.removeprefix(SITE): r["inlinks"] for u, r in results.items() if u != "site"}
    assert depth == {"": 0, "a.html": 1, "vieux.html": 1, "c.html": 1, "b.html": 2,
                     "orphelin.html": None}
    assert inlinks == {"": 1, "a.html": 1, "vieux.html": 1, "c.html": 0, "b.html": 2,
                       "orphelin.html": 0}
    rank = {u.removeprefix(SITE): r["pagerank"] for u, r in results.items() if u != "site"}
    # b.html is linked from a.html and c.html (reached through a redirect): the strongest.
    assert rank["b.html"] == 100.0
    assert rank["vieux.html"] is None  # a redirect holds no rank of its own
    assert rank["orphelin.html"] < rank["c.html"] < rank["b.html"]


def test_follow_pages_reads_a_file_being_written(tmp_path: Path) -> None:
    """Lines cut by the writer's buffer are read whole; reading ends once the writer is done
    and the file drained."""
    import threading
    import time

    from audit.runner import follow_pages
    from spiders.items import PageItem as Item

    path = tmp_path / "pages.jsonl"
    lines = [json.dumps(Item(url=f"https://www.exemple.fr/pain-{i}.html").to_dict()) + "\n"
             for i in range(50)]
    finished = threading.Event()

    def writer() -> None:
        time.sleep(0.1)  # the file does not exist yet when the reader starts
        with open(path, "w", encoding="utf-8") as fh:
            for line in lines:
                half = len(line) // 2
                fh.write(line[:half])
                fh.flush()
                time.sleep(0.002)
                fh.write(line[half:])
                fh.flush()
        finished.set()

    thread = threading.Thread(target=writer)
    thread.start()
    urls = [p.url for p in follow_pages(path, finished.is_set, poll=0.001)]
    thread.join()
    assert urls == [f"https://www.exemple.fr/pain-{i}.html" for i in range(50)]


def test_follow_pages_survives_a_write_cut_inside_a_character(tmp_path: Path) -> None:
    """The reader can reach the end of the file between the two bytes of « é »: it must
    wait for the rest of the line, not fail to decode (seen on the 1,000-page benchmark)."""
    import threading
    import time

    from audit.runner import follow_pages
    from spiders.items import PageItem as Item

    path = tmp_path / "pages.jsonl"
    record = (json.dumps(Item(url="https://www.exemple.fr/b.html", title="Pâtisserie élégante")
                         .to_dict(), ensure_ascii=False) + "\n").encode("utf-8")
    cut = record.index("é".encode()) + 1  # inside the two bytes of « é »
    path.write_bytes(record[:cut])
    finished = threading.Event()

    def writer() -> None:
        time.sleep(0.05)  # the reader has met the end of the file inside the character
        with open(path, "ab") as fh:
            fh.write(record[cut:])
        finished.set()

    thread = threading.Thread(target=writer)
    thread.start()
    titles = [p.title for p in follow_pages(path, finished.is_set, poll=0.001)]
    thread.join()
    assert titles == ["Pâtisserie élégante"]


def _plain_pagerank(graph, damping: float = 0.85, iterations: int = 40) -> dict[str, float]:
    """PageRank as the textbook loop, with the floating-point operations in the order the
    vectorised one promises to keep: the reference it must equal to the last bit."""
    def final(node: int) -> int:
        seen = set()
        while node in graph.redirects and node not in seen:
            seen.add(node)
            node = graph.redirects[node]
        return node

    pages = sorted(graph.edges)
    index = {n: i for i, n in enumerate(pages)}
    out = [[index[f] for f in (final(t) for t in graph.edges[n]) if f in index] for n in pages]
    size = len(pages)
    rank = [1.0 / size] * size
    for _ in range(iterations):
        nxt = [(1.0 - damping) / size] * size
        share = [damping * rank[i] / len(t) if t else 0.0 for i, t in enumerate(out)]
        for i, targets in enumerate(out):
            for t in targets:
                nxt[t] += share[i]
        dangling = 0.0
        for i, targets in enumerate(out):
            if not targets:
                dangling += rank[i]
        rank = [x + damping * dangling / size for x in nxt]
    top = max(rank)
    names = {i: u for u, i in graph.ids.items()}
    return {names[n]: round(100.0 * rank[index[n]] / top, 1) for n in pages}


def test_pagerank_equals_the_plain_loop(monkeypatch) -> None:
    """Random sites with redirects (chains, loops, to pages never crawled), pages without
    links and links to uncrawled URLs; slices of a few pages so that several are used."""
    import random
    from array import array

    from audit import runner

    monkeypatch.setattr(runner, "_SLICE_PAGES", 7)
    for seed in range(5):
        rnd = random.Random(seed)
        graph = runner._Graph()
        n = rnd.choice([2, 40, 600])
        for i in range(n):
            graph._id(f"{SITE}page-{i}.html")
        for i in range(n):
            if i and rnd.random() < 0.08:
                graph.redirects[i] = graph._id(f"{SITE}page-{rnd.randrange(n + 20)}.html")
            elif rnd.random() < 0.9:
                graph.edges[i] = array("i", {rnd.randrange(len(graph.ids))
                                             for _ in range(rnd.randrange(0, 30))} - {i})
        assert runner._Graph.pagerank(graph) == _plain_pagerank(graph)
