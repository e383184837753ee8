"""Hostile client files: refused fast with file, line and key, never a hang or a silent
disabling of a check (issue 20)."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from audit.config import ConfigError, load, rule_settings
from audit.rules import all_rules

HEAD = "client: Boulangerie Martin\nsite:\n  start_urls: [https://www.boulangerie-martin.fr/]\n"


def _refused(tmp_path: Path, text: str, rules: bool = False) -> ConfigError:
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        cfg = load(path)
        if rules:
            rule_settings(cfg, all_rules())
    assert info.value.file == str(path)
    return info.value


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    # "Billion laughs": nine levels of nine aliases expand to 9⁹ = 387 million strings.
    lines = ['a0: &a0 "ha"']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = HEAD + "keywords:\n  pages:\n" + "".join(f"    {line}\n" for line in lines)
    started = time.process_time()
    error = _refused(tmp_path, text)
    assert time.process_time() - started < 5  # refused, not expanded until killed
    assert "aliases" in error.message and error.line is not None and error.line > 4
    assert error.key.startswith("keywords.pages.")


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    text = (HEAD + "rules:\n  title: &strict {severity: error}\n"
            "  meta-description: *strict\n")
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    settings = rule_settings(load(path), all_rules())
    assert settings["meta-description"].severity == settings["title"].severity


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    filler = "".join(f"    /produits/article-{i}.html: pain de campagne bio\n"
                     for i in range(60_000))  # ≈ 3 MB
    text = HEAD + "keywords:\n  pages:\n" + filler
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    error = _refused(tmp_path, text)
    assert time.process_time() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB
    assert "too large" in error.message and "keywords.file" in error.message


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_infinite_or_nan_numbers_are_refused(tmp_path: Path, value: str) -> None:
    # Without a check, difficult_below: .inf would make every page "difficult", .nan none.
    error = _refused(tmp_path, HEAD + f"rules:\n  readability:\n    difficult_below: {value}\n",
                     rules=True)
    assert error.line == 6 and error.key == "rules.readability.difficult_below"
    assert "finite" in error.message or "number" in error.message


def test_a_forty_digit_integer_is_refused(tmp_path: Path) -> None:
    error = _refused(tmp_path, HEAD.replace(
        "site:\n", "site:\n  max_pages: 1234567890123456789012345678901234567890\n"))
    assert error.line == 3 and error.key == "site.max_pages"
    assert "too large" in error.message
