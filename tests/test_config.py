"""Config loading: valid files load; every error names the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.config import ConfigError, load, loads, rule_settings, slugify
from audit.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent


def _error(text: str, tmp_path: Path, rules: bool = False) -> ConfigError:
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        cfg = load(path)
        if rules:
            rule_settings(cfg, all_rules())
    return info.value


def test_example_config_is_valid() -> None:
    cfg = load(ROOT / "configs" / "example.yaml")
    assert cfg.client == "Réseau social"
    assert cfg.slug == "reseau-social"
    assert cfg.site.max_pages == 10000
    settings = rule_settings(cfg, all_rules())
    assert settings["title"].options.max_length == 60
    # Relative paths are relative to the config file, not the working directory.
    assert cfg.output_dir == (ROOT / "configs" / "../reports/")


def test_defaults_and_hosts() -> None:
    cfg = loads("client: Boulangerie Martin\nsite:\n  start_urls: [https://www.martin.fr/]\n")
    assert cfg.language == "auto" and cfg.report.language == "fr"
    assert cfg.allowed_hosts() == ["www.martin.fr"]
    assert cfg.scoring.weights.seo == 0.5


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    err = _error("client: x\nsite:\n  start_urls: [https://a.fr/]\n  max_page: 10\n", tmp_path)
    assert err.line == 4
    assert err.key == "site.max_page"
    assert "did you mean 'max_pages'" in str(err)
    assert str(err).startswith(f"{tmp_path / 'client.yaml'}:4: site.max_page: unknown key")


def test_wrong_type(tmp_path: Path) -> None:
    err = _error("client: x\nsite:\n  start_urls: [https://a.fr/]\n  concurrency: beaucoup\n",
                 tmp_path)
    assert (err.line, err.key) == (4, "site.concurrency")
    assert "whole number" in err.message


def test_missing_required_key(tmp_path: Path) -> None:
    err = _error("client: x\nsite:\n  max_pages: 10\n", tmp_path)
    assert err.key == "site" and "start_urls" in err.message and err.line == 2
    err = _error("site:\n  start_urls: [https://a.fr/]\n", tmp_path)
    assert "missing required key 'client'" in err.message


def test_bad_url_points_at_the_item(tmp_path: Path) -> None:
    err = _error("client: x\nsite:\n  start_urls:\n    - https://a.fr/\n    - www.b.fr\n", tmp_path)
    assert err.key == "site.start_urls" and "absolute http(s) URL" in err.message


def test_literal_choice_suggests(tmp_path: Path) -> None:
    err = _error("client: x\nsite: {start_urls: [https://a.fr/]}\nreport: {language: francais}\n",
                 tmp_path)
    assert (err.line, err.key) == (3, "report.language")
    assert "'fr'" in err.message


def test_duplicate_key(tmp_path: Path) -> None:
    err = _error("client: x\nclient: y\nsite: {start_urls: [https://a.fr/]}\n", tmp_path)
    assert (err.line, err.key, err.message) == (2, "client", "duplicate key")


def test_invalid_yaml_has_line(tmp_path: Path) -> None:
    err = _error("client: x\nsite: [unclosed\n", tmp_path)
    assert err.line is not None and "invalid YAML" in err.message


def test_range_checks(tmp_path: Path) -> None:
    err = _error("client: x\nsite: {start_urls: [https://a.fr/], concurrency: 0}\n", tmp_path)
    assert err.key == "site.concurrency" and "between 1 and 64" in err.message
    err = _error("client: x\nsite: {start_urls: [https://a.fr/]}\n"
                 "scoring: {weights: {seo: 0, sea: 0, smo: 0}}\n", tmp_path)
    assert err.key == "scoring.weights" and err.line == 3


def test_unknown_rule_and_rule_option(tmp_path: Path) -> None:
    base = "client: x\nsite: {start_urls: [https://a.fr/]}\nrules:\n"
    err = _error(base + "  tittle: {max_length: 50}\n", tmp_path, rules=True)
    assert (err.line, err.key) == (4, "rules.tittle") and "did you mean 'title'" in err.message
    err = _error(base + "  title:\n    max_lenght: 50\n", tmp_path, rules=True)
    assert (err.line, err.key) == (5, "rules.title.max_lenght")
    assert "did you mean 'max_length'" in err.message
    err = _error(base + "  title: {max_length: -3}\n", tmp_path, rules=True)
    assert err.key == "rules.title.max_length" and "at least" in err.message
    err = _error(base + "  h1: {severity: {several: notice}}\n", tmp_path, rules=True)
    assert err.key == "rules.h1.severity.several"
    assert "codes: missing, empty, multiple" in err.message
    err = _error(base + "  h1: {severity: fatal}\n", tmp_path, rules=True)
    assert err.key == "rules.h1.severity"
    # Options checked across fields (the dataclass's __post_init__): file, line and key.
    err = _error(base + "  page-experience: {slow_ms: 2000, very_slow_ms: 1000}\n", tmp_path,
                 rules=True)
    assert (err.line, err.key) == (4, "rules.page-experience")
    assert "very_slow_ms (1000) must be at least slow_ms (2000)" in err.message
    err = _error(base + "  page-experience: {heavy_kb: 4000}\n", tmp_path, rules=True)
    assert "googlebot_kb (2048) must be at least heavy_kb (4000)" in err.message


def test_missing_file_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load(tmp_path / "absent.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("client: Société Générale\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load(bad)


@pytest.mark.parametrize(("name", "slug"), [
    ("Réseau social", "reseau-social"),
    ("../../etc/passwd", "etc-passwd"),
    ("Café / Crème", "cafe-creme"),
])
def test_client_name_cannot_escape_the_output_folder(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_client_name_without_letters(tmp_path: Path) -> None:
    err = _error("client: '../..'\nsite: {start_urls: [https://a.fr/]}\n", tmp_path)
    assert err.key == "client" and err.line == 1


def test_named_files_and_folders_must_exist(tmp_path: Path) -> None:
    base = "client: x\nsite: {start_urls: [https://a.fr/]}\n"
    err = _error(base + "spelling:\n  word_list: mots.txt\n", tmp_path)
    assert (err.line, err.key) == (4, "spelling.word_list")
    assert str(tmp_path / "mots.txt") in err.message
    err = _error(base + "keywords_file: absent.csv\n", tmp_path)
    assert (err.line, err.key) == (3, "keywords_file")
    err = _error(base + "languagetool: {home: /nulle/part}\n", tmp_path)
    assert err.key == "languagetool.home" and "no such folder" in err.message
    (tmp_path / "mots.txt").write_text("Clairvoyance\n", encoding="utf-8")
    cfg_path = tmp_path / "ok.yaml"
    cfg_path.write_text(base + "spelling: {word_list: mots.txt}\n", encoding="utf-8")
    assert load(cfg_path).spelling.word_list == "mots.txt"


def test_site_sitemaps_urls_or_paths_with_line_and_key(tmp_path: Path) -> None:
    cfg = loads("client: x\nsite:\n  start_urls: [https://www.a.fr/blog/]\n"
                "  sitemaps: [/plans/pages.xml, 'https://cdn.a.fr/sitemap é.xml',"
                " /plans/pages.xml]\n", tmp_path / "c.yaml")
    assert cfg.site.sitemaps == ["https://www.a.fr/plans/pages.xml",
                                 "https://cdn.a.fr/sitemap%20%C3%A9.xml"]
    err = _error("client: x\nsite:\n  start_urls: [https://a.fr/]\n  sitemaps:\n"
                 "    - https://a.fr/s.xml\n    - plans/s.xml\n", tmp_path)
    assert err.key == "site.sitemaps[1]" and err.line == 6 and "path starting with /" in err.message
    err = _error("client: x\nsite:\n  start_urls: [https://a.fr/]\n  sitemaps: [ftp://a.fr/s]\n",
                 tmp_path)
    assert err.key == "site.sitemaps[0]" and err.line == 4


def test_grammar_style_is_a_validated_boolean_option(tmp_path: Path) -> None:
    base = "client: x\nsite: {start_urls: [https://a.fr/]}\nrules:\n"
    err = _error(base + "  grammar: {style: often}\n", tmp_path, rules=True)
    assert err.key == "rules.grammar.style"
    path = tmp_path / "ok.yaml"
    path.write_text(base + "  grammar: {style: true}\n", encoding="utf-8")
    assert rule_settings(load(path), all_rules())["grammar"].options.style is True
