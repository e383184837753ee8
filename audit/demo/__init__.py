"""The bundled demo: a small French agency site with planted defects (see site/DEFECTS.md),
and a small competitor site (competitor/) that copied one of its articles."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.demo.server import SiteServer

COMPETITOR_HOST = "127.0.0.2"


def demo_site_root() -> Path:
    return Path(str(resources.files("audit") / "demo" / "site"))


def demo_competitor_root() -> Path:
    return Path(str(resources.files("audit") / "demo" / "competitor"))


def competitor_server() -> SiteServer:
    """The competitor site's server (not started): on 127.0.0.2, another site than the
    demo's 127.0.0.1; on 127.0.0.1 (another port) where 127.0.0.2 cannot be bound."""
    from audit.demo.server import SiteServer

    try:
        return SiteServer(demo_competitor_root(), host=COMPETITOR_HOST)
    except OSError:  # e.g. macOS: only 127.0.0.1 is configured on lo0
        return SiteServer(demo_competitor_root())


def demo_config_text(origin: str, out_dir: Path, lang: str = "fr",
                     competitor: str | None = None) -> str:
    """The client YAML the demo runs with (json.dumps quotes are valid YAML).

    ``competitor``: origin of the competitor site; without it the demo compares with
    no external page."""
    template = (Path(__file__).parent / "demo.yaml").read_text(encoding="utf-8")
    if competitor is None:
        template = "\n".join(line for line in template.splitlines()
                             if "{{competitor}}" not in line) + "\n"
    return (template.replace("{{origin}}", origin)
            .replace("{{competitor}}", competitor or "")
            .replace("{{out}}", json.dumps(str(out_dir)))
            .replace("{{lang}}", lang))
