"""Every page is light enough for trade-fair Wi-Fi: budgets over every built sample page.

HTML at most 40 KB; the stylesheets a page loads at most 20 KB together; its scripts at most
10 KB, and only ever as enhancements (test_browser_offline.py reads pages with scripts off);
no web fonts; every image declares its size (no layout shift) and loads lazily.

Scripts are every script a page loads and its inline scripts. The search index, data the build
writes as a script so that search works from file://, grows with the site: the search page
loads it only when the visitor starts searching, so it is not part of the page's weight.
"""

from __future__ import annotations

from support.pages import elements, find, follow, html_files

KB = 1024
HTML_BUDGET = 40 * KB
CSS_BUDGET = 20 * KB
JS_BUDGET = 10 * KB
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf", ".eot")


def loaded(site, page, tag: str, attr: str, **match) -> int:
    """Bytes of the files ``page`` loads through ``tag``'s ``attr``."""
    total = 0
    for element in find(page, tag, **match):
        if attr in element.attrs:
            target, _ = follow(site, page, element.attrs[attr])
            assert target.is_file(), f"{page}: {element.attrs[attr]}"
            total += target.stat().st_size
    return total


def inline(page, tag: str) -> int:
    return sum(len(e.text.encode("utf-8")) for e in elements(page) if e.tag == tag and e.attrs.get("type", "") != "application/ld+json")


def test_every_page_keeps_within_the_budgets(sample_site):
    pages = html_files(sample_site)
    assert len(pages) > 100
    over = []
    for page in pages:
        name = page.relative_to(sample_site)
        html = page.stat().st_size
        css = loaded(sample_site, page, "link", "href", rel="stylesheet") + inline(page, "style")
        # JSON-LD is data for search engines, never run: it does not count as script.
        js = loaded(sample_site, page, "script", "src") + inline(page, "script")
        if html > HTML_BUDGET:
            over.append(f"{name}: HTML {html} B > {HTML_BUDGET}")
        if css > CSS_BUDGET:
            over.append(f"{name}: CSS {css} B > {CSS_BUDGET}")
        if js > JS_BUDGET:
            over.append(f"{name}: JavaScript {js} B > {JS_BUDGET}")
    assert over == []


def test_no_web_fonts(sample_site):
    assert [p for p in sample_site.rglob("*") if p.suffix.lower() in FONT_SUFFIXES] == []
    for css in sample_site.rglob("*.css"):
        assert "@font-face" not in css.read_text(encoding="utf-8"), css
    for page in html_files(sample_site):
        assert all("@font-face" not in e.text for e in elements(page) if e.tag == "style"), page


def test_every_image_declares_its_size_and_loads_lazily(sample_site):
    images = [(page, e) for page in html_files(sample_site) for e in elements(page) if e.tag == "img"]
    assert images, "the sample has images in its news: this test would check nothing without them"
    for page, image in images:
        where = f"{page.relative_to(sample_site)}:{image.line}"
        assert image.attrs.get("width", "").isdigit() and image.attrs.get("height", "").isdigit(), where
        assert image.attrs.get("loading") == "lazy", where
