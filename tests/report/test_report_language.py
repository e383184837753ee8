"""`seo-audit report --lang en RUN_DIR`: a finished run written again in the other
language, beside the usual pair (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from audit.cli import main
from tests.reliability.test_output_faults import _checked_run


def test_a_run_is_written_again_in_english_beside_the_french_report(tmp_path: Path) -> None:
    run_dir, out = _checked_run(tmp_path)
    assert main(["report", str(run_dir), "-q"]) == 0
    (fr_xlsx,) = out.glob("boulangerie-martin-*.xlsx")
    assert main(["report", str(run_dir), "--lang", "en", "-q"]) == 0
    (en_xlsx,) = out.glob("boulangerie-martin-*-en.xlsx")
    assert en_xlsx.name == fr_xlsx.stem + "-en.xlsx"
    assert openpyxl.load_workbook(fr_xlsx).sheetnames[0] == "Synthèse"  # left as it was
    english = openpyxl.load_workbook(en_xlsx)
    assert english.sheetnames[:4] == ["Summary", "Issues", "Pages", "Findings"]
    findings = [c.value for c in english["Findings"]["D"][1:]]
    assert findings and set(findings) <= {"error", "warning", "notice"}
    (en_json,) = out.glob("boulangerie-martin-*-en.json")
    data = json.loads(en_json.read_text(encoding="utf-8"))
    assert data["findings"] and all("é" not in f["message"] for f in data["findings"])
    # The same language as the config: the usual name, no suffix.
    assert main(["report", str(run_dir), "--lang", "fr", "-q"]) == 0
    assert len(list(out.glob("*.xlsx"))) == 2


def test_output_keep_prunes_the_other_language_with_its_day(tmp_path: Path) -> None:
    from audit import pipeline
    from audit.config import load

    out = tmp_path / "out"
    out.mkdir()
    for name in ("boulangerie-martin-2026-11-20.xlsx", "boulangerie-martin-2026-11-20-en.xlsx",
                 "boulangerie-martin-2026-11-20-en.json", "boulangerie-martin-2026-11-27.xlsx",
                 "boulangerie-martin-2026-11-27-en.xlsx", "boulangerie-martin-notes.xlsx"):
        (out / name).write_bytes(b"x")
    config = tmp_path / "c.yaml"
    config.write_text('client: "Boulangerie Martin"\nsite: {start_urls: '
                      '["https://www.boulangerie-martin.fr/"]}\noutput: {dir: out}\n',
                      encoding="utf-8")
    deleted = {p.name for p in pipeline.prune(load(config), out, keep=1)}
    assert deleted == {"boulangerie-martin-2026-11-20.xlsx",
                       "boulangerie-martin-2026-11-20-en.xlsx",
                       "boulangerie-martin-2026-11-20-en.json"}
    assert {p.name for p in out.iterdir()} == {
        "boulangerie-martin-2026-11-27.xlsx", "boulangerie-martin-2026-11-27-en.xlsx",
        "boulangerie-martin-notes.xlsx"}  # another name: never touched
