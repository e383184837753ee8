"""Rebuild ``software.txt`` from the pinned cspell dictionaries (maintainers only).

    python -m audit.text.terms.build          # needs npm; writes audit/text/terms/software.txt

The run time never calls npm: the word list is data in the package. cspell's dictionaries
(MIT, Street Side Software) are maintained word lists of the software trade — terms,
tools, companies, languages' keywords and libraries — curated so that code spell
checkers stop flagging them; the same words flagged in a web page's prose are the noise
a consultant has to explain away (« hbase », « docstring », « mixins », « conda »).
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "software.txt"
# Pinned: a new version is a reviewed change (its words can hide typos; see README.md).
PACKAGES = {
    "@cspell/dict-software-terms": "5.4.9",
    "@cspell/dict-companies": "3.2.14",
    "@cspell/dict-fullstack": "3.2.9",
    "@cspell/dict-python": "4.5.3",
    "@cspell/dict-data-science": "2.0.17",
    "@cspell/dict-r": "2.1.1",
    "@cspell/dict-node": "5.0.9",
    "@cspell/dict-typescript": "3.2.3",
    "@cspell/dict-html": "4.0.16",
    "@cspell/dict-css": "4.1.2",
    "@cspell/dict-shell": "1.2.0",
    "@cspell/dict-sql": "2.2.1",
    "@cspell/dict-git": "3.1.1",
    "@cspell/dict-docker": "1.1.17",
    "@cspell/dict-k8s": "1.0.13",
    "@cspell/dict-aws": "4.0.17",
    "@cspell/dict-google": "1.0.9",
    "@cspell/dict-scala": "5.0.11",
    "@cspell/dict-golang": "6.0.29",
}
# A word of letters (a hyphen or an apostrophe inside), as the spell checker tokenises.
_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
_MIN = 3  # shorter entries (ok, js, df) are abbreviations the checker skips or knows


def words_of(text: str) -> set[str]:
    """The words of one cspell ``.txt`` dictionary: comments, forbidden entries (``!``) and
    the affix markers (``*``, ``+``, ``~``) dropped; lower case."""
    out: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("!"):
            continue
        for token in line.replace("*", " ").replace("+", " ").replace("~", " ").split():
            if _WORD.fullmatch(token) and len(token) >= _MIN:
                out.add(token.lower())
    return out


def read_package(tgz: Path) -> set[str]:
    words: set[str] = set()
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile() or not (name.endswith(".txt") or name.endswith(".txt.gz")):
                continue
            if "/src/" in name or name.endswith(("README.txt", "LICENSE.txt")):
                continue
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if name.endswith(".gz"):
                data = gzip.decompress(data)
            words |= words_of(data.decode("utf-8", "replace"))
    return words


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        specs = [f"{name}@{version}" for name, version in PACKAGES.items()]
        subprocess.run(["npm", "pack", "--silent", *specs], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        words: set[str] = set()
        for tgz in sorted(Path(tmp).glob("*.tgz")):
            words |= read_package(tgz)
    header = ["# Terms of the software trade (lower case), from the cspell dictionaries",
              "# pinned in build.py (MIT, see LICENSE.cspell). Generated: do not edit;",
              "# words to drop or add go in the lists of audit/text/spelling.py."]
    OUT.write_text("\n".join(header + sorted(words)) + "\n", encoding="utf-8")
    print(f"{len(words)} words → {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
