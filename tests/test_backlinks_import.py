"""Backlink exports as the tools write them: encodings, separators, French headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.backlinks import BacklinkImportError, expected_links, read_import
from audit.config import loads


def test_ahrefs_utf16_tab_export_in_french(tmp_path: Path) -> None:
    # Ahrefs' "for Excel" export: UTF-16 with BOM, tab separated; French interface.
    path = tmp_path / "ahrefs-fr.csv"
    text = ("Titre de la page référente\tURL de la page référente\tURL cible\tAncre\n"
            "Annuaire\thttps://www.annuaire-lyon.fr/agences.html\thttps://www.exemple.fr/\t"
            "Agence web à Lyon\n")
    path.write_bytes(text.encode("utf-16"))
    [link] = read_import(path)
    assert (link.source, link.target, link.anchor, link.origin) == (
        "https://www.annuaire-lyon.fr/agences.html", "https://www.exemple.fr/",
        "Agence web à Lyon", "ahrefs-fr.csv")


def test_semrush_semicolon_export_with_french_headers(tmp_path: Path) -> None:
    path = tmp_path / "semrush.csv"
    path.write_text("Page ascore;Titre source;URL source;URL cible;Ancre\n"
                    "8;Blog;https://blog.partenaire.fr/a.html;https://www.exemple.fr/tarifs.html;"
                    "nos tarifs\n", encoding="utf-8-sig")
    [link] = read_import(path)
    assert link.target == "https://www.exemple.fr/tarifs.html" and link.anchor == "nos tarifs"


def test_unknown_export_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "domaines.csv"
    path.write_text("Domaine,Liens\nannuaire-lyon.fr,3\n", encoding="utf-8")
    with pytest.raises(BacklinkImportError, match=r"domaines\.csv:1: not a known backlinks "
                                                 r"export.*got Domaine, Liens"):
        read_import(path)


def test_bad_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gsc.csv"
    path.write_text("Linking page,Last crawled\nhttps://a.fr/x.html,2026-01-02\n"
                    "pas une adresse,2026-01-03\n", encoding="utf-8")
    with pytest.raises(BacklinkImportError, match=r"gsc\.csv:3: not a page URL"):
        read_import(path)


def test_a_bad_import_leaves_the_others(tmp_path: Path) -> None:
    (tmp_path / "bon.csv").write_text("Source URL,Target URL\nhttps://a.fr/x.html,"
                                      "https://www.exemple.fr/\n", encoding="utf-8")
    (tmp_path / "vide.csv").write_text("", encoding="utf-8")
    cfg = loads("client: t\nsite: {start_urls: ['https://www.exemple.fr/']}\n"
                "backlinks:\n  expected: ['https://a.fr/x.html', {from: 'https://b.fr/'}]\n"
                "  imports: [bon.csv, vide.csv]\n", tmp_path / "c.yaml")
    links, errors = expected_links(cfg)
    # x.html named bare in the config and with its target in bon.csv: one link, targeted.
    assert [(lk.source, lk.target, lk.origin) for lk in links] == [
        ("https://b.fr/", "", "config"),
        ("https://a.fr/x.html", "https://www.exemple.fr/", "bon.csv")]
    assert [str(e) for e in errors] == [f"{tmp_path / 'vide.csv'}:1: empty file"]


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("expected: [{to: 'https://www.exemple.fr/'}]", "missing required key 'from'"),
    ("expected: [{from: 'annuaire-lyon.fr'}]", "must be an absolute http"),
    ("expected: [{from: 'https://a.fr/', ancre: x}]", "unknown key 'ancre'"),
    ("imports: [absent.csv]", "no such file"),
])
def test_config_errors_name_file_line_and_key(tmp_path: Path, yaml_text: str,
                                              message: str) -> None:
    with pytest.raises(Exception, match=message) as info:
        loads("client: t\nsite: {start_urls: ['https://www.exemple.fr/']}\n"
              f"backlinks:\n  {yaml_text}\n", tmp_path / "c.yaml")
    assert "c.yaml:4: backlinks." in str(info.value)
