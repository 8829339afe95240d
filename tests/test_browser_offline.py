"""The sample site in a real browser (Debian's Chromium, headless): every type of page in every
language, opened from disk and over HTTP, reads cleanly and passes axe; the language switcher
leads to the translation; a page read once opens again with the network cut; printed pages
are brochures with a scannable QR code. Screenshots for review go to screenshots/ (not committed).
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, copy_catalogs, copy_sample, default_files, news, park_prose, run, write_files
from PIL import Image
from support.tools import run_axe, serve_directory

from parkpress.build.pipeline import make_plan
from parkpress.core.config import load_config
from parkpress.theme.loader import load_themes

pytest.importorskip("playwright.sync_api")

SCREENSHOTS = REPO / "screenshots"
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# Not a language of the site: the root page's language redirect stays put, so it is checked itself.
BROWSER_LOCALE = "zh-CN"
MM = 96 / 25.4  # CSS pixels per millimetre
ARCHIVE = "invest.example.org-offline.zip"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The sample, built with --zip (so pages carry the download link); returns the project folder."""
    root = tmp_path_factory.mktemp("browser") / "project"
    copy_sample(root)
    result = run(root, "build", "--zip")
    assert result.code == 0, result.err
    return root


@pytest.fixture(scope="module")
def site(project) -> Path:
    return project / "site"


@pytest.fixture(scope="module")
def pages(project) -> list[str]:
    """One page of every type in every language (the largest of its kind: it shows the most),
    the root chooser and the host's 404 page."""
    chosen: dict[tuple, str] = {}
    config = load_config(project)
    for page in make_plan(config, load_themes(config)).pages:
        if not page.path.endswith(".html"):
            continue
        kind = (page.lang, page.template)
        size = (project / "site" / page.path).stat().st_size
        if kind not in chosen or size > (project / "site" / chosen[kind]).stat().st_size:
            chosen[kind] = page.path
    return sorted(chosen.values())


@pytest.fixture(scope="module")
def server(site):
    with serve_directory(site) as base:
        yield base


