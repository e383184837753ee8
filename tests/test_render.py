"""spiders.render.Renderer on its own (no Scrapy): the served body is what Chromium
renders, render_hidden.js marks what the browser hides, pages are rendered a few at a time,
a crashed browser is replaced, and a closed renderer refuses work."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from audit.demo.server import SiteServer
from spiders.render import Renderer, RenderError, chromium_path

pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="Chromium is not installed (/usr/bin/chromium): apt-get install chromium, "
           "or `make system-deps` as root")

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title>
<style>
@layer base { .note { display: none } }
.carte { & .prix { color: rgb(255 255 255 / 1) } }
.bureau { display: none }
@media (min-width: 900px) { .bureau { display: block } }
</style></head><body style="background: oklch(1 0 0)">
<p>Texte visible.</p><p class="note">Note rangée dans une couche CSS.</p>
<div class="carte"><span class="prix">À partir de 90 euros</span></div>
<p class="bureau">Visible sur grand écran seulement.</p>
<p id="ecrit"></p>
<script>document.getElementById("ecrit").textContent = "Écrit par le script.";</script>
</body></html>"""


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_render_marks_what_only_a_browser_knows(tmp_path) -> None:
    (tmp_path / "index.html").write_text("<p>jamais servi</p>", encoding="utf-8")

    async def go() -> str:
        renderer = Renderer(chromium_path() or "", concurrency=1, timeout=20)
        try:
            with SiteServer(tmp_path) as server:
                # The body given is rendered, not what the server would answer.
                return await renderer.render(server.origin + "/", PAGE)
        finally:
            await renderer.close()

    html = _run(go())
    assert "jamais servi" not in html and "Écrit par le script." in html
    # @layer and CSS nesting (not modelled by the static cascade), oklch() backgrounds.
    assert '<p class="note" data-seo-audit-hidden="display:none"' in html
    assert 'class="prix" data-seo-audit-hidden="colour = background"' in html
    assert 'data-seo-audit-detail="#ffffff on #ffffff, contrast 1.00:1"' in html
    # Hidden on phones, shown on desktops: responsive, not hidden.
    assert '<p class="bureau">' in html


def test_pages_rendered_a_few_at_a_time_and_browser_replaced(tmp_path) -> None:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")

    async def go() -> tuple[int, int, int]:
        renderer = Renderer(chromium_path() or "", concurrency=2, timeout=20)
        busy = peak = 0
        real = renderer._render

        async def counted(*args: Any) -> str:
            nonlocal busy, peak
            busy += 1
            peak = max(peak, busy)
            try:
                return await real(*args)
            finally:
                busy -= 1

        renderer._render = counted  # type: ignore[method-assign]
        try:
            with SiteServer(tmp_path) as server:
                await asyncio.gather(*(renderer.render(f"{server.origin}/?p={i}", PAGE)
                                       for i in range(5)))
                await renderer._browser.close()  # as if Chromium had crashed
                await renderer.render(server.origin + "/", PAGE)
        finally:
            await renderer.close()
        with pytest.raises(RenderError):
            await renderer.render("http://127.0.0.1:9/", PAGE)
        return peak, renderer.rendered, renderer.restarts

    peak, rendered, restarts = _run(go())
    assert peak == 2 and rendered == 6 and restarts == 1
