"""One rule per file; every module here is imported and its rules registered.

Drop ``my_rule.py`` with a ``PageRule``/``SiteRule`` subclass whose ``id`` is
``my-rule`` and the config, the runner and the workbook all know it.
"""

from __future__ import annotations

import importlib
import pkgutil

from audit.rule import REGISTRY, Rule


def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule, by id, in a stable order (category, then id)."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    order = {"seo": 0, "sea": 1, "smo": 2}
    return dict(sorted(REGISTRY.items(), key=lambda kv: (order[kv[1].category], kv[0])))