class Watched:
    """A browser context that records console errors, failed requests and requests to other hosts
    (those are aborted: nothing leaves the machine)."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(locale=BROWSER_LOCALE, **options)
        self.problems: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = urlsplit(route.request.url)
        if url.scheme in ("file", "data", "blob") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    def open(self, url: str):
        page = self.context.new_page()
        page.on("console", lambda message: message.type == "error" and self.problems.append(f"console error: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda response: response.status >= 400 and self.problems.append(f"HTTP {response.status}: {response.url}"))
        page.goto(url, wait_until="load")
        return page

    def _failed(self, request):
        # ERR_ABORTED is a request cut off by the next navigation (Chromium fetches the icon after
        # "load"), not a failed load: a missing file is ERR_FILE_NOT_FOUND, or an HTTP status >= 400.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def close(self):
        self.context.close()


def read_cleanly(browser, base: str, paths: list[str], axe: bool) -> list[str]:
    """Problems met opening each page in turn in one tab, as a visitor following links would."""
    watched = Watched(browser)
    found = []
    try:
        page = watched.open("about:blank")
        for path in paths:
            page.goto(f"{base}/{path}", wait_until="load")
            if page.locator("h1").count() != 1 or not page.locator("h1").inner_text().strip():
                found.append(f"{path}: no single h1")
            if axe:
                for violation in run_axe(page):
                    nodes = ", ".join(node["target"][0] for node in violation["nodes"][:3])
                    found.append(f"{path}: axe {violation['id']} ({violation['impact']}): {nodes}")
            found += [f"{path}: {problem}" for problem in watched.problems]
            watched.problems.clear()
    finally:
        watched.close()
    return found


def test_the_sample_covers_every_type_of_page_in_every_language(pages):
    for lang, slug in (("en", "parks"), ("de", "parks"), ("fr", "parcs")):
        assert f"{lang}/index.html" in pages and f"{lang}/404.html" in pages and f"{lang}/offline.html" in pages
        assert any(p.startswith(f"{lang}/{slug}/") and p.count("/") == 3 for p in pages), "a park profile"
    assert {"index.html", "404.html"} <= set(pages)
    assert len(pages) >= 3 * 12


def test_every_type_of_page_reads_cleanly_from_disk(browser, site, pages):
    assert read_cleanly(browser, site.as_uri(), pages, axe=False) == []


def test_every_type_of_page_reads_cleanly_over_http_and_passes_axe(browser, server, pages):
    assert read_cleanly(browser, server, pages, axe=True) == []


def test_the_unpacked_archive_reads_cleanly_from_disk(browser, site, pages, tmp_path):
    with zipfile.ZipFile(site / ARCHIVE) as archive:
        archive.extractall(tmp_path)
    copy = tmp_path / ARCHIVE.removesuffix(".zip")
    # The pages are those of site/ less the download link (test_offline.py): a few show it works.
    sample = ["index.html", *(p for p in pages if p.count("/") == 1 and p.endswith("/index.html")), "fr/parcs/wuqing/index.html"]
    assert read_cleanly(browser, copy.as_uri(), sample, axe=False) == []


@pytest.mark.parametrize("start, target, lang", [("en", "de", "de-DE"), ("de", "fr", "fr-FR"), ("fr", "en", "en")])
def test_the_language_switcher_leads_to_the_translation(browser, site, start, target, lang):
    parks = {"en": "parks", "de": "parks", "fr": "parcs"}
    watched = Watched(browser)
    try:
        page = watched.open((site / start / parks[start] / "wuqing/index.html").as_uri())
        page.locator(f'nav.languages a[hreflang="{lang}"]').click()
        page.wait_for_load_state()
        assert page.url == (site / target / parks[target] / "wuqing/index.html").as_uri()
        assert page.locator("html").get_attribute("lang") == lang
        assert watched.problems == []
    finally:
        watched.close()


# Forms and controls that only scripts can serve may well stay hidden without them; content may not.
HIDDEN = """els => els.filter(e => !e.checkVisibility() && !e.closest('form') && !e.querySelector('input, button, select'))
                  .map(e => e.outerHTML.slice(0, 100))"""


def test_pages_read_the_same_with_scripts_off(browser, server, pages):
    # Scripts only enhance (filters, sorting, search): nothing the page shows with them is
    # hidden without them. One language is enough: the scripts are the same in all.
    contexts = {on: browser.new_context(java_script_enabled=on, locale=BROWSER_LOCALE) for on in (True, False)}
    tabs = {on: context.new_page() for on, context in contexts.items()}
    try:
        for path in [p for p in pages if p.startswith("en/")]:
            hidden = {}
            for on, tab in tabs.items():
                tab.goto(f"{server}/{path}")
                hidden[on] = set(tab.locator("main :is(h1, h2, h3, p, li, table, a[href])").evaluate_all(HIDDEN))
            assert hidden[False] <= hidden[True], f"{path}: content hidden until a script runs"
    finally:
        for context in contexts.values():
            context.close()


# --- the service worker ----------------------------------------------------------------------


def eventually(page, script: str, arg=None, tries: int = 150) -> None:
    """Poll ``script`` (which may return a promise: page.wait_for_function would take the
    promise itself for true) until it is true; the worker does its work in the background."""
    for _ in range(tries):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never became true: {script}")


def wait_until_kept(page, url: str) -> None:
    eventually(page, "() => navigator.serviceWorker.controller !== null")
    eventually(page, "async (url) => !!(await caches.match(url))", url)


def test_a_page_read_once_opens_again_with_the_network_cut(browser, project, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(project / "site", copy)
    context = browser.new_context(locale=BROWSER_LOCALE)
    try:
        with serve_directory(copy) as base:  # leaving the block cuts the network for real
            park = f"{base}/en/parks/wuqing/index.html"
            page = context.new_page()
            page.goto(park)
            title = page.locator("h1").inner_text()
            wait_until_kept(page, park)
            page.locator("nav.menu a").first.click()  # a second page, read by following a link
            page.wait_for_load_state()
            second, second_title = page.url, page.locator("h1").inner_text()
            wait_until_kept(page, second)
        context.set_offline(True)

        page.reload()
        assert page.url == second and page.locator("h1").inner_text() == second_title
        page.goto(park)
        assert page.locator("h1").inner_text() == title
        assert page.locator("link[rel=stylesheet]").evaluate("l => l.sheet.cssRules.length") > 0  # the shell came along

        page.goto(f"{base}/de/nachrichten/index.html")  # never read: the offline page, in German
        assert page.locator("html").get_attribute("lang") == "de-DE"
        assert page.locator("h1").inner_text() == "Sie sind offline"
        assert page.locator("link[rel=stylesheet]").evaluate("l => l.sheet.cssRules.length") > 0
        assert page.locator("nav.menu a").first.evaluate("a => a.href") == f"{base}/de/parks/index.html"
        assert page.url == f"{base}/de/nachrichten/index.html"  # the address asked for stays
        assert page.locator("a.skip").evaluate("a => a.href") == f"{base}/de/nachrichten/index.html#main"
        assert page.locator("a[data-retry]").evaluate("a => a.href") == f"{base}/de/nachrichten/index.html"
        page.goto(f"{base}/")  # the site root: the default language's offline page
        assert page.locator("h1").inner_text() == "You are offline"
    finally:
        context.close()


def test_search_works_offline_after_one_visit_to_the_search_page(browser, project, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(project / "site", copy)
    context = browser.new_context(locale=BROWSER_LOCALE)
    try:
        with serve_directory(copy) as base:
            search = f"{base}/de/suche/index.html"
            page = context.new_page()
            page.goto(search)  # opened, never typed in: the index is not loaded by the page
            wait_until_kept(page, search)
            page.reload()  # now under the worker's control, as a second visit is
            wait_until_kept(page, f"{base}/de/suche/search-index.js")
        context.set_offline(True)
        page.goto(search)
        page.locator("#search-q").fill("Wuqing")
        page.locator("#search-q").press("Enter")
        page.locator("#search-results li").first.wait_for()
        assert page.locator("#search-results li").count() > 0
    finally:
        context.close()


def test_a_new_build_replaces_the_kept_copies(browser, tmp_path):
    root = tmp_path / "project"
    copy_sample(root)
    assert run(root, "build").code == 0
    context = browser.new_context(locale=BROWSER_LOCALE)
    try:
        with serve_directory(root / "site") as base:
            url = f"{base}/en/about/index.html"
            page = context.new_page()
            page.goto(url)
            wait_until_kept(page, url)
            first = page.evaluate("caches.keys()")

            about = root / "content/pages/about.en.md"
            about.write_text(about.read_text(encoding="utf-8") + "\nA sentence of the new build.\n", encoding="utf-8")
            # The test host answers the worker's update check from the file's modification time in whole
            # seconds (If-Modified-Since), as many hosts do: a rebuild within the second would look unchanged.
            time.sleep(max(0.0, (root / "site/sw.js").stat().st_mtime + 1.0 - time.time()))
            assert run(root, "build").code == 0
            page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
            eventually(page, "async (old) => { const k = await caches.keys(); return k.length === 1 && k[0] !== old[0]; }", first)
            eventually(
                page, "async (url) => { const r = await caches.match(url); return !!r && (await r.text()).includes('new build'); }", url
            )
        context.set_offline(True)
        page.reload()
        assert "A sentence of the new build." in page.locator("main").inner_text()
    finally:
        context.close()


# --- the host's 404 page ---------------------------------------------------------------------------


def test_the_hosts_404_page_links_into_the_site_from_any_depth(browser, site):
    """A static host answers a missing address with the site's 404.html, as Netlify or GitHub Pages do."""
    with serve_directory(site, not_found=lambda root, path: root / "404.html") as base:
        watched = Watched(browser, service_workers="block")
        try:
            missing = f"{base}/de/parks/gone/deeper/index.html"
            page = watched.open(missing)
            # The one thing missing is the address asked for: the page's icon and styles are there.
            assert watched.problems == [
                f"HTTP 404: {missing}",
                "console error: Failed to load resource: the server responded with a status of 404 (Not Found)",
            ]
            assert page.locator("a").first.evaluate("a => getComputedStyle(a).display") == "block"
            page.locator('a[hreflang="fr-FR"]:not(.search)').click()  # the home page; .search: its search page
            page.wait_for_load_state()
            assert page.url == f"{base}/fr/index.html"
        finally:
            watched.close()


