"""Precision of the content rules on real sites nobody here wrote (``make precision``).

Each site of ``tests/realsites/sites/<name>/`` (built HTML taken from a public
repository's snapshot, see its ``SOURCE.yaml``) is served on 127.0.0.1 and audited
with ``seo-audit run``, as a consultant would, with the client file
``tests/realsites/sites/<name>.yaml`` (``{{origin}}`` is the server's origin). What the
content rules say is cut into *items* — one per finding, or one per word or error a
finding lists (spelling, grammar) — each with a key ``rule|code|path|detail`` (the path
decoded, no final slash: /réglementations). The hand-written key
``tests/realsites/labels/<name>.yaml`` says of each item whether it is true (a real
defect the client should fix) or false, and why; a label's ``match`` may use ``*``
for any text (« spelling|*|*|bivarié » labels the word on every page, whatever the code).
Its ``defects`` list the real defects found by reading the pages (recall).

    python -m tests.realsites.precision                 # every site, whole
    python -m tests.realsites.precision --max-pages 8   # the fast subset
    python -m tests.realsites.precision --unlabelled /tmp/todo.yaml   # items to label
    python -m tests.realsites.precision --write         # the table into BENCHMARKS.md

Precision = true / (true + false) over labelled items; unlabelled items are counted
apart (the table is only final when there are none).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from audit.demo.server import SiteServer

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
LABELS = HERE / "labels"
ROOT = HERE.parent.parent
# The fast subset (tests/realsites/test_precision.py): the first pages of each site, and
# the counts recorded for them, which a change may improve but never worsen.
SUBSET_PAGES = 8
SUBSET = HERE / "subset.json"
MARK_BEGIN = "<!-- precision:begin -->"
MARK_END = "<!-- precision:end -->"

# The rules issue 15 holds to precision ≥ 90 %, in the order of the table.
CONTENT_RULES = ("hidden-text", "spelling", "grammar", "keyword-focus",
                 "keyword-cannibalization", "duplicate-content", "readability",
                 "social-profiles", "open-graph")
# Technical rules measured the same way (issue 16): one id per line, so that branches
# adding rules merge without conflict.
TECHNICAL_RULES: tuple[str, ...] = (
    "redirects",
    "url-format",
    "anchor-text",
    "indexability",
    "canonical",
    "sitemaps",
    "hreflang",
    "html-lang",
    "structured-data",
    "https",
    "page-experience",
)
MEASURED_RULES = CONTENT_RULES + TECHNICAL_RULES
# Codes that claim nothing against the client (a list to confirm, not an error): shown
# apart, outside precision.
TO_CONFIRM = {("spelling", "proper-noun"), ("spelling", "site-vocabulary"),
              ("spelling", "foreign-words"), ("spelling", "unknown-word")}
_SPELL_LINE = re.compile(r"^(?P<word>\S+?)(?: \[(?P<lang>[a-z]{2,3})\])? — « (?P<ctx>.*) »")
_GRAMMAR_LINE = re.compile(
    r"^(?:\[(?P<lang>[a-z]{2,3})\] )?« (?P<ctx>.*?) » — (?P<msg>.*) \[(?P<rule>[^\]]+)\]$")
_MARKED = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True)
class Item:
    """One thing a content rule says of one page (or of the site)."""

    rule: str
    code: str
    severity: str
    path: str  # the URL's path and query, "" for the site
    detail: str  # the word, the error, the hidden text's first words; "" when one per page
    context: str = ""  # what a labeller reads to judge

    @property
    def key(self) -> str:
        return f"{self.rule}|{self.code}|{self.path}|{self.detail}"


@dataclass
class Label:
    match: str
    ok: bool
    why: str = ""
    subset: bool = False  # a defect on the pages of the fast subset (test_precision.py)
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts = (re.escape(p) for p in self.match.split("*"))
        self.pattern = re.compile(".*".join(parts) + r"\Z", re.DOTALL)


@dataclass
class Key:
    """A site's hand-labelled key: labels of items and the real defects known."""

    labels: list[Label]
    defects: list[Label]  # ok is ignored: each is a real defect an item should match

    @classmethod
    def load(cls, path: Path) -> Key:
        """``labels/<site>.yaml``, then ``labels/<site>/*.yaml`` in name order (one file
        per group of rules, e.g. ``technical.yaml``: edits to one never touch another)."""
        labels: list[Label] = []
        defects: list[Label] = []
        extra = sorted(path.with_suffix("").glob("*.yaml")) if path.with_suffix("").is_dir() else []
        for file in ([path] if path.exists() else []) + extra:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            labels += [Label(str(d["match"]), bool(d["ok"]), str(d.get("why", "")))
                       for d in data.get("labels") or []]
            defects += [Label(str(d["match"]), True, str(d.get("why", "")),
                              bool(d.get("subset"))) for d in data.get("defects") or []]
        return cls(labels, defects)

    def verdict(self, item: Item) -> Label | None:
        key = item.key
        for label in self.labels:  # the first that matches: specific labels first
            if label.pattern.match(key):
                return label
        return None


