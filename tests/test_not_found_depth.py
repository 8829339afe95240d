"""A host serves a language's 404 page for any missing address of that language, at any depth
(nginx's error_page, GitHub Pages): there the page is still styled, says "page not found" in its
language and links to pages that exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.tools import serve_directory

pytest.importorskip("playwright.sync_api")


def language_404(root: Path, path: str) -> Path:
    """nginx's error_page per language: a missing path gets its language's 404.html, the root one elsewhere."""
    lang = path.lstrip("/").split("/", 1)[0]
    return root / lang / "404.html" if lang and (root / lang / "404.html").is_file() else root / "404.html"


@pytest.mark.parametrize(("path", "heading"), [("/de/a/b/c/missing", "Seite nicht gefunden"), ("/x/y/missing", "Page not found")])
def test_a_404_page_served_deep_is_styled_and_links_to_existing_pages(browser, sample_site, path, heading):
    with serve_directory(sample_site, not_found=language_404) as base:
        page = browser.new_page()
        response = page.goto(base + path, wait_until="load")
        assert response.status == 404
        assert page.locator("h1").inner_text() == heading
        if path.startswith("/de/"):  # the theme's stylesheet, not the browser's default serif
            assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).display") != "inline"
            assert page.evaluate("document.styleSheets.length") >= 1 and page.evaluate("document.styleSheets[0].cssRules.length") > 10
        links = page.evaluate("Array.from(document.querySelectorAll('main a'), a => a.href)")
        assert links and all(page.request.get(link).status == 200 for link in links), links
        if path.startswith("/de/"):
            assert {base + "/de/", base + "/de/suche/"} <= {link.replace("index.html", "") for link in links}
            skip = page.evaluate("document.querySelector('a.skip').href")
            assert skip == base + path + "#main"  # stays on the page
        page.close()