# --- print --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def print_server(tmp_path_factory):
    """The fixture site, whose park profile and news item link to other sites."""
    root = tmp_path_factory.mktemp("print") / "project"
    root.mkdir()
    copy_catalogs(root)
    link = "[the zone's own site](https://alpha.example.org/invest/)"
    write_files(
        root,
        {
            **default_files(),
            "content/parks/alpha.en.md": park_prose("Alpha Zone").replace("Some prose", f"More on {link}. Some prose"),
            "content/news/2021-alpha-grows.de.md": news("Alpha wächst", body=f"Mehr auf {link}."),
        },
    )
    assert run(root, "build").code == 0
    with serve_directory(root / "site") as base:
        yield base


@pytest.mark.parametrize("path", ["en/parks/alpha/index.html", "de/nachrichten/2021-alpha-grows/index.html"])
def test_a_printed_page_is_a_brochure_with_a_qr_code_of_its_address(browser, print_server, path):
    zxingcpp = pytest.importorskip("zxingcpp")
    context = browser.new_context(locale=BROWSER_LOCALE)
    try:
        page = context.new_page()
        page.goto(f"{print_server}/{path}")
        canonical = page.locator("link[rel=canonical]").get_attribute("href")
        code = page.locator(".print-address svg")
        assert not code.is_visible()  # on screen the page has no use for it

        page.emulate_media(media="print")
        for navigation in ("nav.menu", "nav.languages", "nav.crumbs", "footer", ".skip"):
            assert not page.locator(navigation).is_visible(), navigation
        assert code.get_attribute("aria-hidden") == "true"  # the address is printed beside it as text
        assert canonical in page.locator(".print-address").inner_text()
        box = code.bounding_box()
        assert 25 * MM <= box["width"] <= 40 * MM and abs(box["width"] - box["height"]) < 1
        scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot(scale="device"))))
        assert [result.text for result in scanned] == [canonical]

        outgoing = page.locator('main a[href="https://alpha.example.org/invest/"]')
        after = outgoing.evaluate("a => getComputedStyle(a, '::after').content")
        assert "https://alpha.example.org/invest/" in after  # paper shows where a link leads
        SCREENSHOTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": round(210 * MM), "height": round(297 * MM)})
        page.screenshot(path=SCREENSHOTS / f"print-{path.split('/')[0]}-{path.split('/')[1]}.png")
    finally:
        context.close()


# --- screenshots for review ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_the_home_pages_are_written_for_review(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=BROWSER_LOCALE)
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        for lang in ("en", "de", "fr"):
            page = context.new_page()
            page.goto(f"{server}/{lang}/index.html")
            target = SCREENSHOTS / f"home-{lang}-{width}.png"
            page.screenshot(path=target, full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
            with Image.open(target) as image:
                assert image.width == width
            page.close()
    finally:
        context.close()
    print(f"screenshots: {SCREENSHOTS}")