def _path(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    path = unquote(parts.path).rstrip("/") or "/"  # /guide and /guide/: one key
    return path + (f"?{unquote(parts.query)}" if parts.query else "")


def _evidence(d: dict) -> str:
    ev = d.get("evidence") or ""
    return ev.get("en", "") if isinstance(ev, dict) else ev


def items_of(finding: dict) -> Iterator[Item]:
    """The items of one finding (``findings.jsonl`` line) of a content rule."""
    rule, code, sev = finding["rule"], finding["code"], finding["severity"]
    path = _path(finding.get("url", ""))
    message = finding["message"]["en"]
    evidence = _evidence(finding)
    if rule == "spelling" and code in ("misspelling", "proper-noun", "foreign-words",
                                       "site-vocabulary", "unknown-word"):
        for line in evidence.splitlines():
            m = _SPELL_LINE.match(line)
            if m:
                yield Item(rule, code, sev, path, m["word"], m["ctx"])
        return
    if rule == "grammar" and code == "grammar-error":
        for line in evidence.splitlines():
            m = _GRAMMAR_LINE.match(line)
            if m:
                marked = _MARKED.search(m["ctx"])
                error = marked.group(1) if marked else m["ctx"][:40]
                yield Item(rule, code, sev, path, f"{m['rule']}|{error}",
                           f"{m['ctx']} — {m['msg']}")
        return
    if rule == "hidden-text":  # one item per group of hidden text (an evidence line)
        for line in evidence.splitlines():
            if line.startswith("… (+"):
                continue
            quoted = line.rsplit(" · '", 1)
            detail = quoted[1][:50].rstrip("'…") if len(quoted) == 2 else line.split(" · ")[0]
            yield Item(rule, code, sev, path, detail, f"{message}\n{line}")
        return
    yield Item(rule, code, sev, path, "", f"{message}\n{evidence}"[:600])


@dataclass
class SiteRun:
    name: str
    run_dir: Path
    pages: int
    items: list[Item]
    other: Counter[str]  # findings of the other rules, by rule
    notes: list[str]


def site_names() -> list[str]:
    return sorted(p.name for p in SITES.iterdir() if (p / "SOURCE.yaml").exists())


def audit_site(name: str, out: Path, max_pages: int | None = None) -> SiteRun:
    """Serve the site on 127.0.0.1 and audit it with the real command line."""
    template = (SITES / f"{name}.yaml").read_text(encoding="utf-8")
    with SiteServer(SITES / name) as server:
        text = template.replace("{{origin}}", server.origin)
        config = out / f"{name}.yaml"
        if max_pages:  # the same first pages in the same order, run after run
            text = re.sub(r"(?m)^  max_pages: \d+$", f"  max_pages: {max_pages}", text)
            text = re.sub(r"(?m)^  concurrency: \d+$", "  concurrency: 1", text)
        config.write_text(text + f"\noutput: {{dir: {out / name}}}\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "audit.cli", "run", str(config), "-q"],
                              cwd=ROOT, capture_output=True, text=True, timeout=1800)
        if done.returncode not in (0, 3):
            raise RuntimeError(f"{name}: seo-audit run exited {done.returncode}\n"
                               f"{done.stderr[-3000:]}")
    run_dir = max((out / name / "runs").glob("*/*/"))
    found: list[Item] = []
    other: Counter[str] = Counter()
    with (run_dir / "findings.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["rule"] in MEASURED_RULES:
                found.extend(items_of(d))
            else:
                other[d["rule"]] += 1
    check = json.loads((run_dir / "check.json").read_text(encoding="utf-8"))
    notes = [n["en"] if isinstance(n, dict) else str(n) for n in check.get("notes") or []]
    crawl = json.loads((run_dir / "crawl.json").read_text(encoding="utf-8"))
    return SiteRun(name, run_dir, int(crawl.get("pages") or 0), found, other, notes)


@dataclass
class Tally:
    items: int = 0
    true: int = 0
    false: int = 0
    unlabelled: int = 0
    to_confirm: int = 0
    false_errors: int = 0  # false items of error severity

    @property
    def precision(self) -> float | None:
        judged = self.true + self.false
        return self.true / judged if judged else None


def tally(runs: Iterable[SiteRun]) -> tuple[dict[str, Tally], dict[str, list], list]:
    """Per rule: counts; per site: defects found/missed; the unlabelled items."""
    by_rule: dict[str, Tally] = {r: Tally() for r in MEASURED_RULES}
    recall: dict[str, list[tuple[Label, bool]]] = {}
    unlabelled: list[tuple[str, Item]] = []
    for run in runs:
        key = Key.load(LABELS / f"{run.name}.yaml")
        for item in run.items:
            t = by_rule[item.rule]
            t.items += 1
            if (item.rule, item.code) in TO_CONFIRM:
                t.to_confirm += 1
                continue
            label = key.verdict(item)
            if label is None:
                t.unlabelled += 1
                unlabelled.append((run.name, item))
            elif label.ok:
                t.true += 1
            else:
                t.false += 1
                t.false_errors += item.severity == "error"
        recall[run.name] = [(d, any(d.pattern.match(i.key) for i in run.items))
                            for d in key.defects]
    return by_rule, recall, unlabelled


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f} %"


def table(runs: list[SiteRun], by_rule: dict[str, Tally],
          recall: dict[str, list[tuple[Label, bool]]]) -> str:
    lines = ["| site | pages | content items | other rules' findings |", "|---|---|---|---|"]
    for run in runs:
        lines.append(f"| {run.name} | {run.pages} | {len(run.items)} | "
                     f"{sum(run.other.values())} |")
    lines += ["", "| rule | items | true | false | precision | errors wrongly raised "
              "| to confirm (not claims) | unlabelled |", "|---|---|---|---|---|---|---|---|"]
    for rule, t in by_rule.items():
        lines.append(f"| {rule} | {t.items} | {t.true} | {t.false} | {_pct(t.precision)} | "
                     f"{t.false_errors} | {t.to_confirm} | {t.unlabelled} |")
    found = [ok for defects in recall.values() for _d, ok in defects]
    if found:
        lines += ["", f"Known real defects found: {sum(found)} / {len(found)} "
                  f"({_pct(sum(found) / len(found))})."]
        for site, defects in recall.items():
            missed = [d.match for d, ok in defects if not ok]
            if missed:
                lines.append(f"- {site}, missed: " + "; ".join(f"`{m}`" for m in missed))
    return "\n".join(lines)


def write_unlabelled(path: Path, unlabelled: list[tuple[str, Item]]) -> None:
    """The items without a label, grouped by site, ready to be judged by hand."""
    by_site: dict[str, list[dict]] = defaultdict(list)
    for site, item in unlabelled:
        by_site[site].append({"match": item.key, "ok": None, "severity": item.severity,
                              "context": item.context})
    path.write_text(yaml.safe_dump(dict(by_site), allow_unicode=True, sort_keys=False,
                                   width=100), encoding="utf-8")


def write_benchmarks(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    doc = path.read_text(encoding="utf-8")
    block = f"{MARK_BEGIN}\n{text}\n{MARK_END}"
    if MARK_BEGIN in doc:
        head, rest = doc.split(MARK_BEGIN, 1)
        doc = head + block + rest.split(MARK_END, 1)[1]
    else:
        doc += f"\n## Precision on real sites (`make precision`)\n\n{block}\n"
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", help="comma-separated site names (default: all)")
    parser.add_argument("--max-pages", type=int, help="crawl only this many URLs a site")
    parser.add_argument("--unlabelled", type=Path, help="write unlabelled items to this file")
    parser.add_argument("--keep", type=Path, help="keep the runs in this folder")
    parser.add_argument("--write", action="store_true", help="record the table in BENCHMARKS.md")
    parser.add_argument("--record-subset", action="store_true",
                        help=f"record the counts test_precision.py holds the subset to "
                             f"({SUBSET.name}); with --max-pages {SUBSET_PAGES}")
    args = parser.parse_args(argv)
    names = args.sites.split(",") if args.sites else site_names()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        runs = [audit_site(n, out, args.max_pages) for n in names]
        by_rule, recall, unlabelled = tally(runs)
    text = table(runs, by_rule, recall)
    print(text)
    if args.unlabelled:
        write_unlabelled(args.unlabelled, unlabelled)
        print(f"\n{len(unlabelled)} unlabelled item(s) written to {args.unlabelled}")
    if args.write:
        write_benchmarks(text)
    if args.record_subset:
        if args.max_pages != SUBSET_PAGES:
            parser.error(f"--record-subset needs --max-pages {SUBSET_PAGES}")
        record = {run.name: counts(run) for run in runs}
        SUBSET.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def counts(run: SiteRun) -> dict[str, dict[str, int]]:
    """Per rule, what the fast subset test compares with the recorded run."""
    by_rule, _recall, _unlabelled = tally([run])
    return {rule: {"true": t.true, "false": t.false, "unlabelled": t.unlabelled,
                   "false_errors": t.false_errors} for rule, t in by_rule.items()}


if __name__ == "__main__":
    sys.exit(main())
