"""The bundled demo: a small French agency site with planted defects (see site/DEFECTS.md)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path


def demo_site_root() -> Path:
    return Path(str(resources.files("audit") / "demo" / "site"))


def demo_config_text(origin: str, out_dir: Path, lang: str = "fr") -> str:
    """The client YAML the demo runs with (json.dumps quotes are valid YAML)."""
    template = (Path(__file__).parent / "demo.yaml").read_text(encoding="utf-8")
    return (template.replace("{{origin}}", origin)
            .replace("{{out}}", json.dumps(str(out_dir)))
            .replace("{{lang}}", lang))
